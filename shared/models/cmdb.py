"""Configuration items and their typed relations."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced

RELATION_TYPES: dict[str, tuple[str, str]] = {
    "runs_on": ("运行于", "Runs on"),
    "depends_on": ("依赖", "Depends on"),
    "connected_to": ("连接到", "Connected to"),
    "installed_on": ("安装于", "Installed on"),
    "located_in": ("位于", "Located in"),
    "used_by": ("使用者", "Used by"),
    "maintained_by": ("维保方", "Maintained by"),
}


class ConfigItem(Synced, Base):
    __tablename__ = "config_items"
    __natural_keys__: ClassVar[tuple[str, ...]] = ("asset_tag",)
    __sync_policies__: ClassVar[dict[str, str]] = {
        "status": "queue",
        "owner_id": "queue",
        "location": "queue",
        "serial": "queue",
    }

    ci_class: Mapped[str] = mapped_column(String(48), index=True)
    name: Mapped[str] = mapped_column(String(200))
    asset_tag: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    serial: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(32), default="在运")
    brand: Mapped[str] = mapped_column(String(64), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    attributes: Mapped[dict] = mapped_column(default=dict)


class CIRelation(Synced, Base):
    """Edge source → target; id is uuid5(source, target, type) so offline links converge."""

    __tablename__ = "ci_relations"

    source_id: Mapped[str] = mapped_column(String(36), index=True)
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    rel_type: Mapped[str] = mapped_column(String(32))
    attributes: Mapped[dict] = mapped_column(default=dict)
