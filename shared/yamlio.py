"""YAML for the definitions the core reads (processes, calendars, CI classes, KPIs, messages): libyaml's
C loader when the platform has it (five to ten times faster: the desktop parses these at start-up), the
pure-Python one otherwise; a safe loader either way."""

from __future__ import annotations

from typing import IO, Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    return yaml.load(source, Loader=_LOADER)
