"""Declarative base with a naming convention, and the columns every synced row carries."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Boolean, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db.types import JSONDoc, UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict: JSONDoc(),
        list: JSONDoc(),
    }


class Synced:
    """Mixin for every row that travels between nodes.

    * ``id`` is a UUID made on the node that created the row;
    * ``owner_path`` is the materialised path of the owning org unit (``/HQ/GD/SZ/LH/``):
      it decides read scope, write scope and which server is the merge authority;
    * ``version`` is the authority's row version (0 until the authority has merged it);
    * ``field_versions`` maps each field to ``[version, winner_key]`` of its last change
      at the authority — the merge compares it with the mutation's base version;
    * ``deleted`` is the tombstone flag: rows are never physically removed by sync.

    Subclasses declare how each field merges in ``__sync_policies__`` (default ``queue``
    for the fields named in ``QUEUE_BY_DEFAULT``, ``lww`` otherwise), which fields are
    natural keys (``__natural_keys__``: duplicates are flagged, not refused), and the
    read scope of the entity (``__sync_scope__``: ``subtree`` or ``global``).
    """

    if TYPE_CHECKING:  # the mapped subclasses accept column keywords
        def __init__(self, **kwargs: Any) -> None: ...

    __sync_policies__: ClassVar[dict[str, str]] = {}
    __natural_keys__: ClassVar[tuple[str, ...]] = ()
    __sync_scope__: ClassVar[str] = "subtree"
    __append_only__: ClassVar[bool] = False

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_path: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    field_versions: Mapped[dict] = mapped_column(default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    hlc: Mapped[str] = mapped_column(String(64), default="")
    updated_by: Mapped[str | None] = mapped_column(String(36), nullable=True)


# Sync metadata columns: never user-editable, never part of a mutation's changed fields.
META_COLUMNS = frozenset(
    {"id", "owner_path", "version", "field_versions", "deleted", "created_at", "updated_at", "hlc",
     "updated_by"}
)


def fill_defaults(row: object) -> None:
    """Apply column defaults now (SQLAlchemy would only at flush), so snapshots and outbox
    payloads taken before the flush see the real values."""
    from sqlalchemy import inspect as sa_inspect

    for column in sa_inspect(type(row)).columns:
        if column.default is None or getattr(row, column.key, None) is not None:
            continue
        default = column.default
        value = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        setattr(row, column.key, value)
