"""Benchmark: `python bench/run.py [N ...] [--corpus heavy|light] [--runs 3]` (default N: 1000 5000 10000).

For each N, a corpus of N guides (bench/corpus.py) is written once, then each run measures, in
pairs made one right after the other so that drift on the machine hits both sides alike:

- default: `sitegen build --no-cache` (both scripts, search included), against Hugo then stock
  Pagefind (`python -m pagefind --site public`), what a Hugo user runs for one script;
- pipeline: `sitegen build --no-cache --no-search`, against Hugo alone;
- rebuild: `sitegen build` with no cache (the first build a user runs; it writes the cache), then
  the same again (nothing changed), against the Hugo time of the same run; the output is then
  compared with the default build's, file by file.

After the runs, one more of each side measures peak memory (the whole process tree's PSS).
Ratios are medians of the paired runs' ratios. Every sitegen and Hugo output, and the cache, is
moved aside before the next build and deleted only when the script ends: deleting 10,000 files
right before writing 10,000 slows the build that follows on these disks.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import CORPORA, write_corpus

REPO = Path(__file__).resolve().parent.parent
MEASURES = ("default", "pipeline", "rebuild", "memory")
# A fixed build date: facts become "due" (a warning) a year after they were checked, so without
# it the warning count, and what the build prints, would change with the calendar.
SOURCE_DATE_EPOCH = "1796083200"  # 2026-12-01


@dataclass
class Result:
    seconds: float  # wall
    cpu: float  # user + system seconds of the command and every descendant it waited for
    others: float  # CPU seconds the rest of the machine used meanwhile
    peak_kib: int = 0  # only when sampled
    output: str = ""  # what the command printed, stdout and stderr together

    def __add__(self, other: Result) -> Result:
        """Two commands run one after the other: times add up, memory is the larger peak."""
        return Result(
            self.seconds + other.seconds,
            self.cpu + other.cpu,
            self.others + other.others,
            max(self.peak_kib, other.peak_kib),
            self.output + other.output,
        )


def busy_jiffies() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat; iowait counts as idle."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])  # guest time is already inside user
    return total - idle, total


@dataclass
class Quiet:
    """Waiting for a quiet machine: on a shared machine other jobs (test suites, browsers) take
    whole cores, and a build sharing two cores with them takes twice as long. Before each timed
    command, wait until the rest of the machine used less than max_busy of its CPUs over 3 s,
    at most max_wait seconds; what was seen is recorded either way."""

    max_busy: float = 0.25
    max_wait: float = 120
    seen: list[float] = field(default_factory=list)

    def wait(self) -> None:
        deadline = time.monotonic() + self.max_wait
        while True:
            b0, t0 = busy_jiffies()
            time.sleep(3)
            b1, t1 = busy_jiffies()
            busy = (b1 - b0) / max(t1 - t0, 1)
            if busy <= self.max_busy or time.monotonic() > deadline:
                self.seen.append(round(busy, 3))
                return


QUIET = Quiet()


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, sample: bool = False) -> Result:
    """Wall and CPU time of one command, the CPU the rest of the machine used meanwhile, and
    when sampling its peak memory.

    CPU time comes from wait4's resource usage, which includes every descendant the command
    waited for (sitegen's workers, the Pagefind it runs). The others' figure is the machine's
    busy time from /proc/stat less ours: a run where it is large shared the cores.

    Memory is the largest sum over the process tree of each process's PSS (proportional set
    size: pages shared between forked workers are counted once, split between them), sampled
    every 20 ms from /proc. A single process (Hugo, Pagefind) has PSS close to its RSS. Reading
    PSS walks a process's page tables, which costs enough CPU to slow a build on two cores:
    timed runs do not sample, a separate run does.

    Dirty pages of the previous build are flushed first (not timed): otherwise their writeback
    lands in the middle of the next build, which is usually the other side's."""
    os.sync()
    QUIET.wait()
    with tempfile.TemporaryFile() as out:
        busy0, _ = busy_jiffies()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=out)
        peak = 0
        while True:  # wait4 rather than Popen.poll/wait, which reap the child and drop its usage
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
            if pid:
                break
            peak = max(peak, tree_pss(proc.pid))
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        busy1, _ = busy_jiffies()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output[-4000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    machine_cpu = (busy1 - busy0) / os.sysconf("SC_CLK_TCK")
    return Result(elapsed, cpu, max(machine_cpu - cpu, 0.0), peak, output)


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
    """Children of every thread, not only the main one: a process started from a helper thread
    (a pool's worker replaced by its handler thread, a subprocess run from a thread) is listed
    under that thread's /proc/PID/task/TID/children."""
    children = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for tid in threads:
        try:
            children += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            continue
    return children + [d for c in children for d in descendants(c)]


class Session:
    """One corpus and the commands that build it; old outputs go to a graveyard folder."""

    def __init__(self, site: Path, hugo: Path, graveyard: Path) -> None:
        self.site, self.hugo, self.graveyard = site, hugo, graveyard
        self.public = site / "public"
        self.env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        self.hugo_exe = shutil.which("hugo")

    def aside(self, *paths: Path) -> None:
        for path in paths:
            if path.exists():
                try:
                    path.rename(self.graveyard / f"{path.name}-{time.monotonic_ns()}")
                except OSError:  # the cache, when the graveyard is on another disk: it is small
                    shutil.rmtree(path)

    def sitegen(self, *flags: str, sample: bool = False, keep: bool = False) -> Result:
        """`sitegen build` run as a user runs it, from the checkout; unless keep, the last output
        and the cache are moved aside first, so the build starts from nothing."""
        if not keep:
            self.aside(self.public, REPO / ".sitegen-cache")
        cmd = [
            sys.executable,
            "-m",
            "sitegen.cli",
            "build",
            "--root",
            str(REPO),
            "--content",
            str(self.site / "content"),
            "--out",
            str(self.public),
            *flags,
        ]
        return timed(cmd, REPO, self.env, sample)

    def hugo_build(self, sample: bool = False) -> Result:
        self.aside(self.hugo / "public", self.hugo / "resources")
        return timed([self.hugo_exe, "--quiet"], self.hugo, sample=sample)

    def pagefind(self, sample: bool = False) -> Result:
        """Stock Pagefind over Hugo's output (the extended build, which segments Chinese)."""
        return timed([sys.executable, "-m", "pagefind", "--site", "public"], self.hugo, sample=sample)


Figures = dict[str, list[float]]


@dataclass
class Report:
    """Every figure of every run, by name; lists in run order."""

    figures: Figures = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.figures.setdefault(name, []).append(value)

    def timing(self, name: str, result: Result) -> None:
        """name_s (wall), name_cpu_s and name_others_s, and a line to follow a long session by."""
        self.add(f"{name}_s", result.seconds)
        self.add(f"{name}_cpu_s", result.cpu)
        self.add(f"{name}_others_s", result.others)
        print(
            f"    {name}: {result.seconds:.2f} s wall, {result.cpu:.2f} s CPU "
            f"(others on the machine meanwhile: {result.others:.2f} s CPU)",
            flush=True,
        )


def warnings_of(output: str) -> tuple[int, int]:
    """(warning lines printed, warnings counted by the build's summary line)."""
    lines = sum(1 for line in output.splitlines() if ": warning: " in line or line.startswith("... and "))
    total = re.search(r"(\d+) warnings, in ", output)
    return lines, int(total.group(1)) if total else -1


def index_size(folder: Path) -> tuple[int, int]:
    """(bytes on disk as `du` counts them, number of files) of a search index folder."""
    du = subprocess.run(["du", "-s", "--block-size=1", str(folder)], capture_output=True, text=True, check=True)
    return int(du.stdout.split()[0]), sum(len(files) for _, _, files in os.walk(folder))


def digests(folder: Path) -> dict[str, str]:
    """Path -> SHA-256 of every file under folder, to tell whether two builds are byte-identical."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_default(s: Session, r: Report) -> dict[str, str] | None:
    """sitegen with search against Hugo + Pagefind; returns the output's digests on the first run."""
    ours = s.sitegen("--no-cache")
    r.timing("sitegen_default", ours)
    lines, total = warnings_of(ours.output)
    r.add("warning_lines", lines)
    r.add("warnings", total)
    size, files = index_size(s.public / "pagefind")
    r.add("sitegen_index_bytes", size)
    r.add("sitegen_index_files", files)
    first = digests(s.public) if len(r.figures["sitegen_default_s"]) == 1 else None
    hugo, pagefind = s.hugo_build(), s.pagefind()
    r.timing("hugo", hugo)
    r.timing("pagefind", pagefind)
    r.timing("hugo_pagefind", hugo + pagefind)
    size, files = index_size(s.hugo / "public" / "pagefind")
    r.add("pagefind_index_bytes", size)
    r.add("pagefind_index_files", files)
    words = re.search(r"Indexed (\d+) words", pagefind.output)  # the corpus's vocabulary, as Pagefind splits it
    r.add("pagefind_words", int(words.group(1)) if words else -1)
    return first


def run_pipeline(s: Session, r: Report) -> None:
    r.timing("sitegen_pipeline", s.sitegen("--no-cache", "--no-search"))
    r.timing("hugo_alone", s.hugo_build())


def run_rebuild(s: Session, r: Report, reference: dict[str, str] | None) -> None:
    """The first build a user runs (no cache yet; it writes one), then a no-change rebuild.
    Paired with this run's Hugo build (the pipeline's, else one made here)."""
    r.timing("sitegen_first", s.sitegen())
    rebuild = s.sitegen(keep=True)
    r.timing("sitegen_rebuild", rebuild)
    if len(r.figures.get("hugo_alone_s", [])) < len(r.figures["sitegen_rebuild_s"]):
        r.timing("hugo_alone", s.hugo_build())
    r.notes.setdefault("rebuild_said", rebuild.output.strip().splitlines()[-1:])
    if reference is not None and "rebuild_identical" not in r.notes:
        now = digests(s.public)
        differ = sorted(k for k in reference.keys() | now.keys() if reference.get(k) != now.get(k))
        r.notes["rebuild_identical"] = not differ
        r.notes["rebuild_differing_files"] = [len(differ), differ[:5]]


def run_memory(s: Session, r: Report, measures: list[str]) -> None:
    """Peak memory of each side's process tree, one sampled run each (see timed)."""
    if "default" in measures:
        r.add("sitegen_default_kib", s.sitegen("--no-cache", sample=True).peak_kib)
        hugo, pagefind = s.hugo_build(sample=True), s.pagefind(sample=True)
        r.add("hugo_kib", hugo.peak_kib)
        r.add("pagefind_kib", pagefind.peak_kib)
        r.add("hugo_pagefind_kib", (hugo + pagefind).peak_kib)
    if "pipeline" in measures:
        r.add("sitegen_pipeline_kib", s.sitegen("--no-cache", "--no-search", sample=True).peak_kib)
        if "hugo_kib" not in r.figures:
            r.add("hugo_kib", s.hugo_build(sample=True).peak_kib)
    print(
        "    peak memory (MiB): "
        + ", ".join(f"{k.removesuffix('_kib')} {v[-1] / 1024:.0f}" for k, v in r.figures.items() if k.endswith("_kib")),
        flush=True,
    )


def bench(s: Session, runs: int, measures: list[str]) -> Report:
    r = Report()
    reference = None
    for run in range(runs):
        print(f"  run {run + 1}", flush=True)
        if "default" in measures:
            reference = run_default(s, r) or reference
        if "pipeline" in measures:
            run_pipeline(s, r)
        if "rebuild" in measures:
            run_rebuild(s, r, reference)
    if "memory" in measures:
        print("  memory", flush=True)
        run_memory(s, r, measures)
    r.notes["busy_before_each_command"] = QUIET.seen[:]
    QUIET.seen.clear()
    return r


def shown(value: float) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def paired(ours: list[float], theirs: list[float]) -> float:
    """The median of the ratios of runs made side by side."""
    return statistics.median(x / max(y, 1e-9) for x, y in zip(ours, theirs, strict=False))


def compared(f: Figures, ours: str, theirs: str) -> str:
    """Medians of both sides (wall and CPU), the paired ratios of both, and how much CPU the
    rest of the machine took meanwhile (0 on a quiet machine)."""
    med = {k: statistics.median(f[k]) for k in (f"{ours}_s", f"{ours}_cpu_s", f"{theirs}_s", f"{theirs}_cpu_s")}
    others = statistics.median(a + b for a, b in zip(f[f"{ours}_others_s"], f[f"{theirs}_others_s"], strict=True))
    return (
        f"{med[f'{ours}_s']:.2f} s ({med[f'{ours}_cpu_s']:.1f} s CPU) against {med[f'{theirs}_s']:.2f} s "
        f"({med[f'{theirs}_cpu_s']:.1f} s CPU); paired ratio {paired(f[f'{ours}_s'], f[f'{theirs}_s']):.2f}x, "
        f"of CPU {paired(f[f'{ours}_cpu_s'], f[f'{theirs}_cpu_s']):.2f}x; others' CPU meanwhile {others:.1f} s"
    )


def summary(n: int, r: Report) -> list[str]:
    f = r.figures
    med = {k: statistics.median(v) for k, v in f.items()}
    lines = [f"N={n}"]
    if "sitegen_default_s" in f:
        lines.append(
            "  default build, sitegen (2 scripts, search) vs hugo + pagefind (1 script): "
            + compared(f, "sitegen_default", "hugo_pagefind")
            + f"; hugo {med['hugo_s']:.2f} s + pagefind {med['pagefind_s']:.2f} s"
        )
        lines.append(
            f"  warnings: {med['warnings']:.0f} ({med['warning_lines']:.0f} lines printed); "
            f"search index: sitegen {med['sitegen_index_bytes'] / 2**20:.1f} MiB in "
            f"{med['sitegen_index_files']:.0f} files, pagefind on hugo "
            f"{med['pagefind_index_bytes'] / 2**20:.1f} MiB in {med['pagefind_index_files']:.0f} files "
            f"({med['pagefind_words']:.0f} words)"
        )
    if "sitegen_pipeline_s" in f:
        lines.append("  pipeline, sitegen --no-search vs hugo: " + compared(f, "sitegen_pipeline", "hugo_alone"))
    if "sitegen_rebuild_s" in f:
        lines.append(
            f"  rebuild: first build (writes the cache) {med['sitegen_first_s']:.2f} s, no-change "
            f"rebuild {med['sitegen_rebuild_s']:.3f} s; rebuild / hugo cold "
            f"{paired(f['sitegen_rebuild_s'], f['hugo_alone_s']):.3f}x; output identical to "
            f"the default build: {r.notes.get('rebuild_identical', 'not compared')}"
        )
        lines.append(f"  the rebuild said: {' '.join(r.notes.get('rebuild_said', []))}")
    if "sitegen_default_kib" in f:
        lines.append(
            f"  peak memory: sitegen default {med['sitegen_default_kib'] / 1024:.0f} MiB; hugo "
            f"{med['hugo_kib'] / 1024:.0f} MiB, pagefind {med['pagefind_kib'] / 1024:.0f} MiB; ratio "
            f"{med['sitegen_default_kib'] / med['hugo_pagefind_kib']:.2f}x of hugo + pagefind"
        )
    if "sitegen_pipeline_kib" in f:
        lines.append(
            f"  peak memory: sitegen --no-search {med['sitegen_pipeline_kib'] / 1024:.0f} MiB; "
            f"ratio {med['sitegen_pipeline_kib'] / med['hugo_kib']:.2f}x of hugo"
        )
    busy = r.notes.get("busy_before_each_command") or [0]
    lines.append(f"  the rest of the machine before each command: at most {max(busy):.0%} of its CPUs busy")
    return lines


def growth(sizes: dict[int, dict]) -> list[str]:
    """Peak memory by size and its growth per 1,000 guides from one size to the next: linear
    growth shows as a steady (or falling) increment."""
    lines = []
    for name in ("sitegen_default_kib", "hugo_pagefind_kib", "sitegen_pipeline_kib", "hugo_kib"):
        points = [(n, statistics.median(s["figures"][name]) / 1024) for n, s in sizes.items() if name in s["figures"]]
        if len(points) < 2:
            continue
        steps = [f"{(m2 - m1) / (n2 - n1) * 1000:.0f}" for (n1, m1), (n2, m2) in itertools.pairwise(points)]
        lines.append(
            f"{name.removesuffix('_kib')}: "
            + ", ".join(f"{n}: {m:.0f} MiB" for n, m in points)
            + f"; MiB per 1,000 more guides: {', '.join(steps)}"
        )
    return lines


def machine() -> list[str]:
    """What the figures were measured on: CPU, memory, disk, tool versions."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )

    def version(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "not installed"

    tools = (
        f"python {platform.python_version()}; hugo: {version(['hugo', 'version'])}; "
        f"pagefind: {version([sys.executable, '-m', 'pagefind', '--version'])}; "
        f"sitegen: {version(['git', '-C', str(REPO), 'log', '-1', '--format=%h %cs'])}"
    )
    return [f"machine: {cpu}, {os.cpu_count()} cores, {int(mem) / 2**20:.1f} GiB, {platform.platform()}", tools]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000, 10000])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="heavy")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--measure", nargs="+", choices=MEASURES, default=list(MEASURES), help="what to measure (default: all)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure here (rewritten after each N)")
    parser.add_argument(
        "--max-busy",
        type=float,
        default=QUIET.max_busy,
        metavar="FRACTION",
        help="before each command, wait until other processes use at most this share of "
        "the CPUs (default %(default)s; 1 never waits)",
    )
    parser.add_argument(
        "--max-wait",
        type=float,
        default=QUIET.max_wait,
        metavar="SECONDS",
        help="wait at most this long for that, then go on (default %(default)s)",
    )
    args = parser.parse_args()
    QUIET.max_busy, QUIET.max_wait = args.max_busy, args.max_wait
    if not shutil.which("hugo"):
        raise SystemExit("hugo is not on PATH: the figures are ratios against Hugo")
    for line in machine():
        print(line, flush=True)
    report = {"machine": machine(), "corpus": args.corpus, "runs": args.runs, "sizes": {}}
    # one folder for the whole session, deleted at the end, never between sizes (see the docstring)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=os.environ.get("BENCH_TMP")) as tmp:
        for n in args.sizes:
            root = Path(tmp) / f"{args.corpus}-{n}"
            graveyard = root / "aside"
            graveyard.mkdir(parents=True)
            site, hugo = write_corpus(root, n, args.corpus)
            print(f"N={n}: {args.corpus} corpus written", flush=True)
            r = bench(Session(site, hugo, graveyard), args.runs, args.measure)
            print("  runs: " + json.dumps(r.figures), flush=True)
            print("\n".join(summary(n, r)), flush=True)
            report["sizes"][n] = {"figures": r.figures, "notes": r.notes}
            if args.json:
                args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
        print("\n".join(growth(report["sizes"])), flush=True)
        print("deleting the session's outputs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
