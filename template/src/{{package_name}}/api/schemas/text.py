"""Patterns every text field of a request body shares."""

from __future__ import annotations

from typing import Final

NO_NUL_CHARACTERS: Final = r"^[^\x00]*$"
"""Text fields refuse NUL, which databases such as PostgreSQL cannot store in text."""

NOT_BLANK: Final = (
    r"^[^\x00]*"
    r"[^\x00\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    r"[^\x00]*$"
)
"""Like NO_NUL_CHARACTERS, plus one character that `str.strip()` keeps: the domain strips names."""
