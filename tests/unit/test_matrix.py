"""scaffold.matrix: combinations that cover the choices as promised."""

from __future__ import annotations

import itertools
from pathlib import Path

from scaffold import matrix
from scaffold.questions import Question, parse_spec

AXES = {
    "database": ["sqlite", "postgresql", "mysql"],
    "framework": ["fastapi", "litestar", "django", "flask"],
    "auth": ["none", "jwt", "oauth2", "api_key"],
    "ci": ["github", "gitlab", "none"],
    "error_format": ["envelope", "problem_details"],
}


def _tuples(combination: dict[str, object], strength: int) -> set[tuple[str, ...]]:
    return {
        tuple(item for name in group for item in (name, repr(combination[name])))
        for group in itertools.combinations(sorted(combination), strength)
    }


def _pairs(combination: dict[str, object]) -> set[tuple[str, ...]]:
    return _tuples(combination, 2)


def test_full_is_the_cartesian_product() -> None:
    combinations = matrix.full(AXES)

    assert len(combinations) == 3 * 4 * 4 * 3 * 2
    assert len({tuple(c.values()) for c in combinations}) == len(combinations)


def test_pairwise_covers_every_pair_with_far_fewer_rows() -> None:
    combinations = matrix.pairwise(AXES)
    expected = set().union(*(_pairs(c) for c in matrix.full(AXES)))

    assert set().union(*(_pairs(c) for c in combinations)) == expected
    assert len(combinations) <= 24


def test_a_covering_holds_every_set_of_values_of_its_strength() -> None:
    for strength in (3, 4):
        combinations = matrix.covering(AXES, strength)
        expected = set().union(*(_tuples(c, strength) for c in matrix.full(AXES)))

        assert set().union(*(_tuples(c, strength) for c in combinations)) == expected
        assert len(combinations) < len(matrix.full(AXES))


def test_each_value_shows_every_value_at_least_once() -> None:
    combinations = matrix.each_value(AXES)

    assert len(combinations) == 4
    for name, values in AXES.items():
        assert {c[name] for c in combinations} == set(values)


def test_multiselect_axes_are_subsets_or_extremes() -> None:
    observability = Question(
        name="observability",
        type="str",
        help="",
        default=[],
        choices=("metrics", "tracing"),
        multiselect=True,
        computed=False,
    )
    hidden = Question(
        name="resource_class",
        type="str",
        help="",
        default="",
        choices=("x",),
        multiselect=False,
        computed=True,
    )

    assert matrix.axes([observability, hidden]) == {
        "observability": [[], ["metrics"], ["tracing"], ["metrics", "tracing"]]
    }
    assert matrix.axes([observability], multiselect="extremes") == {
        "observability": [["metrics", "tracing"], []]
    }


def test_bounded_is_the_full_product_up_to_the_limit_then_the_strongest_covering_within_it() -> None:
    four, three, two = (matrix.covering(AXES, strength) for strength in (4, 3, 2))

    assert matrix.bounded(AXES, AXES, limit=288) == matrix.full(AXES)
    assert matrix.bounded(AXES, AXES, limit=287) == four
    assert matrix.bounded(AXES, AXES, limit=len(four) - 1) == three
    assert matrix.bounded(AXES, AXES, limit=len(three) - 1) == two
    assert matrix.bounded(AXES, AXES, limit=1) == two


def test_bounded_crosses_the_significant_axes_and_cycles_the_others_through_each_value() -> None:
    significant = ["database", "framework", "auth"]

    combinations = matrix.bounded(AXES, significant, limit=48)

    crossed = {tuple(c[name] for name in significant) for c in combinations}
    assert len(combinations) == len(crossed) == 3 * 4 * 4
    assert {c["ci"] for c in combinations} == set(AXES["ci"])
    assert {c["error_format"] for c in combinations} == set(AXES["error_format"])
    assert all(list(c) == list(AXES) for c in combinations)
    beyond = matrix.bounded(AXES, significant, limit=47)
    crossed_pairs = matrix.pairwise({name: AXES[name] for name in significant})
    assert [{name: c[name] for name in significant} for c in beyond] == crossed_pairs
    assert {c["ci"] for c in beyond} == set(AXES["ci"])


def test_referenced_in_keeps_the_questions_the_templates_use(tmp_path: Path) -> None:
    source = tmp_path / "ci-auth-checkout" / "src"
    source.mkdir(parents=True)
    (source / "{% if framework == 'flask' %}wsgi.py{% endif %}.jinja").write_text("x\n")
    (source / "main.py.jinja").write_text("{% if database == 'sqlite' %}...{% endif %}\n# cache {{ x }}\n")
    (source / "errors.py").write_text("# the error_format when the cache is down\n")

    kept = matrix.referenced_in(AXES, [source])

    assert set(kept) == {"framework", "database"}


CONSTRAINED = parse_spec(
    """
framework:
  type: str
  default: fastapi
  choices: [fastapi, flask]
auth:
  type: str
  default: none
  choices:
    none: none
    jwt:
      value: jwt
      validator: "{% if framework != 'fastapi' %}not with {{ framework }}{% endif %}"
rbac:
  type: bool
  when: "{{ auth != 'none' }}"
  default: "{{ auth != 'none' }}"
database:
  type: str
  default: sqlite
  choices: [sqlite, postgresql]
"""
)
CONSTRAINED_AXES = matrix.axes(CONSTRAINED.questions)
ACCEPTED = (
    [{"framework": "fastapi", "auth": "none", "database": database} for database in ("sqlite", "postgresql")]
    + [
        {"framework": framework, "auth": "none", "database": database}
        for framework in ("flask",)
        for database in ("sqlite", "postgresql")
    ]
    + [
        {"framework": "fastapi", "auth": "jwt", "rbac": rbac, "database": database}
        for rbac in (True, False)
        for database in ("sqlite", "postgresql")
    ]
)


def test_yes_no_questions_are_axes() -> None:
    assert CONSTRAINED_AXES["rbac"] == [True, False]


def test_refused_and_unasked_answers_are_left_out_of_every_matrix() -> None:
    accepted = matrix.accepted_by(CONSTRAINED)

    bounded = matrix.bounded(CONSTRAINED_AXES, CONSTRAINED_AXES, 100, accepted)
    pairwise = matrix.pairwise(CONSTRAINED_AXES, accepted)
    each_value = matrix.each_value(CONSTRAINED_AXES, accepted)

    assert sorted(map(repr, bounded)) == sorted(map(repr, ACCEPTED))
    for combination in pairwise + each_value:
        assert combination in ACCEPTED
    assert not accepted({"framework": "flask", "auth": "jwt"})
    assert not accepted({"auth": "none", "rbac": True})


def test_pairwise_with_refusals_covers_every_pair_an_accepted_combination_holds() -> None:
    pairwise = matrix.pairwise(CONSTRAINED_AXES, matrix.accepted_by(CONSTRAINED))

    assert set().union(*(_pairs(c) for c in ACCEPTED)) <= set().union(*(_pairs(c) for c in pairwise))


def test_each_value_with_refusals_shows_every_value_somewhere() -> None:
    each_value = matrix.each_value(CONSTRAINED_AXES, matrix.accepted_by(CONSTRAINED))

    for name, values in CONSTRAINED_AXES.items():
        assert {repr(row.get(name)) for row in each_value} >= {repr(value) for value in values}
