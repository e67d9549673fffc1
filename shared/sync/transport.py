"""HTTP transport for sync: requests with timeouts, gzip bodies, retries with backoff and
jitter (never for 401/403/409), a request id per call, and byte counters."""

from __future__ import annotations

import gzip
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests
from urllib3.exceptions import HTTPError as Urllib3Error  # a body cut mid-read (IncompleteRead)

from shared.version import APP_VERSION

NO_RETRY = {400, 401, 403, 404, 409, 413, 422, 426}


class TransportError(Exception):
    """The server could not be reached (after retries) or answered nonsense."""


@dataclass
class Response:
    status: int
    body: dict[str, Any]
    sent: int = 0
    received: int = 0


class Transport(Protocol):
    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Response: ...


@dataclass
class HttpTransport:
    base_url: str
    timeout: tuple[float, float] = (5.0, 60.0)
    retries: int = 4
    backoff: float = 0.5
    session: requests.Session = field(default_factory=requests.Session)
    sleep: Any = time.sleep
    bytes_sent: int = 0
    bytes_received: int = 0

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Response:
        url = self.base_url.rstrip("/") + path
        # versions travel in the body or the query (every call carries them); headers stay small
        headers = {"X-Request-Id": uuid.uuid4().hex[:16], "Accept-Encoding": "gzip",
                   "User-Agent": f"ITOps/{APP_VERSION}", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":"))
                                 .encode("utf-8"), compresslevel=6)
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        last_error: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                resp = self.session.request(method, url, data=data, params=params, headers=headers,
                                            timeout=self.timeout, stream=True)
                raw = resp.raw.read(decode_content=False)
                received = len(raw) + _header_bytes(resp)
                if resp.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                sent = len(data or b"") + sum(len(k) + len(v) + 4 for k, v in headers.items())
                self.bytes_sent += sent
                self.bytes_received += received
                if resp.status_code >= 500 or resp.status_code == 429:
                    raise TransportError(f"server answered {resp.status_code}")
                try:
                    payload = json.loads(raw.decode("utf-8")) if raw else {}
                except ValueError:
                    raise TransportError(f"server answered {resp.status_code} with non-JSON") from None
                return Response(resp.status_code, payload, sent, received)
            except (requests.RequestException, Urllib3Error, TransportError, OSError, EOFError) as exc:
                last_error = exc
                if attempt < self.retries:
                    self.sleep(self.backoff * (2 ** attempt) * (0.5 + random.random()))
        raise TransportError(f"cannot reach {self.base_url}: {last_error}")


def download(transport: HttpTransport, path: str, dest: Path, token: str | None) -> None:
    """Fetch ``path`` into ``dest``, resuming from what ``dest`` already holds (HTTP Range)."""
    url = transport.base_url.rstrip("/") + path
    last_error: Exception | None = None
    for attempt in range(transport.retries + 1):
        have = dest.stat().st_size if dest.exists() else 0
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if have:
            headers["Range"] = f"bytes={have}-"
        try:
            with transport.session.get(url, headers=headers, stream=True, timeout=transport.timeout) as resp:
                if resp.status_code == 416:  # nothing left to fetch
                    return
                if resp.status_code not in (200, 206):
                    raise TransportError(f"snapshot download answered {resp.status_code}")
                mode = "ab" if resp.status_code == 206 else "wb"
                with open(dest, mode) as out:
                    for block in resp.raw.stream(65536, decode_content=False):
                        out.write(block)
                        transport.bytes_received += len(block)
                return
        except (requests.RequestException, Urllib3Error, TransportError, OSError) as exc:
            last_error = exc
            if attempt < transport.retries:
                transport.sleep(transport.backoff * (2 ** attempt) * (0.5 + random.random()))
    raise TransportError(f"cannot download the snapshot: {last_error}")


def _header_bytes(resp: requests.Response) -> int:
    return sum(len(k) + len(v) + 4 for k, v in resp.headers.items()) + 15
