"""Content rules that keep the site trustworthy: official links only, no promotion, facts not retyped."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .assemble import GuideDoc, Site
from .diagnostics import Report
from .facts import is_dialable

PROMOTION = re.compile(
    r"(?i)(t\.me/|telegram\.(me|org|dog)|wa\.me/|chat\.whatsapp\.com|api\.whatsapp\.com|"
    r"weixin\.qq\.com|u\.wechat\.com|line\.me/|viber\.click|"
    r"\b(bit\.ly|tinyurl\.com|goo\.gl|t\.co|is\.gd|ow\.ly|cutt\.ly|rebrand\.ly|shorturl\.at|t\.cn|dwz\.cn)/|"
    r"(微信|weixin|wechat|telegram|whatsapp|电报|飞机|tg)\s*(号|群|id)?\s*[:：]?\s*@?[A-Za-z][A-Za-z0-9_.-]{3,}|"
    r"加\s*(微信|v信|vx|wx|telegram|电报)|代充)"
)
# ASCII-only lookarounds: a code typed right next to Chinese text must still be found.
USSD = re.compile(r"(?<![0-9A-Za-z])[*#]\d[\d*#]*#")
PHONE = re.compile(r"(?<![0-9A-Za-z.])\+?\d[\d \-]{5,}\d(?![0-9A-Za-z.])")


def allowed_host(host: str, site: Site) -> bool:
    """Operators' domains (and their subdomains) and the hosts listed in site.yaml."""
    host = host.lower().rstrip(".")
    allowed = {_registered(urlsplit(op.website).hostname or "") for op in site.content.operators.values()}
    allowed |= set(site.config.external_hosts)
    return any(host == a or host.endswith("." + a) for a in allowed if a)


def _registered(host: str) -> str:
    return host.removeprefix("www.")


def lint_site(site: Site, report: Report) -> None:
    # Codes and phone numbers only: amounts and day counts (facts with a unit) are not codes.
    dialable = {f.value.removesuffix("YES") for f in site.content.all_facts()
                if is_dialable(f.value) and f.unit is None}
    for doc in site.docs.values():
        for parsed, source in _sources(doc):
            _check_promotion(source.src, source.body, source.body_line, report)
            for line, url in parsed.external:
                host = urlsplit(url).hostname or ""
                if url.lower().startswith(("http://", "https://")) and not allowed_host(host, site):
                    report.error(source.src, line, f"external link to '{host}' is not on the allow-list; "
                                 "link only to official sites, or add the host to external_hosts in "
                                 "site.yaml if it is official")
            for line, text, _ in parsed.prose:
                _check_typed_codes(source.src, line, text, dialable, report)


def _sources(doc: GuideDoc) -> list:  # type: ignore[type-arg]
    pairs = [(doc.hans, doc.guide.hans)]
    if doc.hant is not None and doc.guide.hant is not None:
        pairs.append((doc.hant, doc.guide.hant))
    return pairs


def _check_promotion(src: str, body: str, first_line: int, report: Report) -> None:
    if not PROMOTION.search(body):
        return  # the common case: one scan of the whole body
    for offset, line in enumerate(body.split("\n")):
        match = PROMOTION.search(line)
        if match:
            report.error(src, first_line + offset, f"promotion is not allowed ('{match.group(0).strip()}'): "
                         "no messaging-app handles, resellers or link shorteners; link only to "
                         "official sites")


def _check_typed_codes(src: str, line: int, text: str, dialable: set[str], report: Report) -> None:
    found = USSD.findall(text) + PHONE.findall(text)
    found += [v for v in dialable
              if len(v) >= 3 and re.search(rf"(?<![0-9A-Za-z*#]){re.escape(v)}(?![0-9A-Za-z*#])", text)]
    for code in sorted(set(found)):
        report.warning(src, line, f"'{code.strip()}' is typed into the text; reference the fact "
                       "instead, e.g. {{operator.key}}, so it is sourced and kept up to date")
