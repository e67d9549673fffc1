"""Which database a command works on (``--store DIR`` or ``--db URL``), and who is acting.

The acting user of ticket and CI commands is ``--user USERNAME`` when given. Otherwise it is the
administrator highest in the store's own subtree (the county admin on a county store, the province
admin on a province database), or failing that the first user of the store's own org unit.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic.util import CommandError
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cli.errors import CliError
from cli.paths import default_store_dir
from shared.db.engine import normalise_url
from shared.models.org import User
from shared.services.actor import Actor, actor_for
from shared.services.users import find_user
from shared.store import Store
from shared.sync.capture import ChangeSet
from shared.sync.node import load_state

T = TypeVar("T")
NO_NODE_HINT = "run `itops db upgrade --db URL --role province --org /HQ/XX/` (servers) or `itops demo`"


def add_target_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--store", metavar="DIR", type=Path,
                       help=f"a desktop store folder (default: {default_store_dir()})")
    group.add_argument("--db", metavar="URL",
                       help="a server database: SQLAlchemy URL (postgresql://…, sqlite:///…) or SQLite file")


def store_command(sub: argparse._SubParsersAction, name: str, help_text: str,
                  func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """A sub-command that works on a store or database as a user: --store/--db, --user and --json."""
    text = help_text.replace("%%", "%")  # the help list formats "%%"; the description is printed as is
    parser = sub.add_parser(name, help=help_text, description=text[0].upper() + text[1:] + ".")
    add_target_args(parser)
    add_user_arg(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=func)
    return parser


def add_db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", required=True,
                        help="a server database: SQLAlchemy URL (postgresql://…, sqlite:///…) or SQLite file")


def add_user_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="USERNAME",
                        help="act as this user (default: the store's top administrator in scope)")


def display_url(url: str) -> str:
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def open_db(url: str, create: bool = False) -> Store:
    """Open (and migrate) a server database; a missing SQLite file is an error unless ``create``."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        if not create:
            raise CliError(f"no database at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return Store(url)
    except DBAPIError as exc:
        raise CliError(f"cannot open database {display_url(url)}: {exc.orig}") from None
    except CommandError as exc:
        raise CliError(f"cannot upgrade database {display_url(url)}: {exc}") from None


def open_store(args: argparse.Namespace) -> Store:
    db = getattr(args, "db", None)
    if db:
        return open_db(db)
    try:
        return Store.open_dir(getattr(args, "store", None) or default_store_dir())
    except DBAPIError as exc:
        raise CliError(f"cannot open the ITOps store: {exc.orig}") from None


@contextmanager
def opened(args: argparse.Namespace, need_node: bool = True) -> Iterator[Store]:
    """The store named by ``--store`` / ``--db``, closed afterwards."""
    store = open_store(args)
    try:
        if need_node:
            require_node(store)
        yield store
    finally:
        store.close()


def require_node(store: Store) -> dict[str, str]:
    try:
        return store.node()
    except RuntimeError:
        raise CliError(f"{display_url(store.url)} has no node identity; {NO_NODE_HINT}") from None


def require_server(store: Store, what: str) -> None:
    """Org units and users are written on servers only: a desktop push of them would be refused."""
    if require_node(store)["role"] == "client":
        raise CliError(f"{what} are managed on a server database (--db), not on a desktop store")


def add_owner_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", metavar="PATH", help="the owning org unit (default: the acting user's; "
                                                      "on a desktop store, never above the store's own)")


def owner_for(store: Store, actor: Actor, requested: str | None) -> str | None:
    """The owner of a new record. On a desktop store an ancestor's user (a province admin signed in
    at a county) creates county records: rows above the store's org would be refused on push."""
    node = require_node(store)
    scope = node["org_path"]
    if node["role"] == "client" and not (requested or actor.org_path).startswith(scope):
        if requested:
            raise CliError(f"{requested} is outside this desktop store's scope {scope}")
        return scope
    return requested  # None: the service's default, the actor's org unit


def acting_user(session: Session, username: str | None) -> Actor:
    if username:
        return actor_for(session, find_user(session, username).id)
    scope = load_state(session).org_path
    candidates = list(session.scalars(
        select(User).where(User.deleted.is_(False), User.active.is_(True), User.org_path.startswith(scope))
        .order_by(User.username)))
    admins = sorted((u for u in candidates if "admin" in (u.roles or ())),
                    key=lambda u: (u.org_path.count("/"), u.username))
    local = [u for u in candidates if u.org_path == scope]
    chosen = next(iter(admins or local), None)
    if chosen is None:
        raise CliError(f"no user to act as in {scope}; add one (itops user add) or pass --user USERNAME")
    return Actor(chosen.id, chosen.username, chosen.org_path, tuple(chosen.roles or ()))


def resolve_actor(store: Store, username: str | None) -> Actor:
    with store.read() as session:
        return acting_user(session, username)


def write_as_actor(args: argparse.Namespace, action: Callable[[ChangeSet, Actor, Store], T]) -> T:
    """Open the store named by the arguments, act as ``--user`` (or the default actor), and run
    ``action`` in one write transaction."""
    with opened(args) as store:
        actor = resolve_actor(store, getattr(args, "user", None))
        with store.write(actor.user_id) as cs:
            return action(cs, actor, store)


def operator() -> str:
    """Who the audit log names for an administrative change made with the CLI: the operating-system account."""
    return f"cli:{getpass.getuser()}"
