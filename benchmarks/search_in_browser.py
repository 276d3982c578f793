"""Search at scale, in headless Chromium: `python -m benchmarks.search_in_browser [TERMS ...]`.

For each synthetic corpus (made by `python -m benchmarks`, default 1,000 and 10,000 terms) it
builds the site, serves it on 127.0.0.1 and measures, over several fresh page loads:
- the index script's size, raw and gzipped;
- from focusing the search box to the first results on screen (loading lunr.js and the index,
  `lunr.Index.load`, the 80 ms debounce and the first query, as a reader experiences it);
- the latency of one query on the loaded index (median over a set of queries).
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
from pathlib import Path

from glossary.pipeline import Project, build

from .results import RESULTS

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run"]
QUERIES = ["term", "pipe", "revenue", "annual rec", "lead", "xqzv", "cust", "rate", "sales", "mrr"]
LOADS = 5


def measure(site: Path, query: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.conftest import serve_dir

    url, stop = serve_dir(site)
    first: list[float] = []
    latency: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(LOADS):
                page = browser.new_page()
                page.goto(url)
                page.evaluate("window.__t0 = performance.now()")
                page.focus("#g-search-input")
                page.keyboard.type(query)
                page.wait_for_selector("#g-search-results li", timeout=60000)
                first.append(page.evaluate("performance.now() - window.__t0"))
                latency += page.evaluate("""queries => {
                    const idx = lunr.Index.load(window.GLOSSARY_SEARCH.index), out = [];
                    for (const q of queries) {
                        const t = performance.now();
                        idx.query(b => q.split(' ').forEach(w => { b.term(w, {boost: 10});
                            b.term(w, {usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING}); }));
                        out.push(performance.now() - t);
                    }
                    return out; }""", QUERIES)
                page.close()
            browser.close()
    finally:
        stop()
    return {"first_results_ms": statistics.median(first), "first_min_ms": min(first), "first_max_ms": max(first),
            "query_ms": statistics.median(latency), "query_max_ms": max(latency)}


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000]
    print("terms  index KB  index gz KB  focus→first results ms median [min–max]  query ms median (max)")
    for n in sizes:
        content = RESULTS / f"corpus-{n}" / "content"
        if not content.is_dir():
            print(f"{n}: no corpus; run `python -m benchmarks --sizes {n} --repeats 1 --no-mkdocs` first")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            report = build(Project(content=content, out=Path(tmp) / "site"))
            script = next(data for path, data in report.files.items() if path == "search-index.js")
            m = measure(Path(tmp) / "site", report.glossary.terms[len(report.glossary.terms) // 2].title[:5])
        print(f"{n:5d}  {len(script) / 1000:8.0f}  {len(gzip.compress(script, 6)) / 1000:11.0f}  "
              f"{m['first_results_ms']:10.0f} [{m['first_min_ms']:.0f}–{m['first_max_ms']:.0f}]"
              f"                  {m['query_ms']:6.1f} ({m['query_max_ms']:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
