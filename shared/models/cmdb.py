"""Configuration items and their typed relations."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Boolean, Integer, String, Text
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
    serial: Mapped[str] = mapped_column(String(100), default="", index=True)
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


class CIClassDef(Synced, Base):
    """A CI class defined (or extended) by an HQ administrator on top of the built-in tree in
    shared/resources/cmdb/classes.yaml. Owned by "/HQ/", so it reaches every node."""

    __tablename__ = "ci_class_defs"
    __natural_keys__: ClassVar[tuple[str, ...]] = ("code",)

    code: Mapped[str] = mapped_column(String(48), index=True)
    parent: Mapped[str] = mapped_column(String(48), default="")
    label_zh: Mapped[str] = mapped_column(String(100), default="")
    label_en: Mapped[str] = mapped_column(String(100), default="")
    abstract: Mapped[bool] = mapped_column(Boolean, default=False)
    attributes: Mapped[list] = mapped_column(default=list)


class RackUnit(Synced, Base):
    """One occupied U of a rack. The id is uuid5(rack id, U): two offline bookings of the same U are
    the same row, so the merge raises a field conflict on ``ci_id`` instead of double-booking."""

    __tablename__ = "rack_units"
    __sync_policies__: ClassVar[dict[str, str]] = {"ci_id": "queue"}

    rack_id: Mapped[str] = mapped_column(String(36), index=True)
    u: Mapped[int] = mapped_column(Integer)
    ci_id: Mapped[str] = mapped_column(String(36), index=True)


class LifecycleRecord(Synced, Base):
    """One lifecycle transition of a CI (投运, 退运, 移交 …) with its form values: the record itself,
    read by the 履历 timeline. Append-only: a record, once made, is never edited."""

    __tablename__ = "ci_lifecycle_records"
    __append_only__: ClassVar[bool] = True

    ci_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32), default="")
    to_state: Mapped[str] = mapped_column(String(32), default="")
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    attachment_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    values: Mapped[dict] = mapped_column(default=dict)
