"""The ITOps desktop client (PySide6 Qt Widgets). ``desktop.app.main`` is the entry point."""
