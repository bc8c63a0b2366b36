"""`python -m scaffold`: the scaffold command line."""

import sys

from scaffold.cli import main

if __name__ == "__main__":
    sys.exit(main())
