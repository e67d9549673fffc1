"""``itops events`` and ``itops notify`` on a province database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cli.main import main
from shared.integrations.mapping import default_document
from shared.integrations.payloads import parse
from shared.services import events

from .conftest import ProvinceStore
from .peers import smtp_server


def _db(ps: ProvinceStore) -> str:
    return str(ps.store.url)


def test_keys_mapping_events_and_worker(province_store: ProvinceStore, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    ps, db = province_store, _db(province_store)
    assert main(["events", "key", "add", "--db", db, "--name", "zbx-sz", "--org", "/HQ/GD/SZ/"]) == 0
    key = capsys.readouterr().out.splitlines()[-1]
    assert key.startswith("itk_")
    assert main(["events", "key", "add", "--db", db, "--name", "zbx-sz", "--org", "/HQ/GD/SZ/"]) == 2
    assert "already exists" in capsys.readouterr().err

    table = default_document()
    table["matrix"]["major"]["high"] = [1, 1]
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    bad.write_text("severities: {a: nonsense}\n", encoding="utf-8")
    assert main(["events", "mapping", "--db", db, "--file", str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert main(["events", "mapping", "--db", db, "--file", str(good)]) == 0
    capsys.readouterr()

    with ps.store.write() as cs:
        row = events.authenticate_key(cs.session, key)
        assert row is not None
        [result] = events.ingest(cs, row, parse({"event_id": "9", "event_value": "1", "event_severity": "High",
                                                 "host_name": "LH-CORE-SW01", "event_name": "端口 down"}))
    assert result["priority"] == "P1"  # the stored table: major × high → 1, 1
    assert main(["events", "list", "--db", db, "--ci", "LH-CORE-SW01", "--json"]) == 0
    [logged] = json.loads(capsys.readouterr().out)
    assert (logged["source"], logged["outcome"]) == ("zbx-sz", "opened")

    with smtp_server() as (port, box):
        assert main(["notify", "config", "smtp", "--db", db, "--set", "host=127.0.0.1", "--set", f"port={port}",
                     "--set", "password=s3cret"]) == 0
        assert "s3cret" not in capsys.readouterr().out
        assert main(["notify", "run", "--db", db, "--once"]) == 0
        summary = json.loads(capsys.readouterr().out)
    assert summary["deliveries"]["sent"] == 2 and summary["deliveries"]["retry"] == 2  # SMS not configured
    assert sorted(m["To"] for m in box.messages) == ["lh_desk@lh.example.cn", "lh_ops@lh.example.cn"]
    assert main(["notify", "log", "--db", db, "--status", "pending", "--json"]) == 0
    pending = json.loads(capsys.readouterr().out)
    assert {p["channel"] for p in pending} == {"sms"} and "not configured" in pending[0]["last_error"]

    assert main(["notify", "prefs", "--db", db, "--for", "lh_ops", "--user", "lh_ops",
                 "--channels", "monitoring=email", "--quiet", "22:00-07:00"]) == 0
    prefs = json.loads(capsys.readouterr().out)
    assert prefs["effective"]["monitoring"] == ["email"] and prefs["quiet_start"] == "22:00"
    assert main(["notify", "list", "--db", db, "--user", "lh_ops", "--mark-read"]) == 0
    assert "端口 down" in capsys.readouterr().out
    assert main(["notify", "list", "--db", db, "--user", "lh_ops", "--unread"]) == 0
    assert "(no notifications)" in capsys.readouterr().out
