"""制度与标准库: HQ publishes, every store receives it through real sync and reads it offline, people
acknowledge, HQ sees who in a county has not read the current edition."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import select

from shared.models.integrations import Document
from shared.models.org import User
from shared.services import documents
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid
from shared.store import Store
from tests.sync.tree import Tree, actor, add_county_store, make_tree


def pdf_bytes(text: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    t = make_tree(tmp_path / "tree", {"GD": {"SZ": ["LH"]}})
    for store, name, path, role in ((t.hq, "hq_admin", "/HQ/", "admin"),
                                    (t.provinces["gd"], "lh_ops2", "/HQ/GD/SZ/LH/", "desktop_ops")):
        with store.write() as cs:  # no password needed: these people never sign in here
            cs.create(User, path, {"username": name, "full_name": name, "org_path": path, "roles": [role],
                                   "active": True})
    add_county_store(t, "lh", "gd", "lh_tech")
    return t


def test_publish_sync_read_offline_acknowledge_and_report(tree: Tree) -> None:
    hq_admin = actor(tree.hq, "hq_admin")
    manual = pdf_bytes("GL-07 Machine room rules, 2026")
    with tree.hq.write(hq_admin.user_id) as cs:
        doc = documents.publish(cs, hq_admin, "GL-07", "rule", "信息机房运行管理办法", "2026版", "2026-01-01",
                                "集团公司信息部", "机房准入、巡检、应急", [("GL-07 信息机房运行管理办法.pdf", manual),
                                                             ("附件 机房巡检记录表.docx", docx_bytes())])
    assert [f["mime"] for f in doc["files"]] == ["application/pdf", documents.FILE_TYPES[".docx"][0]]
    tree.drain()

    county = tree.counties["lh"]
    lh_tech = actor(county, "lh_tech")
    with county.read() as session:  # offline: everything is in the county's own database
        [listed] = documents.list_documents(session, user_id=lh_tech.user_id)
        assert (listed["code"], listed["edition"], listed["read"]) == ("GL-07", "2026版", False)
        shown = documents.get_document(session, "GL-07")
        assert documents.file_content(session, shown["files"][0]["id"]) == manual
    with county.write(lh_tech.user_id) as cs:
        documents.acknowledge(cs, lh_tech, "GL-07")
        documents.acknowledge(cs, lh_tech, "GL-07")  # once is enough
        with pytest.raises(Forbidden):
            documents.publish(cs, lh_tech, "GL-99", "rule", "县里自拟", "1", "2026-01-01")
    tree.drain()

    with tree.hq.read() as session:
        report = documents.unread_report(session, "GL-07", "/HQ/GD/SZ/LH/")
    assert [p["username"] for p in report["read"]] == ["lh_tech"]
    assert [p["username"] for p in report["unread"]] == ["lh_ops2"]

    # a new edition supersedes the old one everywhere, and nobody has read it yet
    with tree.hq.write(hq_admin.user_id) as cs:
        documents.publish(cs, hq_admin, "GL-07", "rule", "信息机房运行管理办法", "2027版", "2027-01-01",
                          files=[("GL-07 2027.pdf", pdf_bytes("2027"))])
    tree.drain()
    with county.read() as session:
        statuses = dict(session.execute(select(Document.edition, Document.status)).all())
        assert statuses == {"2026版": "superseded", "2027版": "current"}
        assert documents.list_documents(session, user_id=lh_tech.user_id)[0]["read"] is False
    with tree.hq.read() as session:
        report = documents.unread_report(session, "GL-07", "/HQ/GD/SZ/LH/")
    assert report["edition"] == "2027版" and len(report["unread"]) == 2


def test_files_and_fields_are_checked(tmp_path: Path) -> None:
    hq = Store(f"sqlite:///{tmp_path}/hq.db")
    hq.init_node("hq", "/HQ/")
    hq_admin = Actor(None, "hq_admin", "/HQ/", ("admin",))
    with hq.write() as cs:
        with pytest.raises(Invalid, match="PDF or DOCX"):
            documents.publish(cs, hq_admin, "BZ-01", "standard", "t", "1", "2026-01-01", files=[("a.exe", b"MZ")])
        with pytest.raises(Invalid, match="not a PDF"):
            documents.publish(cs, hq_admin, "BZ-01", "standard", "t", "1", "2026-01-01",
                              files=[("fake.pdf", b"<html>")])
        with pytest.raises(Invalid, match="YYYY-MM-DD"):
            documents.publish(cs, hq_admin, "BZ-01", "standard", "t", "1", "2026/01/01")
        assert documents.seed_catalogue(cs, hq_admin) == 30
        assert documents.seed_catalogue(cs, hq_admin) == 0
    with hq.read() as session:
        kinds = [d["kind"] for d in documents.list_documents(session)]
    hq.close()
    assert (kinds.count("rule"), kinds.count("standard"), kinds.count("instruction")) == (13, 6, 11)
