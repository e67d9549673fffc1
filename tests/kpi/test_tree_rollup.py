"""The KPI tree of HQ equals the sum of its provinces, after real sync (county → province → HQ)."""

from __future__ import annotations

from pathlib import Path

from shared.kpi.calculators import Scope
from shared.kpi.engine import add_figures, compute, evaluate, roll_up
from shared.kpi.period import current_month, parse_period
from shared.services import kpi, tickets
from shared.services.actor import Actor
from tests.sync.tree import actor, add_county_store, make_tree

HQ = Actor(None, "hq", "/HQ/", ("admin",))


def test_hq_tree_is_the_sum_of_its_provinces(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}, "SC": {"CD": ["JJ"]}})
    month = current_month()
    # different volumes per province, so that averaging percentages would differ from summing fractions
    for name, province, county, count in (("lh", "gd", "/HQ/GD/SZ/LH/", 3), ("jj", "sc", "/HQ/SC/CD/JJ/", 1)):
        store = add_county_store(tree, name, province, f"{name}_tech")
        tech = actor(store, f"{name}_tech")
        with store.write(tech.user_id) as cs:
            for i in range(count):
                t = tickets.create_ticket(cs, tech, "incident", f"{name} 事件 {i}", {"impact": 2, "urgency": 2})
                tickets.transition(cs, tech, t["id"], "accept")
                if i % 2 == 0:
                    tickets.transition(cs, tech, t["id"], "resolve",
                                       {"data.resolution_code": "other", "data.solution": "重启"})
            kpi.set_manual_entry(cs, tech, county, month, "core_system_availability", 43000 + count, 43200)
    tree.drain()
    period = parse_period(month)
    provinces = {}
    for name, path in (("gd", "/HQ/GD/"), ("sc", "/HQ/SC/")):
        with tree.provinces[name].read() as s:
            provinces[path] = compute(s, Scope(path), period)
    with tree.hq.read() as s:
        rolled = roll_up(s, "/HQ/", period)
        hq_tree = evaluate(s, "/HQ/", month)
    assert set(rolled.children) == {"/HQ/GD/", "/HQ/SC/"}
    expected = add_figures(list(provinces.values()))
    for code, fig in expected.items():
        got = rolled.total[code]
        assert (got.numerator, got.denominator, got.available) == (fig.numerator, fig.denominator, fig.available), code
    fcr = rolled.total["first_line_resolution"]
    assert (fcr.numerator, fcr.denominator) == (3, 3)  # two resolved at LH, one at JJ, all by tier 1
    avail = rolled.total["core_system_availability"]
    assert (avail.numerator, avail.denominator) == (86004, 86400)
    assert {u["org"] for u in hq_tree["units"]} == {"/HQ/GD/", "/HQ/SC/"}
