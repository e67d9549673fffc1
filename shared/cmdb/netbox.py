"""Import a NetBox dump (``manage.py dumpdata`` JSON, as in shared/data/netbox-demo): sites → machine
rooms, racks → racks in their room, devices → CIs placed at their U, cables → relations (connected_to
toward the upstream device, depends_on a PDU for power), clusters and VMs (runs_on).

Every CI gets a stable asset tag ``NB-<KIND>-<pk>`` when NetBox has none, so importing again updates
instead of duplicating. Runs in the caller's transaction: all or nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from shared.cmdb import racks
from shared.models.cmdb import ConfigItem
from shared.services import cmdb
from shared.services.actor import Actor
from shared.sync.capture import ChangeSet

# device role slug → (CI class, rank: lower is further upstream)
ROLES = {"router": ("network", 0), "core-switch": ("network", 1), "distribution-switch": ("network", 2),
         "access-switch": ("network", 3), "tor-switch": ("network", 3), "patch-panel": ("network", 4),
         "application-server": ("server", 5), "database-server": ("server", 5), "pdu": ("pdu", 6)}
PORT_MODELS = {"interface", "frontport", "rearport", "powerport", "poweroutlet", "consoleport", "consoleserverport"}


@dataclass
class NetboxReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    relations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    placed: int = 0
    redundant: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": dict(self.created), "updated": dict(self.updated), "relations": dict(self.relations),
                "placed": self.placed, "redundant": self.redundant, "skipped": self.skipped}


def load(path: Path) -> dict[str, dict[int, dict[str, Any]]]:
    """model → pk → fields."""
    by: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for obj in json.loads(Path(path).read_text(encoding="utf-8")):
        if "pk" in obj:  # through-tables without a key carry nothing we import
            by[obj["model"]][obj["pk"]] = obj["fields"]
    return by


class _Importer:
    def __init__(self, cs: ChangeSet, actor: Actor, owner: str, data: dict[str, dict[int, dict[str, Any]]]):
        self.cs, self.actor, self.owner, self.data = cs, actor, owner, data
        self.report = NetboxReport()
        self.ids: dict[tuple[str, int], str] = {}  # (kind, pk) → CI id
        self.uplinks: dict[int, set[int]] = defaultdict(set)

    def upsert(self, kind: str, pk: int, ci_class: str, name: str, fields: dict[str, Any]) -> str:
        tag = fields.get("asset_tag") or f"NB-{kind.upper()}-{pk}"
        fields = {k: v for k, v in {**fields, "asset_tag": tag, "source": "接口"}.items() if v not in (None, "")}
        row = self.cs.session.scalar(select(ConfigItem).where(ConfigItem.asset_tag == tag,
                                                              ConfigItem.deleted.is_(False)))
        if row is None:
            ci = cmdb.create_ci(self.cs, self.actor, ci_class, name, fields, owner_path=self.owner)
            self.report.created[ci_class] += 1
        else:
            fields.pop("status", None)
            ci = cmdb.update_ci(self.cs, self.actor, row.id, {"name": name, **fields})
            self.report.updated[ci_class] += 1
        self.ids[(kind, pk)] = ci["id"]
        return str(ci["id"])

    def link(self, source: str, target: str, rel_type: str) -> None:
        if source != target:
            cmdb.link_ci(self.cs, self.actor, source, target, rel_type)
            self.report.relations[rel_type] += 1

    def run(self) -> NetboxReport:
        d = self.data
        for pk, site in sorted(d["dcim.site"].items()):
            self.upsert("site", pk, "machine_room", site["name"], {"description": site.get("description")})
        for pk, rack in sorted(d["dcim.rack"].items()):
            rid = self.upsert("rack", pk, "rack", rack["name"], {"serial": rack.get("serial"),
                                                                 "asset_tag": rack.get("asset_tag"),
                                                                 "u_count": rack.get("u_height") or 42})
            self.link(rid, self.ids[("site", rack["site"])], "located_in")
        self._devices()
        self._cables()
        self._dual_homed()
        self._virtual()
        return self.report

    def _devices(self) -> None:
        d = self.data
        roles = {pk: r["slug"] for pk, r in d["dcim.devicerole"].items()}
        makers = {pk: m["name"] for pk, m in d["dcim.manufacturer"].items()}
        for pk, dev in sorted(d["dcim.device"].items()):
            dtype = d["dcim.devicetype"][dev["device_type"]]
            role = roles.get(dev["role"], "")
            ci_class, _rank = ROLES.get(role, ("network", 3))
            height = int(float(dtype.get("u_height") or 0))
            fields: dict[str, Any] = {
                "serial": dev.get("serial"), "asset_tag": dev.get("asset_tag"), "model": dtype["model"],
                "brand": makers.get(dtype["manufacturer"], ""), "u_height": height or None,
                "status": "在运" if dev.get("status") == "active" else "库存",
                "description": d["dcim.devicerole"].get(dev["role"], {}).get("name", ""),
            }
            if ci_class == "network":
                fields["role"] = d["dcim.devicerole"].get(dev["role"], {}).get("name", "")
            cid = self.upsert("device", pk, ci_class, dev.get("name") or f"device-{pk}", fields)
            if dev.get("rack"):
                rack_id = self.ids[("rack", dev["rack"])]
                if dev.get("position") and height:
                    racks.place(self.cs, self.actor, cid, rack_id, int(float(dev["position"])), height)
                    self.report.placed += 1
                else:
                    self.link(cid, rack_id, "located_in")
            else:
                self.link(cid, self.ids[("site", dev["site"])], "located_in")

    def _port_device(self, model: str, pk: int) -> int | None:
        port = self.data.get(f"dcim.{model}", {}).get(pk)
        return port.get("device") if port else None

    def _node(self, app: str, model: str, pk: int) -> tuple[str, int] | None:
        """A cable end as a graph node: the device of a port, or the circuit of a circuit termination."""
        if app == "circuits" and model == "circuittermination":
            term = self.data["circuits.circuittermination"].get(pk)
            return ("circuit", term["circuit"]) if term else None
        if app == "dcim" and model in PORT_MODELS:
            device = self._port_device(model, pk)
            return ("device", device) if device is not None else None
        return None

    def _cables(self) -> None:
        """Power cables: the fed device depends_on the PDU. Data cables: active devices joined through
        passive patch panels and circuits become connected_to toward the upstream device."""
        d = self.data
        roles = {pk: d["dcim.devicerole"][dev["role"]]["slug"] for pk, dev in d["dcim.device"].items()}
        ends: dict[int, dict[str, list[tuple[str, tuple[str, int]]]]] = defaultdict(lambda: defaultdict(list))
        links: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
        for term in d["dcim.cabletermination"].values():
            app, model = term["termination_type"]
            node = self._node(app, model, term["termination_id"])
            if node is not None:
                ends[term["cable"]][term["cable_end"]].append((model, node))
        for cable_pk, sides in sorted(ends.items()):
            if not sides.get("A") or not sides.get("B"):
                self.report.skipped.append(f"cable {cable_pk}: an end is on nothing imported")
                continue
            (model_a, a), (model_b, b) = sides["A"][0], sides["B"][0]
            if a == b:
                continue
            if "poweroutlet" in (model_a, model_b):
                fed, pdu = (b, a) if model_a == "poweroutlet" else (a, b)
                self.link(self.ids[fed], self.ids[pdu], "depends_on")
                continue
            links[a].add(b)
            links[b].add(a)

        def passive(node: tuple[str, int]) -> bool:
            return node[0] == "circuit" or roles.get(node[1]) == "patch-panel"

        for start in sorted(n for n in links if not passive(n)):
            seen, todo = {start}, list(links[start])
            while todo:
                other = todo.pop()
                if other in seen:
                    continue
                seen.add(other)
                if passive(other):
                    todo.extend(links[other])
                elif other > start:
                    self._connect(roles, start[1], other[1])

    def _connect(self, roles: dict[int, str], dev_a: int, dev_b: int) -> None:
        """connected_to from the downstream device to the upstream one (router ← core ← … ← server)."""
        rank_a = ROLES.get(roles.get(dev_a, ""), ("", 3))[1]
        rank_b = ROLES.get(roles.get(dev_b, ""), ("", 3))[1]
        if rank_a == rank_b:  # a peer link (core1 — core2): no direction, so no impact either way
            self.report.skipped.append(f"peer link {dev_a} — {dev_b}: not a dependency")
            return
        down, up = (dev_a, dev_b) if rank_a > rank_b else (dev_b, dev_a)
        self.link(self.ids[("device", down)], self.ids[("device", up)], "connected_to")
        self.uplinks[down].add(up)

    def _dual_homed(self) -> None:
        """A device with two or more uplinks survives while one is up (redundancy 1)."""
        for dev, ups in sorted(self.uplinks.items()):
            if len(ups) > 1:
                cmdb.update_ci(self.cs, self.actor, self.ids[("device", dev)], {"redundancy": 1})
                self.report.redundant += 1

    def _virtual(self) -> None:
        d = self.data
        hosts: dict[int, list[int]] = defaultdict(list)
        for pk, dev in d["dcim.device"].items():
            if dev.get("cluster"):
                hosts[dev["cluster"]].append(pk)
        for pk, cluster in sorted(d["virtualization.cluster"].items()):
            members = hosts.get(pk, [])
            cid = self.upsert("cluster", pk, "cluster", cluster["name"],
                              {"description": cluster.get("description"),
                               "redundancy": 1 if len(members) > 1 else None})
            for host in members:
                self.link(cid, self.ids[("device", host)], "runs_on")
        for pk, vm in sorted(d["virtualization.virtualmachine"].items()):
            fields = {"vcpu": int(vm["vcpus"]) if vm.get("vcpus") else None,
                      "memory_gb": int(vm["memory"]) // 1024 if vm.get("memory") else None,
                      "status": "在运" if vm.get("status") == "active" else "库存"}
            vid = self.upsert("vm", pk, "vm", vm["name"], fields)
            if vm.get("cluster"):
                self.link(vid, self.ids[("cluster", vm["cluster"])], "runs_on")


def import_netbox(cs: ChangeSet, actor: Actor, path: Path, owner_path: str | None = None) -> NetboxReport:
    owner = owner_path or actor.org_path
    actor.require_scope(owner)
    return _Importer(cs, actor, owner, load(path)).run()
