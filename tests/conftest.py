"""Shared helpers: run the CLI in-process and read built trees."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sitegen.cli import main
from sitegen.text.chinese import opencc_converter

# Every build and check in the tests runs on this day (facts checked before 2025-12-01 are due).
os.environ["SOURCE_DATE_EPOCH"] = "1764547200"  # 2026-12-01
REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITE = FIXTURES / "site"
# Valid Traditional characters that OpenCC still maps (干擾, 公里, 櫃台, 皇后; 余 is a surname).
ALLOWED_IN_HANT = set("干台里后余")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def run_cli(*args: str | Path) -> Run:
    """sitegen with these arguments, in-process; SystemExit becomes the exit code."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def build(content: Path, out: Path, *extra: str, search: bool = False) -> Run:
    """sitegen build; the Pagefind index (a second, slower step) only when a test asks for it."""
    flags = () if search else ("--no-search",)
    return run_cli("build", "--root", REPO, "--content", content, "--out", out, *flags, *extra)


@functools.cache
def _changes(profile: str, char: str) -> bool:
    return bool(opencc_converter(profile).convert(char) != char)


def simplified_only(text: str) -> list[str]:
    """Characters left in a zh-Hant text that only Simplified writing uses (sorted, unique)."""
    cjk = (c for c in set(text) if "\u4e00" <= c <= "\u9fff")
    return sorted(c for c in cjk if c not in ALLOWED_IN_HANT and _changes("s2tw", c))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below folder by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_project(tmp_path: Path) -> Path:
    """A writable project root with the repo's templates and catalogs, for breaking them."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "i18n", root / "i18n")
    return root


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture site's content folder."""
    target = tmp_path / "content"
    shutil.copytree(SITE / "content", target)
    return target


def build_ok(factory: pytest.TempPathFactory, content: Path, name: str, *extra: str) -> Path:
    """Build content into a fresh folder and insist that it succeeded."""
    out = factory.mktemp(name) / "public"
    result = build(content, out, *extra)
    assert result.code == 0, result.err
    return out


def build_real(factory: pytest.TempPathFactory, name: str, base_url: str) -> Path:
    """The real site (content/) with its search index, served from base_url."""
    out = factory.mktemp(name) / "public"
    result = build(REPO / "content", out, "--base-url", base_url, search=True)
    assert result.code == 0, result.err
    return out


@contextlib.contextmanager
def ctrl_c_reaches_children() -> Iterator[None]:
    """Processes started inside get Python's Ctrl-C handler, as from a terminal, even when this run ignores SIGINT:
    a shell's background job (`pytest &` in a script) does, a child inherits that, and a test's SIGINT would do
    nothing."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class QuietServer(http.server.ThreadingHTTPServer):
    """A test HTTP server in a thread that logs nothing, not even a browser dropping a connection mid-reply (a
    BrokenPipeError traceback in the test output otherwise)."""

    def __init__(self, handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def handle_error(self, *args: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # called inside the handler's except block
            super().handle_error(*args)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> QuietServer:
    """folder served on 127.0.0.1 (a secure context for service workers)."""
    return QuietServer(functools.partial(QuietHandler, directory=str(folder)))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(tmp_path_factory, SITE / "content", "built")


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright. CI sets SITEGEN_REQUIRE_BROWSER=1 so a missing
    browser fails there instead of skipping."""
    import os

    if not CHROMIUM.exists():
        if os.environ.get("SITEGEN_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
