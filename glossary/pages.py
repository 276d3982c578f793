"""Render stage: Glossary -> {output path: bytes} through Jinja templates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
from markupsafe import Markup

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
    return Markup(urls.anchors_for_terms(html))


def make_env(template_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    env.filters["same_page_links"] = same_page_links
    env.filters["letter_id"] = lambda letter: "letter-hash" if letter == "#" else f"letter-{letter.lower()}"
    return env


class Site:
    """Renders every page; each page gets its own relative root and absolute canonical URL."""

    def __init__(self, glossary: Glossary, env: jinja2.Environment, assets: Assets, dev: bool = False) -> None:
        self.g, self.env, self.assets, self.dev = glossary, env, assets, dev
        self.settings = glossary.settings
        self.letters = glossary.letters()
        self.categories = glossary.categories()

    def page(self, template: str, path: str, **context: object) -> bytes:
        root = urls.root_of(path)
        html = self.env.get_template(template).render(
            site=self.settings,
            root=root,
            page_path=path,
            canonical=urls.absolute(self.settings.base_url, path),
            asset=lambda name: root + self.assets.paths[name],
            url=lambda p: root + p,
            term_url=lambda slug: root + urls.term_path(slug),
            category_url=lambda c: root + urls.category_path(c),
            letter_of=letter_of,
            letters=self.letters,
            search_index=root + urls.SEARCH_INDEX,
            download_path=zip_path(self.settings.name),
            dev=self.dev,
            **context,
        )
        return urls.relative(html, path).encode()

    def pages(self) -> Iterator[tuple[str, bytes]]:
        g, terms = self.g, self.g.terms
        yield "index.html", self.page("index.html", "index.html", terms=terms)
        for i, term in enumerate(terms):
            path = urls.term_path(term.slug)
            yield path, self.page("term.html", path, term=term, by_slug=g.by_slug,
                                  previous=terms[i - 1] if i else None,
                                  next=terms[i + 1] if i + 1 < len(terms) else None,
                                  json_ld=self.defined_term(term))
        yield "categories/index.html", self.page("categories.html", "categories/index.html",
                                                  categories=self.categories)
        for name, members in self.categories.items():
            path = urls.category_path(name)
            yield path, self.page("category.html", path, category=name, terms=members)
        yield "search/index.html", self.page("search.html", "search/index.html")
        yield "all/index.html", self.page("all.html", "all/index.html", terms=terms)
        yield "404.html", self.page("404.html", "404.html")
        yield "embed-demo/index.html", self.page("embed-demo.html", "embed-demo/index.html", terms=terms)
        yield from self.redirects()

    def redirects(self) -> Iterator[tuple[str, bytes]]:
        for term in self.g.terms:
            for slug in redirect_slugs(term):
                path = urls.term_path(slug)
                yield path, self.page("redirect.html", path, term=term, target=urls.term_path(term.slug))

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


def render_pages(glossary: Glossary, env: jinja2.Environment, assets: Assets, problems: list[Problem],
                 dev: bool = False) -> dict[str, bytes]:
    """Every page, or {} with the template problems: all syntax errors, else the first error while rendering."""
    found = len(problems)
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        try:
            env.get_template(name)  # compiles (and caches) every template, so all syntax errors are reported
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError) as exc:
            problems.append(failing_template(exc, env, name))
    if len(problems) > found:
        return {}
    try:
        return dict(Site(glossary, env, assets, dev).pages())
    except Exception as exc:
        if not (problem := failing_template(exc, env)).path:
            raise  # no template ran: a bug in the generator, not in a template
        problems.append(problem)
        return {}


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
