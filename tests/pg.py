"""A throw-away PostgreSQL server for the test session.

Debian's PostgreSQL refuses to run as root, and CI runs as root: as root the cluster lives in a
temporary folder owned by the ``postgres`` user and every server binary runs through
``runuser -u postgres``; as anyone else the binaries run as the current user.

The server listens on a free port on 127.0.0.1 (and a Unix socket inside its folder), with
durability turned off for speed. A small watchdog process stops it and removes its folder if the
test process dies without cleaning up (SIGKILL, a crash), so no postmaster is ever left behind.

Set ``ITOPS_TEST_PG_URL`` (for example ``postgresql+psycopg://postgres@127.0.0.1:5432/``) to use an
existing server instead; the user in it must be allowed to create databases.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

PG_USER = "postgres"
_START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bindir() -> Path:
    """The newest PostgreSQL ``bin`` folder that has ``initdb``, ``pg_ctl`` and ``postgres``."""
    needed = ("initdb", "pg_ctl", "postgres")

    def complete(d: Path) -> bool:
        return all(os.access(d / name, os.X_OK) for name in needed)

    override = os.environ.get("ITOPS_PG_BINDIR")
    if override:
        if complete(Path(override)):
            return Path(override)
        raise PostgresUnavailable(f"ITOPS_PG_BINDIR={override} has no initdb/pg_ctl/postgres")

    def version_key(d: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", d.parent.name)) or (0,)

    candidates = [d for d in Path("/usr/lib/postgresql").glob("*/bin") if complete(d)]
    if candidates:
        return max(candidates, key=version_key)
    # Other layouts (Homebrew, Fedora, a source build): initdb on PATH.
    initdb = shutil.which("initdb")
    if initdb and complete(Path(initdb).resolve().parent):
        return Path(initdb).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); "
        "on Debian: apt-get install postgresql (make setup does this)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def conninfo(url: str) -> str:
    """psycopg connection string for an SQLAlchemy-style URL (driver suffix allowed)."""
    u = make_url(url)
    return psycopg.conninfo.make_conninfo(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or PG_USER,
        password=u.password or None,
        dbname=u.database or "postgres",
    )


def _admin_connect(base_url: str) -> psycopg.Connection:
    return psycopg.connect(conninfo(base_url.rstrip("/") + "/postgres"), autocommit=True)


def create_database(base_url: str, name: str | None = None) -> str:
    """Create a new empty UTF-8 database; return its full URL (``base_url`` + name)."""
    name = name or f"test_{uuid.uuid4().hex}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"unsafe database name {name!r}")
    with _admin_connect(base_url) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return base_url.rstrip("/") + "/" + name


def drop_database(url: str) -> None:
    """Drop the database of ``url``, first terminating every connection to it."""
    u = make_url(url)
    name = u.database
    if not name or name in ("postgres", "template0", "template1"):
        raise ValueError(f"refusing to drop {name!r}")
    base = url[: url.rindex("/") + 1]
    with _admin_connect(base) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class PostgresServer:
    """One private PostgreSQL cluster: ``start()``, use ``base_url``, ``stop()``."""

    bindir: Path = field(default_factory=find_bindir)
    port: int = 0
    base: Path | None = None
    _watchdog: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/"

    @property
    def datadir(self) -> Path:
        assert self.base is not None
        return self.base / "data"

    @property
    def sockdir(self) -> Path:
        assert self.base is not None
        return self.base / "sock"

    @property
    def logfile(self) -> Path:
        assert self.base is not None
        return self.base / "server.log"

    # -- running the binaries ---------------------------------------------------------------

    @staticmethod
    def _as_root() -> bool:
        return os.geteuid() == 0

    def _cmd(self, tool: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / tool), *args]
        if self._as_root():
            return ["runuser", "-u", PG_USER, "--", *cmd]
        return cmd

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        # cwd: the postgres user may not be able to enter the caller's folder (e.g. /root).
        # stdin/stdout/stderr are never inherited: a postmaster holding our pipes would hang us.
        proc = subprocess.run(
            self._cmd(tool, *args),
            cwd=self.base,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"{tool} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
                f"\n--- server log ---\n{self._log_tail()}"
            )
        return proc

    def _log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> str:
        if self._as_root():
            try:
                pw = pwd.getpwnam(PG_USER)
            except KeyError:
                raise RuntimeError(
                    f"running as root but there is no '{PG_USER}' user to run PostgreSQL as "
                    "(Debian's postgresql package creates it)"
                ) from None
            if not shutil.which("runuser"):
                raise RuntimeError("running as root but runuser (util-linux) is missing")
            # The postgres user must be able to reach the folder: not under /root or a private TMPDIR.
            parent = os.environ.get("ITOPS_PG_TMPDIR", "/tmp")
        else:
            pw = None
            parent = os.environ.get("ITOPS_PG_TMPDIR") or tempfile.gettempdir()

        self.base = Path(tempfile.mkdtemp(prefix="itops-pg-", dir=parent))
        try:
            self.sockdir.mkdir()
            if pw is not None:
                for p in (self.base, self.sockdir):
                    os.chown(p, pw.pw_uid, pw.pw_gid)
            self._initdb()
            self._start_watchdog()
            last_error: Exception | None = None
            for _ in range(_START_ATTEMPTS):  # another process may grab the free port first
                self.port = _free_port()
                try:
                    self._pg_ctl_start()
                    break
                except RuntimeError as exc:
                    last_error = exc
            else:
                raise RuntimeError(f"PostgreSQL did not start: {last_error}")
        except BaseException:
            self.stop()
            raise
        return self.base_url

    def _initdb(self) -> None:
        common = ["-D", str(self.datadir), "-A", "trust", "-U", PG_USER, "--encoding=UTF8", "--no-sync"]
        proc = self._run("initdb", *common, "--locale=C.UTF-8", check=False)
        if proc.returncode != 0:  # no C.UTF-8 locale on this system
            shutil.rmtree(self.datadir, ignore_errors=True)
            self._run("initdb", *common, "--locale=C")

    def _pg_ctl_start(self) -> None:
        opts = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.sockdir}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-o", opts, "-w", "-t", "60", "start"
        )

    def _start_watchdog(self) -> None:
        """Stop the server and remove its folder once this process is gone, however it ended."""
        stop = shlex.join(self._cmd("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop"))
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
            f"cd / ; {stop} >/dev/null 2>&1; rm -rf {shlex.quote(str(self.base))}"
        )
        self._watchdog = subprocess.Popen(
            ["/bin/sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # survive Ctrl-C sent to pytest's process group
        )

    def running(self) -> bool:
        if self.base is None or not self.datadir.exists():
            return False
        return self._run("pg_ctl", "-D", str(self.datadir), "status", check=False).returncode == 0

    def stop(self) -> None:
        if self.base is None:
            return
        try:
            if (self.datadir / "postmaster.pid").exists():
                proc = self._run(
                    "pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "-t", "30", "stop", check=False
                )
                if proc.returncode != 0 and (self.datadir / "postmaster.pid").exists():
                    self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop", check=False)
        finally:
            if self._watchdog is not None:
                self._watchdog.kill()
                self._watchdog.wait()
                self._watchdog = None
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the base URL of a running server (ends with ``/``; append a database name)."""
    external = os.environ.get("ITOPS_TEST_PG_URL")
    if external:
        yield external if external.endswith("/") else external + "/"
        return
    server = PostgresServer()
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


if __name__ == "__main__":  # manual check: python -m tests.pg
    with postgres_server() as url:
        db = create_database(url)
        with psycopg.connect(conninfo(db)) as c:
            row = c.execute("select version()").fetchone()
            print(url, row[0] if row else None, file=sys.stderr)
        drop_database(db)
