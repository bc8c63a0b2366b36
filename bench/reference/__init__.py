"""Bare reference apps, one per framework: the same driver and queries as a generated service, and
nothing else. The bench serves each with the generated service's own production command."""

from __future__ import annotations

from pathlib import Path
from typing import Final

DIRECTORY: Final = Path(__file__).resolve().parent
"""Put on PYTHONPATH so that the production command can import the reference apps."""

APPS: Final = {
    "fastapi": "fastapi_app:create_app",
    "litestar": "litestar_app:create_app",
    "django": "django_app:create_app",
    "flask": "flask_app:create_app()",
}
"""By framework value of copier.yml: the reference app, as the production command names an app
(uvicorn's `module:factory` with --factory, gunicorn's `'module:create_app()'`)."""
