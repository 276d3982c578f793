"""Build the glossary: `python build.py [build|serve|check|check-links] [options]`."""

import sys

from glossary.cli import main

if __name__ == "__main__":
    sys.exit(main())
