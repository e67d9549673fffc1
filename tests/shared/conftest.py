"""The county fixture lives in tests/conftest.py (every folder uses it)."""
