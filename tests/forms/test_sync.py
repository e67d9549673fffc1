"""Templates published by HQ reach a county by sync; a county's offline record keeps its version and
reaches the province with its photo, signature and incident."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from shared.models.attachments import Attachment
from shared.models.forms import FormRecord, FormTemplate
from shared.models.tickets import Ticket
from shared.services import forms, rooms
from shared.services.actor import Actor
from tests.forms.conftest import completed_sop06, normal_sop06_values
from tests.sync.tree import actor, add_county_store, make_tree


def test_published_template_reaches_the_county_and_records_keep_their_version(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree", {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    tech = actor(lh, "lh_tech")
    with lh.write(tech.user_id) as cs:
        room = rooms.create_room(cs, tech, "LH-JF01", "龙华信息机房", "B")
    values = normal_sop06_values()
    values["A_TEMP"] = {"冷通道1": 23.0, "冷通道2": 33.0, "冷通道3": 23.0}
    offline = completed_sop06(lh, tech, room["id"], values, {"A_TEMP": "空调故障"}, photos=("A_TEMP",))

    hq = Actor(None, "hq_admin", "/HQ/", ("admin",))
    text = (forms.builtin("SOP-06").text  # type: ignore[union-attr]
            .replace('version: "1.0"', 'version: "1.1"').replace("normal: [18, 27]", "normal: [20, 26]"))
    with tree.hq.write() as cs:
        forms.publish_template(cs, hq, text, "SOP-06.yaml")
    tree.drain()

    with lh.read() as session:
        assert session.scalars(select(FormTemplate.template_version)).all() == ["1.1"]
        assert forms.get_template(session, "SOP-06").version == "1.1"
    later = completed_sop06(lh, tech, room["id"], normal_sop06_values())
    assert later["template_version"] == "1.1"
    tree.drain()
    with tree.provinces["gd"].read() as session:
        record = session.get(FormRecord, offline["id"])
        assert record is not None and record.template_version == "1.0" and record.state == "completed"
        incident = session.scalars(select(Ticket).where(Ticket.origin == "inspection")).one()
        assert incident.data["form_record_id"] == offline["id"]
        names = {a.name for a in session.scalars(select(Attachment).where(Attachment.ref_id == offline["id"]))}
        assert names == {"A_TEMP/现场.png", "F_SIG_EXEC/signature-executor.png"}
        doc = forms.document_for(session, Actor(None, "gd", "/HQ/GD/", ("admin",)), offline["id"])
        assert doc.template.version == "1.0" and doc.signatures and doc.photos["A_TEMP"]
        assert session.get(FormRecord, later["id"]) is not None
