"""`python -m benchmarks`: see the package docstring (benchmarks/__init__.py)."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from . import corpus, hotspots, measure, mkdocs_compare, report, results, words
from .measure import REPO, RunFailed, checked, emptied, empty_trash, median, our_build, run_process, runner_command

DEFAULT_SIZES = (100, 1000, 10000)
QUICK_SIZES = (100, 1000)
EDIT_SIZE = 1000
EDITS = 5
LARGE = 10000  # from this size on: 3 repeats, 1 no-change rebuild, 1 prebuilt MkDocs build
SALES_REPEATS = 5
EXTRA_REPEATS = 3  # no-change rebuilds and prebuilt-index MkDocs builds per size, below LARGE


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="1 repeat, sizes 100 and 1000 only")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                   help="comma-separated term counts (default 100,1000,10000)")
    p.add_argument("--repeats", type=int, help="builds per size (default 5, or 3 from 10,000 terms; 1 with --quick)")
    p.add_argument("--no-mkdocs", action="store_true", help="skip the MkDocs comparison")
    p.add_argument("--no-prebuilt", action="store_true", help="skip MkDocs with search: {prebuild_index: python}")
    p.add_argument("--no-rebuild", action="store_true", help="skip the no-change and edit rebuilds")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes for our builds (default: the number of CPUs)")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("A.json", "B.json"),
                   help="print two result files side by side and exit")
    p.add_argument("--profile", type=int, metavar="TERMS",
                   help="profile one build of a TERMS-term corpus with cProfile, print the hotspots and exit")
    return p.parse_args(argv)


def plan(args: argparse.Namespace) -> dict[int, int]:
    """{terms: repeats}."""
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.repeats:
        return {n: args.repeats for n in sizes}
    return {n: 1 if args.quick else 3 if n >= LARGE else 5 for n in sizes}


def corpus_dir(n: int) -> Path:
    return results.RESULTS / f"corpus-{n}"


def say(text: str) -> None:
    print(text, flush=True)


# --- corpora ----------------------------------------------------------------------------------------------------------


def generator_stamp(n: int) -> str:
    """Changes whenever the generator's code or the size does."""
    sources = [Path(module.__file__ or "").read_bytes() for module in (corpus, words, mkdocs_compare)]
    return hashlib.sha256(b"".join(sources) + f"{n} {corpus.SEED}".encode()).hexdigest()[:16]


def prepare(n: int, with_mkdocs: bool) -> dict[str, Any]:
    """Write the corpus of n terms, unless the same generator already wrote it (its stamp file says so)."""
    started = time.perf_counter()
    folder = corpus_dir(n)
    stamp_file, stamp = folder / "stamp.json", generator_stamp(n)
    kept = json.loads(stamp_file.read_text()) if stamp_file.is_file() else {}
    if kept.get("stamp") == stamp and (kept.get("mkdocs") or not with_mkdocs):
        say(f"Corpus of {n} terms in {folder}: reused (digest {kept['info']['digest']})")
        return dict(kept["info"])
    stamp_file.unlink(missing_ok=True)
    terms = corpus.generate(n)
    corpus.write_content(terms, folder / "content")
    if with_mkdocs:
        mkdocs_compare.write_project(terms, folder / "mkdocs")
    source, files = mkdocs_compare.folder_bytes(folder / "content")
    info = {"digest": corpus.digest(folder / "content"), "files": files, "source_bytes": source,
            "aliases": sum(1 for t in terms if t.alias), "body_words": sum(len(t.body.split()) for t in terms)}
    stamp_file.write_text(json.dumps({"stamp": stamp, "mkdocs": with_mkdocs, "info": info}))
    say(f"Corpus of {n} terms in {folder} ({source / 1e6:.1f} MB of Markdown, digest {info['digest']}, "
        f"made in {time.perf_counter() - started:.1f} s)")
    return info


# --- builds -----------------------------------------------------------------------------------------------------------


def fresh_build(folder: Path) -> dict[str, Any]:
    return our_build(folder / "content", emptied(folder / "site"))


def our_output(folder: Path, run: dict[str, Any]) -> dict[str, Any]:
    """Sizes of our output (the same every run): total bytes, files, search index raw and gzipped."""
    index = (folder / "site" / run["search_index"]).read_bytes()
    return {"bytes": run["bytes"], "files": run["files"], "index_path": run["search_index"],
            "index_bytes": len(index), "index_gz": len(gzip.compress(index, 6))}


def mkdocs_variants(args: argparse.Namespace, n: int, lunr_ok: bool) -> list[str]:
    if args.no_mkdocs:
        return []
    prebuilt = lunr_ok and not args.no_prebuilt and not (args.quick and n >= LARGE)
    return ["mkdocs", "mkdocs_prebuilt"] if prebuilt else ["mkdocs"]


def measure_size(n: int, repeats: int, variants: list[str], rebuild: bool) -> dict[str, Any]:
    """Ours, then MkDocs, alternating, `repeats` times; the extras (no-change rebuild, MkDocs with a
    prebuilt index) in the first few repeats only."""
    folder = corpus_dir(n)
    data: dict[str, Any] = {"terms": n, "ours": [], "rebuild": [], **{v: [] for v in variants}}
    extras = 1 if n >= LARGE else EXTRA_REPEATS
    rebuilds = 0 if not rebuild else 1 if n >= LARGE else EXTRA_REPEATS
    for i in range(repeats):
        line = [f"  {n} terms, run {i + 1}/{repeats}:"]
        data["ours"].append(fresh_build(folder))
        line.append(f"ours {data['ours'][-1]['wall']:.2f} s")
        if i < rebuilds:
            data["rebuild"].append(our_build(folder / "content", folder / "site"))
            line.append(f"no-change rebuild {data['rebuild'][-1]['wall']:.2f} s")
        for variant in variants:
            if variant == "mkdocs" or i < extras:
                data[variant].append(mkdocs_compare.mkdocs_build(folder, variant))
                line.append(f"{variant} {data[variant][-1]['wall']:.2f} s")
        say(" ".join(line))
    data["ours_output"] = our_output(folder, data["ours"][-1])
    for variant in variants:
        data[f"{variant}_output"] = mkdocs_compare.site_sizes(mkdocs_compare.site_dir(folder, variant))
    return data


def sales_builds(repeats: int) -> list[dict[str, Any]]:
    """The sales glossary in content/, as `glossary build` builds it (fresh output folder each time)."""
    out = results.RESULTS / "sales-site"
    runs = []
    for _ in range(repeats):
        runs.append(our_build(REPO / "content", emptied(out)))
    say("  sales glossary: " + ", ".join(f"{r['wall']:.2f} s" for r in runs))
    return runs


def edit_rebuild(n: int) -> dict[str, Any]:
    """Build, then edit one term and rebuild in the same process, on a copy of the corpus."""
    folder = corpus_dir(n)
    content = emptied(folder / "edit-content")  # not deleted: the fresh builds that follow would pay for it
    shutil.copytree(folder / "content", content)
    proc = checked(run_process(runner_command("--content", str(content), "--out", str(folder / "edit-site"),
                                              "--edits", str(EDITS))), "edit rebuild")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["terms"] = n
    say(f"  edit rebuilds at {n} terms: " + ", ".join(f"{r['build']:.2f} s" for r in data["runs"]))
    return data


def jobs_comparison(n: int, repeats: int) -> dict[str, list[float]]:
    """Fresh builds of n terms with 1 worker and with 2, alternating: what the executor buys on this machine."""
    folder, walls = corpus_dir(n), {"1": [], "2": []}
    for _ in range(repeats):
        for jobs in walls:
            walls[jobs].append(our_build(folder / "content", emptied(folder / "site"), jobs=int(jobs))["wall"])
    say(f"  --jobs 1 vs 2 at {n} terms: " + ", ".join(f"{j}: {median(w):.2f} s" for j, w in walls.items()))
    return walls


def warm_up(n: int, variants: list[str]) -> None:
    """One unrecorded build of each kind: compiles .pyc files and fills the page cache."""
    say(f"Warming up on {n} terms ...")
    fresh_build(corpus_dir(n))
    for variant in variants[:1]:
        mkdocs_compare.mkdocs_build(corpus_dir(n), variant)


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = plan(args)
    lunr_ok = False if args.no_mkdocs else mkdocs_compare.ensure_venv()
    if not args.no_mkdocs and not lunr_ok:
        say("lunr.py is not importable in the MkDocs venv: skipping the prebuild_index variant.")
    out: dict[str, Any] = {
        "created": results.utc_now().isoformat().replace("+00:00", "Z"),
        "command": " ".join(["python -m benchmarks", *sys.argv[1:]]),
        "machine": results.machine_info(),
        "plan": {str(n): r for n, r in sizes.items()},
        "mkdocs": None if args.no_mkdocs else mkdocs_compare.installed_version(),
        "sizes": {},
    }
    out["code"] = results.code_digest()
    corpora = {n: prepare(n, not args.no_mkdocs) for n in sizes}
    warm_up(min(sizes), mkdocs_variants(args, min(sizes), lunr_ok))
    started = time.perf_counter()
    say("Building the sales glossary ...")
    out["sales"] = sales_builds(1 if args.quick else SALES_REPEATS)  # first, while this process is small
    for n, repeats in sizes.items():
        say(f"Building {n} terms, {repeats} time(s) ...")
        code = results.code_digest()
        data = measure_size(n, repeats, mkdocs_variants(args, n, lunr_ok), not args.no_rebuild)
        out["sizes"][str(n)] = {"corpus": corpora[n], "code": code, **data}
        if results.code_digest() != code:
            out["sizes"][str(n)]["code_changed"] = True
            say(f"  warning: the glossary code changed while {n} terms were being measured")
    if not args.no_rebuild and EDIT_SIZE in sizes:
        out["edit_rebuild"] = edit_rebuild(EDIT_SIZE)
    out["jobs"] = {str(n): jobs_comparison(n, 1 if args.quick else 3) for n in sizes if n <= EDIT_SIZE * 10}
    out["seconds"] = round(time.perf_counter() - started, 1)
    if results.code_digest() != out["code"]:
        out["code_changed"] = True
        say("warning: glossary/, templates/ or static/ changed during the run; the sizes were not measured alike.")
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    measure.JOBS = args.jobs
    if args.compare:
        print(report.compare(results.load(args.compare[0]), results.load(args.compare[1])))
        return 0
    try:
        if args.profile:
            prepare(args.profile, with_mkdocs=False)
            print(hotspots.profile(corpus_dir(args.profile), results.RESULTS / f"profile-{args.profile}.prof"))
            return 0
        data = run(args)
    except RunFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        empty_trash()
    report.print_results(data)
    path = results.save(data)
    ours = [median([r["wall"] for r in d["ours"]]) for d in data["sizes"].values()]
    say(f"\nBenchmark took {data['seconds']:.0f} s ({sum(ours):.1f} s of it median builds of ours). "
        f"Results: {path} (and {path.parent / 'latest.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
