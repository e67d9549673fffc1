"""The big screen served by a province server: /screen/data over HTTP, and the page in headless Chromium
at 1920×1080 and 3840×2160 showing the figures the API returns."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import requests
from PIL import Image

from shared.kpi.period import current_month
from shared.services import kpi, org, tickets, users
from shared.store import Store
from shared.sync.client import SyncClient
from shared.sync.transport import HttpTransport
from sync_server.app import create_app
from sync_server.serve import make_server
from tests.sync.tree import actor

PW = "password-123"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    root = tmp_path_factory.mktemp("screen")
    app = create_app({"DATABASE_URL": f"sqlite:///{root}/gd.db", "ITOPS_ROLE": "province", "ITOPS_ORG": "/HQ/GD/"})
    store = Store.attach(app.extensions["itops"].engine)
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华"), ("/HQ/GD/GZ/", "广州")):
            org.add_org(cs, path, name)
        users.add_user(cs, "lh_tech", PW, "/HQ/GD/SZ/LH/", ["service_desk"])
        users.add_user(cs, "gd_admin", PW, "/HQ/GD/", ["admin"])
    tech = actor(store, "lh_tech")
    with store.write(tech.user_id) as cs:
        tickets.create_ticket(cs, tech, "incident", "营销系统整体不可用", {"impact": 1, "urgency": 1})
        tickets.create_ticket(cs, tech, "incident", "打印机卡纸", {"impact": 3, "urgency": 3})
        kpi.set_manual_entry(cs, tech, "/HQ/GD/SZ/LH/", current_month(), "core_system_availability", 43000, 43200)
    srv = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=srv.run, daemon=True).start()
    client_store = Store.open_dir(root / "wall", create=True)
    client_store.init_node("client", "/HQ/GD/")
    client = SyncClient(client_store, HttpTransport(srv.url, retries=0))
    client.login(srv.url, "gd_admin", PW)
    from shared.models.sync import SyncPeer

    with client_store.read() as s:
        peer = s.get(SyncPeer, "upstream")
        assert peer is not None
        token = peer.token
    yield srv.url, token
    srv.close()


def test_screen_data_needs_a_token_and_covers_the_subtree(server: tuple[str, str]) -> None:
    url, token = server
    assert requests.get(f"{url}/screen/data", timeout=10).status_code == 401
    data = requests.get(f"{url}/screen/data", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert data["org"] == "/HQ/GD/" and [c["name"] for c in data["categories"]] == ["运行", "服务", "安全"]
    assert data["incidents"]["P1"]["open"] == 1 and data["incidents"]["P4"]["open"] == 1
    assert [m["title"] for m in data["major_incidents"]] == ["营销系统整体不可用"]
    assert {u["org"] for u in data["units"]} == {"/HQ/GD/SZ/", "/HQ/GD/GZ/"}
    assert [n["org"] for n in data["sync"]["nodes"]] == ["/HQ/GD/"]
    page = requests.get(f"{url}/screen", timeout=10)
    assert page.status_code == 200 and "集中展现平台" in page.text


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)])
def test_screen_in_headless_chromium(server: tuple[str, str], tmp_path: Path, width: int, height: int) -> None:
    url, token = server
    data = requests.get(f"{url}/screen/data", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    page = f"{url}/screen?token={token}"
    base = [str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--window-size={width},{height}", "--virtual-time-budget=10000", f"--user-data-dir={tmp_path / 'p'}"]
    dom = subprocess.run([*base, "--dump-dom", page], capture_output=True, text=True, timeout=120).stdout
    assert 'data-loaded="1"' in dom, dom[-2000:]
    score = re.search(r'id="score"[^>]*>([^<]*)<', dom)
    assert score is not None and score.group(1) == ("—" if data["score"] is None else f"{data['score']:.1f}")
    p1 = re.search(r'data-priority="P1"><td>P1</td><td>(\d+)</td>', dom)
    assert p1 is not None and int(p1.group(1)) == data["incidents"]["P1"]["open"]
    for unit in data["units"]:
        assert f'data-org="{unit["org"]}"' in dom
    assert "营销系统整体不可用" in unescape(dom) and "广东 集中展现平台" in dom
    shot = tmp_path / "screen.png"
    subprocess.run([*base, f"--screenshot={shot}", page], capture_output=True, timeout=120, check=True)
    image = Image.open(shot)
    assert image.size == (width, height)
    colours = image.convert("RGB").resize((64, 36)).getcolors(64 * 36)
    assert colours is not None and len(colours) > 8  # text and panels, not a blank page
