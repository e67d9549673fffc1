"""The record life cycle, required items, abnormal → incident, template versions."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from shared.models.forms import FormTemplate
from shared.models.tickets import Ticket
from shared.services import forms
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid
from shared.store import Store
from tests.forms.conftest import completed_sop06, normal_sop06_values, png


def test_a_normal_inspection_completes_without_incidents(county: tuple[Store, Actor], room: dict) -> None:
    store, actor = county
    record = completed_sop06(store, actor, room["id"], normal_sop06_values())
    assert record["state"] == "completed" and record["abnormal_count"] == 0
    assert record["values"]["F_CONCLUSION"] == "正常"
    assert record["values"]["L_ABNORMAL_COUNT"] == 0
    assert record["template_version"] == "1.0"
    with store.read() as session:
        assert session.scalars(select(Ticket)).all() == []


def test_missing_items_block_completion_with_their_names(county: tuple[Store, Actor], room: dict) -> None:
    store, actor = county
    values = normal_sop06_values()
    del values["A_NO_WATER"]
    with store.write(actor.user_id) as cs:
        record = forms.create_record(cs, actor, "SOP-06", room_id=room["id"])
        forms.fill_record(cs, actor, record["id"], values)
        with pytest.raises(Invalid, match="A_NO_WATER 地面无积水/漏水痕迹: required; F_SIG_EXEC 巡检人签字: required"):
            forms.complete_record(cs, actor, record["id"])


def test_an_alarm_temperature_raises_a_linked_incident(county: tuple[Store, Actor], room: dict) -> None:
    store, actor = county
    values = normal_sop06_values()
    values["A_TEMP"] = {"冷通道1": 23.0, "冷通道2": 32.5, "冷通道3": 24.0}
    values["A_CLEAN"] = "abnormal"  # only offered, not raised
    with pytest.raises(Invalid, match=r"A_TEMP .*needs a remark.*A_TEMP .*needs a photo"):
        completed_sop06(store, actor, room["id"], values)
    record = completed_sop06(store, actor, room["id"], values,
                             {"A_TEMP": "2号空调停机，冷通道2温度升高", "A_CLEAN": "有纸箱"}, photos=("A_TEMP",))
    assert record["abnormal_count"] == 2 and record["values"]["F_CONCLUSION"] == "有异常"
    with store.read() as session:
        incidents = session.scalars(select(Ticket)).all()
        assert len(incidents) == 1
        incident = incidents[0]
        assert incident.process == "incident" and incident.origin == "inspection"
        assert incident.ci_id == room["ci_id"]
        assert "主机房温度" in incident.title and "冷通道2 32.5 °C" in incident.title
        assert incident.data["form_record_id"] == record["id"] and incident.data["level"] == "alarm"
        assert len(incident.data["photo_ids"]) == 1
        assert "2号空调停机" in incident.description
        shown = forms.get_record(session, actor, record["number"])
        assert shown["incidents"] == {"A_TEMP": incident.number}
        assert shown["values"]["L_INCIDENTS"] == incident.number
    with store.write(actor.user_id) as cs:  # the warn item is offered: raised on request, once
        offered = forms.raise_incident(cs, actor, record["id"], "A_CLEAN")
        again = forms.raise_incident(cs, actor, record["id"], "A_CLEAN")
        assert offered["id"] == again["id"] and offered["priority"]
        with pytest.raises(Invalid, match="A_RH is not abnormal"):
            forms.raise_incident(cs, actor, record["id"], "A_RH")


def test_review_needs_the_reviewer_signature_and_return_reopens(county: tuple[Store, Actor], room: dict) -> None:
    store, actor = county
    record = completed_sop06(store, actor, room["id"], normal_sop06_values())
    with store.write(actor.user_id) as cs:
        with pytest.raises(Invalid, match="can no longer be edited"):
            forms.fill_record(cs, actor, record["id"], {"A_CLEAN": "ok"})
        with pytest.raises(Invalid, match="reviewer signs before approving"):
            forms.review_record(cs, actor, record["id"])
        with pytest.raises(Invalid, match="needs a reason"):
            forms.review_record(cs, actor, record["id"], approve=False)
        returned = forms.review_record(cs, actor, record["id"], approve=False, note="湿度读数缺测点3")
        assert returned["state"] == "in_progress" and "F_SIG_EXEC" not in returned["values"]
        forms.sign(cs, actor, record["id"], "executor", png())
        forms.complete_record(cs, actor, record["id"])
        forms.sign(cs, actor, record["id"], "reviewer", png())
        reviewed = forms.review_record(cs, actor, record["id"])
    assert reviewed["state"] == "reviewed" and reviewed["values"]["F_REVIEW_AT"]


def test_records_keep_their_template_version_when_hq_publishes_a_new_one(county: tuple[Store, Actor],
                                                                        room: dict) -> None:
    store, actor = county
    old = completed_sop06(store, actor, room["id"], normal_sop06_values())
    text = (forms.builtin("SOP-06").text  # type: ignore[union-attr]
            .replace('version: "1.0"', 'version: "1.1"').replace("normal: [18, 27]", "normal: [20, 26]"))
    hq = Actor(None, "hq_admin", "/HQ/", ("admin",))
    with store.write() as cs:
        with pytest.raises(Forbidden):
            forms.publish_template(cs, actor, text)
        with pytest.raises(Invalid, match="not newer"):
            forms.publish_template(cs, hq, forms.builtin("SOP-06").text)  # type: ignore[union-attr]
        with pytest.raises(Invalid, match=r"SOP-06.yaml:\d+: "):
            forms.publish_template(cs, hq, text.replace("type: NUM", "type: NUMBER", 1), "SOP-06.yaml")
        published = forms.publish_template(cs, hq, text, "SOP-06.yaml")
    assert published["owner_path"] == "/HQ/" and published["template_version"] == "1.1"
    values: dict[str, Any] = normal_sop06_values()
    values["A_TEMP"] = {"冷通道1": 26.5, "冷通道2": 23.0, "冷通道3": 23.0}
    new = completed_sop06(store, actor, room["id"], values, {"A_TEMP": "偏高"}, photos=("A_TEMP",))
    assert new["template_version"] == "1.1" and new["abnormal_count"] == 1
    with store.read() as session:
        assert forms.get_record(session, actor, old["id"])["template_version"] == "1.0"
        assert forms.document_for(session, actor, old["id"]).template.item("A_TEMP").thresholds.text().startswith(
            "18–27")
        assert session.scalars(select(FormTemplate)).one().template_version == "1.1"


def test_per_room_threshold_override(county: tuple[Store, Actor], room: dict) -> None:
    from shared.services import rooms

    store, actor = county
    with store.write(actor.user_id) as cs:
        with pytest.raises(Invalid, match="threshold override A_TEMP"):
            rooms.update_room(cs, actor, room["id"], {"thresholds": {"A_TEMP": {"normal": [24, 22]}}})
        rooms.update_room(cs, actor, room["id"], {"grade": "A", "thresholds": {"A_TEMP": {
            "normal": [22, 24], "warn": [[20, 22], [24, 26]], "alarm": ["<20", ">26"]}}})
    values = normal_sop06_values()
    values["A_TEMP"] = {"冷通道1": 26.5, "冷通道2": 23.0, "冷通道3": 23.0}  # normal by default, alarm in room A
    completed_sop06(store, actor, room["id"], values, {"A_TEMP": "A级机房超温"}, photos=("A_TEMP",))
    with store.read() as session:
        assert len(session.scalars(select(Ticket)).all()) == 1
