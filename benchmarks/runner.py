"""Child process of the benchmark: runs builds in this interpreter and prints one line of JSON.

    python -m benchmarks.runner --content C --out O [--jobs N]   one build, as `glossary build --jobs N` would
    python -m benchmarks.runner --content C --out O --edits 5    dev-server loop: build, then edit one term
                                                                 and rebuild in the same process, 5 times
    python -m benchmarks.runner --content C --out O --profile P  one build under cProfile (in this process):
                                                                 stats in P, and one stage's alone in P.<stage>

Only the standard library and the glossary package are imported, so start-up costs what a user's
`glossary build` costs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from glossary.devserver import DevState
from glossary.parallel import Runner, for_one_build, make_executor
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


def timed_build(project: Project, runner: Runner) -> dict[str, object]:
    started = time.perf_counter()
    report = build(project, runner, write=True)
    return summary(report, time.perf_counter() - started)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def edit_target(content: Path) -> Path:
    files = sorted((content / "terms").glob("*.md"))
    return files[len(files) // 2]


def edit_loop(state: DevState, edits: int) -> dict[str, object]:
    """As the dev server does: build once, then `edits` times append a sentence to one term file and rebuild."""
    first = timed_rebuild(state)
    target = edit_target(state.project.content)
    original = target.read_text(encoding="utf-8")
    runs = []
    try:
        text = original.rstrip("\n")
        for n in range(1, edits + 1):
            text += EDIT_SENTENCE.format(n=n)
            target.write_text(text + "\n", encoding="utf-8")
            runs.append(timed_rebuild(state))
    finally:
        target.write_text(original, encoding="utf-8")
    return {"first": first, "runs": runs, "edited": target.name}


def timed_rebuild(state: DevState) -> dict[str, object]:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the dev server's "Rebuilt ..." line; stdout carries JSON
        state.rebuild()
    if state.errors or state.report is None:
        raise RuntimeError("\n".join(state.errors))
    report = state.report
    return {"build": time.perf_counter() - started, "timings": report.timings, "written": report.written,
            "files": len(report.files)}


def profiled(project: Project, stats_path: Path) -> dict[str, object]:
    """One build in this process (--jobs 1) under cProfile: each stage's profile in stats_path.<stage>, all of
    them together in stats_path."""
    import cProfile
    import pstats

    from glossary import pipeline

    stages: dict[str, cProfile.Profile] = {}
    current = [cProfile.Profile()]
    check = pipeline.Checks.__call__

    def checked(self: pipeline.Checks, stage: str, *args: Any, **kwargs: Any) -> Any:
        """Ends one stage's profile and starts the next one's."""
        current[0].disable()
        stages[stage] = current[0]
        try:
            return check(self, stage, *args, **kwargs)
        finally:
            current[0] = cProfile.Profile()
            current[0].enable()

    pipeline.Checks.__call__ = checked  # type: ignore[method-assign]
    started = time.perf_counter()
    current[0].enable()
    try:
        report = build(project, Runner(), write=True)
    finally:
        current[0].disable()
        pipeline.Checks.__call__ = check  # type: ignore[method-assign]
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
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (as glossary --jobs)")
    args = p.parse_args(argv)
    project = Project(content=args.content, out=args.out)
    if args.edits:  # as the dev server
        executor = make_executor(args.jobs, "spawn")
    else:  # as `glossary build`: see glossary.cli.run_project
        for_one_build()
        executor = None if args.profile else make_executor(args.jobs, initializer=for_one_build)
    try:
        if args.edits:
            result = edit_loop(DevState(project, executor, args.jobs), args.edits)
        elif args.profile:
            result = profiled(project, args.profile)
        else:
            result = timed_build(project, Runner(executor, args.jobs))
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        if executor is not None:
            executor.shutdown()
    result["maxrss_mb"] = peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
