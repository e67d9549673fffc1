"""``itops ci``: create, link, show, list (CIs named by id or asset tag)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run


def test_ci_create_link_show_list(county: Path, itops: Callable[..., Run]) -> None:
    store = ("--store", county)
    server = itops("ci", "create", *store, "--class", "server", "--name", "LH-APP01",
                   "--field", "asset_tag=LH-90001", "--field", "ip=10.21.1.90",
                   "--field", "os=银河麒麟V10", "--json").ok().json()
    assert server["attributes"] == {"os": "银河麒麟V10"} and server["status"] == "在运"
    system = itops("ci", "create", *store, "--class", "business_system", "--name", "龙华值班管理系统",
                   "--field", "asset_tag=LH-90002", "--json").ok().json()
    out = itops("ci", "link", *store, "LH-90002", server["id"], "--type", "runs_on").ok().out
    assert "runs_on" in out

    shown = itops("ci", "show", *store, "LH-90001", "--json").ok().json()
    assert [(r["source_id"], r["target_id"], r["rel_type"]) for r in shown["relations"]] == [
        (system["id"], server["id"], "runs_on")]
    assert "龙华值班管理系统" in itops("ci", "show", *store, "LH-90001").ok().out

    systems = itops("ci", "list", *store, "--class", "business_system", "--json").ok().json()
    assert [c["name"] for c in systems] == ["龙华值班管理系统"]
    assert len(itops("ci", "list", *store, "--all", "--json").ok().json()) > 50


def test_ci_errors(demo_tree: Path, itops: Callable[..., Run]) -> None:
    store = ("--store", demo_tree / "county-lh")
    itops("ci", "link", *store, "LH-00001", "LH-00001", "--type", "runs_on").user_error(
        "cannot relate to itself")
    itops("ci", "show", *store, "GD-00001").user_error("no configuration item GD-00001")


# -- import / export / lifecycle / impact / 履历 / collect, through cli.main.main on a fresh county store --

import csv as _csv  # noqa: E402
import json as _json  # noqa: E402

import pytest  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import select as _select  # noqa: E402

from cli.main import main  # noqa: E402
from shared.models.audit import AuditEvent  # noqa: E402
from shared.services import org as _org  # noqa: E402
from shared.services import users as _users  # noqa: E402
from shared.store import Store  # noqa: E402


@pytest.fixture
def lh(tmp_path: Path) -> Path:
    store = Store.open_dir(tmp_path / "lh", create=True)
    store.init_node("client", "/HQ/GD/SZ/LH/")
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华")):
            _org.add_org(cs, path, name)
        _users.add_user(cs, "lh_admin", "password-123", "/HQ/GD/SZ/LH/", ["admin"])
    store.close()
    return tmp_path / "lh"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        _csv.writer(f).writerows(rows)
    return path


def test_import_dry_run_rejects_bad_rows_and_leaves_file_and_store(lh: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_csv(tmp_path / "bad.csv", [
        ["类别", "名称", "资产编号", "内存(GB)", "设备IP"],
        ["终端", "PC-1", "LH-T1", "16", "10.1.1.1"],
        ["终端", "PC-2", "LH-T1", "8", "10.1.1.2"],       # duplicate asset tag in the file
        ["terminal", "PC-3", "LH-T3", "很多", "10.1.1.3"],  # wrong type
        ["冰箱", "X", "LH-T4", "", ""],                    # unknown class
    ])
    before = bad.read_bytes()
    code, out, _err = run(capsys, "import", "cis", bad, "--store", lh, "--map", "设备IP=ip", "--dry-run", "--json")
    report = _json.loads(out)
    assert code == 0 and report["create"] == 1 and report["reject"] == 3 and not report["imported"]
    reasons = {r["row"]: r["reason"] for r in report["rows"] if r["action"] == "reject"}
    assert "repeats row 2" in reasons[3] and "not a valid float" in reasons[4] and "unknown CI class" in reasons[5]
    code, out, err = run(capsys, "import", "cis", bad, "--store", lh, "--map", "设备IP=ip")
    assert code == 2 and err.startswith("itops: error: 3 rows rejected") and "nothing imported" in err
    assert bad.read_bytes() == before
    code, out, _ = run(capsys, "ci", "list", "--store", lh, "--all", "--json")
    assert _json.loads(out) == []


def test_import_then_export_round_trip_xlsx(lh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_csv(tmp_path / "good.csv", [
        ["class", "name", "asset_tag", "serial", "ip", "os", "状态"],
        ["terminal", "PC-1", "LH-T1", "S1", "10.1.1.1", "统信UOS 20", "在运"],
        ["printer", "PRN-1", "LH-P1", "S2", "10.1.1.9", "", "库存"],
    ])
    code, out, _ = run(capsys, "import", "cis", good, "--store", lh)
    assert code == 0 and out.startswith("2 CIs were created, 0 updated")
    xlsx = tmp_path / "cis.xlsx"
    assert run(capsys, "export", "cis", xlsx, "--store", lh)[1].strip() == f"exported 2 CIs to {xlsx}"
    ws = load_workbook(xlsx).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("asset_tag", "ci_class", "name", "status")
    assert {r[0] for r in rows[1:]} == {"LH-T1", "LH-P1"}
    store = Store.open_dir(lh)  # the export is on the audit log: who, which file, how many rows
    with store.read() as session:
        exported = session.scalars(_select(AuditEvent).where(AuditEvent.event == "exported")).one()
    store.close()
    assert exported.target == "cis.xlsx" and exported.detail["rows"] == 2 and exported.detail["kind"] == "cis"
    code, out, _ = run(capsys, "import", "cis", xlsx, "--store", lh, "--dry-run")
    assert out.startswith("0 CIs would be created, 0 updated, 2 unchanged, 0 rejected")


def test_lifecycle_impact_history_place_via_cli(lh: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    store = ("--store", lh)
    for cls, name, tag, extra in (("machine_room", "龙华机房", "R1", []), ("rack", "A01", "K1", []),
                                  ("network", "LH-SW", "SW1", []), ("server", "LH-SRV", "S1", ["status=库存"])):
        assert run(capsys, "ci", "create", *store, "--class", cls, "--name", name, "--field", f"asset_tag={tag}",
                   *[x for e in extra for x in ("--field", e)])[0] == 0
    assert run(capsys, "ci", "link", *store, "K1", "R1", "--type", "located_in")[0] == 0
    assert run(capsys, "ci", "link", *store, "S1", "SW1", "--type", "connected_to")[0] == 0
    code, out, _ = run(capsys, "ci", "place", *store, "S1", "K1", "7", "--height", "2")
    assert code == 0 and "龙华机房 A01 U07-U08" in out
    code, _out, err = run(capsys, "ci", "place", *store, "SW1", "K1", "8")
    assert code == 2 and "A01 U8 is taken by LH-SRV" in err
    code, out, _ = run(capsys, "ci", "lifecycle", *store, "S1")
    assert "commission_start (投运申请)" in out and "decommission" not in out
    code, _out, err = run(capsys, "ci", "lifecycle", *store, "S1", "commission")
    assert code == 2 and "not allowed for LH-SRV in state 库存" in err
    run(capsys, "ci", "lifecycle", *store, "S1", "commission_start", "--field", "reason=上线",
        "--field", "responsible=张工")
    pdf = tmp_path / "r.pdf"
    code, out, _ = run(capsys, "ci", "lifecycle", *store, "S1", "commission", "--field", "documents=all",
                       "--field", "acceptance=all", "--field", "commissioned_on=2026-11-27",
                       "--field", "responsible=张工", "--pdf", pdf)
    assert code == 0 and "投运中 → 在运" in out and pdf.read_bytes().startswith(b"%PDF")
    code, out, _ = run(capsys, "ci", "impact", *store, "SW1", "--json")
    assert [i["name"] for i in _json.loads(out)["items"]] == ["LH-SRV"]
    code, out, _ = run(capsys, "ci", "history", *store, "S1")
    assert code == 0 and "投运申请" in out and "投运" in out and "上架" in out and "建档" in out
