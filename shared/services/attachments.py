"""Attach files to any record: content-addressed blobs (one per owner and SHA-256) plus link rows.

Both are append-only synced rows: attaching offline and syncing later never conflicts, and the
same photo attached twice is stored once. Content travels base64-encoded (the wire is JSON).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.attachments import Attachment, Blob
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

BLOB_NAMESPACE = uuid.UUID("6f1d2c3b-8e4a-4b7c-9a0d-2e5f7c1b3a98")
MAX_BYTES = 8 * 1024 * 1024  # a photo or a PDF record; bigger files belong in a document store


def blob_id(owner_path: str, sha256: str) -> str:
    return str(uuid.uuid5(BLOB_NAMESPACE, f"{owner_path}|{sha256}"))


def add_attachment(cs: ChangeSet, actor: Actor, owner_path: str, ref_entity: str, ref_id: str, name: str,
                   content: bytes, mime: str = "application/octet-stream") -> dict[str, Any]:
    actor.require_scope(owner_path)
    actor.require_role("attaching a file")
    if not name.strip():
        raise Invalid("an attachment needs a file name")
    if not content:
        raise Invalid(f"{name}: the file is empty")
    if len(content) > MAX_BYTES:
        raise Invalid(f"{name}: {len(content) // 1024} KiB is over the limit of {MAX_BYTES // 1024 // 1024} MiB")
    sha = hashlib.sha256(content).hexdigest()
    bid = blob_id(owner_path, sha)
    if cs.session.get(Blob, bid) is None:
        cs.append(Blob, owner_path, {"sha256": sha, "size": len(content),
                                     "content": base64.b64encode(content).decode("ascii")}, row_id=bid)
    row = cs.append(Attachment, owner_path, {
        "blob_id": bid, "ref_entity": ref_entity, "ref_id": ref_id, "name": name.strip(), "mime": mime,
        "size": len(content), "sha256": sha, "author_id": actor.user_id})
    return row_to_dict(row)


def list_attachments(session: Session, ref_entity: str, ref_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(Attachment).where(Attachment.ref_entity == ref_entity,
                                                    Attachment.ref_id == ref_id, Attachment.deleted.is_(False))
                           .order_by(Attachment.created_at, Attachment.id))
    return [row_to_dict(r) for r in rows]


def attachment_content(session: Session, attachment_id: str) -> bytes:
    """The file's bytes, checked against its SHA-256 (a damaged blob is an error, not silent garbage)."""
    link = session.get(Attachment, attachment_id)
    if link is None:
        raise NotFound(f"no attachment {attachment_id}")
    blob = session.get(Blob, link.blob_id)
    if blob is None:
        raise NotFound(f"the content of {link.name} has not arrived yet (it comes with the next sync)")
    try:
        content = base64.b64decode(blob.content, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(f"the stored content of {link.name} is damaged") from None
    if hashlib.sha256(content).hexdigest() != link.sha256:
        raise Invalid(f"the stored content of {link.name} does not match its checksum")
    return content
