"""``python -m bench [--quick] [--only a,b,…] [--json FILE]``: run the benchmarks and print the figures.

Sync: (a) client apply of a large initial pull vs bare sqlite3; (b) province merge of pushed single-field
updates on SQLite and PostgreSQL; (c) bytes on the wire per update and for a no-change sync; (d) a day
of county work over a 64 kbit/s link with latency and cuts; (l) 200 desktops' no-change syncs against
`itops server` beside a bare Flask hello. Data: (i) import of the ServiceNow incident
log; (s) lists, search and KPIs over a 200,000-ticket province (built first unless ITOPS_LARGE_DIR holds
one); (f) SOP form PDFs; (m) CMDB lists, impact and the NetBox import; (k) the KPI engine.
A missed target is printed as "TARGET MISSED" and does not change the exit status (an error does).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SAWarning

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # bench imports tests.pg and tests.e2e.proxy


SUITES = ("a", "b", "c", "d", "l", "i", "s", "f", "m", "k", "w")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every benchmark")
    parser.add_argument("--only", default=",".join(SUITES), help=f"comma-separated subset of {','.join(SUITES)}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    args = parser.parse_args(argv)
    import warnings

    warnings.filterwarnings("ignore", category=SAWarning)  # see tests/e2e/test_bugs.py (pull isolation)

    from bench import apply, cmdb, day, desktop, forms, kpi, load, merge, scale, wire

    suites = {"a": apply.run, "b": merge.run, "c": wire.run, "d": day.run, "l": load.run, "i": scale.run_import,
              "s": scale.run_search, "f": forms.run, "m": cmdb.run, "k": kpi.run, "w": desktop.run}
    chosen = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in chosen if k not in suites]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    print(f"ITOps benchmarks{' (quick)' if args.quick else ''}: Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          f"at start, {platform.platform()}", flush=True)
    results: dict[str, Any] = {"quick": args.quick}
    for key in chosen:
        start = time.monotonic()
        results[key] = suites[key](args.quick)
        print(f"    ({key} took {time.monotonic() - start:.0f} s)", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
