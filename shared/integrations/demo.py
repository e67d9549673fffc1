"""Demo content of the integrations: the rules-and-standards library published by HQ (with real PDF files
for two documents and a few read acknowledgements in 龙华), and an API key for the province's demo
monitoring system. Called once from ``shared.demo.build_demo`` after the province is built."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select

from shared.models.attachments import Attachment, Blob
from shared.models.integrations import Document, EventApiKey
from shared.models.org import User
from shared.security import token_digest
from shared.services import documents
from shared.services.actor import Actor
from shared.store import Store

# Like the demo password: a fixed key, so the demo can be driven with curl (docs/integrations.md).
DEMO_EVENT_KEY = "itk_demo-prometheus-gd-2026"
DEMO_READERS = ("lh_desk", "lh_ops", "lh_admin")


def _pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from shared.pdf.fonts import register_cjk_font

    font = register_cjk_font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(title)
    page.setFont(font, 16)
    page.drawString(72, 770, title)
    page.setFont(font, 11)
    for i, line in enumerate(lines):
        page.drawString(72, 740 - 18 * i, line)
    page.save()
    return out.getvalue()


def _actor(store: Store, username: str) -> Actor:
    with store.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, username
        return Actor(user.id, user.username, user.org_path, tuple(user.roles or ()))


def seed(hq: Store, province: Store) -> dict[str, Any]:
    from shared.demo import replicate_rows

    admin = _actor(hq, "hq_admin")
    files = {
        "GL-07": [("GL-07 信息机房运行管理办法（2026版）.pdf", _pdf("信息机房运行管理办法（2026版）", [
            "第一条 为规范信息机房运行管理，保障信息系统安全稳定运行，制定本办法。",
            "第二条 机房实行准入管理，外来人员须登记并由运维人员全程陪同。",
            "第三条 机房每日巡检两次，巡检记录按《信息机房日常巡检作业指导书》填写。"]))],
        "ZY-06": [("ZY-06 信息机房日常巡检作业指导书.pdf", _pdf("信息机房日常巡检作业指导书", [
            "1 适用范围：县级及以上单位信息机房的日常巡检。",
            "2 巡检内容：环境温湿度、UPS、精密空调、消防、门禁、设备运行状态。",
            "3 异常处理：发现异常立即登记事件工单并按级别上报。"]))],
    }
    with hq.write(admin.user_id) as cs:
        published = documents.seed_catalogue(cs, admin, files=files)
    library = (Document, Attachment, Blob)
    replicate_rows(hq, province, lambda row: row.owner_path == "/HQ/" and isinstance(row, library))
    with province.write() as cs:
        if cs.session.scalar(select(EventApiKey).where(EventApiKey.name == "prom-gd")) is None:
            cs.session.add(EventApiKey(id="7d1c5e0a-9b8f-4a2e-8c3d-1f0e2d4c6b8a", name="prom-gd",
                                       key_hash=token_digest(DEMO_EVENT_KEY), org_path="/HQ/GD/", settings={}))
    for username in DEMO_READERS:
        reader = _actor(province, username)
        with province.write(reader.user_id) as cs:
            documents.acknowledge(cs, reader, "GL-07")
    return {"documents": published, "event_key": DEMO_EVENT_KEY}
