"""``itops import servicenow-incidents FILE``: a ServiceNow incident audit export → ITOps incidents."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cli.errors import CliError
from cli.target import add_target_args, add_user_arg, opened, resolve_actor

if TYPE_CHECKING:
    from shared.importers.servicenow import ImportReport

SHOWN_DIRTY = 20


def register_import(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "servicenow-incidents", help="ServiceNow incident history (audit-log CSV or ZIP)",
        description="Import a ServiceNow incident export with one row per update (CSV, or a ZIP holding "
                    "one): one ITOps incident per number, keeping the number, with its whole state history "
                    "(one history entry per row, event times in data.at), priority from impact × urgency, "
                    "category, team, caller, org unit, timestamps (day-first dates), SLA outcome, problem "
                    "and change references and CIs. Callers, groups and locations map to users, teams and "
                    "org units through a mapping file; the first run writes a draft of it. Dirty rows "
                    "(state -100, impossible dates) are imported as history, flagged and listed in a CSV "
                    "report. Importing again creates nothing new; an interrupted import resumes.")
    parser.add_argument("file", type=Path, metavar="FILE", help="the export: .csv or .zip")
    add_target_args(parser)
    add_user_arg(parser)
    parser.add_argument("--mapping", type=Path, metavar="FILE",
                        help="the mapping file (YAML); written as a draft when missing (default: "
                             "servicenow-mapping.yaml beside the store)")
    parser.add_argument("--dry-run", action="store_true", help="read and check the file, report counts, "
                                                               "write nothing")
    parser.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is "
                                                                "not a terminal")
    parser.add_argument("--batch", type=int, default=500, metavar="N", help="incidents per transaction (500)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from shared.importers.pipeline import PipelineError
    from shared.importers.servicenow import import_incidents
    from shared.importers.servicenow_mapping import MappingError
    from shared.importers.servicenow_source import SourceError

    if not args.file.is_file():
        raise CliError(f"no file {args.file}")
    if args.batch < 1:
        raise CliError("--batch must be at least 1")
    show = args.progress or sys.stderr.isatty()
    bar = ProgressBar(sys.stderr) if show else None
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        try:
            report = import_incidents(store, args.file, actor.user_id, mapping_path=args.mapping,
                                      dry_run=args.dry_run, batch_size=args.batch,
                                      progress=bar.update if bar else None)
        except (SourceError, MappingError, PipelineError, UnicodeDecodeError) as exc:
            raise CliError(str(exc)) from None
        finally:
            if bar:
                bar.finish()
    print_report(report)
    return 0


def print_report(r: ImportReport) -> None:
    title = "dry run (nothing written)" if r.dry_run else "imported"
    print(f"ServiceNow incidents {title}: {r.source}")
    print(f"  rows {r.events:,}  incidents {r.incidents:,}")
    verb = "would create" if r.dry_run else "created"
    print(f"  tickets: {verb} {r.created:,}, updated {r.updated:,}, unchanged {r.unchanged:,}; "
          f"history entries {verb} {r.entries:,}")
    print(f"  reference data {verb}: {r.org_units} org units, {r.teams} teams, {r.users} users")
    if r.resumed_from_line:
        print(f"  resumed after line {r.resumed_from_line:,} (committed by the interrupted run)")
    if r.not_moved:
        print(f"  {len(r.not_moved)} tickets keep their org unit although the mapping now names another "
              f"(e.g. {r.not_moved[0]})")
    if r.mapping_path:
        state = "draft written to" if r.mapping_drafted else "mapping"
        print(f"  {state} {r.mapping_path}")
    print(f"  dirty rows: {len(r.dirty)}")
    for d in r.dirty[:SHOWN_DIRTY]:
        print(f"    line {d.line}: {d.number or '(no number)'} {d.column}={d.value!r}: {d.reason}")
    if len(r.dirty) > SHOWN_DIRTY:
        print(f"    … {len(r.dirty) - SHOWN_DIRTY} more")
    if r.dirty_path and r.dirty:
        print(f"  all dirty rows: {r.dirty_path}")


class ProgressBar:
    """``[#####-----]  48%  68,021/141,712 rows`` on one terminal line, redrawn at most 5 times a second."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.last = 0.0
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        share = done / total if total else 1.0
        filled = int(share * self.width)
        self.stream.write(f"\r[{'#' * filled}{'-' * (self.width - filled)}] {share:4.0%}  {done:,}/{total:,} rows")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
