"""自动采集: read this computer (psutil, platform) and create or update its terminal CI.

A re-collection that differs from the CMDB is not written silently: it comes back as differences to
confirm (an authorised change, ``confirm=True``) or to report as an unauthorised change (an incident
naming the CI, ``report=True``) — reference.md §2.6: 自动采集 → 比对 → 差异待确认 → 更新 / 未授权变更事件.
"""

from __future__ import annotations

import platform
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from shared.db.types import utcnow
from shared.models.cmdb import ConfigItem
from shared.services import cmdb
from shared.services.actor import Actor
from shared.sync.capture import ChangeSet

COMPARED = ("os", "cpu", "memory_gb", "disks", "interfaces", "ip", "serial")
SERIAL_FILES = ("/sys/class/dmi/id/product_serial", "/sys/class/dmi/id/board_serial")


def collect_facts() -> dict[str, Any]:
    import psutil

    addrs = psutil.net_if_addrs()
    interfaces, first_ip = [], ""
    for name in sorted(addrs):
        ipv4 = [a.address for a in addrs[name] if a.family == socket.AF_INET]
        macs = [a.address for a in addrs[name] if a.family == psutil.AF_LINK and a.address]
        if name == "lo" or (ipv4 and ipv4[0].startswith("127.")):
            continue
        interfaces.append(f"{name} {','.join(ipv4) or '-'} {macs[0].upper() if macs else '-'}")
        first_ip = first_ip or (ipv4[0] if ipv4 else "")
    disks = []
    for part in psutil.disk_partitions(all=False):
        try:
            size = psutil.disk_usage(part.mountpoint).total
        except OSError:
            continue
        disks.append(f"{part.mountpoint} {size / 1024 ** 3:.0f}GB")
    mac = next((i.split()[-1] for i in interfaces if i.split()[-1] != "-"), "")
    return {
        "hostname": socket.gethostname(),
        "os": f"{platform.system()} {platform.release()}".strip(),
        "cpu": f"{_cpu_name()} ×{psutil.cpu_count(logical=True)}",
        "memory_gb": round(psutil.virtual_memory().total / 1024 ** 3, 1),
        "disks": "; ".join(sorted(set(disks))),
        "interfaces": "; ".join(interfaces),
        "ip": first_ip,
        "mac": mac if len(mac) == 17 else "",
        "serial": _serial(),
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _serial() -> str:
    for name in SERIAL_FILES:
        try:
            value = Path(name).read_text().strip()
        except OSError:
            continue
        if value and value.lower() not in ("none", "to be filled by o.e.m.", "default string", "0"):
            return value
    return ""  # not readable without privileges here (Windows: WMI, left to the installer's service)


@dataclass
class CollectResult:
    ci_id: str
    name: str
    created: bool = False
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (CMDB, collected)
    applied: bool = False
    incident: str = ""


def find_terminal(cs: ChangeSet, facts: dict[str, Any]) -> ConfigItem | None:
    stmt = select(ConfigItem).where(ConfigItem.deleted.is_(False), ConfigItem.ci_class == "terminal")
    if facts.get("serial"):
        row = cs.session.scalar(stmt.where(ConfigItem.serial == facts["serial"]))
        if row is not None:
            return row
    return cs.session.scalar(stmt.where(ConfigItem.name == facts["hostname"]))


def record(cs: ChangeSet, actor: Actor, facts: dict[str, Any], confirm: bool = False, report: bool = False,
           ) -> CollectResult:
    stamp = utcnow().isoformat(timespec="seconds")
    row = find_terminal(cs, facts)
    values = {k: v for k, v in facts.items() if v not in (None, "") and k != "hostname"}
    if row is None:
        ci = cmdb.create_ci(cs, actor, "terminal", facts["hostname"],
                            {**values, "hostname": facts["hostname"], "source": "自动采集", "collected_at": stamp})
        return CollectResult(ci_id=ci["id"], name=ci["name"], created=True)
    current = {**(row.attributes or {}), "ip": row.ip, "serial": row.serial}
    diff = {k: (current.get(k), values[k]) for k in COMPARED if k in values and str(current.get(k) or "") !=
            str(values[k])}
    result = CollectResult(ci_id=row.id, name=row.name, differences=diff)
    update: dict[str, Any] = {"collected_at": stamp}
    if diff and confirm:
        update.update({k: new for k, (_old, new) in diff.items()})
        result.applied = True
    cmdb.update_ci(cs, actor, row.id, update)
    if diff and report and not confirm:
        from shared.services.tickets import create_ticket

        lines = "\n".join(f"{k}: {old or '—'} → {new}" for k, (old, new) in sorted(diff.items()))
        ticket = create_ticket(cs, actor, "incident", f"未授权变更：{row.name} 配置与CMDB不一致",
                               {"description": f"自动采集发现以下差异（未经变更审批）：\n{lines}", "ci_id": row.id,
                                "category": "配置", "origin": "自动采集"}, owner_path=row.owner_path)
        result.incident = ticket["number"]
    return result
