"""Sign-in through the company directory (OpenLDAP or Active Directory) with ldap3.

The server's ``ldap`` setting (``itops ldap config --file directory.yaml``; example in
shared/resources/integrations/ldap-example.yaml) says where the directory is and how its groups and OUs
map to ITOps roles and org units — data, not code:

* ``url``, ``start_tls``, ``timeout``; ``bind_dn`` / ``bind_password`` of a read-only service account
  (empty: anonymous search);
* ``user_base``, ``user_filter`` ("(uid={username})", AD: "(sAMAccountName={username})");
* ``attributes``: which directory attributes fill full_name, email, phone;
* ``group_base`` + ``group_filter`` ("(member={dn})"), or ``member_of`` (AD: the user's memberOf);
* ``group_roles``: group CN (or full DN) → ITOps roles; a person with no mapped group may not sign in;
* ``ou_orgs``: DN suffix (an OU) → org path; the longest matching suffix wins;
* ``disabled_filter``: matched against the user's own entry, e.g. AD
  "(userAccountControl:1.2.840.113556.1.4.803:=2)", OpenLDAP "(pwdAccountLockedTime=*)".

On a successful bind the ITOps user is created or brought up to date (roles, org unit, name, contacts)
and the password's hash is cached in the server database (never synced), so the ordinary sign-in path
— and later the desktop's offline sign-in — accepts it. When the directory refuses a directory account
(wrong password, disabled, no mapped group) the cached hash is dropped, so a disabled person cannot
keep signing in with an old password. When the directory cannot be reached, the cached hash is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from shared.db.types import utcnow
from shared.models.integrations import DirectoryAccount
from shared.models.org import ROLES, User
from shared.security import hash_password
from shared.services.errors import Forbidden, Invalid
from shared.sync.capture import ChangeSet


class DirectoryUnavailable(RuntimeError):
    """The directory could not be asked (down, TLS, timeout): not the person's fault."""


class DirectoryRefused(Forbidden):
    """The directory said no: wrong password, disabled account, or no ITOps role for the person."""


@dataclass(frozen=True)
class DirectoryPerson:
    username: str
    dn: str
    full_name: str
    email: str
    phone: str
    groups: tuple[str, ...]
    roles: tuple[str, ...]
    org_path: str


def check_config(cfg: dict[str, Any]) -> None:
    for name in ("url", "user_base", "user_filter"):
        if not cfg.get(name):
            raise Invalid(f"the directory setting {name} is missing")
    if "{username}" not in cfg["user_filter"]:
        raise Invalid("user_filter must contain {username}")
    for group, roles in (cfg.get("group_roles") or {}).items():
        bad = [r for r in (roles if isinstance(roles, list) else [roles]) if r not in ROLES]
        if bad:
            raise Invalid(f"group_roles {group}: unknown role {', '.join(bad)}; roles: {', '.join(ROLES)}")
    if not cfg.get("ou_orgs"):
        raise Invalid("ou_orgs must map at least one OU to an org unit")
    for ou, path in cfg["ou_orgs"].items():
        if not str(path).startswith("/") or not str(path).endswith("/"):
            raise Invalid(f"ou_orgs {ou}: an org path looks like /HQ/GD/SZ/LH/")


def _server(cfg: dict[str, Any]) -> Any:
    import ldap3

    return ldap3.Server(cfg["url"], connect_timeout=float(cfg.get("timeout") or 5), get_info=ldap3.NONE)


def _connection(cfg: dict[str, Any], user: str | None, password: str | None) -> Any:
    import ldap3

    conn = ldap3.Connection(_server(cfg), user=user, password=password,
                            receive_timeout=int(cfg.get("timeout") or 5), raise_exceptions=False, read_only=True)
    if cfg.get("start_tls"):
        conn.open()
        conn.start_tls()
    return conn


def lookup(cfg: dict[str, Any], username: str, password: str) -> DirectoryPerson:
    """Bind as the person and read their groups; raises DirectoryRefused or DirectoryUnavailable."""
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars

    check_config(cfg)
    if not password:  # an empty password would be an anonymous ("unauthenticated") bind that succeeds
        raise DirectoryRefused("wrong username or password")
    try:
        service = _connection(cfg, cfg.get("bind_dn") or None, cfg.get("bind_password") or None)
        if not service.bind():
            raise DirectoryUnavailable(f"the directory refused the service account: {service.result['description']}")
        attrs = cfg.get("attributes") or {}
        wanted = [a for a in (attrs.get("full_name", "cn"), attrs.get("email", "mail"),
                              attrs.get("phone", "telephoneNumber")) if a]
        if cfg.get("member_of"):
            wanted.append("memberOf")
        service.search(cfg["user_base"], cfg["user_filter"].replace("{username}", escape_filter_chars(username)),
                       attributes=wanted)
        entries = list(service.entries)
        if len(entries) != 1:
            raise DirectoryRefused("wrong username or password")
        entry = entries[0]
        dn = entry.entry_dn
        if cfg.get("disabled_filter"):
            service.search(dn, cfg["disabled_filter"], search_scope="BASE", attributes=[])
            if service.entries:
                raise DirectoryRefused("the directory account is disabled")
        person = _connection(cfg, dn, password)
        if not person.bind():
            raise DirectoryRefused("wrong username or password")
        person.unbind()
        groups = _groups(service, cfg, dn, entry)
        service.unbind()
    except LDAPException as exc:
        raise DirectoryUnavailable(f"the directory at {cfg['url']} cannot be reached: {exc}") from None

    def value(name: str, default: str = "") -> str:
        attr = attrs.get(name, {"full_name": "cn", "email": "mail", "phone": "telephoneNumber"}[name])
        raw = entry[attr].value if attr and attr in entry else None
        return str(raw[0] if isinstance(raw, list) else raw) if raw else default

    roles = _roles(cfg, groups)
    if not roles:
        raise DirectoryRefused("your directory groups give no ITOps role; ask an administrator")
    org_path = _org(cfg, dn)
    if org_path is None:
        raise DirectoryRefused("your directory OU is not mapped to an ITOps org unit; ask an administrator")
    return DirectoryPerson(username, dn, value("full_name", username), value("email"), value("phone"),
                           tuple(groups), roles, org_path)


def _groups(conn: Any, cfg: dict[str, Any], dn: str, entry: Any) -> list[str]:
    from ldap3.utils.conv import escape_filter_chars

    if cfg.get("member_of"):
        return [str(g) for g in (entry["memberOf"].values if "memberOf" in entry else [])]
    if not cfg.get("group_base"):
        return []
    flt = str(cfg.get("group_filter") or "(member={dn})").replace("{dn}", escape_filter_chars(dn))
    conn.search(cfg["group_base"], flt, attributes=["cn"])
    return [e.entry_dn for e in conn.entries]


def _cn(dn: str) -> str:
    first = dn.split(",", 1)[0]
    return first.split("=", 1)[1] if "=" in first else first


def _roles(cfg: dict[str, Any], groups: list[str]) -> tuple[str, ...]:
    table = {str(k).lower(): (v if isinstance(v, list) else [v]) for k, v in (cfg.get("group_roles") or {}).items()}
    roles: set[str] = set()
    for dn in groups:
        roles.update(table.get(dn.lower(), []))
        roles.update(table.get(_cn(dn).lower(), []))
    return tuple(sorted(r for r in roles if r in ROLES))


def _org(cfg: dict[str, Any], dn: str) -> str | None:
    norm = ",".join(part.strip() for part in dn.lower().split(","))
    best: tuple[int, str] | None = None
    for ou, path in (cfg.get("ou_orgs") or {}).items():
        suffix = ",".join(part.strip() for part in str(ou).lower().split(","))
        if (norm == suffix or norm.endswith("," + suffix)) and (best is None or len(suffix) > best[0]):
            best = (len(suffix), str(path))
    return best[1] if best else None


# -- provisioning ---------------------------------------------------------------------------------
def provision(cs: ChangeSet, person: DirectoryPerson, password: str) -> User:
    """Create or update the ITOps user from the directory and cache the password's hash locally."""
    from shared.services.org import get_org

    if get_org(cs.session, person.org_path) is None:
        raise DirectoryRefused(f"the org unit {person.org_path} mapped from your OU does not exist here")
    user = cs.session.scalar(select(User).where(User.username == person.username))
    values = {"full_name": person.full_name, "org_path": person.org_path, "roles": list(person.roles),
              "email": person.email, "phone": person.phone, "active": True}
    if user is None:
        user = cs.create(User, person.org_path, {"username": person.username, **values})
    else:
        if user.deleted:
            cs.restore(user)
        if user.owner_path != person.org_path:
            values.pop("org_path")  # moving a person between units is an administrator's decision
        cs.update(user, values)
    cs.update(user, {"password_hash": hash_password(password)})
    account = cs.session.get(DirectoryAccount, person.username)
    if account is None:
        account = DirectoryAccount(username=person.username, dn=person.dn, user_id=user.id, groups=[])
        cs.session.add(account)
    account.dn, account.user_id, account.groups = person.dn, user.id, list(person.groups)
    account.last_sign_in, account.refused_at, account.refusal = utcnow(), None, ""
    return user


def refuse(cs: ChangeSet, username: str, reason: str) -> None:
    """The directory refused a known directory account: drop the cached hash so it cannot be used."""
    account = cs.session.get(DirectoryAccount, username)
    if account is None:
        return
    account.refused_at, account.refusal = utcnow(), reason[:200]
    user = cs.session.get(User, account.user_id)
    if user is not None and user.password_hash:
        cs.update(user, {"password_hash": None})


def sign_in(cs: ChangeSet, cfg: dict[str, Any], username: str, password: str) -> str:
    """Before the ordinary password check: ``"directory"`` (provisioned, the hash now matches),
    ``"refused"`` (the directory said no), ``"unavailable"`` (directory down: the cached hash decides),
    or ``"local"`` (no directory configured, or a local-only account)."""
    if not cfg.get("url"):
        return "local"
    from shared.security import LockedOut, check_lockout

    try:  # a locked-out name must not keep binding (it would lock the directory account too)
        check_lockout(cs.session, username)
    except LockedOut:
        return "local"
    local_only = cs.session.scalar(select(User).where(User.username == username)) is not None and \
        cs.session.get(DirectoryAccount, username) is None and not cfg.get("take_over_local")
    if local_only:
        return "local"
    try:
        person = lookup(cfg, username, password)
    except DirectoryRefused as exc:
        refuse(cs, username, str(exc))
        return "refused"
    except DirectoryUnavailable:
        return "unavailable"
    try:
        provision(cs, person, password)
    except DirectoryRefused as exc:  # e.g. the OU maps to an org unit this server does not have
        refuse(cs, username, str(exc))
        return "refused"
    return "directory"
