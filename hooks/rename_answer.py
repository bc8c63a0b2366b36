"""Copier migration (before the update): carry an answer over a renamed question or choice value.

Usage in copier.yml `_migrations`, with `when: "{{ _stage == 'before' }}"`:
  rename_answer.py question OLD_NAME NEW_NAME
  rename_answer.py choice QUESTION OLD_VALUE NEW_VALUE

It rewrites .copier-answers.yml before copier reads it; running it again changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from template_history import ANSWERS_FILE


def rename(answers: dict[str, object], kind: str, arguments: list[str]) -> dict[str, object]:
    if kind == "question":
        old, new = arguments
        if old in answers and new not in answers:
            return {new if key == old else key: value for key, value in answers.items()}
        return answers
    question, old, new = arguments
    value = answers.get(question)
    if value == old:
        return {**answers, question: new}
    if isinstance(value, list) and old in value:
        return {**answers, question: [new if item == old else item for item in value]}
    return answers


def main() -> int:
    path = Path.cwd() / ANSWERS_FILE
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    answers = yaml.safe_load(text)
    renamed = rename(answers, sys.argv[1], sys.argv[2:])
    if renamed != answers:
        path.write_text(header + yaml.safe_dump(renamed, sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
