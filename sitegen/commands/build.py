"""`sitegen build`: skip the build when nothing changed, else build and say what was made."""

from __future__ import annotations

import time

from ..model import LOCALES, Options, url_lang
from ..output.cache import Stamp
from .console import EXIT_OK, print_report, show_lines


def run_build(options: Options, jobs: int, use_cache: bool, everything: bool) -> int:
    """Build, or say "up to date" when inputs and output are as the last build left them (that needs only the cache)."""
    started = time.perf_counter()
    settings = {k: str(v) for k, v in vars(options).items()}  # every option is part of the cache key
    stamp = Stamp(options.root, options.content, options.out, settings) if use_cache else None
    shown = stamp.up_to_date(everything) if stamp is not None else None
    if shown is not None:  # as the build that made them showed them: 20 of a kind unless --all
        show_lines(*shown)
        print(f"{options.out} is up to date ({time.perf_counter() - started:.2f} s)")
        return EXIT_OK
    from ..build import build
    from ..output.write import MARKER

    if stamp is not None:
        stamp.forget()  # a build that fails half-way must not leave a claim of freshness
    result = build(options, jobs)
    code = print_report(result.report, everything=everything)
    if code == EXIT_OK:
        if stamp is not None:
            stamp.save(result.report, [*result.pages, *result.written, MARKER])
        print(_summary(result, time.perf_counter() - started))
    return code


def _summary(result, seconds: float) -> str:  # type: ignore[no-untyped-def]
    html = [name for name in result.pages if name.endswith(".html")]
    pages = " + ".join(f"{sum(1 for n in html if n.startswith(url_lang(loc) + '/'))} {loc}" for loc in LOCALES)
    guides = result.site.guides.values() if result.site else []
    hand = sum(1 for g in guides if g.hant is not None)
    return f"built {pages} pages (zh-Hant guides: {len(guides) - hand} converted, {hand} hand-written), {len(result.report.warnings)} warnings, in {seconds:.2f} s"
