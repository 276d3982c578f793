"""The same corpora built with MkDocs 1.6.1, installed once into benchmarks/.venv-mkdocs.

Each term is one page, docs/<slug>.md (a `# Title` heading, the summary, the body and links to
the related terms); docs/index.md lists every term A–Z, like our home page. The nav holds only
that index page: with MkDocs' default nav (every page listed on every page) a 10,000-page site
is quadratic in size and time, and nobody would publish it that way.

Two variants: the default `search` plugin (the index is built in the visitor's browser) and,
when lunr.py is importable in the venv, `search: {prebuild_index: python}`, which builds a lunr
index at build time as we do.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

from .corpus import BASE_URL, TermSpec, yaml_scalar
from .measure import checked, emptied, run_process
from .words import CATEGORIES

VENV = Path(__file__).resolve().parent / ".venv-mkdocs"
MKDOCS_VERSION = "1.6.1"
LUNR_VERSION = "0.8.0"  # the lunr.py our own build uses
PACKAGES = [f"mkdocs=={MKDOCS_VERSION}", f"lunr=={LUNR_VERSION}"]
VARIANTS = {"mkdocs": "mkdocs.yml", "mkdocs_prebuilt": "mkdocs-prebuilt.yml"}


def venv_python() -> Path:
    return VENV / "bin" / "python"


def installed_version() -> str | None:
    if not venv_python().exists():
        return None
    proc = run_process([str(venv_python()), "-c", "import mkdocs; print(mkdocs.__version__)"])
    return proc.stdout.strip() if proc.returncode == 0 else None


def has_lunr() -> bool:
    return venv_python().exists() and run_process([str(venv_python()), "-c", "import lunr"]).returncode == 0


def ensure_venv() -> bool:
    """Create the venv and install MkDocs (and lunr.py) unless already there. Returns whether lunr.py is usable."""
    if installed_version() != MKDOCS_VERSION:
        print(f"Installing MkDocs {MKDOCS_VERSION} and lunr {LUNR_VERSION} into {VENV} "
              "(once; later runs reuse it) ...", flush=True)
        if not venv_python().exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        *PACKAGES], check=True)
        print(f"MkDocs {installed_version()} installed.", flush=True)
    return has_lunr()


# --- the MkDocs project -----------------------------------------------------------------------------------------------


def page(term: TermSpec, by_slug: dict[str, TermSpec]) -> str:
    parts = [f"# {term.title}"]
    if term.alias:
        parts.append(f"*Also: {term.alias}* · {term.category}")
    parts += [f"**{term.summary}**", term.body, "## Related terms"]
    parts.append("\n".join(f"- [{by_slug[s].title}]({s}.md): {by_slug[s].summary}" for s in term.related))
    return "\n\n".join(parts) + "\n"


def index_page(terms: list[TermSpec]) -> str:
    lines = [f"# Benchmark Glossary ({len(terms)} terms)", ""]
    lines += [f"- [{t.title}]({t.slug}.md)" for t in sorted(terms, key=lambda t: t.title.casefold())]
    return "\n".join(lines) + "\n"


def config(n: int, prebuilt: bool) -> str:
    search = "  - search:\n      prebuild_index: python\n" if prebuilt else "  - search\n"
    return (f"site_name: {yaml_scalar(f'Benchmark Glossary ({n} terms)')}\n"
            f"site_url: {BASE_URL}\n"
            "use_directory_urls: true\n"
            "theme:\n  name: mkdocs\n"
            "nav:\n  - Home: index.md\n"
            "validation:\n  nav:\n    omitted_files: ignore\n"
            f"plugins:\n{search}"
            f"# categories (unused by MkDocs): {', '.join(CATEGORIES)}\n")


def write_project(terms: list[TermSpec], folder: Path) -> None:
    """folder/docs/*.md, folder/mkdocs.yml and folder/mkdocs-prebuilt.yml, replacing what was there."""
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    by_slug = {t.slug: t for t in terms}
    (docs / "index.md").write_text(index_page(terms), encoding="utf-8")
    for term in terms:
        (docs / f"{term.slug}.md").write_text(page(term, by_slug), encoding="utf-8")
    for variant, name in VARIANTS.items():
        (folder / name).write_text(config(len(terms), variant == "mkdocs_prebuilt"), encoding="utf-8")


# --- building ---------------------------------------------------------------------------------------------------------


def folder_bytes(folder: Path) -> tuple[int, int]:
    """(total bytes, file count) under folder."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def site_dir(corpus: Path, variant: str) -> Path:
    return corpus / f"{variant}-site"


def mkdocs_build(corpus: Path, variant: str) -> dict[str, object]:
    """One `mkdocs build` of corpus/mkdocs in a new process, into an emptied site folder (as ours)."""
    project = corpus / "mkdocs"
    cmd = [str(venv_python()), "-m", "mkdocs", "build", "--clean", "-f", str(project / VARIANTS[variant]),
           "-d", str(emptied(site_dir(corpus, variant)))]
    proc = checked(run_process(cmd, cwd=project), f"mkdocs build ({variant}) of {project}")
    return {"wall": proc.wall, "cpu": proc.cpu, "maxrss_mb": proc.maxrss_mb, "warnings": proc.stderr.count("WARNING")}


def site_sizes(site: Path) -> dict[str, object]:
    """Output and search index sizes of a built MkDocs site (measured once per size, outside the timing)."""
    total, files = folder_bytes(site)
    index = (site / "search" / "search_index.json").read_bytes()
    return {"bytes": total, "files": files, "index_bytes": len(index), "index_gz": len(gzip.compress(index, 6)),
            # A key "index" at the top level; json.loads of a 100 MB index would grow this process by
            # 500 MB, and every build started after that would count it in its peak RSS (fork before exec).
            "prebuilt_index": b'"index":{' in index}
