"""Compile each Jinja source once per process, however many environments copier makes.

copier builds a new Jinja environment for every copy or update and compiles from scratch every
template file, every templated path part and every question expression, most of them many times
over: one render of the default service compiles about 4,000 sources, of which 750 are distinct
(the answers file's name alone about 1,200 times, `{{package_name}}` once per file beneath it).
Compiling is most of a render's time (BENCHMARKS.md, Generator). Compiled code depends only on the
source and on the environment's syntax settings, so it can be shared by every environment with the
same settings, as Jinja's own bytecode cache shares it between processes.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from jinja2 import Environment

_cache: dict[tuple[Hashable, ...], Any] = {}
_install_lock = threading.Lock()
_compile_uncached = Environment.compile


def _settings(environment: Environment) -> tuple[Hashable, ...]:
    """What the compiled code depends on besides the source: the syntax (as jinja2.lexer.get_lexer
    keys it), the extensions, and the code generator's options."""
    return (
        type(environment),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
        environment.optimized,
        environment.is_async,
        environment.autoescape,
        environment.finalize,
    )


def _compile_once(
    self: Environment,
    source: Any,
    name: str | None = None,
    filename: str | None = None,
    raw: bool = False,
    defer_init: bool = False,
) -> Any:
    if not isinstance(source, str):  # an already parsed template (nodes.Template)
        return _compile_uncached(self, source, name, filename, raw, defer_init)
    key = (_settings(self), source, name, filename, raw, defer_init)
    code = _cache.get(key)
    if code is None:
        code = _cache[key] = _compile_uncached(self, source, name, filename, raw, defer_init)
    else:
        # Extensions may keep state that their preprocess hook resets for every compilation
        # (copier's yield tag does); they get the call compiling would have made.
        self.preprocess(source, name, filename)
    return code


def reuse_compiled_templates() -> None:
    """Share compiled code between all of this process's Jinja environments (idempotent)."""
    with _install_lock:
        Environment.compile = _compile_once  # type: ignore[method-assign]
