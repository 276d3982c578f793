"""Child process of the benchmark: runs builds in this interpreter and prints one line of JSON.

    python -m benchmarks.runner --content C --out O              one build, as `python build.py` would
    python -m benchmarks.runner --content C --out O --edits 5    dev-server loop: build, then edit one term
                                                                 and rebuild in the same process, 5 times
    python -m benchmarks.runner --content C --out O --profile P  one build under cProfile: stats in P, and
                                                                 one stage's alone in P.<stage>

Only the standard library and the glossary package are imported, so start-up costs what a user's
`python build.py` costs.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glossary.devcache import DevCache
from glossary.pipeline import Project, Report, build
from glossary.problems import BuildError

EDIT_SENTENCE = " One more sentence was added here while the site was being edited ({n})."


def summary(report: Report, wall: float) -> dict[str, object]:
    index = [path for path in report.files if path == "search-index.js"]
    return {
        "build": wall,
        "timings": report.timings,
        "terms": len(report.glossary.terms),
        "files": len(report.files),
        "bytes": sum(len(data) for data in report.files.values()),
        "search_index": index[0] if index else None,
        "warnings": len(report.warnings),
        "written": report.written,
        "removed": report.removed,
    }


def timed_build(project: Project) -> dict[str, object]:
    started = time.perf_counter()
    report = build(project, write=True)
    return summary(report, time.perf_counter() - started)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def edit_target(content: Path) -> Path:
    files = sorted((content / "terms").glob("*.md"))
    return files[len(files) // 2]


def edit_loop(project: Project, edits: int) -> dict[str, object]:
    """Build once, then `edits` times: append a sentence to one term file and build again."""
    first = timed_build(project)
    target = edit_target(project.content)
    original = target.read_text(encoding="utf-8")
    runs = []
    try:
        text = original.rstrip("\n")
        for n in range(1, edits + 1):
            text += EDIT_SENTENCE.format(n=n)
            target.write_text(text + "\n", encoding="utf-8")
            runs.append(timed_build(project))
    finally:
        target.write_text(original, encoding="utf-8")
    return {"first": first, "runs": runs, "edited": target.name}


class Inline:
    """Stands in for glossary.background.Background under the profiler: runs the job when its result is asked."""

    def __init__(self, fn: Callable[..., object], *args: object) -> None:
        self.fn, self.args = fn, args

    def result(self) -> object:
        return self.fn(*self.args)

    def close(self) -> None:
        pass


def run_inline() -> list[tuple[Any, object]]:
    """Swap Inline in for `Background` in every glossary module that has it: a forked worker would escape
    the profiler. Returns what to put back."""
    swapped = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "glossary" and getattr(module, "Background", None) is not None:
            swapped.append((module, module.Background))
            module.Background = Inline
    return swapped


def profiled(project: Project, stats_path: Path) -> dict[str, object]:
    """One build under cProfile: each stage's profile in stats_path.<stage>, all of them together in stats_path."""
    import cProfile
    import pstats

    from glossary import pipeline

    stages: dict[str, cProfile.Profile] = {}
    current = [cProfile.Profile()]
    stage_done = pipeline.Stages.done

    def done(self: pipeline.Stages, name: str, *args: object, **kwargs: object) -> None:
        """Ends one stage's profile and starts the next one's."""
        current[0].disable()
        stages[name] = current[0]
        try:
            stage_done(self, name, *args, **kwargs)
        finally:
            current[0] = cProfile.Profile()
            current[0].enable()

    pipeline.Stages.done = done  # type: ignore[method-assign]
    restore = run_inline()
    started = time.perf_counter()
    current[0].enable()
    try:
        report = build(project, write=True)
    finally:
        current[0].disable()
        pipeline.Stages.done = stage_done  # type: ignore[method-assign]
        for module, original in restore:
            module.Background = original
    result = summary(report, time.perf_counter() - started)
    for name, profile in stages.items():
        profile.dump_stats(f"{stats_path}.{name}")
    combined = pstats.Stats(*stages.values())
    combined.dump_stats(stats_path)
    result["stage_profiles"] = {name: f"{stats_path}.{name}" for name in stages}
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.runner")
    p.add_argument("--content", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--edits", type=int, default=0, help="dev-server style: rebuild in-process after N edits")
    p.add_argument("--profile", type=Path, help="profile the build with cProfile; write the stats here")
    args = p.parse_args(argv)
    try:
        if args.edits:
            result = edit_loop(Project(content=args.content, out=args.out, dev=True, cache=DevCache()), args.edits)
        elif args.profile:
            result = profiled(Project(content=args.content, out=args.out), args.profile)
        else:
            result = timed_build(Project(content=args.content, out=args.out))
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    result["maxrss_mb"] = peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
