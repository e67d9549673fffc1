"""Background work of the forms area: each function opens its own store session and returns plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.forms.schema import Template
from shared.pdf.forms import render_form
from shared.services import forms, rooms
from shared.services.actor import Actor
from shared.store import Store


@dataclass(frozen=True)
class LoadedRecord:
    record: dict[str, Any]
    template: Template
    overrides: dict[str, Any]
    points: dict[str, list[str]]
    photo_counts: dict[str, int]


def load_record(store: Store, actor: Actor, record_id: str) -> LoadedRecord:
    with store.read() as session:
        record = forms.get_record(session, actor, record_id)
        row = forms.load_record(session, actor, record_id)
        overrides, points = forms.room_settings(session, row)
        return LoadedRecord(record, forms.record_template(session, row), overrides, points,
                            forms.photo_counts(session, row))


def save(store: Store, actor: Actor, record_id: str, values: dict[str, Any], remarks: dict[str, str]) -> None:
    with store.write(actor.user_id) as cs:
        forms.fill_record(cs, actor, record_id, values, remarks)


def save_and_complete(store: Store, actor: Actor, record_id: str, values: dict[str, Any],
                      remarks: dict[str, str]) -> dict[str, Any]:
    """One transaction: a refused completion leaves nothing half-written (the draft is saved apart)."""
    save(store, actor, record_id, values, remarks)
    with store.write(actor.user_id) as cs:
        return forms.complete_record(cs, actor, record_id)


def sign(store: Store, actor: Actor, record_id: str, role: str, png: bytes) -> None:
    with store.write(actor.user_id) as cs:
        forms.sign(cs, actor, record_id, role, png)


def add_photo(store: Store, actor: Actor, record_id: str, item_code: str, name: str, content: bytes,
              mime: str) -> None:
    with store.write(actor.user_id) as cs:
        forms.add_photo(cs, actor, record_id, item_code, name, content, mime)


def raise_incident(store: Store, actor: Actor, record_id: str, item_code: str, values: dict[str, Any] | None,
                   remarks: dict[str, str] | None) -> dict[str, Any]:
    if values is not None:
        save(store, actor, record_id, values, remarks or {})
    with store.write(actor.user_id) as cs:
        return forms.raise_incident(cs, actor, record_id, item_code)


def review(store: Store, actor: Actor, record_id: str, approve: bool, note: str) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return forms.review_record(cs, actor, record_id, approve, note)


def record_pdf(store: Store, actor: Actor, record_id: str) -> bytes:
    with store.read() as session:
        doc = forms.document_for(session, actor, record_id)
    return render_form(doc)


def blank_pdf(store: Store, code: str) -> bytes:
    with store.read() as session:
        doc = forms.blank_document(session, code)
    return render_form(doc)


def new_record(store: Store, actor: Actor, code: str, room_id: str | None, shift: str) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return forms.create_record(cs, actor, code, room_id=room_id, shift=shift)


def choices(store: Store, actor: Actor) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Templates and rooms for the new-record dialog."""
    with store.read() as session:
        return forms.list_templates(session), rooms.list_rooms(session, actor)


