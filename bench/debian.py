"""Tools the bench needs from Debian's packages, installed on first use when missing."""

from __future__ import annotations

import os
import subprocess
import sys


def install_debian_package(package: str) -> None:
    """`apt-get install package` (needs root); apt-get reports on stderr, so the Markdown on stdout
    stays clean."""
    if os.geteuid() != 0:
        raise SystemExit(f"{package} is missing: install it with `sudo apt-get install {package}`")
    subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=sys.stderr)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        check=True,
        stdout=sys.stderr,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
