"""The documentation cannot drift from the code: the API reference is what scripts/apidoc.py generates
from the server's OpenAPI document now, every ``itops …`` command line quoted in the guides parses with
the real CLI parser, and every image and page the guides point to exists."""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.util
import io
import re
import shlex
from pathlib import Path

import pytest

from cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GUIDES = sorted((DOCS / "guide").glob("*.md"))
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"(?<!`)`(itops [^`]+)`(?!`)")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s#]+)(?:#[^)]*)?\)")
MAX_IMAGE_BYTES = 150 * 1024


def command_lines(text: str) -> list[str]:
    """``itops`` command lines: in fenced blocks (``$ itops …`` or ``itops …``) and inline code spans.
    An inline span with "…" is an abbreviation, not a command. An inline span with no option names a
    command (`itops form photo`): it must exist, so it is checked as ``… --help``."""
    found = []
    for block in FENCE.findall(text):
        lines = block.splitlines()
        prompted = any(line.startswith("$ ") for line in lines)  # then the other lines are output
        for line in lines:
            if prompted and not line.startswith("$ "):
                continue
            line = line.removeprefix("$ ").strip()
            if line.startswith("itops "):
                found.append(line)
    for span in INLINE.findall(text):
        if "…" not in span:
            named_only = not any(token.startswith("-") for token in shlex.split(span))
            found.append(f"{span} --help" if named_only else span)
    return found


@functools.cache
def parser() -> argparse.ArgumentParser:
    return build_parser()  # built once: parsing never changes it


def parse_error(line: str) -> str | None:
    """None if the line parses with the CLI's parser (nothing runs), else what argparse said."""
    argv = shlex.split(line)[1:]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            args, extra = parser().parse_known_args(argv)
    except SystemExit as exc:
        return None if exc.code == 0 else out.getvalue().strip() or f"exit {exc.code}"
    if extra and args.command != "desktop":  # as cli.main.main: only the desktop passes options on to Qt
        return f"unrecognized arguments: {' '.join(extra)}"
    return None


def test_the_guides_exist_in_both_languages() -> None:
    names = {p.name for p in GUIDES}
    assert {"user.zh.md", "user.en.md", "admin.zh.md", "admin.en.md"} <= names


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_quoted_command_parses(guide: Path) -> None:
    lines = command_lines(guide.read_text(encoding="utf-8"))
    assert len(lines) >= 20, f"{guide.name}: only {len(lines)} itops command lines found"
    failures = {line: error for line in lines if (error := parse_error(line)) is not None}
    assert failures == {}


def test_the_parser_check_catches_a_wrong_command() -> None:
    assert parse_error("itops pdf form --store /tmp/x SOP-06 -o x.pdf") is not None  # --blank is required
    assert parse_error("itops ticket transition --store /tmp/x INC-1") is not None  # no action
    assert parse_error("itops ticket list --store /tmp/x --colour red") is not None
    assert parse_error("itops desktop --store /tmp/x -platform offscreen") is None  # Qt's own options
    assert parse_error("itops form photograph --help") is not None  # a command that does not exist
    text = "```\n$ itops sync --store /tmp/x\nitops 0.1.0\n```\n`itops kpi --period …`, `itops form photo`"
    assert command_lines(text) == ["itops sync --store /tmp/x", "itops form photo --help"]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_image_and_page_the_guide_points_to_exists(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    images = IMAGE.findall(text)
    assert images, f"{guide.name} shows no screenshot"
    lang = guide.name.split(".")[1]
    for ref in images:
        path = (guide.parent / ref).resolve()
        assert path.is_file(), f"{guide.name}: missing image {ref}"
        assert path.name.endswith(f".{lang}.png"), f"{guide.name} shows another language's image {ref}"
        assert path.stat().st_size <= MAX_IMAGE_BYTES, f"{ref}: {path.stat().st_size} bytes"
    for ref in LINK.findall(text):
        if "://" not in ref:
            assert (guide.parent / ref).resolve().exists(), f"{guide.name}: broken link {ref}"


def test_every_screenshot_is_used_and_exists_in_both_languages() -> None:
    shown = {(DOCS / "guide" / ref).resolve() for g in GUIDES for ref in IMAGE.findall(g.read_text(encoding="utf-8"))}
    files = set((DOCS / "guide" / "img").glob("*.png"))
    assert files - shown == set(), "screenshots no guide shows"
    stems = {p.name.rsplit(".", 2)[0] for p in files}
    assert {f"{s}.{lang}.png" for s in stems for lang in ("zh", "en")} == {p.name for p in files}


def test_the_readme_links_the_documentation() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("docs/guide/user.zh.md", "docs/guide/user.en.md", "docs/guide/admin.zh.md",
                   "docs/guide/admin.en.md", "docs/api.md"):
        assert f"]({target})" in readme, target


def test_the_api_reference_is_what_the_server_documents_now() -> None:
    spec = importlib.util.spec_from_file_location("apidoc", ROOT / "scripts" / "apidoc.py")
    assert spec is not None and spec.loader is not None
    apidoc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(apidoc)
    generated = apidoc.generate()
    committed = (DOCS / "api.md").read_text(encoding="utf-8")
    assert generated == committed, "docs/api.md is out of date: run .venv/bin/python scripts/apidoc.py"
    for path in ("/api/v1/auth/login", "/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/admin/conflicts",
                 "/api/v1/events", "/screen/data"):
        assert f"`GET {path}`" in generated or f"`POST {path}`" in generated, path
