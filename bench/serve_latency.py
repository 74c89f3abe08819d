"""How long `sitegen serve` takes from saving an edited guide to telling the browser to reload.

`python bench/serve_latency.py [--edits 20] [--corpus N [--kind light|heavy]]` serves a copy of
the real content (or the benchmark corpus of N guides), listens on the
live-reload event stream as a browser does, appends a sentence to one guide (the largest, with a
hand-written zh-Hant twin that is not re-rendered), and times each edit from the file write to
the reload message. This includes the file watcher's wait for more changes (10 ms).
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def start(content: Path) -> tuple[subprocess.Popen[str], int, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen.cli", "serve", "--root", str(REPO), "--content", str(content), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    log: list[str] = []
    while True:
        line = proc.stdout.readline()
        log.append(line)
        match = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
        if match:
            # keep reading what serve prints, as a terminal would: it prints every warning on
            # each rebuild, and once the pipe is full it would stop serving mid-edit
            threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
            return proc, int(match.group(1)), log
        if not line:
            raise SystemExit("".join(log))


def events(port: int) -> socket.socket:
    """An open event stream, past its response headers."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(4096)
    return sock


def wait_for_reload(sock: socket.socket) -> None:
    received = b""
    while b"data: reload" not in received:
        received += sock.recv(4096)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--guide", default="guides/nar/top-up.md")
    parser.add_argument("--corpus", type=int, metavar="N", help="serve the benchmark corpus of N guides instead")
    parser.add_argument("--kind", choices=("light", "heavy"), default="light", help="which benchmark corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        content = Path(tmp) / "content"
        if args.corpus:
            sys.path.insert(0, str(REPO / "bench"))
            from corpus import write_corpus

            content = write_corpus(Path(tmp), args.corpus, args.kind)[0] / "content"
            args.guide = "guides/guide-00001.md"
        else:
            shutil.copytree(REPO / "content", content)
        proc, port, log = start(content)
        at_start = len(log)
        try:
            sock = events(port)
            guide = content / args.guide
            times = []
            for i in range(args.edits):
                time.sleep(0.3)  # let the watcher settle, as between a person's saves
                text = guide.read_text("utf-8") + f"\n补充说明{i}。\n"
                started = time.perf_counter()
                guide.write_text(text, "utf-8")
                wait_for_reload(sock)
                times.append((time.perf_counter() - started) * 1000)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            time.sleep(0.1)  # the reader thread takes the last lines
            out = "".join(log)
    rebuilds = [float(m) for m in re.findall(r"rendered: 1 of \d+\) in (\d+) ms", out)]
    print(
        f"edit -> reload message: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
        f"over {len(times)} edits of {args.guide}"
    )
    if rebuilds:
        print(f"rebuild itself (serve's log): median {statistics.median(rebuilds[1:] or rebuilds):.0f} ms")
    print(next((line for line in reversed(out.splitlines()) if line.startswith("rebuilt")), ""))
    edits_printed = len(log) - at_start
    print(
        f"serve printed {edits_printed} lines over the {len(times)} edits "
        f"({edits_printed / max(len(times), 1):.0f} an edit), {at_start} for its first build"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
