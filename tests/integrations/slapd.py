"""A real OpenLDAP server (Debian slapd) with a small directory, for the directory sign-in tests."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .peers import free_port

SLAPD = shutil.which("slapd") or ("/usr/sbin/slapd" if Path("/usr/sbin/slapd").exists() else None)
SKIP_REASON = "slapd is not installed (Debian package slapd; scripts/ensure-system-deps.sh installs it)"
BASE = "dc=gd,dc=example,dc=cn"
ROOT = f"cn=admin,{BASE}"
CONF = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
suffix "{base}"
rootdn "{root}"
rootpw root-secret
directory {dir}/data
"""


def _add(conn: Any, dn: str, classes: list[str], attrs: dict[str, Any]) -> None:
    assert conn.add(dn, classes, attrs), (dn, conn.result)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import ldap3

    assert SLAPD is not None
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    (folder / "slapd.conf").write_text(CONF.format(dir=folder, base=BASE, root=ROOT), encoding="utf-8")
    url = f"ldap://127.0.0.1:{free_port()}"
    log = (folder / "slapd.log").open("w")
    proc = subprocess.Popen([SLAPD, "-f", str(folder / "slapd.conf"), "-h", f"{url}/", "-d", "0"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        conn = None
        for _ in range(100):
            try:
                conn = ldap3.Connection(ldap3.Server(url), ROOT, "root-secret", auto_bind=True)
                break
            except ldap3.core.exceptions.LDAPException:
                time.sleep(0.1)
        assert conn is not None, (folder / "slapd.log").read_text()
        _add(conn, BASE, ["dcObject", "organization"], {"o": "广东电网", "dc": "gd"})
        for ou in ("ou=people", "ou=sz,ou=people", "ou=lh,ou=sz,ou=people", "ou=groups"):
            _add(conn, f"{ou},{BASE}", ["organizationalUnit"], {"ou": ou.split(",")[0][3:]})
        _add(conn, f"cn=itops-reader,{BASE}", ["organizationalRole", "simpleSecurityObject"],
             {"userPassword": "reader-secret"})
        for uid, name in (("zhangwei", "张伟"), ("lisi", "李四"), ("wangwu", "王五")):
            _add(conn, f"uid={uid},ou=lh,ou=sz,ou=people,{BASE}", ["inetOrgPerson"],
                 {"cn": name, "sn": name[0], "mail": f"{uid}@gd.example.cn", "telephoneNumber": "13900000001",
                  "userPassword": f"{uid}-pass-2026"})
        lh = f"ou=lh,ou=sz,ou=people,{BASE}"
        for group, members in (("itops-desk", ["zhangwei", "lisi"]), ("itops-ops", ["zhangwei"]),
                               ("wifi-users", ["wangwu"])):
            _add(conn, f"cn={group},ou=groups,{BASE}", ["groupOfNames"],
                 {"member": [f"uid={m},{lh}" for m in members]})
        conn.unbind()
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def config(url: str) -> dict[str, Any]:
    return {"url": url, "bind_dn": f"cn=itops-reader,{BASE}", "bind_password": "reader-secret",
            "user_base": f"ou=people,{BASE}", "user_filter": "(&(objectClass=inetOrgPerson)(uid={username}))",
            "group_base": f"ou=groups,{BASE}", "group_filter": "(member={dn})",
            "group_roles": {"itops-desk": ["service_desk"], "itops-ops": ["desktop_ops"]},
            "ou_orgs": {f"ou=people,{BASE}": "/HQ/GD/", f"ou=lh,ou=sz,ou=people,{BASE}": "/HQ/GD/SZ/LH/"},
            "disabled_filter": "(employeeType=disabled)", "timeout": 3}


def modify(url: str, dn: str, changes: dict[str, Any]) -> None:
    import ldap3

    conn = ldap3.Connection(ldap3.Server(url), ROOT, "root-secret", auto_bind=True)
    assert conn.modify(dn, changes), conn.result
    conn.unbind()
