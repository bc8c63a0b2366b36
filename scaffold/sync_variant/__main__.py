"""`python -m scaffold.sync_variant`: rewrite the derived files of the synchronous variant."""

from __future__ import annotations

import sys

from scaffold import TEMPLATE_ROOT
from scaffold.sync_variant import write


def main() -> int:
    template = TEMPLATE_ROOT / "template"
    changed = write(template)
    for path in changed:
        print(f"{'derived' if path.exists() else 'deleted'} {path.relative_to(template)}")
    print(f"{len(changed)} derived file(s) rewritten or deleted", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
