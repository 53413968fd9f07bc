"""`python -m werkconferentie.allocation INSTANCE.json ...`: the same as `werkconferentie solve`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
