"""scaffold: generate and maintain layered Python backend services from this Copier template."""

from pathlib import Path

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
"""The template's root: copier.yml, template/ and hooks/ live here."""
