"""`python -m benchmarks --profile N`: one build under cProfile, hotspots overall and per stage.

cProfile slows pure-Python code two to three times, so read the shares, not the seconds.
Per stage, a function's time is the time spent in it when called from functions reachable
from that stage's entry point (cProfile keeps caller->callee edges, not whole call paths,
so a helper shared by two stages can be partly counted in both).
"""

from __future__ import annotations

import io
import json
import pstats
from collections import defaultdict
from pathlib import Path

from .measure import checked, run_process, runner_command

Func = tuple[str, int, str]  # (file, line, function name), as pstats keys them

STAGE_ENTRIES = {
    "load": [("load.py", "load_content")],
    "validate": [("validate.py", "validate")],
    "link": [("link.py", "link")],
    "index": [("search.py", "search_script"), ("theme.py", "load_assets")],
    "render": [("pages.py", "render_pages"), ("pages.py", "make_env")],
    "bundle": [("api.py", "api_files"), ("pages.py", "extra_files"), ("bundle.py", "add_offline_zip")],
    "write": [("output.py", "write_site")],
}


def name(func: Func) -> str:
    file, line, function = func
    if file == "~":
        return function
    parts = Path(file).parts
    short = "/".join(parts[-2:]) if "glossary" in parts or "site-packages" in parts else Path(file).name
    return f"{short}:{line}({function})"


def top(stats: pstats.Stats, key: str, limit: int) -> str:
    buffer = io.StringIO()
    stats.stream = buffer  # type: ignore[attr-defined]
    stats.sort_stats(key).print_stats(limit)
    lines = buffer.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(lines[start:]).rstrip()


def entries(stats: dict[Func, tuple], stage: str) -> list[Func]:
    wanted = STAGE_ENTRIES[stage]
    return [f for f in stats if any(f[0].endswith(f"glossary/{file}") and f[2] == fn for file, fn in wanted)]


def stage_hotspots(stats: dict[Func, tuple], stage: str, limit: int) -> list[tuple[float, float, int, Func]]:
    """(cumulative s, own s, calls, function) of the functions a stage spends most time in."""
    children: dict[Func, list[Func]] = defaultdict(list)
    for callee, (*_numbers, callers) in stats.items():
        for caller in callers:
            if caller != callee:
                children[caller].append(callee)
    roots = entries(stats, stage)
    reachable, todo = set(roots), list(roots)
    while todo:
        for callee in children[todo.pop()]:
            if callee not in reachable:
                reachable.add(callee)
                todo.append(callee)
    found = []
    for func in reachable - set(roots):
        edges = [edge for caller, edge in stats[func][4].items() if caller in reachable and caller != func]
        found.append((sum(e[3] for e in edges), sum(e[2] for e in edges), sum(e[1] for e in edges), func))
    return sorted(found, reverse=True)[:limit]


def stage_report(stats: dict[Func, tuple], timings: dict[str, float]) -> str:
    lines = []
    for stage in STAGE_ENTRIES:
        lines.append(f"{stage}: {timings.get(stage, 0):.2f} s under the profiler")
        for cum, own, calls, func in stage_hotspots(stats, stage, 6):
            lines.append(f"    {cum:8.2f} s cum {own:8.2f} s own {calls:9d} calls  {name(func)}")
    return "\n".join(lines)


def profile(folder: Path, stats_path: Path) -> str:
    """Profile one build of folder/content (into folder/profile-site) and describe where the time went."""
    stats_path.parent.mkdir(parents=True, exist_ok=True)
    proc = checked(run_process(runner_command("--content", str(folder / "content"), "--out",
                                              str(folder / "profile-site"), "--profile", str(stats_path))),
                   "profiled build")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    stats = pstats.Stats(str(stats_path))
    raw: dict[Func, tuple] = stats.stats  # type: ignore[attr-defined]
    return "\n\n".join([
        f"Profiled build of {result['terms']} terms: {result['build']:.1f} s under cProfile "
        f"(stats in {stats_path}; `python -m pstats {stats_path}` to explore)",
        "Per stage, the functions it spends most time in:\n" + stage_report(raw, result["timings"]),
        "Top 25 by own time (tottime):\n" + top(stats, "tottime", 25),
        "Top 30 by cumulative time:\n" + top(stats, "cumulative", 30),
    ])
