"""`sitegen serve`: the site from memory on 127.0.0.1, rebuilt on change, browsers reloaded.

Nothing is written to disk. A content error is shown in the browser with the same
`path:line: message` lines as the terminal, while the last good build keeps serving.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import Options, Result, render_site
from .diagnostics import Diagnostic
from .edits import apply_body_edits
from .memo import Memo

EVENTS = "/__sitegen/events"
RELOAD_SCRIPT = (f'<script>new EventSource("{EVENTS}").onmessage=function(){{location.reload()}}'
                 "</script>")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
         ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
         ".json": "application/json", ".png": "image/png", ".wasm": "application/wasm"}


@dataclass
class State:
    """The last good build, the current errors, and a version that bumps on every rebuild."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    sources: dict[str, set[str]] = field(default_factory=dict)  # output file -> its source files
    errors: list[Diagnostic] = field(default_factory=list)
    last: Result | None = None  # the last good build, which a body edit can be applied to
    base_path: str = "/"
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, result: Result) -> None:
        with self.changed:
            self.errors = result.report.errors
            if not self.errors:
                self.files = result.files
                if result.site is not None and (self.last is None or result.renderer is not self.last.renderer):
                    self.base_path = result.site.config.base_path
                    self.sources = page_sources(result)
                self.last = result
            self.version += 1
            self.changed.notify_all()


def page_sources(result: Result) -> dict[str, set[str]]:
    """Which source files each guide and operator page is made from."""
    from .assemble import page_path
    from .model import LOCALES

    assert result.site is not None
    sources: dict[str, set[str]] = {}
    for key, guide in result.site.guides.items():
        srcs = {guide.hans.src} | ({guide.hant.src} if guide.hant else set())
        for locale in LOCALES:
            sources[page_path(key, locale) + "index.html"] = srcs
    for op in result.site.content.operators.values():
        for locale in LOCALES:
            sources[page_path(op.id, locale) + "index.html"] = {op.src}
    return sources


def rebuild(options: Options, state: State, log: Callable[[str], None], memo: Memo,
            modified: frozenset[Path] = frozenset()) -> Result:
    """modified: files known to have changed in place (none were added or removed)."""
    started = time.perf_counter()
    last = state.last
    edited = apply_body_edits(last, options, modified)
    result = edited or render_site(options, memo=memo)
    for diagnostic in result.report.sorted():
        log(diagnostic.format())
    state.update(result)
    pages = sum(1 for name in state.files if name.endswith(".html"))
    total = len(result.site.guides) if result.site else 0
    # an edit renders the guides whose results are new (a guide's two files count once)
    rendered = sum(1 for key, guide in result.guides.items() if last.guides.get(key) is not guide) \
        if edited and last is not None else total - memo.reused
    log(f"{'errors: serving the last good build' if state.errors else 'rebuilt'} ({pages} pages; guides "
        f"rendered: {rendered} of {total}) in {(time.perf_counter() - started) * 1000:.0f} ms")
    return result


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == EVENTS:
                self._events()
                return
            rel, body, status, kind = lookup(state, path)
            if kind.startswith("text/html"):
                body = inject(body, rel, state)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = state.version
            try:
                while True:
                    with state.changed:
                        state.changed.wait_for(_newer_than(state, seen), timeout=15)
                    message = b"data: reload\n\n" if state.version != seen else b": ping\n\n"
                    seen = state.version
                    self.wfile.write(message)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the terminal for build messages

    return Handler


def _newer_than(state: State, seen: int) -> Callable[[], bool]:
    return lambda: state.version != seen


def lookup(state: State, path: str) -> tuple[str, bytes, int, str]:
    """The file for a URL path under the base path: (name, bytes, status, content type)."""
    from urllib.parse import unquote

    rel = unquote(path)
    if not rel.startswith(state.base_path):
        return _not_found(state)
    rel = rel[len(state.base_path):]
    for candidate in (rel, rel.rstrip("/") + "/index.html" if rel else "index.html"):
        if candidate in state.files:
            kind = TYPES.get(Path(candidate).suffix, "application/octet-stream")
            return candidate, state.files[candidate], 200, kind
    return _not_found(state)


def _not_found(state: State) -> tuple[str, bytes, int, str]:
    return "404.html", state.files.get("404.html", b"not found"), 404, TYPES[".html"]


def inject(body: bytes, rel: str, state: State) -> bytes:
    """The reload script; while the build is broken, the errors: as the whole page where this
    page's own source is at fault, else as a banner above the last good build."""
    page = body.decode("utf-8", "replace")
    errors = state.errors
    if errors and ({d.path for d in errors} & state.sources.get(rel, set()) or not state.files):
        page = error_page(errors)
    elif errors:
        banner = (f'<pre id="sitegen-errors" style="white-space:pre-wrap;background:#fde8e8;'
                  f'padding:1rem;margin:0">{_lines(errors)}</pre>')
        start = page.find(">", page.find("<body")) + 1
        page = page[:start] + banner + page[start:]
    marker = page.rfind("</body>")
    page = page[:marker] + RELOAD_SCRIPT + page[marker:] if marker >= 0 else page + RELOAD_SCRIPT
    return page.encode("utf-8")


def _lines(errors: list[Diagnostic]) -> str:
    return "\n".join(html.escape(d.format()) for d in sorted(errors))


def error_page(errors: list[Diagnostic]) -> str:
    lines = _lines(errors)
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build error</title>"
            "<style>body{font:16px/1.6 system-ui,sans-serif;margin:2rem}pre{white-space:pre-wrap;"
            "background:#fde8e8;padding:1rem;border-left:6px solid #d4351c}</style></head><body>"
            f"<h1>The site has content errors</h1><p>Fix them and save; this page reloads by itself. "
            f"The rest of the site keeps serving the last good build.</p><pre id=\"sitegen-errors\">"
            f"{lines}</pre></body></html>")


def watch_and_rebuild(options: Options, state: State, stop: threading.Event,
                      log: Callable[[str], None], memo: Memo) -> None:
    from watchfiles import Change, watch

    folders = [p for p in (options.content, options.root / "templates", options.root / "i18n") if p.exists()]
    for changes in watch(*folders, stop_event=stop, debounce=50, step=10, rust_timeout=1000,
                         yield_on_timeout=False):
        in_place = all(change == Change.modified for change, _ in changes)
        rebuild(options, state, log, memo, frozenset(Path(path) for _, path in changes) if in_place else frozenset())


def serve(options: Options, port: int, log: Callable[[str], None]) -> None:
    """Serve until Ctrl-C; the first build happens before the port opens."""
    from dataclasses import replace

    state = State()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    # Preview at the server's root whatever base_url says, so links work locally.
    options = replace(options, base_url=f"http://127.0.0.1:{server.server_address[1]}/")
    memo = Memo()
    rebuild(options, state, log, memo)
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(options, state, stop, log, memo), daemon=True)
    watcher.start()
    try:  # from the first line on, Ctrl-C ends with "stopped" (the tests press it at once)
        log(f"serving http://127.0.0.1:{server.server_address[1]}{state.base_path} (Ctrl-C stops)")
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        with state.changed:
            state.version += 1  # wake event streams so their threads end
            state.changed.notify_all()
        server.server_close()
        log("stopped")
