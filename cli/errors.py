"""The CLI's own user-facing error (bad input it detects before any service is called)."""


class CliError(Exception):
    """Printed as ``itops: error: <message>``; the process exits with status 2."""
