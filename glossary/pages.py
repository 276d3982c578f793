"""Render stage: Glossary -> {output path: bytes} through Jinja templates."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup, escape

from . import urls
from .bundle import zip_path
from .model import Glossary, Term, letter_of
from .problems import Problem
from .theme import Assets
from .validate import redirect_slugs


def script_json(data: object) -> str:
    """JSON that is safe inside <script>: no '</script>', '<!--' or '&' can end or confuse it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def same_page_links(html: str) -> Markup:
    """On the page that holds every term, links between terms jump within the page."""
    return Markup(urls.same_page_definition(html))


try:  # markupsafe's own escaping, which markupsafe.escape() then wraps in a Markup object
    from markupsafe import _escape_inner as _escaped
except ImportError:  # pragma: no cover - markupsafe before 3.0
    def _escaped(text: str) -> str:
        return str(escape(text))


def escape_text(value: object) -> str:
    """markupsafe.escape(value), as a plain str."""
    if type(value) is str:
        return _escaped(value)
    if (html := getattr(value, "__html__", None)) is not None:
        return html()  # type: ignore[no-any-return]
    return _escaped(str(value))


class PlainOutput(CodeGenerator):
    """Compiles each `{{ value }}` to `environment.escape_text(value)` where Jinja writes `escape(value)`:
    the Markup object that escape() makes, only to be joined into the page, took a quarter of the time
    of a term page. (Jinja's own NativeEnvironment overrides the same method.)"""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None:
            self.write("environment.escape_text(")
        else:
            super()._output_child_pre(node, frame, finalize)


class PageEnvironment(jinja2.Environment):
    code_generator_class = PlainOutput
    escape_text = staticmethod(escape_text)


def make_env(template_dirs: list[Path], cache: bool = True) -> jinja2.Environment:
    env = PageEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # each build makes its own environment, so no template changes under it
    )
    env.filters["script_json"] = script_json
    env.filters["same_page_links"] = same_page_links
    env.filters["letter_id"] = lambda letter: "letter-hash" if letter == "#" else f"letter-{letter.lower()}"
    env.bytecode_cache = compiled_templates() if cache else None
    return env


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, except that a folder it cannot read or write costs time,
    not the build."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates() -> jinja2.BytecodeCache | None:
    """Compiling the templates costs a build as much as rendering 500 term pages, so their code is kept
    between builds where Jinja keeps it by default: a folder in the temp folder that only this user can
    write. Jinja compiles a template again when its text changed; the cache's file names carry a digest
    of Jinja's version and of this file (make_env and PlainOutput shape the code), so code compiled
    before any other change is not reused."""
    try:
        digest = hashlib.sha256(jinja2.__version__.encode() + Path(__file__).read_bytes()).hexdigest()[:16]
        return CompiledTemplates(pattern=f"__glossary_{digest}_%s.cache")
    except (OSError, RuntimeError):  # no private temp folder: compile every time
        return None


class Hrefs(dict[str, str]):
    """URLs from one folder depth, by key, each made on first use: a template looks one up as
    `term_href[slug]`, which costs far less than a call such as `term_url(slug)` through Jinja."""

    def __init__(self, root: str, path_of: Callable[[str], str]) -> None:
        super().__init__()
        self.root, self.path_of = root, path_of

    def __missing__(self, key: str) -> str:
        self[key] = href = self.root + self.path_of(key)
        return href


@dataclass(frozen=True)
class PageJob:
    """One page to render. `deps` are the terms it shows: besides the site-wide inputs (templates,
    settings, assets, every term's title, summary, aliases and category), the page changes only
    when they do, which is what the dev server's PageCache relies on."""

    path: str
    template: str
    context: dict[str, object]
    current: str | None = None  # see Site.page
    deps: tuple[object, ...] = ()


@dataclass
class PageCache:
    """Pages kept between the dev server's rebuilds: one whose site-wide inputs and deps are unchanged
    is not rendered again. (A custom template that shows, on one page, the definition of a term
    it does not list in deps would show the old text until the next full build.)"""

    site_key: object = None
    pages: dict[str, tuple[tuple[object, ...], bytes]] = field(default_factory=dict)


class Site:
    """Renders every page; each page gets its own relative root and absolute canonical URL.

    What is the same on every page at one folder depth (the URL helpers, and the site's head links,
    header and footer) is made once per depth, not once per page: that was a third of the work.
    """

    def __init__(self, glossary: Glossary, env: jinja2.Environment, assets: Assets, dev: bool = False) -> None:
        self.g, self.env, self.assets, self.dev = glossary, env, assets, dev
        self.settings = glossary.settings
        self.letters = glossary.letters()
        self.categories = glossary.categories()
        # The letter each term files under, from the A-Z groups: letter_of() per page is slow (Unicode folding).
        self.letter = {term.slug: letter for letter, group in self.letters.items() for term in group}
        self.templates: dict[str, jinja2.Template] = {}
        self.common: dict[str, object] = env.globals | {  # with Jinja's globals, which render() does not add
            "site": self.settings, "letter_of": letter_of, "letters": self.letters,
            "download_path": zip_path(self.settings.name), "dev": dev,
        }
        self._by_root: dict[str, dict[str, object]] = {}
        self._chrome: dict[tuple[str, str], dict[str, object]] = {}

    def at_root(self, root: str) -> dict[str, object]:
        """The context every page at this depth shares (the site header and footer are not in it)."""
        if root not in self._by_root:
            paths = self.assets.paths
            self._by_root[root] = self.common | {
                "root": root,
                "asset": lambda name: root + paths[name],
                "url": lambda p: root + p,
                "term_url": lambda slug: root + urls.term_path(slug),
                "category_url": lambda c: root + urls.category_path(c),
                "term_href": Hrefs(root, urls.term_path),
                "category_href": Hrefs(root, urls.category_path),
                "search_index": root + urls.SEARCH_INDEX,
            }
        return self._by_root[root]

    def chrome(self, root: str, current: str) -> dict[str, object]:
        """The shared context plus the site's head links, header and footer, rendered once per depth and
        `current`: the address the site navigation marks as this page's (aria-current)."""
        key = (root, current)
        if key not in self._chrome:
            context = self.at_root(root) | {"current": current}
            parts = {f"site_{name}": Markup(self.render(f"site-{name}.html", context))
                     for name in ("head", "header", "footer")}
            self._chrome[key] = context | parts
        return self._chrome[key]

    def page(self, template: str, path: str, current: str | None = None, **context: object) -> bytes:
        """`current` is the page's own path unless given: term pages give '' and so share one header."""
        shared = self.chrome(urls.root_of(path), path if current is None else current)
        html = self.render(template, {**shared, "page_path": path,
                                      "canonical": urls.absolute(self.settings.base_url, path), **context})
        return html.encode()

    def render(self, name: str, context: dict[str, object]) -> str:
        """Template.render(), minus its two copies of the context per call (one of them merges the
        environment's globals, which `common` holds already): a tenth of the time of a term page."""
        if name not in self.templates:
            self.templates[name] = self.env.get_template(name)
        template = self.templates[name]
        try:
            return self.env.concat(template.root_render_func(template.new_context(context, shared=True)))
        except Exception:
            self.env.handle_exception()  # shows the template's own file and line in the traceback, as render() does

    def jobs(self) -> list[PageJob]:
        g, terms = self.g, self.g.terms
        # deps: see PageJob. Titles, summaries and categories are site-wide inputs, so the index and the
        # category pages, and a term page's previous/next links, need none.
        jobs = [PageJob("index.html", "index.html", {"terms": terms})]
        for i, term in enumerate(terms):
            previous, next_ = terms[i - 1] if i else None, terms[i + 1] if i + 1 < len(terms) else None
            shown = tuple(g.by_slug[s] for s in term.related + term.linked_from)
            jobs.append(PageJob(urls.term_path(term.slug), "term.html", {
                "term": term, "by_slug": g.by_slug, "letter": self.letter[term.slug], "previous": previous,
                "next": next_, "json_ld": self.defined_term(term)}, current="", deps=(term, shown)))
        jobs.append(PageJob("categories/index.html", "categories.html", {"categories": self.categories}))
        for name, members in self.categories.items():
            jobs.append(PageJob(urls.category_path(name), "category.html", {"category": name, "terms": members}))
        jobs += [PageJob("search/index.html", "search.html", {}),
                 PageJob("all/index.html", "all.html", {"terms": terms}, deps=terms),
                 PageJob("404.html", "404.html", {}),
                 PageJob("embed-demo/index.html", "embed-demo.html", {"terms": terms}, deps=terms)]
        for term in terms:
            for slug in redirect_slugs(term):
                jobs.append(PageJob(urls.term_path(slug), "redirect.html",
                                    {"term": term, "target": urls.term_path(term.slug)}, current="", deps=(term,)))
        return jobs

    def render_job(self, job: PageJob) -> bytes:
        return self.page(job.template, job.path, job.current, **job.context)

    def defined_term(self, term: Term) -> dict[str, object]:
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "DefinedTerm",
            "name": term.title,
            "description": term.summary,
            "url": urls.absolute(self.settings.base_url, urls.term_path(term.slug)),
            "inDefinedTermSet": self.settings.base_url,
        }
        if term.aliases:
            data["alternateName"] = list(term.aliases)
        return data


def template_problems(env: jinja2.Environment) -> list[Problem]:
    """Compiles (and caches) every template, so that all syntax errors are reported at once."""
    problems = []
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        try:
            env.get_template(name)
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError) as exc:
            problems.append(failing_template(exc, env, name))
    return problems


def render_jobs(site: Site, jobs: list[PageJob], cache: PageCache | None = None) -> tuple[dict[str, bytes],
                                                                                       list[Problem]]:
    """The pages, or ({}, [the first template error]). With a cache, only pages whose inputs changed
    are rendered (and the cache then holds this build's pages)."""
    if cache is not None:
        key = site_key(site)
        if cache.site_key != key:
            cache.site_key, cache.pages = key, {}
    files: dict[str, bytes] = {}
    try:
        for job in jobs:
            page_key = (job.template, job.current, job.deps)
            hit = cache.pages.get(job.path) if cache is not None else None
            files[job.path] = hit[1] if hit is not None and hit[0] == page_key else site.render_job(job)
            if cache is not None:
                cache.pages[job.path] = (page_key, files[job.path])
    except Exception as exc:
        if not (problem := failing_template(exc, site.env)).path:
            raise  # no template ran: a bug in the generator, not in a template
        return {}, [problem]
    if cache is not None:
        cache.pages = {path: cache.pages[path] for path in files}
    return files, []


def site_key(site: Site) -> tuple[object, ...]:
    """Everything every page may show: templates, settings, assets and the list of terms (not their definitions)."""
    env = site.env
    assert env.loader is not None
    sources = tuple(env.loader.get_source(env, name)[0] for name in env.list_templates())
    directory = tuple((t.slug, t.title, t.summary, t.aliases, t.category) for t in site.g.terms)
    return sources, site.settings, tuple(site.assets.paths.items()), site.dev, directory


def render_pages(glossary: Glossary, env: jinja2.Environment, assets: Assets, problems: list[Problem],
                 dev: bool = False, cache: PageCache | None = None) -> dict[str, bytes]:
    """Every page, rendered in this process (the pipeline shares them between two), or {} with the
    template problems: all syntax errors, else the first error while rendering."""
    if found := template_problems(env):
        problems += found
        return {}
    site = Site(glossary, env, assets, dev)
    files, found = render_jobs(site, site.jobs(), cache)
    problems += found
    return files


def template_file(env: jinja2.Environment, name: str | None) -> str:
    """The file a template name was loaded from, for error messages."""
    loader = env.loader
    if name and isinstance(loader, jinja2.FileSystemLoader):
        for folder in loader.searchpath:
            if (Path(folder) / name).is_file():
                return _display(str(Path(folder) / name))
    return name or "<template>"


def failing_template(exc: Exception, env: jinja2.Environment, name: str = "") -> Problem:
    """The problem `exc` is, at the template file and line where it happened (the innermost frame
    that ran template code); its path is '' when no template was involved."""
    where, line = (template_file(env, name), 0) if name else ("", 0)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = _display(exc.filename) if exc.filename else template_file(env, exc.name)
        return Problem(where, exc.lineno, f"template syntax error: {exc.message}")
    if isinstance(exc, UnicodeDecodeError):
        return Problem(where, 0, "template is not UTF-8 text", "save it as UTF-8")
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites template frames to raise __jinja_exception__ at the template's line
        globals_ = tb.tb_frame.f_globals
        if "__jinja_exception__" in globals_ or "__jinja_template__" in globals_:
            filename = tb.tb_frame.f_code.co_filename
            where = _display(filename) if Path(filename).is_file() else template_file(env, filename)
            line = _template_line(tb)
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateNotFound):
        folders = ", ".join(_display(d) for d in getattr(env.loader, "searchpath", []))
        return Problem(where, line, f"template '{exc.name}' not found", f"looked in {folders}")
    if isinstance(exc, jinja2.UndefinedError):
        message = re.sub(r"^'(\w+)' is undefined$", r"undefined variable '\1'", str(exc.message))
        message = re.sub(r"'[\w.]+\.(\w+) object'", r"'\1'", message)  # 'glossary.model.Term object' -> 'Term'
        return Problem(where, line, message, "check the spelling; the built-in templates show what each page gets")
    return Problem(where, line, f"template error: {exc}")


def _display(filename: str) -> str:
    from .problems import display_path

    return display_path(Path(filename))


def _template_line(tb: object) -> int:
    frame = tb.tb_frame  # type: ignore[attr-defined]
    template = frame.f_globals.get("__jinja_template__")
    lineno = tb.tb_lineno  # type: ignore[attr-defined]
    return template.get_corresponding_lineno(lineno) if template else lineno


def render_one(env: jinja2.Environment, name: str, problems: list[Problem], **context: object) -> str:
    """One template outside the page set; its errors become problems like any page's."""
    try:
        return env.get_template(name).render(**context)
    except Exception as exc:
        if not (problem := failing_template(exc, env, name)).path:
            raise
        problems.append(problem)
        return ""


def extra_files(glossary: Glossary, env: jinja2.Environment, problems: list[Problem]) -> dict[str, bytes]:
    """Non-HTML outputs: sitemap, robots.txt and the Netlify redirects file."""
    s = glossary.settings
    pages = ["index.html", "all/index.html", "categories/index.html"]
    pages += [urls.category_path(c) for c in glossary.categories()]
    pages += [urls.term_path(t.slug) for t in glossary.terms]
    sitemap = render_one(env, "sitemap.xml", problems, urls=[urls.absolute(s.base_url, p) for p in pages])
    robots = f"User-agent: *\nAllow: /\nSitemap: {s.base_url}sitemap.xml\n"
    moves = [(urls.term_path(old), urls.pretty(urls.term_path(t.slug))) for t in glossary.terms
             for old in redirect_slugs(t)]
    # Both forms of each old address: the folder (terms/arr/) and its page (terms/arr/index.html).
    lines = [f"/{urls.pretty(old)} /{new} 301" for old, new in moves] + [f"/{old} /{new} 301" for old, new in moves]
    return {
        "sitemap.xml": sitemap.encode(),
        "robots.txt": robots.encode(),
        "_redirects": ("\n".join(lines) + "\n").encode(),
    }


def offline_note(glossary: Glossary, env: jinja2.Environment, problems: list[Problem]) -> bytes:
    """Footer text for the pages inside the offline zip (which cannot link to the zip)."""
    return render_one(env, "offline-note.html", problems, site=glossary.settings).strip().encode()
