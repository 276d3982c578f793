"""Render stage: Glossary -> {output path: bytes} through Jinja templates.

Pages are rendered in batches by `render_pages`, through the build's runner. Each page job carries
exactly what that page shows beyond the site-wide inputs (`SiteInputs`: settings, templates, asset
addresses and every term's names and summary, without definitions), so a job's value is its inputs:
the dev server re-renders only the pages whose job or site-wide inputs changed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

from . import branding, cards, helpdocs, urls
from .api import api_files
from .autolink import shown_aliases
from .cards import FILTERS as CARD_FILTERS
from .markdown import prefixed_ids
from .model import Glossary, Settings, Term, letter_of
from .parallel import Runner
from .problems import Problem
from .safejson import script_json
from .theme import Theme


@dataclass(frozen=True)
class SiteInputs:
    """What any page may show: the site's settings and terms without their definitions, the templates
    and the assets' addresses."""

    directory: Glossary
    templates: tuple[tuple[str, str, str], ...]  # (name, source, file shown in errors)
    asset_paths: tuple[tuple[str, str], ...]  # (source name, fingerprinted output path)
    folders: tuple[str, ...] = ()  # where the templates were looked for
    compiled: tuple[tuple[str, bytes], ...] = ()  # each template's code, compiled once per build (compile_templates)


@dataclass(frozen=True)
class PageJob:
    """One page: its output path, template, the address its navigation marks as current (term pages
    share '' so they share one header) and the context only this page gets."""

    path: str
    template: str
    context: tuple[tuple[str, object], ...] = ()
    current: str | None = None


def render(glossary: Glossary, inputs: SiteInputs, runner: Runner) -> tuple[dict[str, bytes], list[Problem]]:
    """Every page, the API files and the host files; or no files and the template problems (the first error
    while rendering)."""
    if problems := branding_problems(glossary.settings, inputs):
        return {}, problems
    files, problems = render_jobs(inputs, page_jobs(glossary, inputs.directory), runner)
    if problems:
        return {}, problems
    host, problems = host_files(glossary, inputs)
    return files | api_files(glossary, runner) | host | accent_files(glossary.settings), problems


def site_inputs(glossary: Glossary, theme: Theme,
                compiled: tuple[tuple[tuple[str, bytes], ...], list[Problem]]) -> tuple[SiteInputs, list[Problem]]:
    """What every page job shares, with the templates compiled by `compile_templates` (and its problems)."""
    code, problems = compiled
    return SiteInputs(glossary.directory(), theme.templates, tuple(sorted(theme.assets.paths.items())), theme.folders,
                      code), problems


def compile_templates(templates: tuple[tuple[str, str, str], ...]) -> tuple[tuple[tuple[str, bytes], ...],
                                                                            list[Problem]]:
    """Every template compiled, once per build: its code goes to every process with the site-wide inputs
    (`SiteInputs.compiled`), which then never compiles a template itself; and every syntax error, at once."""
    code, problems = dict[str, bytes](), list[Problem]()
    env = make_env(templates, code)
    for name, _source, file in templates:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(exc.filename or file, exc.lineno, f"template syntax error: {exc.message}"))
    return tuple(sorted(code.items())), problems


def render_jobs(inputs: SiteInputs, jobs: list[PageJob], runner: Runner) -> tuple[dict[str, bytes], list[Problem]]:
    """The pages of `jobs` by path, or none and the first template problem."""
    files: dict[str, bytes] = {}
    for job, (page, problem) in zip(jobs, runner.map(render_pages, inputs, jobs), strict=True):
        if problem is not None:
            return {}, [problem]
        files[job.path] = page
    return files, []


def render_one(inputs: SiteInputs, name: str, **context: object) -> tuple[bytes, list[Problem]]:
    """One template outside the page set (the sitemap, a feed), or b"" and its problem."""
    try:
        return env_of(inputs).get_template(name).render(**context).encode(), []
    except Exception as exc:
        if not (problem := failing_template(exc, inputs)).path:
            raise
        return b"", [problem]


def branding_problems(settings: Settings, inputs: SiteInputs) -> list[Problem]:
    """The logo named in site.yaml must be one of the theme's static files."""
    problem = branding.logo_problem(settings.logo, dict(inputs.asset_paths), settings.source, settings.line("logo"))
    return [problem] if problem else []


def accent_files(settings: Settings) -> dict[str, bytes]:
    """The stylesheet of the accent colours from site.yaml (none without them)."""
    path = branding.accent_path(settings.accent, settings.accent_dark)
    return {path: branding.accent_css(settings.accent, settings.accent_dark)} if path else {}


def page_jobs(glossary: Glossary, directory: Glossary) -> list[PageJob]:
    """The site's pages. List pages get terms without definitions (the directory); term pages and all/
    get whole terms."""
    # Pages show a definition's HTML: its Markdown and plain text stay in this process.
    shown = dataclasses.replace(glossary, terms=tuple(dataclasses.replace(t, body="", text="") for t in glossary.terms))
    terms, light = shown.terms, directory.terms
    # The page of every definition first: it is the largest, and the first run of jobs stays in this process.
    jobs = [PageJob("all/index.html", "all.html", (("terms", terms), ("letters", shown.letters()))),
            PageJob("index.html", "index.html", (("terms", light),))]
    for i, term in enumerate(terms):
        previous = terms[i - 1].slug if i else None
        next_ = terms[i + 1].slug if i + 1 < len(terms) else None
        jobs.append(PageJob(urls.term_path(term.slug), "term.html",
                            (("term", term), ("previous_slug", previous), ("next_slug", next_)), current=""))
    jobs.append(PageJob("categories/index.html", "categories.html"))
    for name, members in directory.categories().items():
        jobs.append(PageJob(urls.category_path(name), "category.html", (("category", name), ("terms", tuple(members)))))
    jobs += [PageJob("search/index.html", "search.html"),
             # Served at any missing address, so its links start from the root: the path of base_url.
             PageJob("404.html", "404.html", (("root", urlsplit(glossary.settings.base_url).path or "/"),)),
             # The demo article links to the first terms, and to one by its alias's address.
             PageJob("embed-demo/index.html", "embed-demo.html",
                     (("terms", light[:4]), ("aliased", helpdocs.example_term(light)))),
             PageJob("help-docs/index.html", "help-docs.html", helpdocs.page_context(directory))]
    for term in light:
        for slug in urls.redirect_slugs(term):
            jobs.append(PageJob(urls.term_path(slug), "redirect.html",
                                (("term", term), ("target", urls.term_path(term.slug))), current=""))
    return jobs


def render_pages(inputs: SiteInputs, jobs: Sequence[PageJob]) -> list[tuple[bytes, Problem | None]]:
    """Each job's page, or b"" and the template problem that stopped it (a batch for parallel.Runner)."""
    site = Site(inputs)
    results: list[tuple[bytes, Problem | None]] = []
    for job in jobs:
        try:
            results.append((site.page(job), None))
        except Exception as exc:
            if not (problem := failing_template(exc, inputs)).path:
                raise  # no template ran: a bug in the generator, not in a template
            results.append((b"", problem))
    return results


class Site:
    """Renders pages; each gets its own relative root and absolute canonical URL.

    What is the same on every page at one folder depth (the URL helpers, and the site's head links,
    header and footer) is made once per depth, not once per page.
    """

    def __init__(self, inputs: SiteInputs) -> None:
        self.inputs, self.g = inputs, inputs.directory
        self.env = env_of(inputs)
        self.settings = self.g.settings
        self.letters = self.g.letters()
        # The letter each term files under, from the A-Z groups: letter_of() per page is slow (Unicode folding).
        self.letter = {term.slug: letter for letter, group in self.letters.items() for term in group}
        self.common: dict[str, object] = {
            "site": self.settings, "letter_of": letter_of, "letters": self.letters, "by_slug": self.g.by_slug,
            "categories": self.g.categories(),
            "download_url": self.settings.base_url + urls.download_path(self.settings.name),
            "last_updated": self.g.last_updated,  # the footer's "Definitions as of" stamp
            "accent_css": branding.accent_path(self.settings.accent, self.settings.accent_dark),  # '' for none
        }
        self._by_root: dict[str, dict[str, object]] = {}
        self._chrome: dict[tuple[str, str], dict[str, object]] = {}

    def at_root(self, root: str) -> dict[str, object]:
        """The context every page at this depth shares (the site header and footer are not in it)."""
        if root not in self._by_root:
            paths = dict(self.inputs.asset_paths)
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
            parts = {f"site_{name}": Markup(self.env.get_template(f"site-{name}.html").render(context))
                     for name in ("head", "header", "footer")}
            self._chrome[key] = context | parts
        return self._chrome[key]

    def page(self, job: PageJob) -> bytes:
        own = dict(job.context)
        root = str(own.get("root", urls.root_of(job.path)))  # only the 404 page gives its own: see page_jobs
        shared = self.chrome(root, job.path if job.current is None else job.current)
        context = {**shared, "page_path": job.path, "canonical": urls.absolute(self.settings.base_url, job.path),
                   **own}
        if job.template == "term.html":
            context |= self.term_context(context["term"], context["previous_slug"], context["next_slug"])
        return self.env.get_template(job.template).render(context).encode()

    def term_context(self, term: Term, previous: str | None, next_: str | None) -> dict[str, object]:
        by_slug = self.g.by_slug
        return {"letter": self.letter[term.slug], "json_ld": self.defined_term(term),
                "previous": by_slug.get(previous or ""), "next": by_slug.get(next_ or ""),
                "aliases_shown": shown_aliases(term.title, term.aliases),
                # "Referenced by" leaves out the terms already listed under "Related terms".
                "backlinks": [slug for slug in term.linked_from if slug not in term.related]}

    def defined_term(self, term: Term) -> dict[str, object]:
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "DefinedTerm",
            "name": term.title,
            "description": term.summary,
            "url": urls.absolute(self.settings.base_url, urls.term_path(term.slug)),
            "inDefinedTermSet": self.settings.base_url,
        }
        if term.updated:
            data["dateModified"] = term.updated
        if term.aliases:
            data["alternateName"] = list(term.aliases)
        return data


class Hrefs(dict[str, str]):
    """URLs from one folder depth, by key, each made on first use: a template looks one up as
    `term_href[slug]`, which costs far less than a call such as `term_url(slug)` through Jinja."""

    def __init__(self, root: str, path_of: Callable[[str], str]) -> None:
        super().__init__()
        self.root, self.path_of = root, path_of

    def __missing__(self, key: str) -> str:
        self[key] = href = self.root + self.path_of(key)
        return href


class SourceLoader(jinja2.BaseLoader):
    """Templates from the theme's texts, each under the file it came from (for error messages)."""

    def __init__(self, templates: Iterable[tuple[str, str, str]]) -> None:
        self.templates = {name: (source, file) for name, source, file in templates}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template not in self.templates:
            raise jinja2.TemplateNotFound(template)
        source, file = self.templates[template]
        return source, file, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.templates)


def env_of(inputs: SiteInputs) -> jinja2.Environment:
    """The Jinja environment of the site's templates, running the code compiled by `compile_templates`."""
    return make_env(inputs.templates, dict(inputs.compiled))


def make_env(templates: Iterable[tuple[str, str, str]], code: dict[str, bytes]) -> jinja2.Environment:
    """An environment for `templates` that takes compiled code from `code` and puts what it compiles there."""
    env = jinja2.Environment(
        loader=SourceLoader(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # each build makes its own environment, so no template changes under it
    )
    env.filters["script_json"] = script_json
    env.filters["same_page_links"] = lambda html: Markup(urls.same_page_definition(html))
    env.filters["prefixed_ids"] = prefixed_ids  # all/: each term's heading ids its own
    env.filters["shown_aliases"] = lambda term: list(shown_aliases(term.title, term.aliases))  # no "(CDN) (CDN)"
    env.filters["letter_id"] = lambda letter: "letter-hash" if letter == "#" else f"letter-{letter.lower()}"
    env.filters.update(cards.FILTERS)  # long_date and the help-docs snippets
    env.filters.update(CARD_FILTERS)
    env.bytecode_cache = TemplateCode(code)
    return env


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates held in a dict, by Jinja's key for each (its name and file): `compile_templates`
    fills one, and every environment of the build reads from a copy. Jinja checks each entry against the
    template's source, and compiles afresh should they differ."""

    def __init__(self, code: dict[str, bytes]) -> None:
        self.code = code

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def failing_template(exc: Exception, inputs: SiteInputs) -> Problem:
    """The problem `exc` is, at the template file and line where it happened (the innermost frame
    that ran template code); its path is '' when no template was involved."""
    where, line = "", 0
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites template frames to raise __jinja_exception__ at the template's line
        globals_ = tb.tb_frame.f_globals
        if "__jinja_exception__" in globals_ or "__jinja_template__" in globals_:
            where, line = tb.tb_frame.f_code.co_filename, template_line(tb)
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(where, line, f"template '{exc.name}' not found", "looked in " + ", ".join(inputs.folders))
    if isinstance(exc, jinja2.UndefinedError):
        message = re.sub(r"^'(\w+)' is undefined$", r"undefined variable '\1'", str(exc.message))
        message = re.sub(r"'[\w.]+\.(\w+) object'", r"'\1'", message)  # 'glossary.model.Term object' -> 'Term'
        return Problem(where, line, message, "check the spelling; the built-in templates show what each page gets")
    return Problem(where, line, f"template error: {exc}")


def template_line(tb: object) -> int:
    frame = tb.tb_frame  # type: ignore[attr-defined]
    template = frame.f_globals.get("__jinja_template__")
    lineno = tb.tb_lineno  # type: ignore[attr-defined]
    return template.get_corresponding_lineno(lineno) if template else lineno


def host_files(glossary: Glossary, inputs: SiteInputs) -> tuple[dict[str, bytes], list[Problem]]:
    """Files for the host rather than for readers: sitemap, robots.txt and the Netlify redirects file."""
    s = glossary.settings
    pages = ["index.html", "all/index.html", "categories/index.html"]
    pages += [urls.category_path(c) for c in glossary.categories()]
    pages += [urls.term_path(t.slug) for t in glossary.terms] + ["changes/index.html", "help-docs/index.html"]
    # lastmod: a term's own date, else the newest of all
    lastmod = {urls.absolute(s.base_url, urls.term_path(t.slug)): t.updated for t in glossary.terms}
    sitemap, problems = render_one(inputs, "sitemap.xml", site=s, urls=[urls.absolute(s.base_url, p) for p in pages],
                                   lastmod=lastmod, last_updated=glossary.last_updated)
    if problems:
        return {}, problems
    robots = f"User-agent: *\nAllow: /\nSitemap: {s.base_url}sitemap.xml\n"
    moves = [(urls.term_path(old), urls.pretty(urls.term_path(t.slug))) for t in glossary.terms
             for old in urls.redirect_slugs(t)]
    # Both forms of each old address: the folder (terms/arr/) and its page (terms/arr/index.html).
    lines = [f"/{urls.pretty(old)} /{new} 301" for old, new in moves] + [f"/{old} /{new} 301" for old, new in moves]
    return {
        "sitemap.xml": sitemap,
        "robots.txt": robots.encode(),
        "_redirects": ("\n".join(lines) + "\n").encode(),
    }, []
