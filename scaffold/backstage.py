"""`scaffold export backstage`: a Backstage software template generated from copier.yml.

Its parameters are copier.yml's asked questions in order (title, help, choices with their labels,
literal defaults, and the regular expression a validator requires, where it has one); its steps run
the template with a `scaffold:new` action, publish the repository and register its catalog-info.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jinja2 import nodes

from scaffold.answers import Constraints
from scaffold.expressions import environment
from scaffold.questions import Question, TemplateSpec

API_VERSION = "scaffolder.backstage.io/v1beta3"
REPOSITORY_PARAMETER = "repoUrl"
JSON_TYPES = {"str": "string", "bool": "boolean", "int": "integer", "float": "number"}
TEMPLATED = ("{{", "{%")


def title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def is_literal(default: Any) -> bool:
    """A default Backstage can show as it is (not a Jinja expression over other answers)."""
    if isinstance(default, str):
        return not any(marker in default for marker in TEMPLATED)
    if isinstance(default, list):
        return all(is_literal(item) for item in default)
    return default is not None


def required_pattern(question: Question, envops: Mapping[str, Any]) -> str | None:
    """The regular expression a validator demands of the answer: `not <name> | regex_search('...')`.

    Only a single such test is expressible; a validator with none (or several) gives no pattern.
    """
    if not question.validator:
        return None
    tree = environment(envops).parse(question.validator)
    patterns = {
        test.node.args[0].value
        for test in tree.find_all(nodes.Not)
        if isinstance(test.node, nodes.Filter)
        and test.node.name == "regex_search"
        and isinstance(test.node.node, nodes.Name)
        and test.node.node.name == question.name
        and test.node.args
        and isinstance(test.node.args[0], nodes.Const)
    }
    return patterns.pop() if len(patterns) == 1 else None


def _choices(question: Question, allowed: tuple[Any, ...] | None) -> Iterator[tuple[str, Any]]:
    for option in question.options:
        if allowed is None or option.value in allowed:
            yield option.label, option.value


def parameter(question: Question, spec: TemplateSpec, constraints: Constraints) -> dict[str, Any]:
    """One question as a JSON Schema property with Backstage's ui: hints."""
    schema: dict[str, Any] = {"title": title(question.name), "description": " ".join(question.help.split())}
    choices = list(_choices(question, constraints.allowed.get(question.name)))
    values = [value for _, value in choices]
    labels = [label for label, _ in choices]
    json_type = JSON_TYPES.get(question.type, "string")
    if question.multiselect:
        schema.update(
            type="array",
            items={"type": json_type, "enum": values},
            uniqueItems=True,
            **{"ui:widget": "checkboxes"},
        )
    else:
        schema["type"] = json_type
        if choices:
            schema.update(enum=values, enumNames=labels)
        elif (pattern := required_pattern(question, spec.settings.envops)) is not None:
            schema["pattern"] = pattern
    default = constraints.locked.get(question.name, constraints.defaults.get(question.name, question.default))
    if is_literal(default):
        schema["default"] = default
    else:
        schema["description"] += " Leave empty to derive it from the earlier answers."
    if question.name in constraints.locked:
        schema["ui:disabled"] = True
        schema["enum"] = [default]
    return schema


def export(
    spec: TemplateSpec,
    *,
    source: str,
    version: str | None,
    name: str = "python-service",
    owner: str = "group:platform",
    constraints: Constraints | None = None,
) -> dict[str, Any]:
    """The template.yaml document (a mapping, ready for YAML)."""
    constraints = constraints or Constraints()
    asked = spec.asked
    properties = {question.name: parameter(question, spec, constraints) for question in asked}
    required = [q.name for q in asked if is_literal(q.default) and not q.multiselect and q.type == "str"]
    answers = {question.name: f"${{{{ parameters.{question.name} }}}}" for question in asked}
    return {
        "apiVersion": API_VERSION,
        "kind": "Template",
        "metadata": {
            "name": name,
            "title": "Python backend service",
            "description": "A layered Python backend service generated with scaffold (copier).",
            "tags": ["python", "copier", "scaffold"],
        },
        "spec": {
            "owner": owner,
            "type": "service",
            "parameters": [
                {"title": "The service", "required": required, "properties": properties},
                {
                    "title": "The repository",
                    "required": [REPOSITORY_PARAMETER],
                    "properties": {
                        REPOSITORY_PARAMETER: {
                            "title": "Repository location",
                            "type": "string",
                            "ui:field": "RepoUrlPicker",
                        }
                    },
                },
            ],
            "steps": [
                {
                    "id": "generate",
                    "name": "Generate the service",
                    "action": "scaffold:new",
                    "input": {
                        "source": source,
                        **({"version": version} if version else {}),
                        "answers": answers,
                    },
                },
                {
                    "id": "publish",
                    "name": "Publish the repository",
                    "action": "publish:github",
                    "input": {
                        "repoUrl": f"${{{{ parameters.{REPOSITORY_PARAMETER} }}}}",
                        "description": "${{ parameters.description }}",
                        "defaultBranch": "main",
                    },
                },
                {
                    "id": "register",
                    "name": "Register in the catalog",
                    "action": "catalog:register",
                    "input": {
                        "repoContentsUrl": "${{ steps['publish'].output.repoContentsUrl }}",
                        "catalogInfoPath": "/catalog-info.yaml",
                    },
                },
            ],
            "output": {
                "links": [
                    {"title": "Repository", "url": "${{ steps['publish'].output.remoteUrl }}"},
                    {
                        "title": "Open in the catalog",
                        "icon": "catalog",
                        "entityRef": "${{ steps['register'].output.entityRef }}",
                    },
                ]
            },
        },
    }


def drift(spec: TemplateSpec, template: Mapping[str, Any]) -> list[str]:
    """Where an exported template.yaml (exported without a preset) and copier.yml disagree."""
    pages = template.get("spec", {}).get("parameters", [])
    exported: dict[str, Any] = {}
    for page in pages:
        exported.update(page.get("properties", {}))
    exported.pop(REPOSITORY_PARAMETER, None)
    fresh = export(spec, source="", version=None)["spec"]["parameters"][0]["properties"]
    problems = [f"{name}: in copier.yml, not in the export" for name in fresh if name not in exported]
    problems += [f"{name}: in the export, not in copier.yml" for name in exported if name not in fresh]
    for name in fresh:
        if name not in exported:
            continue
        for key in ("type", "enum", "enumNames", "items", "default", "pattern"):
            if fresh[name].get(key) != exported[name].get(key):
                problems.append(
                    f"{name}: {key} differs ({exported[name].get(key)!r} != {fresh[name].get(key)!r})"
                )
    common = [name for name in exported if name in fresh]
    if not problems and common != [name for name in fresh if name in exported]:
        problems.append("the questions are in a different order")
    return problems
