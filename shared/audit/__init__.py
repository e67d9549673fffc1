"""The audit log: append-only, hash-chained per node, synced upward to HQ.

``record(cs, actor, event, target, detail)`` appends one entry in the caller's transaction, so the entry
commits or rolls back with the action it describes. Each node chains its own entries (``node_seq`` 1, 2,
3 …; ``prev_hash`` = the previous entry's ``hash``), so entries gathered at HQ from many counties verify
per node. ``verify(session)`` walks every chain and reports the first broken link of each.

Entries cannot be edited or deleted through the ORM (a flush guard refuses it) nor through sync (the
server refuses any operation on them but ``append``); an edit made behind the application's back, in
the database file itself, is what ``verify`` finds.
"""

from __future__ import annotations

from shared.audit.chain import EVENTS, GENESIS, AuditTampered, entry_hash, record
from shared.audit.verify import Break, VerifyReport, verify

__all__ = ["EVENTS", "GENESIS", "AuditTampered", "Break", "VerifyReport", "entry_hash", "record", "verify"]
