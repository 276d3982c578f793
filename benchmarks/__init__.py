"""Build-speed benchmark: synthetic glossaries of 100, 1,000 and 10,000 terms, ours against MkDocs.

Run it from the project folder:

    python -m benchmarks                    # full run: 100/1,000 terms × 5 builds, 10,000 terms × 3
    python -m benchmarks --quick            # 1 build each of 100 and 1,000 terms (about a minute)
    python -m benchmarks --sizes 1000,5000 --repeats 3
    python -m benchmarks --no-mkdocs        # ours only
    python -m benchmarks --compare benchmarks/results/A.json benchmarks/results/B.json
    python -m benchmarks --profile 10000    # one build under cProfile: hotspots overall and per stage
    python -m benchmarks --jobs 1           # our builds with one worker process (default: one per CPU)

What it does
  1. corpus.py writes deterministic terms (seeded random.Random) into benchmarks/results/corpus-N/content/
     in our format: site.yaml with 8 categories, terms/<slug>.md with title, aliases (an all-caps
     abbreviation on 15 % of terms), summary, category, related, and a 60–150-word body that mentions
     other terms by title, alias and plural, so auto-linking has work. Some titles are non-ASCII
     ("Échéance …") or start with a digit ("3D …"). The same terms become MkDocs pages in corpus-N/mkdocs/.
  2. Each build runs in a new interpreter (`python -m benchmarks.runner`, see runner.py), into an
     emptied output folder, so start-up and imports count as they do for `glossary build`. The old
     output is moved aside, not deleted, and deleted once every build is measured: on a filesystem that
     is slow to create files just after many were deleted (this machine's, see measure.emptied), a fresh
     build would otherwise pay for the benchmark's cleanup. On such a disk, start runs 5 minutes apart. measure.py
     times it from the parent and reads the child's rusage with os.wait4: CPU time includes the build's
     worker processes (--jobs, default one per CPU), peak RSS is the largest of the processes' peaks,
     not their sum. After a fresh build,
     a no-change rebuild into the same folder (in the first 3 repeats; not at 10,000 terms, where it
     costs as much as a fresh build).
  3. A table per size: median and min–max wall time, peak memory, median seconds per stage (load,
     validate, link, index, render, bundle, write), output size, files, and the search index
     (search-index.js) raw and gzipped.
  4. The dev-server case at 1,000 terms: one process builds, then appends a sentence to one term and
     calls build() again, 5 times (on a copy of the corpus).
  5. MkDocs 1.6.1 builds the same terms, alternating with ours (ours, MkDocs, ours, MkDocs, ...), so the
     mkdocs/ours ratio holds on a noisy machine. MkDocs and lunr.py are installed once into
     benchmarks/.venv-mkdocs (created on first use, reused after). Two variants: the default search
     plugin (index built in the browser) and `search: {prebuild_index: python}` (lunr.py at build time,
     like ours; in the first 3 repeats, once at 10,000 terms, skipped there with --quick). See mkdocs_compare.py.
  6. At each size up to 10,000 terms, fresh builds with --jobs 1 and --jobs 2, alternating: what the
     second worker buys.
  7. Results go to benchmarks/results/<UTC date-time>.json and latest.json with the machine (CPUs,
     memory, load average, platform, Python, dependency versions, git commit), so runs can be compared.

`--profile N` runs one build under cProfile with one profile per stage (the search index then runs
inline, in the "index" stage) and prints the top functions of each stage and of the whole build;
the stats files stay in benchmarks/results/profile-N.prof*. Each result file records a hash of
glossary/, templates/ and static/ and warns when that code changed during the run.

The generated corpora, built sites and results live under benchmarks/results/, which git ignores.
The full default run takes about 10 minutes on an idle 2-core machine, more on a busy one.
"""
