"""The rules-and-standards library (制度与标准库), read offline from the local store."""

from desktop.library.panel import LibraryPanel

__all__ = ["LibraryPanel"]
