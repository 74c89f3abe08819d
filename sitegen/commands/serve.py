"""`sitegen serve`: the site from memory on 127.0.0.1, rebuilt on change, browsers reloaded.

Nothing is written to disk. A content error is shown in the browser with the same
`path:line: message` lines as the terminal, while the last good build keeps serving. The
converter, catalogs and compiled templates are kept between rebuilds until templates/ or i18n/
change; an edit to the body of existing guides re-renders only those guides and their
operator's printable page.
"""

from __future__ import annotations

import dataclasses
import html
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..build import Result, Tools, make_tools, operator_bodies, render_site, report_missing_strings
from ..content.discover import read_source
from ..content.files import Reader
from ..diagnostics import Diagnostic, Report
from ..model import HANT_SUFFIX, LOCALES, Guide, Options, page_path
from ..output.cache import input_digest
from ..site.guides import process_guide, report_guides
from ..site.pages import print_pages
from ..site.render import Renderer

EVENTS = "/__sitegen/events"
RELOAD_SCRIPT = f'<script>new EventSource("{EVENTS}").onmessage=function(){{location.reload()}}</script>'
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
}


@dataclass
class State:
    """The last good build, the current errors, and a version that bumps on every rebuild."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)
    last: Result | None = None  # the last good build, which a body edit can be applied to
    # files changed in place since the last good build; None: something else changed too
    dirty: frozenset[Path] | None = frozenset()
    tools: tuple[str, Tools] | None = None  # (digest of templates/ and i18n/, the tools made of them)
    base_path: str = "/"
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, result: Result) -> None:
        with self.changed:
            self.errors = result.report.errors
            if not self.errors:
                self.files, self.last = result.pages, result
                if result.site is not None:
                    self.base_path = result.site.config.base_path
            self.version += 1
            self.changed.notify_all()

    def newer(self, seen: int) -> Callable[[], bool]:
        return lambda: self.version != seen

    def sources(self, rel: str) -> set[str]:
        """The source files a page is made from (guides' and operators' pages)."""
        site = self.last.site if self.last else None
        if site is None:
            return set()
        for key, guide in site.guides.items():
            if rel in (page_path(key, loc) + "index.html" for loc in LOCALES):
                return {s.src for s in guide.sources()}
        return {
            op.src
            for op in site.content.operators.values()
            if rel in (page_path(op.id, loc) + "index.html" for loc in LOCALES)
        }


def rebuild(
    options: Options, state: State, log: Callable[[str], None], modified: frozenset[Path] = frozenset()
) -> None:
    """modified: files known to have changed in place (none were added or removed)."""
    started = time.perf_counter()
    changed = state.dirty | modified if modified and state.dirty is not None else None
    try:
        tools = _tools(options, state)
        edited = apply_body_edits(state.last, options, tools, changed or frozenset())
        result = edited[0] if edited else render_site(options, tools=tools)
    except Exception as err:  # a bug must not stop the watcher: show it, keep serving
        result = Result(
            Report([Diagnostic("sitegen", 1, f"internal error while rebuilding: {type(err).__name__}: {err}")])
        )
        edited = None
    for diagnostic in result.report.sorted():
        log(diagnostic.format())
    state.dirty = changed if result.report.errors else frozenset()
    state.update(result)
    total = len(result.site.guides) if result.site else 0
    rendered = edited[1] if edited else total
    pages = sum(1 for name in state.files if name.endswith(".html"))
    log(
        f"{'errors: serving the last good build' if state.errors else 'rebuilt'} ({pages} pages; guides "
        f"rendered: {rendered} of {total}) in {(time.perf_counter() - started) * 1000:.0f} ms"
    )


def _tools(options: Options, state: State) -> Tools:
    """The converter, catalogs and templates, made again only when their files changed."""
    digest = input_digest([options.root / "templates", options.root / "i18n", options.content / "site.yaml"], {})
    if state.tools is None or state.tools[0] != digest:
        from ..content.discover import read_config
        from ..model import Conversion

        report = Report()
        config = read_config(options.content, options.root, report)
        state.tools = (digest, make_tools(options.root, config.conversion if config else Conversion(), report))
    return state.tools[1]


def apply_body_edits(
    previous: Result | None, options: Options, tools: Tools, changed: frozenset[Path]
) -> tuple[Result, int] | None:
    """The previous build with the edited guides rendered again and how many there were, or
    None when the change is more than the bodies of known guides (then everything is rendered).
    Front matter as it was means listings, URLs and conversions are as they were."""
    if previous is None or previous.site is None or previous.report.errors or not changed:
        return None
    edited = _edited_guides(previous, options, changed)
    if edited is None:
        return None
    site = dataclasses.replace(previous.site, guides={k: edited.get(k, g) for k, g in previous.site.guides.items()})
    renderer = Renderer(site, tools.envs, tools.messages)
    guides, pages, report = dict(previous.guides), dict(previous.pages), Report()
    for guide in edited.values():
        guides[guide.key] = process_guide(site, renderer, guide)
        pages.update(guides[guide.key].pages)
    report_guides(guides, report)
    if not report.errors:
        for op_id in sorted({g.operator for g in edited.values() if g.operator}):
            pages.update(print_pages(renderer, op_id, operator_bodies(site, guides, op_id)))
        report_missing_strings(tools.messages, options.root, report)
    return Result(report, site, pages, guides), len(edited)


def _edited_guides(previous: Result, options: Options, changed: frozenset[Path]) -> dict[str, Guide] | None:
    """The guides with their new sources, if every change is a body edit of a known guide."""
    assert previous.site is not None
    reader = Reader(options.content, options.root, Report())
    known = {
        source.src: (guide.key, source is guide.hant)
        for guide in previous.site.guides.values()
        for source in guide.sources()
    }
    edited: dict[str, Guide] = {}
    for path in changed:
        name = reader.name(Path(path))
        if name not in known:
            return None
        key, hant = known[name]
        guide = edited.get(key) or previous.site.guides[key]
        old = guide.hant if hant else guide.hans
        new = read_source(reader, Path(path))
        if (
            new is None
            or reader.report.items
            or old is None
            or new.meta != old.meta
            or name.endswith(HANT_SUFFIX) != hant
        ):
            return None
        edited[key] = dataclasses.replace(guide, **{"hant" if hant else "hans": new})
    return edited


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
                        state.changed.wait_for(state.newer(seen), timeout=15)
                    message = b"data: reload\n\n" if state.version != seen else b": ping\n\n"
                    seen = state.version
                    self.wfile.write(message)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the terminal for build messages

    return Handler


def lookup(state: State, path: str) -> tuple[str, bytes, int, str]:
    """The file for a URL path under the base path: (name, bytes, status, content type)."""
    from urllib.parse import unquote

    rel = unquote(path)
    if not rel.startswith(state.base_path):
        return _not_found(state)
    rel = rel[len(state.base_path) :]
    for candidate in (rel, rel.rstrip("/") + "/index.html" if rel else "index.html"):
        if candidate in state.files:
            return candidate, state.files[candidate], 200, TYPES.get(Path(candidate).suffix, "application/octet-stream")
    return _not_found(state)


def _not_found(state: State) -> tuple[str, bytes, int, str]:
    return "404.html", state.files.get("404.html", b"not found"), 404, TYPES[".html"]


def inject(body: bytes, rel: str, state: State) -> bytes:
    """The reload script; while the build is broken, the errors: as the whole page where this
    page's own source is at fault, else as a banner above the last good build."""
    page = body.decode("utf-8", "replace")
    errors = state.errors
    if errors and ({d.path for d in errors} & state.sources(rel) or not state.files):
        page = error_page(errors)
    elif errors:
        banner = (
            f'<pre id="sitegen-errors" style="white-space:pre-wrap;background:#fde8e8;'
            f'padding:1rem;margin:0">{_lines(errors)}</pre>'
        )
        start = page.find(">", page.find("<body")) + 1
        page = page[:start] + banner + page[start:]
    marker = page.rfind("</body>")
    page = page[:marker] + RELOAD_SCRIPT + page[marker:] if marker >= 0 else page + RELOAD_SCRIPT
    return page.encode("utf-8")


def _lines(errors: list[Diagnostic]) -> str:
    return "\n".join(html.escape(d.format()) for d in sorted(errors))


def error_page(errors: list[Diagnostic]) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build error</title>'
        "<style>body{font:16px/1.6 system-ui,sans-serif;margin:2rem}pre{white-space:pre-wrap;"
        "background:#fde8e8;padding:1rem;border-left:6px solid #d4351c}</style></head><body>"
        "<h1>The site has content errors</h1><p>Fix them and save; this page reloads by itself. "
        'The rest of the site keeps serving the last good build.</p><pre id="sitegen-errors">'
        f"{_lines(errors)}</pre></body></html>"
    )


def watch_and_rebuild(options: Options, state: State, stop: threading.Event, log: Callable[[str], None]) -> None:
    from watchfiles import Change, watch

    folders = [p for p in (options.content, options.root / "templates", options.root / "i18n") if p.exists()]
    for changes in watch(*folders, stop_event=stop, debounce=50, step=10, rust_timeout=1000, yield_on_timeout=False):
        in_place = all(change == Change.modified for change, _ in changes)
        rebuild(options, state, log, frozenset(Path(p) for _, p in changes) if in_place else frozenset())


def serve(options: Options, port: int, log: Callable[[str], None]) -> None:
    """Serve until Ctrl-C; the first build happens before the port opens."""
    state = State()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    # Preview at the server's root whatever base_url says, so links work locally.
    options = dataclasses.replace(options, base_url=f"http://127.0.0.1:{server.server_address[1]}/", search=False)
    rebuild(options, state, log)
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(options, state, stop, log), daemon=True)
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
