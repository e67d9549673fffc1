"""The ``itops`` command line: one entry point for administration, demo data, export and servers."""
