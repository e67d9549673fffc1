"""(m) CMDB at scale: seed a county's CMDB (core → distribution → access switches → terminals), then time
a list page in SQL (first, deep, filtered by class and location, with its count), impact analysis from
the core switch (depth 3, capped) and from one access switch, and the NetBox demo import."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Stopwatch, county_actor, figure, make_client, verdict
from shared.cmdb.impact import analyse
from shared.services import cmdb, org

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE_MS, IMPACT_MS = 100, 500


def _seed(store: Any, terminals: int) -> tuple[Any, str, str]:
    actor = county_actor()
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"), (actor.org_path, "龙华")):
            org.add_org(cs, path, name)
    access_count = max(1, terminals // 48)
    with store.write(actor.user_id) as cs:
        core = cmdb.create_ci(cs, actor, "network", "CORE-SW01", {"asset_tag": "CORE"})
        dists = [cmdb.create_ci(cs, actor, "network", f"DIST-{d:02d}", {"asset_tag": f"D{d}"}) for d in range(20)]
        for d in dists:
            cmdb.link_ci(cs, actor, d["id"], core["id"], "connected_to")
        access = []
        for a in range(access_count):
            sw = cmdb.create_ci(cs, actor, "network", f"ACC-{a:04d}", {"asset_tag": f"A{a}",
                                                                      "location": f"{a % 12 + 1}号楼弱电间"})
            cmdb.link_ci(cs, actor, sw["id"], dists[a % 20]["id"], "connected_to")
            access.append(sw)
    done = 0
    while done < terminals:  # in batches: one transaction per 2,000 CIs
        with store.write(actor.user_id) as cs:
            for i in range(done, min(terminals, done + 2000)):
                pc = cmdb.create_ci(cs, actor, "terminal", f"PC-{i:06d}", {
                    "asset_tag": f"T{i:06d}", "location": f"{i % 12 + 1}号楼", "ip": f"10.{i // 65536}."
                    f"{i // 256 % 256}.{i % 256}"})
                cmdb.link_ci(cs, actor, pc["id"], access[i % access_count]["id"], "connected_to")
        done = min(terminals, done + 2000)
    return actor, core["id"], access[0]["id"]


def _ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(quick: bool) -> dict[str, Any]:
    terminals = 5_000 if quick else 50_000
    result: dict[str, Any] = {"terminals": terminals}
    with tempfile.TemporaryDirectory(prefix="itops-bench-m-") as tmp:
        store = make_client(Path(tmp) / "county")
        with Stopwatch() as seeding:
            actor, core, access = _seed(store, terminals)
        result["seed_s"] = round(seeding.seconds, 1)
        figure("m", f"seeded {terminals:,} terminals + switches with relations in {seeding.seconds:.1f} s "
                    f"({terminals / seeding.seconds:,.0f} CIs/s through the validating service)")
        with store.read() as s:
            pages = {
                "first page": lambda: (cmdb.list_cis(s, actor, None, 200, 0), cmdb.count_cis(s, actor)),
                "deep page": lambda: cmdb.list_cis(s, actor, None, 200, terminals - 1000),
                "class + location": lambda: (cmdb.list_cis(s, actor, "terminal", 200, 0, "7号楼"),
                                             cmdb.count_cis(s, actor, "terminal", "7号楼")),
            }
            for name, fn in pages.items():
                ms = _ms(fn, 5)
                result[f"{name} ms"] = round(ms, 1)
                figure("m", f"list {name} (200 rows): {ms:.1f} ms — {verdict(ms < PAGE_MS)} (< {PAGE_MS} ms)")
            for name, root in (("core switch, depth 3, cap 50", core), ("one access switch", access)):
                res = analyse(s, [root], "down", 3, 50)
                ms = _ms(lambda root=root: analyse(s, [root], "down", 3, 50), 3)  # type: ignore[misc]
                result[f"impact {name} ms"] = round(ms, 1)
                figure("m", f"impact from the {name}: {len(res.items)} listed{' (truncated)' if res.truncated else ''}"
                            f" in {ms:.0f} ms — {verdict(ms < IMPACT_MS)} (< {IMPACT_MS} ms)")
        store.close()
        result["netbox_import_s"] = _netbox(Path(tmp))
    return result


def _netbox(tmp: Path) -> float:
    from shared.cmdb.netbox import import_netbox
    from tests.cmdb.conftest import NETBOX, make_province

    store, admin = make_province(tmp / "province")
    with Stopwatch() as watch, store.write(admin.user_id) as cs:
        report = import_netbox(cs, admin, NETBOX, "/HQ/GD/SZ/LH/")
    store.close()
    figure("m", f"NetBox demo import: {sum(report.created.values())} CIs, {sum(report.relations.values())} "
                f"relations, {report.placed} placed in racks in {watch.seconds:.1f} s")
    return round(watch.seconds, 1)
