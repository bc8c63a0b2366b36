"""The interactive wizard: copier.yml's questions in a terminal, a summary, and a confirmation.

Choices a preset or an earlier answer rules out stay visible but disabled, with the reason; locked
answers are shown as fixed and never asked. Ctrl-C (or Ctrl-D) at any prompt cancels.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import questionary
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scaffold.answers import Answer, Prompt, display
from scaffold.errors import Cancelled
from scaffold.questions import Question

CANCELLED = "cancelled; nothing was written"


class Wizard:
    """A Prompter that asks through questionary."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def show_fixed(self, question: Question, answer: Answer) -> None:
        value, source = escape(display(answer.value)), escape(answer.source)
        self.console.print(f"[bold]{question.name}[/]: {value}  [dim](fixed: {source})[/]")

    def ask(self, prompt: Prompt) -> Any:
        question = prompt.question
        if question.help:
            self.console.print(f"[dim]{escape(question.help)}[/]")
        while True:
            value = _interrupted_is_cancelled(self._questionary(prompt))
            refusal = prompt.verdict(value)
            if not refusal:
                return value
            self.console.print(f"[red]{escape(refusal)}[/]")

    def _questionary(self, prompt: Prompt) -> questionary.Question:
        question = prompt.question

        def validate(raw: Any) -> bool | str:
            return prompt.verdict(raw) or True

        if prompt.choices:
            choices = [
                questionary.Choice(
                    title=choice.label,
                    value=choice.value,
                    disabled=choice.disabled or None,
                    checked=question.multiselect and choice.value in prompt.default,
                )
                for choice in prompt.choices
            ]
            if question.multiselect:
                return questionary.checkbox(question.name, choices=choices, validate=validate)
            return questionary.select(question.name, choices=choices, default=prompt.default)
        if question.type == "bool":
            return questionary.confirm(question.name, default=bool(prompt.default))
        return questionary.text(question.name, default=display(prompt.default), validate=validate)

    def confirm(self, answers: Mapping[str, Answer], destination: Path) -> None:
        """Show every answer and where it came from; go on only when the person says yes."""
        table = Table(title="Your service", title_justify="left")
        table.add_column("question")
        table.add_column("answer")
        table.add_column("from")
        for name, answer in answers.items():
            table.add_row(name, escape(display(answer.value)), escape(answer.source))
        self.console.print(table)
        go = questionary.confirm(f"Generate the service in {destination}?", default=True)
        if not _interrupted_is_cancelled(go):
            raise Cancelled(CANCELLED)


def _interrupted_is_cancelled(question: questionary.Question) -> Any:
    try:
        return question.unsafe_ask()
    except (KeyboardInterrupt, EOFError) as interruption:
        raise Cancelled(CANCELLED) from interruption
