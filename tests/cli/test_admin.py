"""``itops org``, ``itops user`` and ``itops db`` on server databases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shared.db.migrate import head_revision
from shared.services.users import authenticate
from shared.store import Store
from tests.cli.conftest import Run


def test_db_upgrade_on_a_fresh_sqlite_file(tmp_path: Path, itops: Callable[..., Run]) -> None:
    db = tmp_path / "new" / "province.db"
    itops("db", "current", "--db", db).user_error("no database at")
    head = head_revision()
    assert f"schema at {head} (head)" in itops("db", "upgrade", "--db", db).ok().out
    assert itops("db", "current", "--db", db).ok().out.splitlines() == [
        f"{head} (head)", "node: none (itops db upgrade --role … gives it one)"]
    itops("db", "upgrade", "--db", db, "--role", "province").user_error("needs --org")
    assert "node identity: province /HQ/ZJ/" in itops("db", "upgrade", "--db", f"sqlite:///{db}", "--role",
                                                     "province", "--org", "/HQ/ZJ/").ok().out
    itops("db", "upgrade", "--db", db, "--role", "hq").user_error("already the province node of /HQ/ZJ/")
    assert "node: province /HQ/ZJ/ " in itops("db", "current", "--db", db).ok().out


def test_org_add_and_list(province_db: Path, itops: Callable[..., Run]) -> None:
    out = itops("org", "add", "--db", province_db, "--path", "/HQ/GD/SZ/BA/", "--name", "宝安供电局",
                "--name-en", "Bao'an Power Supply Bureau").ok().out
    assert out.strip() == "added county /HQ/GD/SZ/BA/ 宝安供电局"
    orgs = itops("org", "list", "--db", province_db, "--json").ok().json()
    added = next(o for o in orgs if o["path"] == "/HQ/GD/SZ/BA/")
    assert (added["level"], added["parent_path"], added["owner_path"], added["version"]) == (
        "county", "/HQ/GD/SZ/", "/HQ/GD/SZ/", 1)
    assert [o["path"] for o in orgs] == sorted(o["path"] for o in orgs) and len(orgs) == 9
    itops("org", "add", "--db", province_db, "--path", "/HQ/GD/XX/YY/", "--name", "x").user_error(
        "parent org /HQ/GD/XX/ does not exist")
    itops("org", "add", "--db", province_db, "--path", "hq/gd", "--name", "x").user_error(
        "org path must look like")
    table = itops("org", "list", "--db", province_db).ok().out
    assert "宝安供电局" in table and "龙华供电局" in table


def test_user_add_list_passwd(province_db: Path, tmp_path: Path, itops: Callable[..., Run]) -> None:
    password = tmp_path / "pw.txt"
    password.write_text("ba-desk-初始口令\nsecond line is ignored\n", encoding="utf-8")
    out = itops("user", "add", "--db", province_db, "--username", "ba_desk", "--password-file", password,
                "--org", "/HQ/GD/SZ/", "--role", "service_desk", "--role", "inspector",
                "--full-name", "宋佳").ok().out
    assert "ba_desk (宋佳)" in out and "inspector, service_desk" in out
    users = itops("user", "list", "--db", province_db, "--org", "/HQ/GD/SZ/", "--json").ok().json()
    added = next(u for u in users if u["username"] == "ba_desk")
    assert added["roles"] == ["inspector", "service_desk"] and "password_hash" not in added
    assert {u["org_path"] for u in users} <= {"/HQ/GD/SZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"}
    _assert_login(province_db, "ba_desk", "ba-desk-初始口令")

    password.write_text("  new-secret-2026  \n", encoding="utf-8")
    itops("user", "passwd", "--db", province_db, "--username", "ba_desk", "--password-file", password).ok()
    _assert_login(province_db, "ba_desk", "new-secret-2026")

    itops("user", "passwd", "--db", province_db, "--username", "ba_desk", "--password-file",
          tmp_path / "missing.txt").user_error("password file", "missing.txt", "does not exist")
    itops("user", "add", "--db", province_db, "--username", "x1", "--password-file", tmp_path / "nope",
          "--org", "/HQ/GD/", "--role", "admin").user_error("does not exist")
    itops("user", "add", "--db", province_db, "--username", "ba_desk", "--password-file", password,
          "--org", "/HQ/GD/SZ/", "--role", "admin").user_error("user ba_desk already exists")


def _assert_login(db: Path, username: str, password: str) -> None:
    store = Store(str(db))
    try:
        with store.read() as session:
            assert authenticate(session, username, password).username == username
    finally:
        store.close()
