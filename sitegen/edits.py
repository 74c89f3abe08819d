"""Edits that change only guide bodies, applied to the last build (sitegen serve).

When every changed file is an existing guide whose front matter is exactly as before, no other
page can change but that guide's two pages and its operator's printable page: listings, URLs,
links and conversions all come from front matter. So those are rendered again and the rest of
the last build is kept, in milliseconds however large the site. Anything else (a new, removed
or renamed file, changed front matter, any other file, a build that had errors) returns None,
and the caller rebuilds (with its memo).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from jinja2 import TemplateError

from .assemble import Site
from .build import Result, operator_bodies, report_missing_strings
from .diagnostics import Report
from .discover import HANT_SUFFIX, Reader, read_source
from .guides import process_guide, report_guides
from .model import Guide, Options


def apply_body_edits(previous: Result | None, options: Options, changed: frozenset[Path]) -> Result | None:
    """The previous build with the edited guides rendered again, or None (rebuild instead)."""
    if previous is None or previous.site is None or previous.renderer is None or previous.report.errors \
            or not changed:
        return None
    site, renderer = previous.site, previous.renderer
    edited = _edited_guides(previous, options, changed)
    if edited is None:
        return None
    guides = dict(previous.guides)
    files = dict(previous.files)
    for guide in edited:
        try:
            result, pages = process_guide(site, renderer, guide)
        except TemplateError:
            return None  # let the full build report it
        result.pages = list(pages)
        guides[guide.key] = result
        files.update(pages)
    site = _with_guides(site, edited)
    report = Report(list(previous.before_guides))
    report_guides(guides, report)
    if not report.errors:
        for op_id in sorted({g.operator for g in edited if g.operator}):
            files.update(renderer.print_pages(op_id, operator_bodies(site, guides, op_id)))
        report_missing_strings(previous.messages, options.root, report)
    return dataclasses.replace(previous, site=site, report=report, files=files, guides=guides)


def _with_guides(site: Site, edited: list[Guide]) -> Site:
    """A copy of the site with these guides' new sources; the last build stays as it was. (Its
    renderer keeps the old copy: it reads only front matter, which is the same.)"""
    new = {g.key: g for g in edited}
    content = dataclasses.replace(site.content, guides=[new.get(g.key, g) for g in site.content.guides])
    return dataclasses.replace(site, content=content, guides={k: new.get(k, g) for k, g in site.guides.items()})


def _edited_guides(previous: Result, options: Options, changed: frozenset[Path]) -> list[Guide] | None:
    """The guides with their new sources, if every change is a body edit of a known guide."""
    assert previous.site is not None
    reader = Reader(options.content, options.root, Report())
    content = options.content.absolute()
    known = {(g.hans.src if not hant else g.hant.src): (g.key, hant) for g in previous.site.guides.values()
             for hant in (False, True) if not hant or g.hant is not None}
    edited: dict[str, Guide] = {}
    for path in changed:
        try:  # the path discover reads: the content folder as given, then the rest
            file = options.content / Path(path).absolute().relative_to(content)
        except ValueError:
            return None
        name = reader.name(file)
        if name not in known or any(d.path == name for d in previous.before_guides):
            return None
        key, hant = known[name]
        guide = edited.get(key) or previous.site.guides[key]
        old = guide.hant if hant else guide.hans
        new = read_source(reader, file)
        if new is None or reader.report.items or old is None or new.meta != old.meta or \
                name.endswith(HANT_SUFFIX) != hant:
            return None
        edited[key] = dataclasses.replace(guide, **{"hant" if hant else "hans": new})
    return list(edited.values())
