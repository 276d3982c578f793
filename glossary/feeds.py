"""The help-desk pages and files: the changes page (`changes/`) and its Atom feed (`changes.xml`), each
term's history page, its card page and its oEmbed JSON.

Made in the render phase from the glossary and the History read in the load phase, through the same
page jobs, templates and runner as every other page. Every date comes from history or front matter,
never from the clock, so the same commit always gives the same bytes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from . import urls
from .cards import card_path, history_path, oembed_files
from .changes import Change, by_day, changes, major, of_term
from .history import History
from .model import Glossary
from .pages import PageJob, SiteInputs, render_jobs, render_one
from .parallel import Runner
from .problems import Problem

CHANGES_PAGE = "changes/index.html"
FEED = "changes.xml"
FEED_ENTRIES = 50  # a feed carries the newest changes; the changes page lists them all
NO_DATE = "1970-01-01T00:00:00Z"  # Atom requires a feed date; this one says "none known"


def help_files(glossary: Glossary, history: History, inputs: SiteInputs, runner: Runner) -> tuple[dict[str, bytes],
                                                                                                list[Problem]]:
    """The changes page and feed, and per term its history page (when it has a date), card page and
    oEmbed JSON; or no files and the template problem."""
    entries = changes(history, glossary)
    files, problems = render_jobs(inputs, help_jobs(inputs.directory, entries), runner)
    if problems:
        return {}, problems
    feed_file, problems = feed(inputs.directory, entries, inputs)
    return ({}, problems) if problems else (files | {FEED: feed_file} | oembed_files(inputs.directory), [])


def help_jobs(directory: Glossary, entries: list[Change]) -> list[PageJob]:
    wide = major(entries)
    jobs = [PageJob(CHANGES_PAGE, "changes.html", (("days", tuple(by_day(wide))), ("feed", FEED)))]
    for term in directory.terms:
        jobs.append(PageJob(card_path(term.slug), "card.html", (("term", term),), current=""))
        if term.updated:
            jobs.append(PageJob(history_path(term.slug), "term-history.html",
                                (("term", term), ("entries", tuple(of_term(entries, term)))), current=""))
    return jobs


def feed(directory: Glossary, entries: list[Change], inputs: SiteInputs) -> tuple[bytes, list[Problem]]:
    """The Atom 1.0 feed of the newest major changes."""
    s = directory.settings
    newest = major(entries)[:FEED_ENTRIES]
    updated = newest[0].when if newest else (f"{directory.last_updated}T00:00:00Z" if directory.last_updated
                                             else NO_DATE)
    items = [feed_entry(c, directory) for c in newest]
    return render_one(inputs, "changes.xml", site=s, updated=updated, entries=items, feed_url=s.base_url + FEED,
                      page_url=urls.absolute(s.base_url, CHANGES_PAGE))


def feed_entry(change: Change, directory: Glossary) -> dict[str, str]:
    s = directory.settings
    term = directory.by_slug.get(change.slug)
    page = urls.absolute(s.base_url, CHANGES_PAGE)
    link = urls.absolute(s.base_url, urls.term_path(term.slug)) if term else f"{page}#{change.key}"
    host = urlsplit(s.base_url).hostname or "localhost"
    return {
        "id": f"tag:{host},{change.date}:{change.key}",
        "title": f"{change.title}: {change.text[:1].lower()}{change.text[1:]}",
        "updated": change.when,
        "link": link,
        "summary": term.summary if term else "",
    }
