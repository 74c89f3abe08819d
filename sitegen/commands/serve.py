"""`sitegen serve`: the site from memory on 127.0.0.1, rebuilt on change, browsers reloaded.

Nothing is written to disk. A content error is shown in the browser with the same
`path:line: message` lines as the terminal, while the last good build keeps serving. The
converter, catalogs and compiled templates are kept until templates/ or i18n/ change; an edit
to the body of existing guides renders only those guides and their operator's printable page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import mimetypes
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from ..build import Result, Tools, make_tools, render_site, report_missing_strings
from ..content.discover import read_config, read_source
from ..content.files import Reader
from ..diagnostics import Diagnostic, Report
from ..model import HANT_SUFFIX, LOCALES, Conversion, Guide, Options, page_path, source_of
from ..output.cache import input_digest
from ..site.guides import process_guide, report_guides
from ..site.pages import print_pages
from ..site.render import Renderer

EVENTS = "/__sitegen/events"
RELOAD = f'<script>new EventSource("{EVENTS}").onmessage=function(){{location.reload()}}</script>'
ERROR_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build error</title></head><body><h1>The site has content errors</h1><p>Fix them and save; this page reloads by itself. The rest of the site keeps serving the last good build.</p>{}</body></html>'
Log = Callable[[str], None]
ERRORS = '<pre id="sitegen-errors" style="white-space:pre-wrap;background:#fde8e8;padding:1rem;margin:0">{}</pre>'


@dataclass
class State:
    """The last good build, the current errors, and a version that bumps on every rebuild."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)
    last: Result | None = None  # the last good build, which a body edit can be applied to
    dirty: frozenset[Path] | None = frozenset()  # changed in place since it; None: more than that
    tools: tuple[str, Tools] | None = None  # the digest of templates/ and i18n/, the tools made of them
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, result: Result, errors: list[Diagnostic] | None = None) -> None:
        """errors: the result's errors when the caller has them (a pass over 191,000 warnings saved)."""
        with self.changed:
            self.errors = result.report.errors if errors is None else errors
            if not self.errors:
                self.files, self.last = result.pages, result
            self.version += 1
            self.changed.notify_all()

    def newer(self, seen: int) -> Callable[[], bool]:
        return lambda: self.version != seen

    def sources(self, rel: str) -> set[str]:
        """The source files of a guide's or an operator's page."""
        site = self.last.site if self.last else None
        guides = site.guides if site else {}
        for src, page in site.by_src.items() if site else []:
            if rel in (page_path(page, loc) + "index.html" for loc in LOCALES):
                return {s.src for s in guides[page].sources()} if page in guides else {src}
        return set()


def rebuild(options: Options, state: State, log: Log, modified: frozenset[Path] = frozenset()) -> None:
    """modified: files known to have changed in place (none were added or removed)."""
    started = time.perf_counter()
    changed = state.dirty | modified if modified and state.dirty is not None else None
    edited = None
    try:
        tools = _tools(options, state)
        edited = apply_body_edits(state.last, options, tools, changed or frozenset())
        result = edited[0] if edited else render_site(options, tools=tools)
    except Exception as err:  # noqa: BLE001 (a bug must not stop the watcher: show it, keep serving)
        result = Result(Report([Diagnostic("sitegen", 1, f"internal error: {type(err).__name__}: {err}")]))
    errors = None
    if edited:  # a body edit: every error and what the edited files say; the other warnings are as they were
        said = Report([d for d in result.report.items if d.severity == "error" or d.path in edited[2]])
        errors = said.errors
        shown, counts = said.shown(everything=True)
        if len(result.report.items) > len(said.items):
            counts.append(f"{len(result.report.items) - len(said.items)} more warnings in other files (sitegen check)")
    else:
        shown, counts = result.report.shown()  # as `build` shows them: 20 of a kind, then a count
    for line in [d.format() for d in shown] + counts:
        log(line)
    state.update(result, errors)
    state.dirty = changed if state.errors else frozenset()
    total = len(result.site.guides) if result.site else 0
    what = "errors: serving the last good build" if state.errors else "rebuilt"
    pages = sum(1 for name in state.files if name.endswith(".html"))
    rendered, ms = edited[1] if edited else total, (time.perf_counter() - started) * 1000
    log(f"{what} ({pages} pages; guides rendered: {rendered} of {total}) in {ms:.0f} ms")


def _tools(options: Options, state: State) -> Tools:
    """The converter, catalogs and templates, made again only when their files changed."""
    digest = input_digest([options.root / "templates", options.root / "i18n", options.content / "site.yaml"], {})[0]
    if state.tools is None or state.tools[0] != digest:
        report = Report()
        config = read_config(options.content, options.root, report)
        state.tools = (digest, make_tools(options.root, config.conversion if config else Conversion(), report))
    return state.tools[1]


def apply_body_edits(
    last: Result | None, options: Options, tools: Tools, changed: frozenset[Path]
) -> tuple[Result, int, frozenset[str]] | None:
    """The last build with the edited guides rendered again, how many and their sources; None when the change is more
    than the bodies of known guides (front matter as it was means listings, URLs and conversions are as they were)."""
    if last is None or last.site is None or not changed:
        return None
    edited = _edited_guides(last, options, changed)
    if edited is None:
        return None
    site = dataclasses.replace(last.site, guides={k: edited.get(k, g) for k, g in last.site.guides.items()})
    renderer = Renderer(site, tools.envs, tools.messages)
    guides, pages, report = dict(last.guides), dict(last.pages), Report()
    for guide in edited.values():
        guides[guide.key] = process_guide(site, renderer, guide)
        pages.update(guides[guide.key].pages)
    report_guides(guides, report)
    rendered = all(guides[key].pages for key in edited)  # a guide with errors has no pages
    for op_id in sorted({g.operator for g in edited.values() if g.operator} if rendered else ()):
        pages.update(print_pages(renderer, op_id, guides))
    report_missing_strings(tools.messages, report)
    sources = frozenset(s.src for g in edited.values() for s in g.sources())
    return Result(report, site, pages, guides), len(edited), sources


def _edited_guides(last: Result, options: Options, changed: frozenset[Path]) -> dict[str, Guide] | None:
    """The guides with their new sources, if every change is a body edit of a known guide."""
    assert last.site is not None
    reader = Reader(options.content, options.root, Report())
    edited: dict[str, Guide] = {}
    for path in changed:
        src = reader.name(path)
        hant = src.endswith(HANT_SUFFIX)  # a hand-written zh-Hant page: its guide is found by its zh-Hans source
        guide = last.site.guides.get(last.site.by_src.get(source_of(src), ""))
        old = (guide.hant if hant else guide.hans) if guide else None
        new = read_source(reader, path) if old is not None and old.src == src else None
        if guide is None or old is None or new is None or reader.report.items or new.meta != old.meta:
            return None
        guide = edited.get(guide.key, guide)
        edited[guide.key] = dataclasses.replace(guide, hant=new) if hant else dataclasses.replace(guide, hans=new)
    return edited


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(self.path.split("?", 1)[0].split("#", 1)[0])
            if path == EVENTS:
                return self._events()
            rel = path.removeprefix("/") if path.startswith("/") else "\0"
            candidates = (rel, rel.rstrip("/") + "/index.html" if rel else "index.html")
            found = next((c for c in candidates if c in state.files), None)
            rel = found or "404.html"
            body = state.files.get(rel, b"not found")
            kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
            if kind == "text/html":
                body = inject(body, rel, state)
            kind += "; charset=utf-8" if kind.startswith("text/") else ""
            self._head(200 if found else 404, {"Content-Type": kind, "Content-Length": str(len(body))})
            self.wfile.write(body)

        def _head(self, status: int, headers: dict[str, str]) -> None:
            self.send_response(status)
            for header, value in {**headers, "Cache-Control": "no-store"}.items():
                self.send_header(header, value)
            self.end_headers()

        def _events(self) -> None:
            self._head(200, {"Content-Type": "text/event-stream"})
            seen = state.version
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                while True:
                    with state.changed:
                        state.changed.wait_for(state.newer(seen), timeout=15)
                    message, seen = (b"data: reload\n\n" if state.version != seen else b": ping\n\n"), state.version
                    self.wfile.write(message)
                    self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the terminal for build messages

    return Handler


def inject(body: bytes, rel: str, state: State) -> bytes:
    """The reload script; while the build is broken, the errors: as the whole page where this
    page's own source is at fault, else as a banner above the last good build."""
    page, errors = body.decode("utf-8", "replace"), state.errors
    lines = "\n".join(html.escape(d.format()) for d in sorted(errors))
    if errors and ({d.path for d in errors} & state.sources(rel) or not state.files):
        page = ERROR_PAGE.format(ERRORS.format(lines))
    elif errors:
        start = page.find(">", page.find("<body")) + 1
        page = page[:start] + ERRORS.format(lines) + page[start:]
    end = page.rfind("</body>") if "</body>" in page else len(page)
    return (page[:end] + RELOAD + page[end:]).encode("utf-8")


def watch_and_rebuild(options: Options, state: State, stop: threading.Event, log: Log) -> None:
    from watchfiles import Change, watch

    folders = [p for p in (options.content, options.root / "templates", options.root / "i18n") if p.exists()]
    for changes in watch(*folders, stop_event=stop, debounce=50, step=10, rust_timeout=1000, yield_on_timeout=False):
        in_place = all(change == Change.modified for change, _ in changes)
        rebuild(options, state, log, frozenset(Path(p) for _, p in changes) if in_place else frozenset())


def serve(options: Options, port: int, log: Log) -> None:
    """Serve until Ctrl-C; the first build happens before the port opens. The site is served at
    the server's root whatever base_url says, so links work locally."""
    state = State()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    options = dataclasses.replace(options, base_url=url, search=False)
    rebuild(options, state, log)
    server.daemon_threads = True
    stop = threading.Event()
    threading.Thread(target=watch_and_rebuild, args=(options, state, stop, log), daemon=True).start()
    try:  # from the first line on, Ctrl-C ends with "stopped" (the tests press it at once)
        log(f"serving {url} (Ctrl-C stops)")
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        with state.changed:
            state.version += 1  # wake event streams so their threads end
            state.changed.notify_all()
        server.server_close()
        log("stopped")
