"""Plain data for the site, shared by every stage: no I/O here."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

HANS = "zh-Hans"
HANT = "zh-Hant"
LOCALES = (HANS, HANT)
HANT_SUFFIX = f".{HANT}.md"
GENERAL = "general"  # the owner of facts not tied to one operator: {{general.key}}


def source_of(name: str) -> str:
    """The zh-Hans source a file stands for: a hand-written zh-Hant file's, or the file itself."""
    return name.removesuffix(HANT_SUFFIX) + ".md" if name.endswith(HANT_SUFFIX) else name


def check_url(value: str, schemes: tuple[str, ...] = ("https",)) -> bool:
    """A full URL with one of these schemes, a host and an optional path."""
    return bool(re.fullmatch(rf"({'|'.join(schemes)})://[A-Za-z0-9.-]+(:\d+)?(/\S*)?", value))


def url_lang(locale: str) -> str:
    """The URL segment of a locale: 'zh-hans', 'zh-hant'."""
    return locale.lower()


def page_path(key: str, locale: str) -> str:
    """Output folder of a page key: '' is the home page, 'nar' an operator, 'nar/top-up' a guide."""
    return f"{url_lang(locale)}/{key}/" if key else f"{url_lang(locale)}/"


def build_date() -> dt.date:
    """'Today' for a build or check: SOURCE_DATE_EPOCH when set, so results are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def next_check(checked: dt.date) -> dt.date:
    """The day a check falls due again: 12 months later (29 February becomes 28 February)."""
    try:
        return checked.replace(year=checked.year + 1)
    except ValueError:
        return checked.replace(year=checked.year + 1, day=28)


@dataclass(frozen=True)
class Options:
    """What a build is asked to do (the CLI's flags)."""

    root: Path
    content: Path
    out: Path
    base_url: str | None = None
    repo_url: str | None = None
    drafts: bool = False
    search: bool = True
    today: dt.date | None = None  # the build date, for facts due for a check (None: the real date)


@dataclass(frozen=True)
class Text:
    """Chinese text in the source script, with an optional hand-written zh-Hant form."""

    hans: str
    hant: str | None = None


@dataclass(frozen=True)
class Conversion:
    opencc: str = "s2tw"
    glossary: str = "i18n/glossary"  # a folder of .tsv files (one per domain) or one .tsv file
    rules: str = "i18n/rules.yaml"  # context rules; optional
    terms: str = "i18n/mainland-terms.tsv"  # forms no zh-Hant page may use; optional
    vocabulary: str = "i18n/vocabulary.tsv"  # concepts converted and hand-written pages share


@dataclass(frozen=True)
class SiteConfig:
    title: Text
    base_url: str  # always ends with '/'
    description: Text | None = None
    repo_url: str | None = None
    external_hosts: tuple[str, ...] = ()
    conversion: Conversion = Conversion()
    offline: bool = True  # a service worker keeps every page of a script for offline reading

    @functools.cached_property  # asked for on every URL of every page
    def base_path(self) -> str:
        """The URL path the site lives under, '/' or '/repo/'."""
        return "/" + self.base_url.split("://", 1)[-1].partition("/")[2]


@dataclass(frozen=True)
class Fact:
    owner: str  # operator id or 'general'
    key: str
    value: str
    source: str
    checked: dt.date  # the day someone opened the source and saw it say this
    src: str
    line: int
    as_of: dt.date | None = None  # the date the source states, if it states one
    since: dt.date | None = None  # the day the rule took effect, shown with the value
    label: Text | None = None
    note: Text | None = None
    unit: str | None = None
    ref: str | None = None
    history: bool = False  # a superseded rule, kept to explain a change; never due

    @property
    def ref_key(self) -> str:
        return f"{self.owner}.{self.key}"

    def due(self, today: dt.date) -> bool:
        """Whether the source should be opened again: checked more than 12 months ago."""
        return not self.history and next_check(self.checked) < today


@dataclass(frozen=True)
class Operator:
    id: str
    name: str
    website: str
    src: str
    summary: Text | None = None
    facts: tuple[Fact, ...] = ()

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)


@dataclass(frozen=True)
class Topic:
    id: str
    title: Text
    summary: Text
    line: int
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrontMatter:
    title: str
    summary: str
    updated: dt.date
    sources: tuple[str, ...] = ()
    draft: bool = False
    order: int = 0
    translated_from: str | None = None
    checked: dt.date | None = None  # when the text was last checked against its sources


@dataclass(frozen=True)
class Source:
    """One Markdown file: front matter plus body, with the body's first line number."""

    src: str  # path relative to the project root, as every message names it
    meta: FrontMatter
    body: str
    body_line: int
    digest: str  # hash of the normalised file text, for stale-translation checks


@dataclass(frozen=True)
class Guide:
    """A guide in both scripts: the zh-Hans source and an optional hand-written zh-Hant file."""

    key: str  # 'azercell/top-up' or 'buy-sim'
    operator: str | None
    topic: str | None
    hans: Source
    hant: Source | None = None

    @property
    def slug(self) -> str:
        return self.key.rsplit("/", 1)[-1]

    def sources(self) -> tuple[Source, ...]:
        return (self.hans,) if self.hant is None else (self.hans, self.hant)
