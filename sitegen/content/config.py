"""content/site.yaml: the site's settings, validated into one frozen dataclass."""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Report
from ..model import Conversion, SiteConfig
from .schema import Where, as_str, as_text, as_url, check_mapping

REQUIRED = ("title", "base_url")
OPTIONAL = ("description", "repo_url", "external_hosts", "conversion", "offline")
OPENCC_PROFILES = ("s2tw", "s2twp", "s2t", "s2hk")


def parse_config(data: object, path: str, report: Report) -> SiteConfig | None:
    """Validate site.yaml's data; None (with diagnostics) when it is unusable."""
    where = Where(path, report, data)
    if not check_mapping(where, "site.yaml", REQUIRED, OPTIONAL):
        return None
    title = as_text(where, "title", "site.yaml")
    base_url = as_url(where, "base_url", "site.yaml", ("https", "http"))
    if title is None or base_url is None:
        return None
    assert where.data is not None
    description = as_text(where, "description", "site.yaml") if "description" in where.data else None
    repo_url = as_url(where, "repo_url", "site.yaml") if "repo_url" in where.data else None
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    offline = where.data.get("offline", True)
    if not isinstance(offline, bool):
        where.error("offline", "site.yaml: 'offline' must be true or false")
        offline = True
    return SiteConfig(title, base_url, description, repo_url, _hosts(where), _conversion(where), offline)


def override(config: SiteConfig, base_url: str | None, repo_url: str | None) -> SiteConfig:
    """The settings with the command line's --base-url and --repo-url, where given."""
    if base_url:
        config = replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return replace(config, repo_url=repo_url) if repo_url else config


def _hosts(where: Where) -> tuple[str, ...]:
    assert where.data is not None
    hosts = where.data.get("external_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) and h.strip() for h in hosts):
        where.error("external_hosts", "site.yaml: 'external_hosts' must be a list of host names")
        return ()
    bad = [h for h in hosts if "/" in h or ":" in h or " " in h.strip()]
    for host in bad:
        message = f"site.yaml: external_hosts: write a bare host name like 'www.e-gov.az', not {host!r}"
        where.error("external_hosts", message)
    return tuple(sorted({h.strip().lower() for h in hosts if h not in bad}))


def _conversion(where: Where) -> Conversion:
    assert where.data is not None
    data = where.data.get("conversion")
    if data is None:
        return Conversion()
    sub = Where(where.path, where.report, data, where.at("conversion"))
    keys = ("glossary", "rules", "terms", "vocabulary")
    if not check_mapping(sub, "site.yaml: conversion", (), ("opencc", *keys)):
        return Conversion()
    profile = as_str(sub, "opencc", "conversion") if "opencc" in data else "s2tw"
    if profile not in OPENCC_PROFILES:
        sub.error("opencc", f"conversion: 'opencc' must be one of {', '.join(OPENCC_PROFILES)} (got {profile!r})")
        profile = "s2tw"
    paths = {k: (as_str(sub, k, "conversion") if k in data else None) or getattr(Conversion, k) for k in keys}
    return Conversion(opencc=profile or "s2tw", **paths)
