from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from shared.models.attachments import Attachment, Blob
from shared.models.sync import OutboxEntry
from shared.services import attachments
from shared.services.errors import Invalid

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def test_the_same_content_is_stored_once_and_comes_back_intact(county) -> None:  # type: ignore[no-untyped-def]
    store, actor = county
    with store.write(actor.user_id) as cs:
        a = attachments.add_attachment(cs, actor, actor.org_path, "tickets", "t1", "现场照片.png", PNG, "image/png")
        b = attachments.add_attachment(cs, actor, actor.org_path, "form_records", "f1", "copy.png", PNG, "image/png")
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Blob)) == 1
        assert session.scalar(select(func.count()).select_from(Attachment)) == 2
        assert attachments.attachment_content(session, a["id"]) == PNG
        assert [x["name"] for x in attachments.list_attachments(session, "tickets", "t1")] == ["现场照片.png"]
        assert a["blob_id"] == b["blob_id"]
        # both rows travel: one blob append and two link appends in the outbox
        ops = session.scalars(select(OutboxEntry.entity).order_by(OutboxEntry.seq)).all()
    assert sorted(ops).count("blobs") == 1 and sorted(ops).count("attachments") == 2


def test_damaged_content_and_bad_input_are_refused_clearly(county) -> None:  # type: ignore[no-untyped-def]
    store, actor = county
    with store.write(actor.user_id) as cs:
        a = attachments.add_attachment(cs, actor, actor.org_path, "tickets", "t1", "x.bin", b"abc")
        with pytest.raises(Invalid, match="empty"):
            attachments.add_attachment(cs, actor, actor.org_path, "tickets", "t1", "y.bin", b"")
        with pytest.raises(Invalid, match="over the limit"):
            attachments.add_attachment(cs, actor, actor.org_path, "tickets", "t1", "big.bin",
                                       b"0" * (attachments.MAX_BYTES + 1))
    with store.engine.begin() as conn:  # simulate disk damage below the services
        conn.execute(update(Blob).values(content="YWJk"))  # "abd"
    with store.read() as session, pytest.raises(Invalid, match="checksum"):
        attachments.attachment_content(session, a["id"])
