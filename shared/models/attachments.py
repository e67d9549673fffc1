"""Files attached to records: photos, signatures, PDF records, documents.

Content is stored once per owner and addressed by its SHA-256 (``Blob``); each use is an
``Attachment`` link row. Both are append-only, so they sync like ticket entries and never
conflict: two offline nodes attaching the same photo converge to one blob.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced


class Blob(Synced, Base):
    __tablename__ = "blobs"
    __append_only__: ClassVar[bool] = True

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text, default="")  # base64: the sync wire is JSON


class Attachment(Synced, Base):
    __tablename__ = "attachments"
    __append_only__: ClassVar[bool] = True
    __table_args__ = (Index("ix_attachments_ref", "ref_entity", "ref_id"),)

    blob_id: Mapped[str] = mapped_column(String(36))
    ref_entity: Mapped[str] = mapped_column(String(48))
    ref_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
