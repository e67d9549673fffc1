"""Template versions go draft → review → published (→ retired): only published versions make new
records, a draft is edited by drafting again, a reviewer approves or rejects with a comment, and
stores from before the review states keep their templates published."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from cli.main import main
from shared.db.engine import make_engine
from shared.db.migrate import upgrade
from shared.forms.registry import builtin
from shared.services import forms, users
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.store import Store

AUTHOR = Actor("u-author", "hq_sys", "/HQ/", ("sysadmin",))
REVIEWER = Actor("u-reviewer", "hq_lead", "/HQ/", ("approver",))


def _version(new: str, normal: str = "[20, 26]") -> str:
    source = builtin("SOP-06")
    assert source is not None
    return source.text.replace('version: "1.0"', f'version: "{new}"').replace("normal: [18, 27]", f"normal: {normal}")


def test_draft_review_publish_and_only_published_versions_make_records(county: tuple[Store, Actor]) -> None:
    store, tech = county
    with store.write() as cs:
        for outsider in (tech, Actor("u-nobody", "hq_nobody", "/HQ/", ())):
            with pytest.raises(Forbidden, match="HQ staff"):
                forms.draft_template(cs, outsider, _version("1.1"))
        draft = forms.draft_template(cs, AUTHOR, _version("1.1"), "SOP-06.yaml")
        assert draft["state"] == "draft"
        edited = forms.draft_template(cs, AUTHOR, _version("1.2", "[19, 26]"), "SOP-06.yaml")  # replaces the draft
        assert edited["id"] == draft["id"] and edited["template_version"] == "1.2"
        assert forms.create_record(cs, tech, "SOP-06")["template_version"] == "1.0"  # a draft is never used
        forms.submit_template(cs, AUTHOR, "SOP-06")
        with pytest.raises(Invalid, match="under review"):
            forms.draft_template(cs, AUTHOR, _version("1.3"))
        with pytest.raises(Forbidden, match="needs the role"):
            forms.approve_template(cs, AUTHOR, "SOP-06")
        with pytest.raises(Invalid, match="needs a comment"):
            forms.reject_template(cs, REVIEWER, "SOP-06", " ")
        rejected = forms.reject_template(cs, REVIEWER, "SOP-06", "温度上限请与设计院确认")
        assert rejected["state"] == "draft"
        with pytest.raises(NotFound, match="no review version"):
            forms.approve_template(cs, REVIEWER, "SOP-06")
        forms.draft_template(cs, AUTHOR, _version("1.2", "[20, 26]"))
        forms.submit_template(cs, REVIEWER, "SOP-06", "1.2")
        with pytest.raises(Forbidden, match="submitted by you"):
            forms.approve_template(cs, REVIEWER, "SOP-06")
        approved = forms.approve_template(cs, Actor("u-admin", "hq_admin", "/HQ/", ("admin",)), "SOP-06", "1.2",
                                          "同意发布")
        assert approved["state"] == "published"
        record = forms.create_record(cs, tech, "SOP-06")
        assert record["template_version"] == "1.2"
        assert forms.get_template(cs.session, "SOP-06").item("A_TEMP").thresholds.text().startswith("20–26")
        with pytest.raises(Invalid, match="not newer"):
            forms.draft_template(cs, AUTHOR, _version("1.1"))
        with pytest.raises(Forbidden, match="needs the role"):
            forms.retire_template(cs, AUTHOR, "SOP-06", "1.2")
        forms.retire_template(cs, REVIEWER, "SOP-06", "1.2")
        assert forms.create_record(cs, tech, "SOP-06")["template_version"] == "1.0"  # back to the built-in
        assert forms.get_record(cs.session, tech, record["id"])["template_version"] == "1.2"  # kept its version
    with store.read() as session:
        trail = forms.template_versions(session, "SOP-06")[0]["reviews"]
    assert [(r["action"], r["by"], r["comment"]) for r in trail] == [
        ("draft", "hq_sys", ""), ("edit", "hq_sys", ""), ("submit", "hq_sys", ""),
        ("reject", "hq_lead", "温度上限请与设计院确认"), ("edit", "hq_sys", ""), ("submit", "hq_lead", ""),
        ("approve", "hq_admin", "同意发布"), ("retire", "hq_lead", "")]


def test_existing_template_rows_stay_published_after_the_upgrade(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/store.db")
    upgrade(engine, "0010")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO form_templates (id, owner_path, version, field_versions, deleted, created_at, updated_at,"
            " hlc, code, template_version, name, state, text) VALUES ('t1', '/HQ/', 1, '{}', false,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', 'SOP-06', '1.1', '机房巡检', 'published', 'x')"))
        conn.execute(text(
            "INSERT INTO plans (id, owner_path, version, field_versions, deleted, created_at, updated_at, hlc,"
            " number, name, plan_type, category, template_code, rule, day, shifts, start_on, working_days_only,"
            " state, affects_business, description, data) VALUES ('p1', '/HQ/GD/', 1, '{}', false,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', 'PLN-1', '巡检', 'monthly', 'inspection',"
            " 'SOP-06', 'daily', 1, '[]', '2026-01-01', false, 'active', false, '', '{}')"))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT state, data FROM form_templates")).one() == ("published", "{}")
        assert conn.execute(text("SELECT kind, targets FROM plans")).one() == ("form", "[]")
    engine.dispose()


def test_cli_drafts_submits_rejects_and_approves(county: tuple[Store, Actor], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    store, _tech = county
    with store.write() as cs:
        users.add_user(cs, "hq_sys", "password-123", "/HQ/", ["sysadmin"])
        users.add_user(cs, "hq_lead", "password-123", "/HQ/", ["approver"])
    source = tmp_path / "SOP-06.yaml"
    source.write_text(_version("1.1"), encoding="utf-8")

    def itops(user: str, *argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--store", str(tmp_path / "lh"), "--user", user])
        out, err = capsys.readouterr()
        return code, out, err

    assert itops("hq_sys", "form", "draft", str(source))[1] == "SOP-06 version 1.1 is a draft\n"
    assert itops("hq_sys", "form", "submit", "SOP-06")[1] == "SOP-06 version 1.1 is review\n"
    code, _out, err = itops("hq_sys", "form", "approve", "SOP-06")
    assert code == 2 and err == "itops: error: reviewing a template needs the role approver or admin\n"
    assert itops("hq_lead", "form", "reject", "SOP-06", "--comment", "补充说明")[1].endswith("is draft\n")
    versions = itops("hq_lead", "form", "versions")[1]
    assert "reject by hq_lead" in versions and "补充说明" in versions
    itops("hq_sys", "form", "submit", "SOP-06")
    assert itops("hq_lead", "form", "approve", "SOP-06", "--comment", "同意")[1].endswith("is published\n")
    assert "SOP-06  1.1" in itops("lh_desk", "form", "templates")[1]
