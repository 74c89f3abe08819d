"""sitegen serve, through a real browser: live reload, error page, recovery, clean stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, ctrl_c_reaches_children


@pytest.fixture
def server(site_copy: Path):
    command = [sys.executable, "-m", "sitegen.cli", "serve", "--root", str(REPO), "--content", str(site_copy)]
    with ctrl_c_reaches_children():
        proc = subprocess.Popen(
            [*command, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # SIGABRT prints every thread's stack
        )
    url = None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        match = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
        url = match.group(1) if match else None
    assert url, "".join(lines)
    yield proc, url, site_copy
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def test_live_reload_error_page_and_recovery(server, browser) -> None:
    _proc, url, content = server
    page = browser.new_page()
    page.goto(url + "zh-hans/alpha/top-up/")
    assert page.locator("h1").inner_text() == "给 Alpha 号码充值"
    guide = content / "guides/alpha/top-up.md"

    started = time.monotonic()
    _edit(guide, "title: 给 Alpha 号码充值", "title: 给 Alpha 号码充值（新）")
    page.wait_for_function("document.querySelector('h1').innerText.includes('（新）')", timeout=5000)
    assert time.monotonic() - started < 5
    assert page.locator("h1").inner_text() == "给 Alpha 号码充值（新）"

    _edit(guide, "title: 给 Alpha", "titel: 给 Alpha")
    page.wait_for_selector("#sitegen-errors", timeout=5000)
    errors = page.locator("#sitegen-errors").inner_text()
    assert re.search(r"guides/alpha/top-up\.md:2: front matter: unknown key 'titel'; did you mean 'title'\?", errors)

    other = browser.new_page()
    other.goto(url + "zh-hans/beta/top-up/")
    assert other.locator("h1").inner_text() == "给 Beta 号码充值"  # the rest keeps serving

    _edit(guide, "titel: 给 Alpha", "title: 给 Alpha")
    page.wait_for_selector("h1", timeout=5000)
    page.wait_for_function("!document.querySelector('#sitegen-errors')", timeout=5000)
    assert page.locator("h1").inner_text() == "给 Alpha 号码充值（新）"


def test_ctrl_c_stops_cleanly(server) -> None:
    proc, _url, _content = server
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # show where serve waits
        proc.send_signal(signal.SIGABRT)
        pytest.fail("serve did not stop within 10 s of Ctrl-C; its threads:\n" + proc.communicate()[0])
    assert proc.returncode == 0
    assert out.strip().endswith("stopped") and "Traceback" not in out


def test_build_output_has_no_live_reload(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        assert "__sitegen" not in page.read_text("utf-8") and "EventSource" not in page.read_text("utf-8")
