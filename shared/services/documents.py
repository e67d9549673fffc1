"""制度与标准库: management rules, technical standards and work instructions published by HQ.

Each edition of a document is one ``documents`` row owned by ``/HQ/`` (so it reaches every store and
reads offline), with its files as attachments (PDF or DOCX). Publishing a new edition of a code marks
the previous edition superseded. People acknowledge reading an edition (``document_reads``, id =
uuid5(edition, person), owned by the person's org unit so a county desktop writes it offline); HQ sees
who has not read the current edition once the rows have come up through sync.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.integrations import Document, DocumentRead
from shared.models.org import User
from shared.services.actor import Actor
from shared.services.attachments import add_attachment, attachment_content, list_attachments
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

HQ = "/HQ/"
KINDS: dict[str, tuple[str, str]] = {"rule": ("管理制度", "Management rule"),
                                     "standard": ("技术标准", "Technical standard"),
                                     "instruction": ("作业指导书", "Work instruction")}
FILE_TYPES = {".pdf": ("application/pdf", b"%PDF-"),
              ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04")}
READ_NAMESPACE = uuid.UUID("e7b3d1c9-42a8-4f6e-b0d5-9c8a7f6e5d41")
DOC_NAMESPACE = uuid.UUID("1f9e8d7c-6b5a-4c3d-8e2f-0a1b2c3d4e5f")
CATALOGUE = Path(__file__).resolve().parent.parent / "resources" / "integrations" / "library.yaml"
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-]{0,47}$")


def document_id(code: str, edition: str) -> str:
    """Deterministic: the same edition published twice offline is one row."""
    return str(uuid.uuid5(DOC_NAMESPACE, f"{code}|{edition}"))


def read_id(document_id: str, user_id: str) -> str:
    return str(uuid.uuid5(READ_NAMESPACE, f"{document_id}|{user_id}"))


def _require_publisher(actor: Actor) -> None:
    if actor.org_path != HQ or "admin" not in actor.roles:
        raise Forbidden("only an HQ administrator publishes rules and standards")


def check_file(name: str, content: bytes) -> str:
    """The MIME type of an accepted file (PDF or DOCX, by extension and by content)."""
    suffix = Path(name).suffix.lower()
    if suffix not in FILE_TYPES:
        raise Invalid(f"{name}: the library takes PDF or DOCX files")
    mime, magic = FILE_TYPES[suffix]
    if not content.startswith(magic):
        raise Invalid(f"{name}: the content is not a {suffix[1:].upper()} file")
    return mime


def publish(cs: ChangeSet, actor: Actor, code: str, kind: str, title: str, edition: str, effective_date: str,
            issuing_unit: str = "", summary: str = "", files: list[tuple[str, bytes]] | None = None) -> dict:
    """Publish an edition; the code's earlier current edition becomes superseded."""
    _require_publisher(actor)
    code, edition, title = code.strip().upper(), edition.strip(), title.strip()
    if not CODE_RE.match(code):
        raise Invalid("a document code is 1–48 capital letters, digits and '-' (e.g. GL-07)")
    if kind not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}")
    if not title or not edition:
        raise Invalid("a document needs a title and an edition (e.g. 2026版)")
    try:
        date.fromisoformat(effective_date)
    except ValueError:
        raise Invalid(f"effective date must be YYYY-MM-DD, not {effective_date!r}") from None
    checked = [(name, content, check_file(name, content)) for name, content in (files or [])]
    doc_id = document_id(code, edition)
    if cs.session.get(Document, doc_id) is not None:
        raise Invalid(f"{code} {edition} is already published; give the new edition its own name")
    for older in cs.session.scalars(select(Document).where(Document.code == code, Document.status == "current",
                                                           Document.deleted.is_(False))):
        cs.update(older, {"status": "superseded"})
    row = cs.create(Document, HQ, {
        "code": code, "kind": kind, "title": title, "edition": edition, "effective_date": effective_date,
        "issuing_unit": issuing_unit, "status": "current", "summary": summary, "published_by": actor.user_id,
    }, row_id=doc_id)
    for name, content, mime in checked:
        add_attachment(cs, actor, HQ, "documents", row.id, name, content, mime)
    return get_document(cs.session, row.id)


def withdraw(cs: ChangeSet, actor: Actor, code: str) -> dict:
    _require_publisher(actor)
    row = current_edition(cs.session, code)
    cs.update(row, {"status": "withdrawn"})
    return row_to_dict(row)


def current_edition(session: Session, code: str) -> Document:
    row = session.scalar(select(Document).where(Document.code == code.upper(), Document.status == "current",
                                                Document.deleted.is_(False)))
    if row is None:
        raise NotFound(f"no current edition of {code}")
    return row


def _load(session: Session, ref: str) -> Document:
    row = session.get(Document, ref)
    return row if row is not None and not row.deleted else current_edition(session, ref)


def get_document(session: Session, ref: str) -> dict:
    row = _load(session, ref)
    result = row_to_dict(row)
    result["files"] = list_attachments(session, "documents", row.id)
    result["editions"] = [{"id": d.id, "edition": d.edition, "effective_date": d.effective_date, "status": d.status}
                          for d in session.scalars(select(Document).where(Document.code == row.code,
                                                                          Document.deleted.is_(False))
                                                   .order_by(Document.effective_date.desc(), Document.edition))]
    return result


def list_documents(session: Session, kind: str | None = None, include_old: bool = False,
                   user_id: str | None = None) -> list[dict]:
    stmt = select(Document).where(Document.deleted.is_(False))
    if kind:
        stmt = stmt.where(Document.kind == kind)
    if not include_old:
        stmt = stmt.where(Document.status == "current")
    rows = [row_to_dict(r) for r in session.scalars(stmt.order_by(Document.code, Document.effective_date))]
    if user_id:
        read = set(session.scalars(select(DocumentRead.document_id).where(DocumentRead.user_id == user_id)))
        for r in rows:
            r["read"] = r["id"] in read
    return rows


def file_content(session: Session, attachment_id: str) -> bytes:
    return attachment_content(session, attachment_id)


def acknowledge(cs: ChangeSet, actor: Actor, ref: str, owner_path: str | None = None) -> dict:
    """"I have read it": once per person and edition (again is a no-op)."""
    if not actor.user_id:
        raise Invalid("only a person acknowledges reading")
    row = _load(cs.session, ref)
    rid = read_id(row.id, actor.user_id)
    existing = cs.session.get(DocumentRead, rid)
    if existing is not None:
        return row_to_dict(existing)
    owner = owner_path or actor.org_path
    actor.require_scope(owner)
    return row_to_dict(cs.append(DocumentRead, owner, {
        "document_id": row.id, "user_id": actor.user_id, "read_at": utcnow()}, row_id=rid))


def unread_report(session: Session, ref: str, org_path: str) -> dict[str, Any]:
    """Who under ``org_path`` has (not) read the current edition of a document."""
    row = _load(session, ref)
    people = list(session.scalars(select(User).where(User.org_path.startswith(org_path), User.deleted.is_(False),
                                                     User.active.is_(True)).order_by(User.org_path, User.username)))
    reads = {r.user_id: r.read_at for r in session.scalars(select(DocumentRead).where(
        DocumentRead.document_id == row.id, DocumentRead.deleted.is_(False)))}
    person = lambda u: {"username": u.username, "full_name": u.full_name, "org_path": u.org_path}  # noqa: E731
    return {"code": row.code, "edition": row.edition, "title": row.title, "org_path": org_path,
            "read": [{**person(u), "read_at": reads[u.id].isoformat()} for u in people if u.id in reads],
            "unread": [person(u) for u in people if u.id not in reads]}


@cache
def catalogue() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return doc


def seed_catalogue(cs: ChangeSet, actor: Actor, edition: str = "2026版", effective_date: str = "2026-01-01",
                   files: dict[str, list[tuple[str, bytes]]] | None = None) -> int:
    """Publish every catalogue entry not yet in the library (13 rules, 6 standards, 11 instructions)."""
    cat = catalogue()
    made = 0
    for kind, group in (("rule", "rules"), ("standard", "standards"), ("instruction", "instructions")):
        for item in cat[group]:
            exists = cs.session.scalar(select(Document.id).where(Document.code == item["code"]).limit(1))
            if exists is None:
                publish(cs, actor, item["code"], kind, item["title"], edition, effective_date,
                        cat.get("issuing_unit", ""), files=(files or {}).get(item["code"]))
                made += 1
    return made
