"""Audit log → syslog (RFC 5424) for the security-audit platform, over UDP or TCP.

Setting ``syslog`` (``itops notify config syslog --set host=… --set port=514 --set protocol=udp``):
``host``, ``port`` (514), ``protocol`` (``udp`` | ``tcp``), ``facility`` (13, "log audit"),
``app_name`` (itops), ``hostname`` (this machine's name), ``timeout`` (5 s).

Each audit entry becomes one message::

    <109>1 2026-11-27T08:15:02.123456Z prov-gd itops - login_failed [itops@32473 node="…" seq="17"
    actor="lh_desk" target="lh_desk" org="/HQ/GD/SZ/LH/" hash="…"] \ufeff{"via": "sync", …}

The structured data carries the entry's place in its node's hash chain, so the receiving platform can
check completeness; the message is the entry's detail as JSON (UTF-8, with the BOM RFC 5424 asks for).
TCP uses octet-counting framing (RFC 6587). Entries arrive late from offline stores, so what has been
sent is a set (``syslog_exports``), not a position: nothing is skipped and nothing is sent twice
after a successful pass. A pass stops at the first network error and the next pass resumes.
"""

from __future__ import annotations

import json
import socket
from datetime import datetime
from typing import Any

from sqlalchemy import select

from shared.db.types import utcnow
from shared.integrations.settings import get_setting
from shared.models.audit import AuditEvent
from shared.models.integrations import SyslogExport

ENTERPRISE_ID = 32473  # the number RFC 5612 reserves for documentation examples
SEVERITY = {"login_failed": 4, "login_locked": 4, "token_revoked": 5, "user_disabled": 5, "role_changed": 5,
            "user_moved": 5, "deleted": 5, "restore": 5, "store_recovered": 5}
DEFAULT_SEVERITY = 6  # informational
UDP_MAX = 8192
BATCH = 500


def _sd_value(value: Any) -> str:
    return str(value if value is not None else "").replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _token(value: str, limit: int) -> str:
    """A header field: printable US-ASCII without spaces, or "-"."""
    clean = "".join(ch for ch in value if 33 <= ord(ch) <= 126)[:limit]
    return clean or "-"


def format_entry(entry: AuditEvent, cfg: dict[str, Any]) -> bytes:
    facility = int(cfg.get("facility", 13))
    pri = facility * 8 + SEVERITY.get(entry.event, DEFAULT_SEVERITY)
    hostname = _token(str(cfg.get("hostname") or socket.gethostname()), 255)
    app = _token(str(cfg.get("app_name") or "itops"), 48)
    stamp = entry.at if entry.at.endswith("Z") else _rfc3339(entry.at)
    params = {"id": entry.id, "node": entry.node_id, "seq": entry.node_seq, "actor": entry.actor,
              "target": entry.target, "org": entry.owner_path, "hash": entry.hash}
    sd = f"[itops@{ENTERPRISE_ID} " + " ".join(f'{k}="{_sd_value(v)}"' for k, v in params.items()) + "]"
    header = f"<{pri}>1 {stamp} {hostname} {app} - {_token(entry.event, 32)} {sd}"
    detail = json.dumps(entry.detail or {}, ensure_ascii=False, sort_keys=True)
    return header.encode("utf-8") + b" \xef\xbb\xbf" + detail.encode("utf-8")


def _rfc3339(text: str) -> str:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return "-"
    return parsed.isoformat().replace("+00:00", "Z")


class _Sender:
    def __init__(self, cfg: dict[str, Any]) -> None:
        self.host, self.port = str(cfg["host"]), int(cfg.get("port") or 514)
        self.protocol = str(cfg.get("protocol") or "udp").lower()
        if self.protocol not in ("udp", "tcp"):
            raise ValueError(f"syslog protocol must be udp or tcp, not {self.protocol!r}")
        timeout = float(cfg.get("timeout") or 5)
        if self.protocol == "tcp":
            self.sock = socket.create_connection((self.host, self.port), timeout=timeout)
        else:
            self.sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.settimeout(timeout)

    def send(self, message: bytes) -> None:
        if self.protocol == "tcp":
            self.sock.sendall(str(len(message)).encode("ascii") + b" " + message)
        else:
            self.sock.sendto(message[:UDP_MAX], (self.host, self.port))

    def close(self) -> None:
        self.sock.close()


def export_pending(store: Any, limit: int = BATCH) -> dict[str, Any] | None:
    """Send audit entries not sent yet (oldest first); None when syslog is not configured."""
    with store.read() as session:
        cfg = get_setting(session, "syslog")
    if not cfg.get("host"):
        return None
    sent, error = 0, ""
    with store.write() as cs:
        done = select(SyslogExport.audit_id).where(SyslogExport.audit_id == AuditEvent.id).exists()
        pending = list(cs.session.scalars(select(AuditEvent).where(~done)
                                          .order_by(AuditEvent.at, AuditEvent.node_id, AuditEvent.node_seq)
                                          .limit(limit)))
        if not pending:
            return {"sent": 0, "pending": 0}
        try:
            sender = _Sender(cfg)
        except (OSError, ValueError) as exc:
            return {"sent": 0, "error": f"syslog {cfg.get('host')}:{cfg.get('port', 514)}: {exc}"}
        try:
            now = utcnow()
            for entry in pending:
                try:
                    sender.send(format_entry(entry, cfg))
                except OSError as exc:
                    error = f"syslog {cfg.get('host')}:{cfg.get('port', 514)}: {exc}"
                    break
                cs.session.add(SyslogExport(audit_id=entry.id, exported_at=now))
                sent += 1
        finally:
            sender.close()
    return {"sent": sent, **({"error": error} if error else {})}
