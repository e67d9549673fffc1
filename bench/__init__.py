"""Sync benchmarks: ``python -m bench`` (``make bench``) prints every figure; ``--quick`` shrinks sizes."""
