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
