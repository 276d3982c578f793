"""`python -m benchmarks --profile N`: one build under cProfile, hotspots overall and per stage.

The runner profiles each stage separately (it swaps the profiler at every stage boundary), so
the per-stage lists are exact, not guessed from the call graph. The build runs in one process
(--jobs 1), so work a normal build hands to its workers is profiled in the stage that does it
(the search index, submitted to a worker, runs at once). cProfile slows pure-Python code two to
three times: read the shares, not the seconds.
"""

from __future__ import annotations

import io
import json
import pstats
from pathlib import Path

from .measure import checked, emptied, run_process, runner_command
from .results import code_digest

Func = tuple[str, int, str]  # (file, line, function name), as pstats keys them
PER_STAGE = 8


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


def rows(stats: pstats.Stats, column: int, limit: int) -> list[str]:
    """The top functions by own time (column 2) or cumulative time (column 3)."""
    raw: dict[Func, tuple] = stats.stats  # type: ignore[attr-defined]
    ranked = sorted(raw.items(), key=lambda item: item[1][column], reverse=True)[:limit]
    return [f"      {v[3]:8.2f} cum {v[2]:8.2f} own {v[1]:9d} calls  {name(f)}" for f, v in ranked]


def stage_report(timings: dict[str, float], files: dict[str, str]) -> str:
    lines = []
    for stage, path in files.items():
        stats = pstats.Stats(path)
        total = stats.total_tt  # type: ignore[attr-defined]
        lines.append(f"{stage}: {timings.get(stage, 0):.2f} s under the profiler ({total:.2f} s of own time)")
        lines.append("    by cumulative time:")
        lines += rows(stats, 3, PER_STAGE)
        lines.append("    by own time:")
        lines += rows(stats, 2, PER_STAGE)
    return "\n".join(lines)


def profile(folder: Path, stats_path: Path) -> str:
    """Profile one build of folder/content (into folder/profile-site) and describe where the time went."""
    stats_path.parent.mkdir(parents=True, exist_ok=True)
    emptied(folder / "profile-site")  # a fresh build, as in the benchmark
    code = code_digest()
    proc = checked(run_process(runner_command("--content", str(folder / "content"), "--out",
                                              str(folder / "profile-site"), "--profile", str(stats_path))),
                   "profiled build")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    stats = pstats.Stats(str(stats_path))
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result["timings"].items())
    return "\n\n".join([
        f"Profiled build of {result['terms']} terms (code {code}): {result['build']:.1f} s under cProfile ({stages})\n"
        f"Stats: {stats_path} (all stages) and {stats_path}.<stage>; explore with `python -m pstats FILE`.",
        "Per stage:\n" + stage_report(result["timings"], result["stage_profiles"]),
        "Whole build, top 25 by own time (tottime):\n" + top(stats, "tottime", 25),
        "Whole build, top 30 by cumulative time:\n" + top(stats, "cumulative", 30),
    ])
