"""Benchmark: `python bench/run.py [N ...]` (default 1000 10000).

For each N: generate the corpus, then time (median of --runs) a cold `sitegen build` (both
scripts, no cache) and a no-change rebuild, with peak memory; if `hugo` is on PATH, the same
corpus is built by Hugo (one script) in the same run and ratios are printed. Old outputs are
moved aside, never deleted between timed runs (deleting 10,000 files right before writing
10,000 distorts the figure on this disk).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, sample: bool = False) -> tuple[float, int]:
    """Wall seconds of one command and, when sampling, its peak memory (KiB, else 0).

    Memory is the largest sum over the process tree of each process's PSS (proportional set
    size: pages shared between forked workers are counted once, split between them), sampled
    every 20 ms from /proc. A single process (Hugo) has PSS close to its RSS. Reading PSS walks
    a process's page tables, which costs enough CPU to slow a build on two cores: timed runs
    do not sample, a separate run does."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=out)
        peak = 0
        while sample and proc.poll() is None:
            peak = max(peak, tree_pss(proc.pid))
            time.sleep(0.02)
        proc.wait()
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            out.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out.read()[-4000:].decode(errors='replace')}")
    return elapsed, peak


def tree_pss(pid: int) -> int:
    """Sum of PSS (KiB) of a process and its descendants; 0 where /proc cannot tell."""
    total = 0
    for p in [pid, *descendants(pid)]:
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def descendants(pid: int) -> list[int]:
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return children + [d for c in children for d in descendants(c)]


def aside(path: Path, graveyard: Path) -> None:
    if path.exists():
        path.rename(graveyard / f"{path.name}-{time.monotonic_ns()}")


Figures = dict[str, list[float]]


def one_run(
    cmd: list[str],
    cwd: Path,
    moved: list[Path],
    graveyard: Path,
    figures: Figures,
    env: dict[str, str] | None = None,
    sample: bool = False,
) -> None:
    """A cold build (its outputs and caches moved aside first), then a no-change rebuild;
    either their times or (sample) their peak memory."""
    for path in moved:
        aside(path, graveyard)
    for kind in ("cold", "rebuild"):
        seconds, mem = timed(cmd, cwd, env, sample)
        if sample:
            figures.setdefault(f"{kind}_mem", []).append(mem)
        else:
            figures.setdefault(kind, []).append(seconds)


def bench(site: Path, hugo: Path, runs: int, graveyard: Path, search: bool) -> tuple[Figures, Figures | None]:
    """Each sitegen run paired with a Hugo run right after it, so drift hits both alike."""
    ours: Figures = {}
    theirs: Figures | None = {} if shutil.which("hugo") else None
    cmd = [
        sys.executable,
        "-m",
        "sitegen.cli",
        "build",
        "--root",
        str(REPO),
        "--content",
        str(site / "content"),
        "--out",
        str(site / "public"),
    ] + ([] if search else ["--no-search"])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for run in range(runs + 1):  # the last run measures memory
        sample = run == runs
        one_run(cmd, site, [site / "public", REPO / ".sitegen-cache"], graveyard, ours, env, sample)
        if theirs is not None:
            one_run(
                [str(shutil.which("hugo")), "--quiet"],
                hugo,
                [hugo / "public", hugo / "resources"],
                graveyard,
                theirs,
                sample=sample,
            )
    return ours, theirs


def paired(ours: list[float], theirs: list[float]) -> float:
    """The median of the ratios of runs made side by side."""
    return statistics.median(x / max(y, 1e-9) for x, y in zip(ours, theirs, strict=False))


def hugo_version() -> str:
    exe = shutil.which("hugo")
    return (
        subprocess.run([exe, "version"], capture_output=True, text=True, check=False).stdout.strip()
        if exe
        else "not installed"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--search",
        action="store_true",
        help="include the Pagefind index (Hugo builds none, so ratios are then not like for like)",
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"hugo: {hugo_version()}"
    )
    report = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-", dir=os.environ.get("BENCH_TMP")) as tmp:
            root = Path(tmp)
            graveyard = root / "aside"
            graveyard.mkdir()
            site, hugo = write_corpus(root, n)
            ours, theirs = bench(site, hugo, args.runs, graveyard, args.search)
        med = {k: statistics.median(v) for k, v in ours.items()}
        line = (
            f"N={n}: sitegen (2 scripts{', with search' if args.search else ''}) cold {med['cold']:.2f} s, "
            f"no-change rebuild {med['rebuild']:.2f} s, peak {med['cold_mem'] / 1024:.0f} MiB"
        )
        if theirs:
            hm = {k: statistics.median(v) for k, v in theirs.items()}

            line += (
                f"; hugo (1 script) cold {hm['cold']:.2f} s, peak {hm['cold_mem'] / 1024:.0f} MiB; "
                f"paired ratios: cold {paired(ours['cold'], theirs['cold']):.2f}x, rebuild/hugo-cold "
                f"{paired(ours['rebuild'], theirs['cold']):.3f}x, memory "
                f"{paired(ours['cold_mem'], theirs['cold_mem']):.2f}x"
            )
        print("  runs: " + json.dumps({"sitegen": ours, "hugo": theirs}), flush=True)
        print(line, flush=True)
        report[n] = {"sitegen": ours, "hugo": theirs}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
