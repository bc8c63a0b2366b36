"""Answer a template's questions in copier.yml's order: from a preset, --data, defaults or a person.

Every answer gets the verdict copier would give it (type, choices, validator), with the context copier
renders the question in: the answers given so far and the --data answers. A preset adds two rules of
its own: locked answers and allowed subsets of choices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from scaffold.errors import InvalidAnswer
from scaffold.expressions import Expressions, cast, copier_conf
from scaffold.questions import Question, TemplateSpec


@dataclass(frozen=True)
class Constraints:
    """What a preset imposes: fixed answers, preferred defaults and allowed values."""

    locked: Mapping[str, Any] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    allowed: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    origin: str = "preset"


@dataclass(frozen=True)
class Choice:
    label: str
    value: Any
    disabled: str = ""


@dataclass(frozen=True)
class Prompt:
    """A question ready to be asked: its default, its choices (some disabled, saying why), its verdict."""

    question: Question
    default: Any
    choices: tuple[Choice, ...]
    verdict: Callable[[Any], str]

    @property
    def enabled(self) -> list[Choice]:
        return [choice for choice in self.choices if not choice.disabled]


@dataclass(frozen=True)
class Answer:
    value: Any
    source: str


class Prompter(Protocol):
    """Asks a person; returns only answers that `prompt.verdict` accepts."""

    def show_fixed(self, question: Question, answer: Answer) -> None: ...

    def ask(self, prompt: Prompt) -> Any: ...


class Questionnaire:
    """Resolves the answers of one template for one destination."""

    def __init__(
        self,
        spec: TemplateSpec,
        *,
        data: Mapping[str, Any] | None = None,
        constraints: Constraints | None = None,
        defaults: bool = True,
        destination: str = "",
        data_origin: str = "--data",
    ) -> None:
        self.spec = spec
        self.data = dict(data or {})
        self.data_origin = data_origin
        self.constraints = constraints or Constraints()
        self.expressions = Expressions(spec.settings.envops)
        self._init = {**self.data, **self.constraints.locked}
        self._conf = copier_conf(defaults=defaults, data=self._init, destination=destination)
        self._context: dict[str, Any] = {}
        self._refuse_unknown_names()
        self._refuse_changes_to_locked_answers()

    def context(self) -> dict[str, Any]:
        """What copier renders the next question with: answers so far over the --data answers."""
        return {**self._init, **self._context, "_copier_conf": self._conf}

    def run(self, prompter: Prompter | None = None) -> dict[str, Answer]:
        """Every asked question's answer, in order; `prompter` asks what nothing else answers."""
        answers: dict[str, Answer] = {}
        for question in self.spec.questions:
            context = self.context()
            if question.computed or not self.expressions.is_asked(question, context):
                if question.default is not None:
                    self._context[question.name] = cast(
                        question, self.expressions.render(question.default, context)
                    )
                continue
            answer = self._answer(question, context, prompter)
            self._context[question.name] = answer.value
            answers[question.name] = answer
        return answers

    def _answer(self, question: Question, context: Mapping[str, Any], prompter: Prompter | None) -> Answer:
        given = self._given(question)
        if given is not None:
            value = self._accept(question, given.value, context, given.source)
            answer = Answer(value, given.source)
            if prompter is not None:
                prompter.show_fixed(question, answer)
            return answer
        prompt = self.prompt(question, context)
        if prompter is None:
            source = "preset default" if question.name in self.constraints.defaults else "default"
            return Answer(self._accept(question, prompt.default, context, source), source)
        return Answer(prompter.ask(prompt), "answered")

    def _given(self, question: Question) -> Answer | None:
        """An answer that is not asked for: locked by the preset, given with --data, or the only choice."""
        if question.name in self.constraints.locked:
            return Answer(self.constraints.locked[question.name], f"locked by {self.constraints.origin}")
        if question.name in self.data:
            return Answer(self.data[question.name], self.data_origin)
        allowed = self.constraints.allowed.get(question.name, ())
        if len(allowed) == 1 and not question.multiselect:
            return Answer(allowed[0], f"the only value {self.constraints.origin} allows")
        return None

    def prompt(self, question: Question, context: Mapping[str, Any]) -> Prompt:
        """The question with its choices (disabled ones say why) and its effective default."""
        choices = self._choices(question, context)
        default = self._default(question, context, choices)
        return Prompt(
            question=question,
            default=default,
            choices=choices,
            verdict=lambda raw: self.verdict(question, raw, context),
        )

    def verdict(self, question: Question, raw: Any, context: Mapping[str, Any]) -> str:
        """Why `raw` is refused as the answer to `question` (empty when it is accepted)."""
        try:
            value = cast(question, raw)
        except (TypeError, ValueError) as error:
            return f"Invalid input: {error}"
        choices = self._choices(question, context)
        if choices:
            for item in value if question.multiselect else [value]:
                problem = _choice_problem(item, choices)
                if problem:
                    return problem
        return self.expressions.verdict(question, value, context)

    def _accept(self, question: Question, raw: Any, context: Mapping[str, Any], source: str) -> Any:
        message = self.verdict(question, raw, context)
        if message:
            raise InvalidAnswer(f"{question.name} = {raw!r} ({source}) is refused: {message}")
        return cast(question, raw)

    def _choices(self, question: Question, context: Mapping[str, Any]) -> tuple[Choice, ...]:
        allowed = self.constraints.allowed.get(question.name)
        if not question.options:
            return tuple(Choice(str(value), value) for value in allowed or ())
        choices = []
        for option in question.options:
            reason = self.expressions.disabled_reason(option.validator, context)
            if not reason and allowed is not None and option.value not in allowed:
                reason = f"not allowed by {self.constraints.origin}"
            choices.append(Choice(option.label, option.value, reason))
        return tuple(choices)

    def _default(self, question: Question, context: Mapping[str, Any], choices: tuple[Choice, ...]) -> Any:
        if question.name in self.constraints.defaults:
            return self.constraints.defaults[question.name]
        default = cast(question, self.expressions.render(question.default, context))
        enabled = [choice.value for choice in choices if not choice.disabled]
        if not choices:
            return default
        if question.multiselect:
            return [value for value in default if value in enabled]
        if default in enabled or not enabled:
            return default
        return enabled[0]

    def _refuse_unknown_names(self) -> None:
        asked = {question.name for question in self.spec.asked}
        unknown = sorted(set(self.data) - asked)
        if unknown:
            questions = ", ".join(sorted(asked))
            raise InvalidAnswer(
                f"unknown question {unknown[0]!r} in {self.data_origin}; the questions are: {questions}"
            )

    def _refuse_changes_to_locked_answers(self) -> None:
        for name, value in self.data.items():
            question = self.spec.get(name)
            if question is None or name not in self.constraints.locked:
                continue
            locked = self.constraints.locked[name]
            if _same(question, value, locked):
                continue
            raise InvalidAnswer(
                f"{name} is locked to {display(locked)!r} by {self.constraints.origin}; "
                f"{self.data_origin} {name}={display(value)} cannot change it"
            )


def _same(question: Question, first: Any, second: Any) -> bool:
    try:
        return bool(cast(question, first) == cast(question, second))
    except (TypeError, ValueError):
        return False


def display(value: Any) -> str:
    """An answer as people read it: lists joined with commas."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


def _choice_problem(value: Any, choices: tuple[Choice, ...]) -> str:
    for choice in choices:
        if choice.value == value:
            return f"{value!r} is unavailable: {choice.disabled}" if choice.disabled else ""
    allowed = ", ".join(str(choice.value) for choice in choices if not choice.disabled)
    return f"{value!r} is not a choice; choose one of: {allowed}"


def plain_answers(answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The answer values alone, as copier's `data` takes them."""
    return {name: answer.value for name, answer in answers.items()}
