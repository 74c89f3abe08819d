"""build(): the pipeline as a short table of contents.

read and validate content/ → assemble → render each guide (in worker processes on large sites) → check what spans
guides (section links, UI strings) → render the pages that list guides → write into a staging folder → index for
search → service worker → commit. Every check is done before the first byte is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from jinja2 import Environment, TemplateError

from .content.config import override
from .content.discover import discover, read_config
from .content.vocab import VocabReader, check_duplicates
from .diagnostics import Report
from .model import HANT, LOCALES, Conversion, Options
from .output.offline import BUDGET, WORKER, worker
from .output.write import OutputFailed, Staging, check_out_dir
from .parallel import run
from .site.assemble import Site, assemble, mainland_terms
from .site.guides import GuideResult, process_guide, report_guides
from .site.i18n import Messages, catalog_path, load_messages
from .site.pages import listing_pages, print_pages, static_files
from .site.render import Renderer, make_env, template_diagnostic
from .text.chinese import Converter, TermLint


@dataclass(frozen=True)
class Tools:
    """What turns content into pages, unchanged while rendering (sitegen serve keeps it between rebuilds)."""

    converter: Converter
    terms: TermLint
    messages: dict[str, Messages]
    envs: dict[str, Environment]


@dataclass(frozen=True)
class Result:
    report: Report
    site: Site | None = None
    pages: Mapping[str, bytes] = field(default_factory=dict)  # every output file, by path
    guides: Mapping[str, GuideResult] = field(default_factory=dict)
    written: tuple[str, ...] = ()  # the files written besides the pages: the search index, the service worker


def build(options: Options, jobs: int = 0) -> Result:
    """Render and check the site, then write it in place of the output, whole or not at all."""
    out = check_out_dir(options.out, options.root, [options.content, options.root / "templates", options.root / "i18n"])
    result = render_site(options, jobs)
    if result.report.errors or result.site is None:
        return result
    try:
        staging = Staging(out)
    except OSError as err:
        raise OutputFailed(f"cannot write {out}: {err.strerror or err}") from None
    try:
        written = _write(result, result.site, staging, options.search)
    except OSError as err:  # disk full, read-only, permissions: one line, the old output kept
        staging.discard()
        where = f" ({err.filename})" if err.filename else ""
        message = f"cannot write the output: {err.strerror or err}{where}; the previous output is unchanged"
        raise OutputFailed(message) from None
    except BaseException:
        staging.discard()
        raise
    return replace(result, written=written)


def _write(result: Result, site: Site, staging: Staging, search: bool) -> tuple[str, ...]:
    """Every page, the search index and the service worker, committed only if all were made; returns the names of the
    files written besides the pages."""
    from .output.search import SearchError, write_index

    for name, data in result.pages.items():
        staging.write(name, data)
    folder = staging.path / "pagefind"
    try:
        if search:
            write_index(site, result.pages, folder, staging.scratch())
    except SearchError as err:
        result.report.error("pagefind", 1, f"search index: {err}; rerun with --no-search to skip it")
    index = tuple(sorted(p.relative_to(staging.path).as_posix() for p in folder.rglob("*") if p.is_file()))
    if result.report.errors:
        staging.discard()
    else:
        _write_worker(result, site, staging, index)
        staging.commit()
    return (*index, WORKER)


def _write_worker(result: Result, site: Site, staging: Staging, index: tuple[str, ...]) -> None:
    """The service worker, from the digests of every file it keeps (pages and search index)."""
    files = dict(result.pages) | {p: (staging.path / p).read_bytes() for p in index}
    data, kept = worker(site.config, files)
    staging.write(WORKER, data)
    for locale, c in kept.items():
        if c.pages < c.total:
            message = f"offline: {c.pages} of {c.total} {locale} pages fit the {BUDGET:,}-byte precache budget; the rest need a connection"
            result.report.warning("content/site.yaml", 1, message, "offline-budget")


def render_site(options: Options, jobs: int = 1, tools: Tools | None = None) -> Result:
    """Read, check and render everything into memory; writes nothing."""
    report = Report()
    content = discover(options.content, options.root, report)
    if content.config is None:
        return Result(report)
    config = override(content.config, options.base_url, options.repo_url)
    if not (options.root / "templates").is_dir():
        report.error("templates", 1, "templates folder not found; run sitegen from the project folder or pass --root")
    errors = len(report.errors)
    tools = tools or make_tools(options.root, config.conversion, report)
    if len(report.errors) > errors:  # a broken glossary or catalog would make every page an error
        return Result(report)
    site = assemble(content, config, tools.converter, tools.terms, options, report)
    if report.errors:
        return Result(report, site)
    report.items += mainland_terms(site, tools.messages[HANT].table)  # found, and the guides checked all the same
    renderer = Renderer(site, tools.envs, tools.messages)
    try:
        return _render(site, renderer, options.root, jobs, report)
    except TemplateError as err:
        report.items.append(template_diagnostic(err, options.root))
        return Result(report, site)


def _render(site: Site, renderer: Renderer, root: Path, jobs: int, report: Report) -> Result:
    listings: dict[str, bytes] = {}
    work = partial(_guide, site, renderer, root)
    guides = {r.key: r for r in run(work, list(site.guides), jobs, lambda: listings.update(listing_pages(renderer)))}
    report_guides(guides, report)
    report_missing_strings(renderer.messages, report, {m for r in guides.values() for m in r.missing})
    if report.errors:
        return Result(report, site, guides=guides)
    pages = listings | static_files(root / "templates")
    for result in guides.values():
        pages.update(result.pages)
    for op_id in site.content.operators:
        pages.update(print_pages(renderer, op_id, guides))
    report_missing_strings(renderer.messages, report)
    return Result(report, site, pages, guides)


def _guide(site: Site, renderer: Renderer, root: Path, key: str) -> GuideResult:
    """One guide, with a template error and the UI strings its pages lacked as part of its result."""
    before = {(m.locale, s) for m in renderer.messages.values() for s in m.missing}
    try:
        result = process_guide(site, renderer, site.guides[key])
    except TemplateError as err:
        result = GuideResult(key, (template_diagnostic(err, root),), (), ())
    missing = {(m.locale, s) for m in renderer.messages.values() for s in m.missing} - before
    return replace(result, missing=frozenset(missing)) if missing else result


def make_tools(root: Path, conversion: Conversion, report: Report) -> Tools:
    """The converter (OpenCC, glossary, context rules), the term lint, catalogs and templates."""
    i18n = root / "i18n"
    messages = {loc: load_messages(i18n, loc, f"i18n/{catalog_path(Path(), loc)}", report) for loc in LOCALES}
    terms = TermLint(VocabReader(root, report).terms(root / conversion.terms))
    envs = {loc: make_env(root / "templates", messages[loc]) for loc in LOCALES}
    return Tools(make_converter(root, conversion, report), terms, messages, envs)


def make_converter(root: Path, conversion: Conversion, report: Report) -> Converter:
    """OpenCC with the glossary and the context rules (whose tests the test suite runs)."""
    vocab = VocabReader(root, report)
    entries = vocab.glossary(root / conversion.glossary)
    entries += [form for rule in vocab.rules(root / conversion.rules) for form in rule.forms]
    return Converter(conversion.opencc, check_duplicates(entries, report))


def report_missing_strings(messages: dict[str, Messages], report: Report, more: Iterable[tuple[str, str]] = ()) -> None:
    """Strings the templates used that the catalogs lack: an error, never an English fallback."""
    for locale, msgid in sorted({(m.locale, s) for m in messages.values() for s in m.missing} | set(more)):
        message = f"UI string {msgid!r} has no {locale} translation; run `sitegen i18n update` and translate it"
        report.error(f"i18n/{catalog_path(Path(), locale)}", 1, message)


def converter_for(root: Path, content_dir: Path, report: Report) -> Converter:
    """The converter site.yaml asks for (the defaults when it cannot be read)."""
    config = read_config(content_dir, root, report)
    return make_converter(root, config.conversion if config else Conversion(), report)
