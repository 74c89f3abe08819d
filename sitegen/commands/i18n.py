"""`sitegen i18n extract|update`: keep the UI message catalogs in step with the templates.

The build reads the .po files directly, so there is no compile step to forget.
"""

from __future__ import annotations

from pathlib import Path

from ..model import LOCALES
from ..site.i18n import BABEL_LOCALES, catalog_path

METHOD_MAP = [("sitegen/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extract(root: Path):  # type: ignore[no-untyped-def]
    """Every translatable string in sitegen/ and templates/, as a Babel catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="sitegen", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(str(root), METHOD_MAP, OPTIONS):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def write_template(root: Path) -> Path:
    from babel.messages.pofile import write_po

    path = root / "i18n" / "messages.pot"
    with path.open("wb") as fh:
        write_po(fh, extract(root), omit_header=True, no_location=True, sort_output=True, width=100)
    return path


def update_catalogs(root: Path) -> list[Path]:
    """Merge new strings into each locale's .po (new ones empty, changed ones fuzzy)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract(root)
    written = []
    for locale in LOCALES:
        path = catalog_path(root / "i18n", locale)
        if path.is_file():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=BABEL_LOCALES[locale])
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=BABEL_LOCALES[locale], project="sitegen", fuzzy=False)
        template.creation_date = catalog.creation_date  # keep the header stable between updates
        catalog.update(template, no_fuzzy_matching=False)
        with path.open("wb") as fh:
            write_po(fh, catalog, no_location=True, sort_output=True, width=100, ignore_obsolete=True)
        written.append(path)
    return written
