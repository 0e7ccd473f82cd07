#!/usr/bin/env python3
"""Check geodata/ and build the interactive maps in maps/. `python build.py --help` lists the options."""
import sys

from atlas.cli import main

if __name__ == "__main__":
    sys.exit(main())
