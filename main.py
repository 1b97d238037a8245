"""Run GenoView from a checkout: `python main.py [args]` (same as the `genoview` command)."""
import sys

from genoview.cli import main

if __name__ == "__main__":
    sys.exit(main())
