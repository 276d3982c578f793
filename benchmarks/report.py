"""Tables: one run's results, and two result files side by side (`--compare`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from .measure import median, spread

STAGES = ("load", "validate", "link", "index", "render", "bundle", "write")
MB = 1_000_000
MKDOCS_VARIANTS = {"mkdocs": "MkDocs, search index built in the browser",
                   "mkdocs_prebuilt": "MkDocs, search: {prebuild_index: python}"}

Result = dict[str, Any]


def fmt(value: float, digits: int = 2) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def stages_of(results: Result) -> list[str]:
    """The usual stages in pipeline order, then any others the runs reported."""
    seen = [s for _n, data in sizes_of(results) for r in data["ours"] for s in r["timings"]]
    return [*STAGES, *dict.fromkeys(s for s in seen if s not in STAGES)]


def cpu_median(runs: list[Result]) -> float:
    return median([r["cpu"] for r in runs if "cpu" in r])


def walls(runs: list[Result]) -> list[float]:
    return [r["wall"] for r in runs]


def wall_text(runs: list[Result]) -> str:
    mid, low, high = spread(walls(runs))
    return f"{fmt(mid)} [{fmt(low)}–{fmt(high)}]"


def stage_median(runs: list[Result], stage: str) -> float:
    return median([r["timings"][stage] for r in runs if stage in r["timings"]])


def start_median(runs: list[Result]) -> float:
    """Interpreter start-up, imports and exit: wall time minus the time inside build()."""
    return median([r["wall"] - r["build"] for r in runs])


def peak_mb(runs: list[Result]) -> float:
    return max((r["maxrss_mb"] for r in runs), default=float("nan"))


def table(header: list[str], rows: list[list[str]], left: int = 0) -> str:
    """Columns right-aligned, but for the first `left` ones."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line_of(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                                              strict=True)))

    line = line_of(header)
    body = [line_of(row) for row in rows]
    return "\n".join([line, "-" * len(line), *body])


def sizes_of(results: Result) -> list[tuple[int, Result]]:
    return sorted((int(n), data) for n, data in results["sizes"].items())


# --- one run ----------------------------------------------------------------------------------------------------------


def ours_table(results: Result) -> str:
    stages = stages_of(results)
    header = ["terms", "runs", "wall s median [min–max]", "cpu s", "peak MB", "start", *stages, "output MB", "files",
              "index MB", "index gz MB"]
    rows = []
    for n, data in sizes_of(results):
        runs, out = data["ours"], data["ours_output"]
        rows.append([str(n), str(len(runs)), wall_text(runs), fmt(cpu_median(runs)), fmt(peak_mb(runs), 0),
                     fmt(start_median(runs)), *(fmt(stage_median(runs, s)) for s in stages),
                     fmt(out["bytes"] / MB, 1), str(out["files"]),
                     fmt(out["index_bytes"] / MB), fmt(out["index_gz"] / MB)])
    return table(header, rows)


def rebuild_table(results: Result) -> str:
    header = ["terms", "runs", "no-change rebuild s median [min–max]", "vs fresh", "write stage s", "files written"]
    rows = []
    for n, data in sizes_of(results):
        runs = data.get("rebuild") or []
        if runs:
            ratio = median(walls(runs)) / median(walls(data["ours"]))
            rows.append([str(n), str(len(runs)), wall_text(runs), f"{ratio:.2f}×", fmt(stage_median(runs, "write")),
                         str(max(r["written"] for r in runs))])
    return table(header, rows) if rows else ""


def edit_text(results: Result) -> str:
    edit = results.get("edit_rebuild")
    if not edit:
        return ""
    runs = edit["runs"]
    mid, low, high = spread([r["build"] for r in runs])
    stages = ", ".join(f"{s} {fmt(stage_median(runs, s))}" for s in stages_of(results))
    return (f"Dev-server rebuild after appending a sentence to one term ({edit['terms']} terms, same process, "
            f"{len(runs)} edits):\n"
            f"  first build in the process {fmt(edit['first']['build'])} s; rebuild after an edit median {fmt(mid)} s "
            f"[{fmt(low)}–{fmt(high)}]\n"
            f"  median per stage (s): {stages}\n"
            f"  files rewritten per rebuild: {median([r['written'] for r in runs]):.0f} of {runs[0]['files']}")


def pair_ratios(ours: list[Result], theirs: list[Result]) -> list[float]:
    """mkdocs/ours of the builds that ran back to back, so both saw the same machine load."""
    return [t["wall"] / o["wall"] for o, t in zip(ours, theirs, strict=False)]


def mkdocs_table(results: Result) -> str:
    header = ["terms", "variant", "runs", "wall s median [min–max]", "cpu s", "peak MB", "output MB", "files",
              "index MB", "index gz MB", "mkdocs/ours", "pairwise [min–max]"]
    rows = []
    for n, data in sizes_of(results):
        for variant in MKDOCS_VARIANTS:
            runs = data.get(variant) or []
            if not runs:
                continue
            out = data[f"{variant}_output"]
            ratio = median(walls(runs)) / median(walls(data["ours"]))
            pairs = pair_ratios(data["ours"], runs)
            rows.append([str(n), variant, str(len(runs)), wall_text(runs), fmt(cpu_median(runs)), fmt(peak_mb(runs), 0),
                         fmt(out["bytes"] / MB, 1), str(out["files"]), fmt(out["index_bytes"] / MB),
                         fmt(out["index_gz"] / MB), f"{ratio:.2f}×", f"{fmt(min(pairs))}–{fmt(max(pairs))}"])
    return table(header, rows) if rows else ""


def jobs_text(results: Result) -> str:
    lines = [f"  {int(n):,} terms: --jobs 1 {fmt(median(w['1']))} s, --jobs 2 {fmt(median(w['2']))} s "
             f"({median(w['1']) / median(w['2']):.2f}× with a second worker)"
             for n, w in results.get("jobs", {}).items()]
    return "\n".join(lines)


def target_rows(results: Result) -> Iterator[tuple[str, str, float, bool]]:
    """(target, measured as text, value, met) for each speed target this run measured."""
    sizes = dict(sizes_of(results))
    if results.get("sales"):
        wall = median(walls(results["sales"]))
        yield "sales glossary, full build ≤ 1 s (start-up included)", f"{fmt(wall)} s", wall, wall <= 1
    for n, limit in ((1000, 0.8), (10000, 8.0)):
        if n in sizes:
            wall = median(walls(sizes[n]["ours"]))
            yield f"{n:,} terms, full build ≤ {limit:g} s (fresh output folder)", f"{fmt(wall)} s", wall, wall <= limit
            if sizes[n].get("rebuild"):
                again = median(walls(sizes[n]["rebuild"]))
                yield (f"{n:,} terms, full build ≤ {limit:g} s (into the previous output)", f"{fmt(again)} s", again,
                       again <= limit)
    if 10000 in sizes:
        peak = peak_mb(sizes[10000]["ours"])
        yield "10,000 terms, peak memory < 500 MB", f"{fmt(peak, 0)} MB", peak, peak < 500
    if results.get("edit_rebuild"):
        edit = median([r["build"] for r in results["edit_rebuild"]["runs"]])
        yield "dev-server rebuild after one edit at 1,000 terms ≤ 0.3 s", f"{fmt(edit)} s", edit, edit <= 0.3
    if 1000 in sizes and 10000 in sizes:
        growth = median(walls(sizes[10000]["ours"])) / median(walls(sizes[1000]["ours"]))
        yield "10,000 terms take ≤ 11× as long as 1,000", f"{growth:.1f}×", growth, growth <= 11
    for variant, factor in (("mkdocs", 2), ("mkdocs_prebuilt", 5)):
        for n, data in sizes.items():
            if data.get(variant):
                ratio = median(walls(data[variant])) / median(walls(data["ours"]))
                yield (f"{n:,} terms: ≥ {factor}× faster than {MKDOCS_VARIANTS[variant]}", f"{ratio:.2f}×", ratio,
                       ratio >= factor)


def targets_table(results: Result) -> str:
    rows = [[target, measured, "met" if met else "NOT met"] for target, measured, _v, met in target_rows(results)]
    return table(["target (medians)", "measured", ""], rows, left=1) if rows else ""


def header_text(results: Result) -> str:
    m = results["machine"]
    changed = [n for n, data in sizes_of(results) if data.get("code_changed")]
    note = f" · CODE CHANGED DURING THE RUN at {', '.join(map(str, changed))} terms" if changed else ""
    return (f"Benchmark {results['created']} · {m['cpu_count']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB · "
            f"Python {m['python']} · {m['platform']} · load average at start {m['load_average']} · "
            f"code {results.get('code', '?')}{note}")


def print_results(results: Result) -> None:
    print()
    print(header_text(results))
    print()
    print("Our build: fresh output folder, new process each time (interpreter start-up and imports included);")
    print("cpu = user+system of the build and its worker; 'start' = wall minus build() (interpreter start-up,")
    print("imports, exit); stage columns are median seconds of wall time; peak MB = largest RSS of one process")
    print("in any run; index = search-index.js, gz at level 6.")
    print(ours_table(results))
    for title, text in [("No-change rebuild (same output folder, new process):", rebuild_table(results)),
                        ("Targets:", targets_table(results)),
                        ("Fresh builds with one worker and with two (medians, alternating):", jobs_text(results)),
                        ("MkDocs 1.6.1, same terms, alternating with our builds:", mkdocs_table(results)),
                        ("", edit_text(results))]:
        if text:
            print()
            if title:
                print(title)
            print(text)


# --- two runs ---------------------------------------------------------------------------------------------------------


def metrics(data: Result) -> Iterator[tuple[str, Callable[[Result], float]]]:
    yield "wall s (median)", lambda d: median(walls(d["ours"]))
    yield "cpu s (median)", lambda d: cpu_median(d["ours"])
    yield "peak MB", lambda d: peak_mb(d["ours"])
    yield "  start s", lambda d: start_median(d["ours"])
    for stage in [*STAGES, *(s for s in data["ours"][0]["timings"] if s not in STAGES)]:
        yield f"  {stage} s", lambda d, s=stage: stage_median(d["ours"], s)
    yield "output MB", lambda d: d["ours_output"]["bytes"] / MB
    yield "index MB", lambda d: d["ours_output"]["index_bytes"] / MB
    yield "index gz MB", lambda d: d["ours_output"]["index_gz"] / MB
    if data.get("rebuild"):
        yield "no-change rebuild s", lambda d: median(walls(d.get("rebuild") or []))
    for variant in MKDOCS_VARIANTS:
        if data.get(variant):
            yield f"{variant} s", lambda d, v=variant: median(walls(d.get(v) or []))


def compare(a: Result, b: Result) -> str:
    header = ["terms", "metric", "A", "B", "B/A"]
    rows = []
    b_sizes = dict(sizes_of(b))
    for n, data_a in sizes_of(a):
        data_b = b_sizes.get(n)
        if data_b is None:
            continue
        for name, get in metrics(data_a):
            try:
                va, vb = get(data_a), get(data_b)
            except (KeyError, TypeError):
                continue
            ratio = vb / va if va and not math.isnan(va) and not math.isnan(vb) else float("nan")
            rows.append([str(n), name, fmt(va), fmt(vb), f"{fmt(ratio)}×"])
    ea, eb = a.get("edit_rebuild"), b.get("edit_rebuild")
    if ea and eb:
        va, vb = (median([r["build"] for r in e["runs"]]) for e in (ea, eb))
        rows.append([str(ea["terms"]), "edit rebuild s", fmt(va), fmt(vb), f"{fmt(vb / va)}×"])
    return "\n".join([f"A: {header_text(a)}", f"B: {header_text(b)}", "", table(header, rows)])
