"""The entry point itself: --version, --help everywhere, the error policy, desktop and server hand-off.

Most of these run ``cli.main.main`` in this process (fast); the policy is the same code either way.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from cli import main as cli_main
from shared.version import APP_VERSION
from tests.cli.conftest import REPO, Run


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def test_every_command_has_help() -> None:
    parsers = {p.prog: p for p in _parsers(cli_main.build_parser())}
    for prog, parser in parsers.items():
        assert "usage: " + prog in parser.format_help()
    expected = ("demo", "org add", "org list", "user add", "user passwd", "user list", "ticket create",
                "ticket update", "ticket transition", "ticket show", "ticket list", "ci create", "ci update",
                "ci link", "ci show", "ci list", "export", "db upgrade", "db current", "desktop", "server")
    for name in expected:
        assert parsers[f"itops {name}"].description, f"itops {name} has no description"


def test_version_and_help_as_a_process(itops: Callable[..., Run]) -> None:
    assert itops("--version").ok().out.startswith(f"itops {APP_VERSION} ")
    out = itops("ticket", "create", "--help").ok().out
    assert "--field NAME=VALUE" in out and "--process" in out


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "itops"
    if not script.exists():
        pytest.skip("the itops console script is not installed next to this Python")
    proc = subprocess.run([script, "ticket", "list", "--store", tmp_path], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert proc.returncode == 2 and proc.stderr.startswith("itops: error: no ITOps store at")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = cli_main.main(argv)
    except SystemExit as exc:  # argparse: --help, usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str, prefix: str = "itops: error: ") -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(prefix) and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(("argv", "fragment"), [
    (["ticket"], "required: COMMAND"),
    (["ticket", "list", "--bogus"], "unrecognized arguments: --bogus"),
    (["ticket", "show", "--store", "{county}", "INC-NOPE"], "no ticket INC-NOPE"),
    (["ticket", "list", "--store", "{county}", "--user", "nobody"], "no user nobody"),
    (["ticket", "list", "--store", "{county}", "--limit", "-1"], "must be 0 or more"),
    (["ticket", "create", "--store", "{county}", "--title", "x", "--field", "impact=9"], "impact"),
    (["ticket", "create", "--store", "{county}", "--title", " "], "needs a title"),
    (["ticket", "create", "--store", "{county}", "--process", "nope", "--title", "x"], "unknown process"),
    (["ticket", "list", "--store", "{county}", "--process", "nope"], "unknown process 'nope'"),
    (["ci", "link", "--store", "{county}", "A", "B", "--type", "owns"], "invalid choice"),
    (["ci", "update", "--store", "{county}", "LH-00001", "--field", "x y=1"], "bad --field"),
    (["org", "list", "--db", "postgresql://nobody@127.0.0.1:1/none"], "cannot open database"),
    (["db", "upgrade", "--db", "{tmp}/x.db", "--org", "/HQ/GD/"], "--org needs --role"),
    (["db", "upgrade", "--db", "{tmp}/x.db", "--role", "province", "--org", "/HQ/GD/SZ/"], "must look like"),
    (["user", "list", "--db", "{tmp}/none.db"], "no database at"),
    (["org", "add", "--store", "{county}", "--path", "/HQ/GD/SZ/LH/X/", "--name", "x"], "on a server database"),
    (["ticket", "create", "--store", "{county}", "--user", "gd_admin", "--org", "/HQ/GD/", "--title", "x"],
     "outside this desktop store's scope /HQ/GD/SZ/LH/"),
    (["server", "--db", "{hq}", "--role", "province"], "is the hq node of /HQ/"),
    (["server", "--db", "{tmp}/x.db", "--port", "99999"], "not a port number"),
    (["export", "--store", "{county}", "-o", "{tmp}/no/such/dir/out.jsonl"], "No such file or directory"),
])
def test_user_errors_are_one_line(argv: list[str], fragment: str, demo_tree: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    paths = {"county": str(demo_tree / "county-lh"), "hq": str(demo_tree / "hq.db"), "tmp": str(tmp_path)}
    code, _out, err = _run([a.format(**paths) for a in argv], capsys)
    assert code == 2
    assert fragment in _one_line(err)


def test_unexpected_errors_are_one_line_too(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from cli.commands import org

    def boom(_args: argparse.Namespace) -> int:
        raise KeyError("surprise")

    monkeypatch.setattr(org, "run_list", boom)
    code, _out, err = _run(["org", "list"], capsys)
    assert code == 1
    assert _one_line(err, "itops: internal error: ") == "itops: internal error: KeyError: 'surprise'"


def test_desktop_hands_over_to_the_desktop_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[list[str] | None] = []
    fake = types.ModuleType("desktop.app")
    fake.main = lambda argv: calls.append(argv)  # type: ignore[attr-defined, func-returns-value]
    monkeypatch.setitem(sys.modules, "desktop.app", fake)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    argv = ["--store", str(tmp_path), "--lang", "en", "-platform", "offscreen"]
    code, _out, _err = _run(["desktop", *argv], capsys)
    assert code == 0 and calls == [argv]

    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    code, _out, err = _run(["desktop"], capsys)
    if sys.platform.startswith("linux"):
        assert code == 2 and "no display" in _one_line(err)


def test_server_serves_until_sigterm_with_its_worker(demo_tree: Path, tmp_path: Path) -> None:
    db = Path(tmp_path / "province.db")
    db.write_bytes((demo_tree / "province-gd.db").read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "server", "--db", str(db), "--port", "0",
                             "--worker-interval", "0.2"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("ITOps server (province) listening on http://127.0.0.1:"), line
        url = line.rsplit(" ", 1)[1]
        assert requests.get(f"{url}/api/openapi.json", timeout=10).status_code == 200
        # The built-in worker runs passes: the demo's overdue tickets make SLA notices once, then none.
        passes = _worker_passes(proc, 2)
        made = [int(line.split(":")[2].split(";")[0]) for line in passes]
        assert made[0] > 0 and made[1] == 0, passes
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _worker_passes(proc: subprocess.Popen[str], count: int) -> list[str]:
    """The next ``count`` pass summaries the server's worker prints ("worker: notifications made: N; …")."""
    assert proc.stdout is not None
    found: list[str] = []
    for line in proc.stdout:
        if line.startswith("worker: notifications made"):
            found.append(line.strip())
            if len(found) == count:
                break
    return found
