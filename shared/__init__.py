"""ITOps domain core: storage, services, processes, forms, sync, KPIs and reports.

This package is pure Python. It never imports Qt, Flask, the desktop or the server
(import-linter contracts in pyproject.toml hold that line).
"""

__version__ = "0.1.0"
