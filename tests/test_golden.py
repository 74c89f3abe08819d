"""The fixture site built into a temporary folder equals the checked-in golden tree.

After an intended change: `python -m tests.regen_golden`, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SITE, tree


def test_fixture_site_matches_golden_tree(built_site: Path) -> None:
    expected, actual = tree(SITE / "expected"), tree(built_site)
    assert sorted(actual) == sorted(expected)
    changed = [name for name in expected if actual[name] != expected[name]]
    assert changed == [], f"differs from golden (regenerate with python -m tests.regen_golden): {changed}"
