"""Frozen entry point of ``itops-desktop`` (the Qt desktop, no console window on Windows)."""

import sys

from cli.main import desktop_main

if __name__ == "__main__":
    sys.exit(desktop_main())
