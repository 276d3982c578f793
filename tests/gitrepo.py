"""A glossary inside a temporary git repository, committed step by step at fixed dates.

The story below is what the history tests assert on: a term added, its summary rewritten, its body
lengthened, a term renamed with `git mv` (and `previous_slugs`), a term removed, a term merged into
another, a rename git cannot see (the file rewritten under a new name) and a change to filing only.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import SITE_YAML

BODY = "Churn rate is the share of customers who leave in a period."
STORY: list[tuple[str, dict[str, str | None], list[tuple[str, str]]]] = [
    # (commit date, {term file: text, or None to delete}, [(git mv from, to)])
    ("2026-01-05T09:00:00+00:00", {
        "churn-rate.md": "---\ntitle: Churn Rate\nsummary: Customers lost.\ncategory: Metrics\n---\n" + BODY + "\n",
        "lead.md": "---\ntitle: Lead\nsummary: A possible buyer.\ncategory: Process\n---\nA person who might buy.\n",
        "mql.md": "---\ntitle: MQL\nsummary: A lead marketing likes.\ncategory: Process\n---\nMarketing says so.\n",
        "obsolete.md": "---\ntitle: Obsolete Term\nsummary: Gone soon.\ncategory: Process\n---\nNot for long.\n",
        "pitch.md": "---\ntitle: Pitch\nsummary: A short talk.\ncategory: Process\n---\nWhat you say first.\n",
    }, []),
    ("2026-02-10T14:30:00+00:00", {
        "churn-rate.md": "---\ntitle: Churn Rate\nsummary: The share of customers lost in a period.\n"
                         "category: Metrics\n---\n" + BODY + "\n",
    }, []),
    ("2026-03-12T08:15:00+01:00", {
        "churn-rate.md": "---\ntitle: Churn Rate\nsummary: The share of customers lost in a period.\n"
                         "category: Metrics\n---\n" + BODY + " It is usually measured per month.\n",
    }, []),
    ("2026-04-01T10:00:00+00:00", {
        "sales-lead.md": "---\ntitle: Sales Lead\nsummary: A possible buyer.\ncategory: Process\n"
                         "previous_slugs: [lead]\n---\nA person who might buy.\n",
    }, [("lead.md", "sales-lead.md")]),
    ("2026-04-20T16:45:00+00:00", {
        "obsolete.md": None,
        "mql.md": None,
        "sales-lead.md": "---\ntitle: Sales Lead\nsummary: A possible buyer.\ncategory: Process\n"
                         "previous_slugs: [lead, mql]\n---\nA person who might buy.\n",
    }, []),
    ("2026-05-02T11:00:00+00:00", {
        "pitch.md": None,
        "sales-pitch.md": "---\ntitle: Sales Pitch\nsummary: What a seller says to win a buyer's interest.\n"
                          "category: Process\nprevious_slugs: [pitch]\n---\nA prepared talk, usually a few "
                          "minutes long, that a seller gives a prospect to show why the product fits.\n",
    }, []),
    ("2026-05-20T12:00:00+00:00", {
        "churn-rate.md": "---\ntitle: Churn Rate\nsummary: The share of customers lost in a period.\n"
                         "category: Process\n---\n" + BODY + " It is usually measured per month.\n",
    }, []),
]


def git(repo: Path, *args: str, when: str = "2026-01-01T00:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Help Desk", "GIT_AUTHOR_EMAIL": "help@example.com",
           "GIT_COMMITTER_NAME": "Help Desk", "GIT_COMMITTER_EMAIL": "help@example.com",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(repo)}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def make_repo(repo: Path, story: list[tuple[str, dict[str, str | None], list[tuple[str, str]]]] = STORY) -> Path:
    """The story committed into `repo`; returns its content folder."""
    content = repo / "content"
    (content / "terms").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    for when, files, moves in story:
        for old, new in moves:
            git(repo, "mv", f"content/terms/{old}", f"content/terms/{new}")
        for name, text in files.items():
            path = content / "terms" / name
            if text is None:
                git(repo, "rm", "-q", f"content/terms/{name}")
            else:
                path.write_text(text, encoding="utf-8")
                git(repo, "add", f"content/terms/{name}")
        git(repo, "add", "content/site.yaml")
        git(repo, "commit", "-q", "-m", f"content of {when[:10]}", when=when)
    return content
