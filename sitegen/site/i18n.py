"""Babel: UI message catalogs, dates, numbers and the house price format, per locale."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..diagnostics import Report
from ..model import HANS, HANT

BABEL_LOCALES = {HANS: "zh_Hans_CN", HANT: "zh_Hant_TW"}  # the one place a BCP 47 tag becomes a Babel locale


def catalog_path(i18n_dir: Path, locale: str) -> Path:
    return i18n_dir / locale.replace("-", "_") / "LC_MESSAGES" / "messages.po"  # zh_Hans, zh_Hant


@dataclass
class Messages:
    """Translated UI strings of one locale; lookups of a missing string are remembered."""

    locale: str
    table: dict[str, str | tuple[str, ...]]
    missing: set[str] = field(default_factory=set)
    reported: set[str] = field(default_factory=set)  # untranslated or fuzzy, reported at its line

    def gettext(self, msgid: str) -> str:
        found = self.table.get(msgid)
        if not isinstance(found, str) or not found:
            self._miss(msgid)
            return msgid
        return found

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Chinese has one plural form: the catalog's first form serves every count.
        found = self.table.get(singular)
        if isinstance(found, tuple) and found and found[0]:
            return found[0]
        self._miss(singular)
        return singular if n == 1 else plural

    def _miss(self, msgid: str) -> None:
        if msgid not in self.reported:
            self.missing.add(msgid)


def load_messages(i18n_dir: Path, locale: str, name: str, report: Report) -> Messages:
    """Read one .po catalog; fuzzy entries count as untranslated."""
    from babel.messages.pofile import PoFileError, read_po

    path = catalog_path(i18n_dir, locale)
    if not path.is_file():
        report.error(name, 1, f"UI catalog for {locale} not found; run `sitegen i18n update` to create it")
        return Messages(locale, {})
    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=BABEL_LOCALES[locale], abort_invalid=True)
    except (PoFileError, ValueError) as err:  # UnicodeDecodeError is a ValueError
        report.error(name, getattr(err, "lineno", 1) or 1, f"UI catalog cannot be read: {err}")
        return Messages(locale, {})
    table: dict[str, str | tuple[str, ...]] = {}
    reported: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        key = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
        value = tuple(message.string) if isinstance(message.string, (tuple, list)) else message.string
        if message.fuzzy:
            problem = "is marked fuzzy; review the translation and remove the fuzzy flag"
        elif not value or (isinstance(value, tuple) and not all(value)):
            problem = "is not translated; fill in its msgstr"
        else:
            table[key] = value
            continue
        reported.add(key)
        report.error(name, message.lineno or 1, f"UI string {key!r} {problem}")
    return Messages(locale, table, reported=reported)


@functools.lru_cache(maxsize=4096)  # a site uses few dates, on thousands of pages
def format_date(value: dt.date, locale: str) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="long", locale=BABEL_LOCALES[locale])


def format_manat(value: str | float | Decimal, locale: str) -> str:
    """The house price format, everywhere: '15 AZN', '0.10 AZN' (no-break space)."""
    from babel.numbers import format_decimal

    amount = Decimal(str(value))
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return f"{format_decimal(amount, format=pattern, locale=BABEL_LOCALES[locale])}\u00a0AZN"


@functools.cache
def babel_data(locale: str) -> Any:
    """Babel's data of a locale: names of territories (.territories) and currencies (.currencies)."""
    from babel import Locale

    return Locale.parse(BABEL_LOCALES[locale])
