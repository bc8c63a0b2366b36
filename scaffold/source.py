"""Template sources (a folder, a local git repository or a git URL) and their released versions.

Releases are PEP 440 git tags, as copier reads them: without an explicit version, copier renders the
newest non-prerelease tag, or HEAD when there is none.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from packaging.version import InvalidVersion, Version

from scaffold import TEMPLATE_ROOT
from scaffold.errors import TemplateUnreachable
from scaffold.questions import TemplateSpec, parse_spec

CONFIG_NAMES = ("copier.yml", "copier.yaml")
REMOTE_PREFIXES = ("git@", "git+")
DESCRIBE_SUFFIX = re.compile(r"-\d+-g[0-9a-f]+$")


def git(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run git without prompting for credentials; the caller reads the return code."""
    return subprocess.run(
        ["git", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )


def last_line(result: subprocess.CompletedProcess[str], fallback: str) -> str:
    """The last line git printed on stderr: usually the reason it failed."""
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else fallback


def parse_version(text: str | None) -> Version | None:
    """The release a recorded `_commit` is at or after ("1.2.0", "1.2.0-3-gabc1234"); None if none."""
    if not text:
        return None
    try:
        return Version(DESCRIBE_SUFFIX.sub("", text))
    except InvalidVersion:
        return None


def is_remote(location: str) -> bool:
    return "://" in location or location.startswith(REMOTE_PREFIXES)


@dataclass(frozen=True)
class TemplateSource:
    """Where a template comes from; local paths are absolute so answers files can record them."""

    location: str

    @classmethod
    def of(cls, location: str | None) -> TemplateSource:
        """The given source (a path is made absolute), or the installed template."""
        if location is None:
            return cls(str(TEMPLATE_ROOT))
        if is_remote(location):
            return cls(location)
        return cls(str(Path(location).expanduser().resolve()))

    @property
    def git_url(self) -> str:
        """The location as git understands it (copier's `git+` prefix removed)."""
        return self.location.removeprefix("git+")

    @property
    def local_path(self) -> Path | None:
        return None if is_remote(self.location) else Path(self.location)

    @cached_property
    def is_git(self) -> bool:
        path = self.local_path
        if path is None:
            return True
        if not path.is_dir():
            raise TemplateUnreachable(f"template source {self.location}: no such directory")
        top = git("rev-parse", "--show-toplevel", cwd=path)
        return top.returncode == 0 and Path(top.stdout.strip()).resolve() == path.resolve()

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Release tags (PEP 440, no prereleases), oldest first."""
        if not self.is_git:
            return ()
        listing = git("ls-remote", "--tags", "--refs", "--", self.git_url)
        if listing.returncode != 0:
            reason = last_line(listing, "git ls-remote failed")
            raise TemplateUnreachable(f"cannot reach template source {self.location}: {reason}")
        releases = []
        for line in listing.stdout.splitlines():
            tag = line.split("\t", 1)[1].removeprefix("refs/tags/")
            version = parse_version(tag)
            if version is not None and not version.is_prerelease and DESCRIBE_SUFFIX.search(tag) is None:
                releases.append((version, tag))
        return tuple(tag for _, tag in sorted(releases))

    @property
    def latest(self) -> str | None:
        return self.tags[-1] if self.tags else None

    def newer_than(self, recorded: str | None) -> list[str]:
        """The releases after the recorded version, oldest first (all of them if it has none)."""
        version = parse_version(recorded)
        return [tag for tag in self.tags if version is None or Version(tag) > version]

    def resolve(self, version: str | None) -> str | None:
        """The git ref copier will render: the given version, the latest release, or HEAD."""
        if not self.is_git:
            if version is not None:
                raise TemplateUnreachable(
                    f"template source {self.location} is not a git repository; it has no version {version!r}"
                )
            return None
        if version is None:
            return self.latest or "HEAD"
        if version != "HEAD" and version not in self.tags:
            with self._repository() as repository:
                self._refuse_unknown(version, repository)
        return version

    def spec(self, ref: str | None) -> TemplateSpec:
        """The questions and settings of the template at `ref` (the working tree for a local HEAD)."""
        path = self.local_path
        if path is not None and ref in {None, "HEAD"}:
            return parse_spec(self._read_config(path))
        with self._repository() as repository:
            self._refuse_unknown(str(ref), repository)
            for name in CONFIG_NAMES:
                shown = git("show", f"{ref}:{name}", cwd=repository)
                if shown.returncode == 0:
                    return parse_spec(shown.stdout)
        raise TemplateUnreachable(f"template source {self.location} has no copier.yml at {ref}")

    def _refuse_unknown(self, ref: str, repository: Path) -> None:
        if git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=repository).returncode:
            raise TemplateUnreachable(f"template source {self.location} has no version {ref!r}")

    def _read_config(self, path: Path) -> str:
        for name in CONFIG_NAMES:
            if (path / name).is_file():
                return (path / name).read_text(encoding="utf-8")
        raise TemplateUnreachable(f"template source {self.location} has no copier.yml")

    @contextmanager
    def _repository(self) -> Iterator[Path]:
        """A git directory holding the source's history: the local repository, or a bare partial clone."""
        path = self.local_path
        if path is not None:
            if not self.is_git:
                raise TemplateUnreachable(f"template source {self.location} is not a git repository")
            yield path
            return
        with tempfile.TemporaryDirectory(prefix="scaffold-template-") as clone_path:
            clone = git("clone", "--quiet", "--bare", "--filter=blob:none", "--", self.git_url, clone_path)
            if clone.returncode != 0:
                reason = last_line(clone, "git clone failed")
                raise TemplateUnreachable(f"cannot reach template source {self.location}: {reason}")
            yield Path(clone_path)
