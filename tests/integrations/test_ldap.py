"""Directory sign-in against a real OpenLDAP (Debian slapd) started by the test, through the server's
ordinary login route: sign-in, group → role, OU → org unit, wrong password, disabled account."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from shared.integrations import ldap
from shared.integrations.settings import set_setting
from shared.models.org import User
from shared.security import hash_password
from shared.version import PROTOCOL_VERSION

from .conftest import Province
from .peers import free_port
from .slapd import BASE, SKIP_REASON, SLAPD, config, modify

pytestmark = pytest.mark.skipif(SLAPD is None, reason=SKIP_REASON)


def _login(province: Province, username: str, password: str) -> requests.Response:
    return requests.post(f"{province.url}/api/v1/auth/login", timeout=10, json={
        "username": username, "password": password, "node_id": str(uuid.uuid4()), "kind": "client",
        "protocol": PROTOCOL_VERSION})


def _user(province: Province, username: str) -> User | None:
    with province.store.read() as session:
        row = session.scalar(select(User).where(User.username == username))
        session.expunge_all()
        return row


@pytest.fixture
def configured(province: Province, directory: str) -> Province:
    with province.store.write() as cs:
        set_setting(cs.session, "ldap", config(directory))
    return province


def test_directory_sign_in_maps_groups_and_ou(configured: Province, directory: str) -> None:
    response = _login(configured, "zhangwei", "zhangwei-pass-2026")
    assert response.status_code == 200, response.text
    scope = response.json()["scope"]
    assert (scope["org_path"], sorted(scope["roles"])) == ("/HQ/GD/SZ/LH/", ["desktop_ops", "service_desk"])
    user = _user(configured, "zhangwei")
    assert user is not None and (user.full_name, user.email, user.owner_path) == \
        ("张伟", "zhangwei@gd.example.cn", "/HQ/GD/SZ/LH/")

    assert _login(configured, "zhangwei", "wrong-password").status_code == 401
    assert _login(configured, "zhangwei", "").status_code in (401, 422)  # never an anonymous bind
    assert _login(configured, "nobody", "whatever-123").status_code == 401

    # group membership changes in the directory change the roles at the next sign-in
    modify(directory, f"cn=itops-desk,ou=groups,{BASE}",
            {"member": [("MODIFY_DELETE", [f"uid=zhangwei,ou=lh,ou=sz,ou=people,{BASE}"])]})
    try:
        assert _login(configured, "zhangwei", "zhangwei-pass-2026").json()["scope"]["roles"] == ["desktop_ops"]
    finally:
        modify(directory, f"cn=itops-desk,ou=groups,{BASE}",
                {"member": [("MODIFY_ADD", [f"uid=zhangwei,ou=lh,ou=sz,ou=people,{BASE}"])]})


def test_disabled_account_and_unmapped_groups_are_refused(configured: Province, directory: str) -> None:
    assert _login(configured, "lisi", "lisi-pass-2026").status_code == 200
    dn = f"uid=lisi,ou=lh,ou=sz,ou=people,{BASE}"
    modify(directory, dn, {"employeeType": [("MODIFY_ADD", ["disabled"])]})
    try:
        assert _login(configured, "lisi", "lisi-pass-2026").status_code == 401
        user = _user(configured, "lisi")
        assert user is not None and user.password_hash is None  # the cached hash is gone
    finally:
        modify(directory, dn, {"employeeType": [("MODIFY_DELETE", ["disabled"])]})
    assert _login(configured, "wangwu", "wangwu-pass-2026").status_code == 401  # no ITOps group
    assert _user(configured, "wangwu") is None


def test_directory_down_uses_the_cached_hash_and_local_accounts_stay_local(configured: Province) -> None:
    assert _login(configured, "zhangwei", "zhangwei-pass-2026").status_code == 200
    with configured.store.write() as cs:
        set_setting(cs.session, "ldap", {**config(f"ldap://127.0.0.1:{free_port()}"), "timeout": 1})
        local = cs.session.scalar(select(User).where(User.username == "lh_desk"))
        assert local is not None
        cs.update(local, {"password_hash": hash_password("local-pass-2026")})
    assert _login(configured, "zhangwei", "zhangwei-pass-2026").status_code == 200
    assert _login(configured, "zhangwei", "wrong-password").status_code == 401
    assert _login(configured, "lh_desk", "local-pass-2026").status_code == 200


def test_configuration_is_checked() -> None:
    with pytest.raises(ldap.Invalid, match="user_filter"):
        ldap.check_config({"url": "ldap://x", "user_base": "dc=x", "user_filter": "(uid=bob)",
                           "ou_orgs": {"dc=x": "/HQ/"}})
    with pytest.raises(ldap.Invalid, match="unknown role"):
        ldap.check_config({"url": "ldap://x", "user_base": "dc=x", "user_filter": "(uid={username})",
                           "group_roles": {"g": ["wizard"]}, "ou_orgs": {"dc=x": "/HQ/"}})


def test_cli_config_and_test(configured: Province, directory: str, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import yaml

    from cli.main import main

    db = str(configured.store.url)
    good = tmp_path / "directory.yaml"
    good.write_text(yaml.safe_dump(config(directory), allow_unicode=True), encoding="utf-8")
    assert main(["ldap", "config", "--db", db, "--file", str(good)]) == 0
    assert main(["ldap", "config", "--db", db]) == 0
    shown = capsys.readouterr().out
    assert "reader-secret" not in shown and "********" in shown
    secret = tmp_path / "pw"
    secret.write_text("zhangwei-pass-2026\n", encoding="utf-8")
    assert main(["ldap", "test", "--db", db, "--user", "zhangwei", "--password-file", str(secret)]) == 0
    person = json.loads(capsys.readouterr().out)
    assert (person["org_path"], person["roles"]) == ("/HQ/GD/SZ/LH/", ["desktop_ops", "service_desk"])
    secret.write_text("nope\n", encoding="utf-8")
    assert main(["ldap", "test", "--db", db, "--user", "zhangwei", "--password-file", str(secret)]) == 2
    assert "wrong username or password" in capsys.readouterr().err


def test_an_ou_mapped_to_a_missing_org_unit_is_refused(province: Province, directory: str) -> None:
    cfg = config(directory)
    cfg["ou_orgs"] = {f"ou=lh,ou=sz,ou=people,{BASE}": "/HQ/GD/SZ/XX/"}
    with province.store.write() as cs:
        set_setting(cs.session, "ldap", cfg)
    assert _login(province, "zhangwei", "zhangwei-pass-2026").status_code == 401
    assert _user(province, "zhangwei") is None
