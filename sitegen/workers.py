"""Guides spread over worker processes: each parses, checks and renders its share and writes
the pages itself, so only small results travel back to the build.

Workers are forked, so they share the assembled site, the converter and the templates with
the build instead of receiving copies. Small sites (and in-memory builds) stay in-process.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path

from jinja2 import TemplateError

from .assemble import Site
from .console import Progress
from .diagnostics import Diagnostic
from .guides import GuideResult, process_guide
from .memo import Memo, NoMemo
from .render import SiteRenderer, template_diagnostic

Write = Callable[[str, bytes], None]
CHUNK = 32  # guides per task: small enough to balance the workers, large enough to be cheap
MIN_PER_WORKER = 200  # below this, forking costs more than it saves
_PR_SET_PDEATHSIG = 1

_job: tuple[Site, SiteRenderer, Write, Path] | None = None  # what forked workers inherit


class TemplateFailed(Exception):
    """A template raised while rendering a guide; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_guides(site: Site, renderer: SiteRenderer, write: Write, root: Path, jobs: int,
               meanwhile: Callable[[], None], memo: Memo) -> dict[str, GuideResult]:
    """Every published guide processed, its pages handed to write(); results in key order.
    jobs: worker processes, or 0 for one per core when the site is large enough to gain.
    meanwhile() runs in this process while workers render (the pages that list guides).
    In-process, guides the memo kept (their inputs unchanged) are not rendered again."""
    keys = list(site.guides)
    progress = Progress("rendering guides", len(keys))  # silent unless a terminal
    if jobs == 0:
        jobs = min(default_jobs(), len(keys) // MIN_PER_WORKER)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = {}
        for key in keys:
            results[key] = _process(site, renderer, write, root, key, memo)
            progress.step()
        meanwhile()
    else:
        results = _in_workers(site, renderer, write, root, keys, jobs, progress, meanwhile)
    progress.close()
    return {key: results[key] for key in keys}


def _process(site: Site, renderer: SiteRenderer, write: Write, root: Path, key: str,
             memo: Memo) -> GuideResult:
    guide = site.guides[key]
    context = renderer.neighbours(guide) if memo.active else None
    kept = memo.get(site, guide, context)
    try:
        result, pages = kept or process_guide(site, renderer, guide)
    except TemplateError as err:
        raise TemplateFailed(template_diagnostic(err, root)) from None
    if kept is None:
        memo.put(site, guide, context, result, pages)
    for name, data in pages.items():
        write(name, data)
    result.pages = list(pages)
    return result


def _in_workers(site: Site, renderer: SiteRenderer, write: Write, root: Path, keys: list[str], jobs: int,
                progress: Progress, meanwhile: Callable[[], None]) -> dict[str, GuideResult]:
    global _job
    _job = (site, renderer, write, root)
    gc.collect()
    gc.freeze()  # what the workers inherit is never scanned again, so never copied by the collector
    results: dict[str, GuideResult] = {}
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker) as pool:
            chunks = [keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)]
            pending = pool.imap_unordered(_work, chunks)
            meanwhile()
            for done, missing, failed in pending:
                if failed is not None:
                    raise TemplateFailed(failed)
                for locale, msgids in missing.items():
                    renderer.messages[locale].missing |= msgids
                results.update((r.key, r) for r in done)
                for _ in done:
                    progress.step()
    finally:
        _job = None
        gc.unfreeze()
    return results


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops the pool
    try:  # a worker must not outlive a build that was killed
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _work(keys: list[str]) -> tuple[list[GuideResult], dict[str, set[str]], Diagnostic | None]:
    assert _job is not None
    site, renderer, write, root = _job
    try:
        done = [_process(site, renderer, write, root, key, NoMemo()) for key in keys]
    except TemplateFailed as err:
        return [], {}, err.diagnostic
    return done, {loc: set(m.missing) for loc, m in renderer.messages.items()}, None
