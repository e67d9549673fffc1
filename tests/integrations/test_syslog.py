"""Audit entries stream to syslog (RFC 5424) received by local UDP and TCP listeners and parsed."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from shared import audit
from shared.integrations.settings import set_setting
from shared.integrations.syslog import export_pending
from shared.integrations.worker import run_once
from shared.services.actor import Actor

from .conftest import ProvinceStore
from .peers import free_port

# RFC 5424: <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
LINE = re.compile(rb'^<(?P<pri>\d{1,3})>1 (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) (?P<proc>\S+) (?P<msgid>\S+) '
                  rb'(?P<sd>\[(?:[^\]\\]|\\.)*\]) \xef\xbb\xbf(?P<msg>.*)$', re.S)
PARAM = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(raw: bytes) -> dict:
    match = LINE.match(raw)
    assert match, raw
    sd = match["sd"].decode("utf-8")
    params = {k: re.sub(r"\\(.)", r"\1", v) for k, v in PARAM.findall(sd)}
    return {"pri": int(match["pri"]), "ts": match["ts"].decode(), "host": match["host"].decode(),
            "app": match["app"].decode(), "msgid": match["msgid"].decode(), "sd_id": sd[1:].split(" ", 1)[0],
            "params": params, "msg": json.loads(match["msg"].decode("utf-8"))}


@contextmanager
def udp_listener() -> Iterator[tuple[int, list[bytes]]]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                received.append(sock.recv(65535))
            except TimeoutError:
                continue
    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], received
    finally:
        stop.set()
        thread.join(2)
        sock.close()


@contextmanager
def tcp_listener() -> Iterator[tuple[int, list[bytes]]]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def frames(conn: socket.socket) -> None:
        buffer = b""
        conn.settimeout(0.2)
        while not stop.is_set():
            try:
                chunk = conn.recv(65535)
            except TimeoutError:
                continue
            if not chunk:
                break
            buffer += chunk
            while b" " in buffer:  # octet counting: "LEN SP MSG"
                length, _, rest = buffer.partition(b" ")
                if len(rest) < int(length):
                    break
                received.append(rest[:int(length)])
                buffer = rest[int(length):]
        conn.close()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            frames(conn)
    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        thread.join(2)
        server.close()


def _audit(ps: ProvinceStore, count: int) -> None:
    who = Actor(ps.users["lh_desk"], "lh_desk", "/HQ/GD/SZ/LH/", ("service_desk",))
    with ps.store.write(who.user_id) as cs:
        for i in range(count):
            audit.record(cs, who, "login_failed" if i % 2 else "login", "lh_desk",
                         {"via": "desktop", "note": f'第{i}次 "quoted" ]'})


def _wait(received: list[bytes], n: int) -> None:
    import time

    deadline = time.monotonic() + 5
    while len(received) < n and time.monotonic() < deadline:
        time.sleep(0.05)


def test_udp_messages_parse_as_rfc5424_and_are_sent_once(province_store: ProvinceStore) -> None:
    ps = province_store
    assert export_pending(ps.store) is None  # not configured: nothing to do
    with udp_listener() as (port, received):
        with ps.store.write() as cs:
            set_setting(cs.session, "syslog", {"host": "127.0.0.1", "port": port, "protocol": "udp",
                                               "hostname": "prov-gd", "facility": 13})
        _audit(ps, 4)
        result = run_once(ps.store)  # the worker pass exports too
        _wait(received, 4)
        assert result["syslog"] == {"sent": 4}
        assert export_pending(ps.store) == {"sent": 0, "pending": 0}
        _audit(ps, 1)
        assert export_pending(ps.store) == {"sent": 1}
        _wait(received, 5)
    messages = [parse(raw) for raw in received]
    assert len(messages) == 5
    first, second = messages[0], messages[1]
    assert (first["pri"], second["pri"]) == (13 * 8 + 6, 13 * 8 + 4)  # login info, login_failed warning
    assert (first["host"], first["app"], first["msgid"], first["sd_id"]) == ("prov-gd", "itops", "login",
                                                                             "itops@32473")
    assert first["ts"].endswith("Z") and first["params"]["actor"] == "lh_desk"
    assert first["params"]["org"] == "/HQ/GD/" and len(first["params"]["hash"]) == 64
    assert [int(m["params"]["seq"]) for m in messages] == sorted(int(m["params"]["seq"]) for m in messages)
    assert first["msg"] == {"note": '第0次 "quoted" ]', "via": "desktop"}


def test_tcp_octet_counting_and_resume_after_an_outage(province_store: ProvinceStore) -> None:
    ps = province_store
    port = free_port()
    with ps.store.write() as cs:
        set_setting(cs.session, "syslog", {"host": "127.0.0.1", "port": port, "protocol": "tcp", "timeout": 1})
    _audit(ps, 3)
    down = export_pending(ps.store)
    assert down is not None and down["sent"] == 0 and "refused" in down["error"].lower()
    with tcp_listener() as (tcp_port, received):
        with ps.store.write() as cs:
            set_setting(cs.session, "syslog", {"host": "127.0.0.1", "port": tcp_port, "protocol": "tcp"})
        assert export_pending(ps.store) == {"sent": 3}
        _wait(received, 3)
    assert [parse(raw)["msgid"] for raw in received] == ["login", "login_failed", "login"]
