"""User administration: roles, moves, disabling — validated, audited with before/after, and felt by sign-in
and by sync (a disabled user's stores stop syncing until enabled again; a moved user's stores stop for
good). Services on real stores, sync through the real endpoint in-process, the CLI through cli.main."""

from __future__ import annotations

import getpass
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cli.main import main
from shared.audit import verify
from shared.audit.signin import sign_in_local
from shared.models import AuditEvent, SyncNode, Ticket, User
from shared.services import tickets, users
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.store import Store
from shared.sync.client import AuthRequired, SyncClient
from shared.sync.endpoint import LocalTransport
from tests.sync.faults import clone_tree, close_tree, scratch_dir
from tests.sync.tree import PASSWORD, Tree, actor

LH, FT = "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"


@pytest.fixture
def tree() -> Iterator[Tree]:
    with scratch_dir("itops-useradmin-") as root:
        t = clone_tree(root / "tree", counties=("lh_a", "ft"))
        yield t
        close_tree(t)


def _events(store: Store, event: str) -> list[AuditEvent]:
    with store.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.event == event).order_by(AuditEvent.node_seq)))


def _user(store: Store, username: str) -> User:
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        s.expunge(user)
        return user


# -- the services --------------------------------------------------------------------------------------
def test_roles_are_validated_replaced_and_audited_with_before_and_after(tree: Tree) -> None:
    gd = tree.provinces["gd"]
    with gd.write() as cs:
        for bad in ([], ["boss"], ["admin", "boss"]):
            with pytest.raises(Invalid, match="unknown role"):
                users.set_roles(cs, "lh_tech", bad)
        with pytest.raises(NotFound, match="no user nobody"):
            users.set_roles(cs, "nobody", ["admin"])
        row = users.set_roles(cs, "lh_tech", ["service_manager", "desktop_ops", "service_manager"])
    assert row["roles"] == ["desktop_ops", "service_manager"] == _user(gd, "lh_tech").roles
    with gd.write() as cs:
        users.set_roles(cs, "lh_tech", ["service_manager", "desktop_ops"])  # no change: nothing recorded
    [entry] = _events(gd, "role_changed")
    assert entry.target == "lh_tech"
    assert entry.detail == {"before": ["desktop_ops", "service_desk"], "after": ["desktop_ops", "service_manager"]}
    with gd.read() as s:
        assert verify(s).ok


def test_a_move_needs_an_existing_unit_of_the_same_province(tree: Tree) -> None:
    gd = tree.provinces["gd"]
    with gd.write() as cs:
        with pytest.raises(Invalid, match="does not exist"):
            users.move_user(cs, "lh_tech", "/HQ/GD/SZ/XX/")
        with pytest.raises(Invalid, match="outside /HQ/GD/"):
            users.move_user(cs, "lh_tech", "/HQ/SC/CD/JJ/")
        with pytest.raises(Invalid, match="outside /HQ/GD/"):
            users.move_user(cs, "lh_tech", "/HQ/")
        assert users.move_user(cs, "lh_tech", FT)["org_path"] == FT
    [entry] = _events(gd, "user_moved")
    assert (entry.target, entry.detail) == ("lh_tech", {"before": LH, "after": FT})
    assert _user(gd, "lh_tech").owner_path == LH  # the record stays with the unit that made it


def test_a_province_changes_only_the_users_it_keeps(tree: Tree) -> None:
    gd, hq = tree.provinces["gd"], tree.hq
    with hq.write() as cs:
        users.add_user(cs, "hq_staff", PASSWORD, "/HQ/", ["service_manager"])
    tree.sync("gd")
    with gd.write() as cs:
        for change in (lambda: users.set_roles(cs, "hq_staff", ["admin"]),
                       lambda: users.set_active(cs, "hq_staff", False)):
            with pytest.raises(Invalid, match="kept by the server of /HQ/"):
                change()
    assert _user(gd, "hq_staff").active and _user(gd, "hq_staff").roles == ["service_manager"]


def test_disabling_is_audited_and_sign_in_is_refused_until_enabled(tree: Tree) -> None:
    gd = tree.provinces["gd"]
    assert sign_in_local(gd, "lh_tech", PASSWORD).username == "lh_tech"
    with gd.write() as cs:
        users.set_active(cs, "lh_tech", False)
        users.set_active(cs, "lh_tech", False)  # already disabled: recorded once
    assert [e.detail for e in _events(gd, "user_disabled")] == [{"before": True, "after": False}]
    with pytest.raises(Forbidden, match="wrong username or password"):  # the same answer as a wrong password
        sign_in_local(gd, "lh_tech", PASSWORD)
    status, answer = tree.endpoints["gd"].dispatch("POST", "/api/v1/auth/login", {
        "username": "lh_tech", "password": PASSWORD, "node_id": "7d0c1b1e-59b4-4c41-9a1e-0d1f5a4e2b99",
        "protocol": 1}, None, None)
    assert status == 401 and answer["error"]["reason"] == "bad_login"
    with gd.write() as cs:
        users.set_active(cs, "lh_tech", True)
    assert [e.detail for e in _events(gd, "user_enabled")] == [{"before": False, "after": True}]
    assert sign_in_local(gd, "lh_tech", PASSWORD).username == "lh_tech"


# -- what sync does ------------------------------------------------------------------------------------
def _ticket(store: Store, username: str, title: str) -> str:
    me = actor(store, username)
    with store.write(me.user_id) as cs:
        return str(tickets.create_ticket(cs, me, "incident", title, {"impact": 2})["id"])


def _has_ticket(store: Store, ticket_id: str) -> bool:
    with store.read() as s:
        return s.get(Ticket, ticket_id) is not None


def test_a_disabled_users_stores_stop_syncing_and_sync_again_when_enabled(tree: Tree) -> None:
    gd = tree.provinces["gd"]
    assert tree.sync("lh_a").pulled == 0  # a no-change sync (answered by the quiet pull)
    with gd.write() as cs:
        users.set_active(cs, "lh_tech", False)
    for _ in range(2):  # nothing to push: a pull with a cursor, refused again and again (not a quiet answer)
        with pytest.raises(AuthRequired, match="disabled"):
            tree.sync("lh_a")
    ticket = _ticket(tree.counties["lh_a"], "lh_tech", "停用后的单")
    with pytest.raises(AuthRequired, match="disabled"):  # a push
        tree.sync("lh_a")
    assert not _has_ticket(gd, ticket)
    tree.sync("ft")  # other users' stores are not affected
    with gd.write() as cs:
        users.set_active(cs, "lh_tech", True)
    tree.sync("lh_a")  # the same token works again
    assert _has_ticket(gd, ticket)


def test_a_user_disabled_at_hq_stops_syncing_once_the_province_has_the_change(tree: Tree) -> None:
    with tree.hq.write() as cs:
        users.set_active(cs, "lh_tech", False)
    tree.sync("lh_a")  # the province does not know yet
    tree.sync("gd")  # HQ's edit of a GD user reaches GD, its keeper
    assert not _user(tree.provinces["gd"], "lh_tech").active
    with pytest.raises(AuthRequired, match="disabled"):
        tree.sync("lh_a")
    assert _events(tree.hq, "user_disabled")


def test_a_moved_users_old_store_stops_and_a_new_store_sees_the_new_unit(tree: Tree) -> None:
    gd, lh_a = tree.provinces["gd"], tree.counties["lh_a"]
    lh_ticket = _ticket(lh_a, "lh_tech", "龙华的单")
    ft_ticket = _ticket(tree.counties["ft"], "ft_tech", "福田的单")
    tree.sync("lh_a")
    tree.sync("ft")
    with gd.write() as cs:
        users.move_user(cs, "lh_tech", FT)
    with pytest.raises(AuthRequired, match=f"now belongs to {FT}"):
        tree.sync("lh_a")
    # signing the old store in again is refused: it holds (and has sent) the old unit's data
    with pytest.raises(Exception, match="another org unit"):
        tree.client("lh_a").login("local://gd", "lh_tech", PASSWORD)
    with scratch_dir("itops-moved-") as root:
        store = Store.open_dir(root / "new", create=True)
        store.init_node("client", FT)
        client = SyncClient(store, LocalTransport(tree.endpoints["gd"]))
        scope = client.login("local://gd", "lh_tech", PASSWORD)["scope"]
        assert scope["org_path"] == FT
        client.sync()
        assert _has_ticket(store, ft_ticket) and not _has_ticket(store, lh_ticket)
        with gd.read() as s:
            nodes = {n.org_path for n in s.scalars(select(SyncNode).where(SyncNode.user_id == _user(gd, "lh_tech").id))}
        assert nodes == {LH, FT}
        store.close()


# -- the CLI -------------------------------------------------------------------------------------------
@pytest.fixture
def server_db(tmp_path: Path) -> str:
    db = str(tmp_path / "gd.db")
    assert main(["db", "upgrade", "--db", db, "--role", "province", "--org", "/HQ/GD/"]) == 0
    for path in ("/HQ/", "/HQ/GD/", "/HQ/GD/SZ/", LH, FT):
        assert main(["org", "add", "--db", db, "--path", path, "--name", path.strip("/").split("/")[-1]]) == 0
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    assert main(["user", "add", "--db", db, "--username", "lh_tech", "--password-file", str(pw), "--org", LH,
                 "--role", "desktop_ops"]) == 0
    return db


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_cli_roles_move_disable_enable(server_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = server_db
    assert _run(capsys, "user", "roles", "--db", db, "--username", "lh_tech", "--role", "desktop_ops",
                "--role", "service_manager") == (0, "roles of lh_tech: desktop_ops -> desktop_ops, service_manager", "")
    assert _run(capsys, "user", "roles", "--db", db, "--username", "lh_tech", "--role", "service_manager",
                "--role", "desktop_ops")[1] == "lh_tech already has the roles desktop_ops, service_manager"
    assert _run(capsys, "user", "move", "--db", db, "--username", "lh_tech", "--org", FT)[1] == \
        f"moved lh_tech from {LH} to {FT} (their stores of {LH} stop syncing)"
    assert _run(capsys, "user", "disable", "--db", db, "--username", "lh_tech")[1] == \
        "disabled lh_tech (sign-in refused, their stores stop syncing)"
    assert _run(capsys, "user", "disable", "--db", db, "--username", "lh_tech")[1] == "lh_tech is already disabled"
    out = _run(capsys, "user", "list", "--db", db)[1]
    assert out.splitlines()[1].split() == ["lh_tech", "lh_tech", FT, "desktop_ops,service_manager", "no"]
    assert _run(capsys, "user", "enable", "--db", db, "--username", "lh_tech")[1] == \
        "enabled lh_tech (they may sign in and their stores sync again)"
    out = _run(capsys, "audit", "list", "--db", db)[1]
    events = ("user_enabled", "user_disabled", "user_moved", "role_changed")
    assert [line.split()[2:4] for line in out.splitlines()[1:5]] == [[e, f"cli:{getpass.getuser()}"] for e in events]


@pytest.mark.parametrize(("argv", "message"), [
    (["user", "roles", "--username", "nobody", "--role", "admin"], "itops: error: no user nobody"),
    (["user", "move", "--username", "lh_tech", "--org", "/HQ/GD/SZ/XX/"],
     "itops: error: org /HQ/GD/SZ/XX/ does not exist"),
    (["user", "move", "--username", "lh_tech", "--org", "/HQ/"],
     "itops: error: /HQ/ is outside /HQ/GD/, the province that keeps user lh_tech; disable them here and add them "
     "there"),
    (["user", "disable", "--username", "nobody"], "itops: error: no user nobody"),
])
def test_cli_errors_are_one_line(server_db: str, capsys: pytest.CaptureFixture[str], argv: list[str],
                                 message: str) -> None:
    code, out, err = _run(capsys, *argv, "--db", server_db)
    assert (code, out, err) == (2, "", message)


def test_cli_bad_role_is_refused_by_the_parser(server_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["user", "roles", "--db", server_db, "--username", "lh_tech", "--role", "boss"])
    assert exc.value.code == 2
    assert "invalid choice: 'boss'" in capsys.readouterr().err


def test_cli_refuses_a_desktop_store(capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as root:
        store = Store.open_dir(Path(root) / "s", create=True)
        store.init_node("client", LH)
        db = str(store.engine.url.database)
        store.close()
        code, _, err = _run(capsys, "user", "disable", "--db", db, "--username", "x")
    assert code == 2 and err == "itops: error: users are managed on a server database (--db), not on a desktop store"
