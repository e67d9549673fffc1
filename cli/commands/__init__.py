"""Command groups; each module exposes ``register(subparsers)`` and sets ``func`` on its parsers."""

from cli.commands import (
    audit,
    backup,
    ci,
    cmdb_io,
    db,
    demo,
    desktop,
    docs,
    events,
    export,
    form,
    imports,
    kpi,
    ldap,
    notify,
    org,
    pdf,
    plan,
    report,
    room,
    server,
    sync,
    task,
    ticket,
    user,
)

MODULES = (demo, org, user, ticket, ci, cmdb_io, export, imports, db, sync, desktop, server, audit, backup, task,
           kpi, events, notify, form, pdf, room, plan, docs, report, ldap)
