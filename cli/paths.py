"""Default locations. The desktop app uses the same store folder, so both agree without options."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    return Path(user_data_dir("itops"))


def default_store_dir() -> Path:
    return data_dir() / "store"


def default_demo_dir() -> Path:
    return data_dir() / "demo"
