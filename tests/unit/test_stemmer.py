"""Parity tests: glossary.stemmer must stem and search exactly like lunr.js.

The index is built in Python (lunr.py + glossary.stemmer) and queried in the
browser by lunr.js 2.3.9, so the tests run the real lunr.js under node
(tests/js/lunr_query.js) and compare.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.token import Token

from glossary.stemmer import make_builder, stem, stemmer

ROOT = Path(__file__).resolve().parents[2]
TERMS_DIR = ROOT / "content" / "terms"
NODE_SCRIPT = ROOT / "tests" / "js" / "lunr_query.js"
MIN_TERM_FILES = 20
FIELDS: list[tuple[str, float]] = [
    ("title", 10),
    ("aliases", 5),
    ("summary", 2),
    ("body", 1),
]
SCORE_TOLERANCE = 1e-6

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not on PATH")

# Expected values were produced by lunr.js 2.3.9's lunr.stemmer under node.
KNOWN_STEMS: dict[str, str] = {
    # Step 1c: y -> i only after a consonant that is not the first letter.
    "pay": "pay",
    "key": "key",
    "money": "money",
    "runway": "runway",
    "deploy": "deploy",
    "display": "display",
    "buy": "buy",
    "journey": "journey",
    "try": "tri",
    "sky": "ski",
    "by": "by",
    "strategy": "strategi",
    "company": "compani",
    "quickly": "quickli",
    "yearly": "yearli",
    "yyy": "yyi",
    # Step 1a
    "says": "say",
    "caresses": "caress",
    "ponies": "poni",
    "ties": "ti",
    "cats": "cat",
    "bus": "bu",
    "sales": "sale",
    # Step 1b
    "agreed": "agre",
    "feed": "feed",
    "hopping": "hop",
    "falling": "fall",
    "hissing": "hiss",
    "sizing": "size",
    "pricing": "price",
    "conflated": "conflat",
    "troubled": "troubl",
    "running": "run",
    "qualified": "qualifi",
    # Steps 2-5
    "relational": "relat",
    "rational": "ration",
    "conditional": "condit",
    "generalization": "gener",
    "happiness": "happi",
    "hopefulness": "hope",
    "electrical": "electr",
    "adjustment": "adjust",
    "adoption": "adopt",
    "effective": "effect",
    "formality": "formal",
    "sensitivity": "sensit",
    "revival": "reviv",
    "cease": "ceas",
    "probate": "probat",
    "rate": "rate",
    "controll": "control",
    "roll": "roll",
    "upselling": "upsel",
    "renewals": "renew",
    # Leading y is a consonant; short words and capitals are left alone.
    "yes": "ye",
    "yellow": "yellow",
    "young": "young",
    "Yes": "Ye",
    "TRY": "TRY",
    "ab": "ab",
    "": "",
    # Non-ASCII: lunr.js counts UTF-16 code units.
    "cafés": "café",
    "naïve": "naïv",
    "😀s": "😀",
    "emoji😀s": "emoji😀",
    "😀ing": "😀ing",
}

_BUILTIN_TEXT = """
pay pays paid paying payment payments payable payout key keys money monies
runway runways deploy deployed deploying deployment display displays displayed
try tries tried trying buy buys buyer buyers buying says say saying journey
journeys strategy strategies strategic company companies quickly quick agreed
agree agreement hopping hop hoped sizing size sized relational relation
relationship conditional condition generalization general generalize happiness
happy happily account accounts accounting acquisition acquire activity
activities adoption advocate affiliate agency agent analytics analysis analyst
annual annually approval approve attribution audience automation automated
average awareness bandwidth baseline benchmark billing booking bookings bottom
brand branding budget budgeting bundle business buyout campaign campaigns
capacity cash category channel channels churn churned churning client clients
close closed closing cohort commission commissions competitor competitive
conversion conversions convert converted cost costs coverage credit crm
cross-sell customer customers daily deal deals decision delivery demand demo
demos discount discounts discovery distribution early earning earnings easy
efficiency efficient email emails engagement enterprise entry equity estimate
every expansion expense expenses factory fee fees field finance financial
fiscal flywheel follow forecast forecasting forecasts freemium funnel funnels
gross growth guarantee happy hardware hiring holiday honesty identity
implementation inbound incentive industry inquiry inventory invoice invoices
journey lead leads leadership lifetime likely loyalty loyal manager margin
margins market marketing markets meeting meetings monthly monopoly motivation
negotiation negotiating net nurture nurturing objection objections offer
offering offers onboarding opportunity opportunities outbound outreach
partner partnership pipeline pipelines pitch pitching plan planning policy
policies portfolio positioning premium price prices pricing priority
probability process product productivity products profit profitability
profitable promotion proposal prospect prospecting prospects qualification
qualify qualified quarter quarterly query quota quotas rally rate rates
ready really rebate recurring referral referrals registry reliability
reliable renewal renewals reply reporting retention revenue revenues rivalry
royalty salary sale sales salesperson scalability scalable segment
segmentation seller sellers selling service services shipping signed
simply society sponsor sponsorship stakeholder story subscription
subscriptions supply survey surveys territory territories trial trials
upsell upselling usage utility valley value valuation variety vendor
velocity verify victory volume warranty weekly yearly yield youth zone
abandon ability absolutely accuracy achieve adjustable allowance analyzing
anything apology applying arguably assembly authority beautiful believe
boundary busy capably carry category ceremony cheaply cities controlling
copy crying daisy deny destroy difficulty dirty dying easily employ employer
enjoy enjoyment essay every fly flying glory gravity guy happier happiest
hobby holy hungry injury ivory jelly joy joyful lady lay layer laying lazy
library likely lobby marry mayor melody mystery navy nobody obey okay
oyster party penny play player playful plenty pray prey quality quantity
ray reality rely remedy replay royal rural satisfy say scary slay slowly
spray stay storey study supply sway theory today toy tray ugly unity valley
very volley way weekday whey why worry x-ray yay yo-yo yield yolk zany
"""
BUILTIN_WORDS = _BUILTIN_TEXT.split()

PHRASES = [
    "pay money",
    "key account",
    "runway and money",
    "deploy display",
    "try to buy",
    "customer journey",
    "sales strategy",
    "company growth",
    "annual recurring revenue",
    "monthly recurring revenue",
    "churn rate",
    "customer acquisition cost",
    "lead qualification",
    "sales pipeline stages",
    "account executive quota",
    "pricing discount",
    "renewal and upselling",
    "inbound marketing campaigns",
    "outbound prospecting emails",
    "deal closing",
    "win rate",
    "average deal size",
    "customer lifetime value",
    "forecast accuracy",
    "commission plan",
    "buyer persona",
    "objection handling",
    "free trial conversion",
    "payment terms",
    "quickly agreed happiness",
]


def _split_front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    match = re.match(r"---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)", text, re.DOTALL)
    if not match:
        return None
    try:
        meta = yaml.safe_load(match[1])
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict):
        return None
    return meta, match[2]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(item) for item in value)
    return str(value)


def _term_documents() -> list[dict[str, str]]:
    """Documents from content/terms (skipping files that are mid-edit)."""
    documents = []
    for path in sorted(TERMS_DIR.glob("*.md")):
        parsed = _split_front_matter(path.read_text(encoding="utf-8"))
        if parsed is None:
            continue
        meta, body = parsed
        documents.append(
            {
                "slug": path.stem,
                "title": _as_text(meta.get("title")),
                "aliases": _as_text(meta.get("aliases")),
                "summary": _as_text(meta.get("summary")),
                "body": body,
            }
        )
    return documents


def _synthetic_documents() -> list[dict[str, str]]:
    """~30 small documents covering the built-in words."""
    chunk = 12
    documents = []
    for number, start in enumerate(range(0, len(BUILTIN_WORDS), chunk)):
        words = BUILTIN_WORDS[start : start + chunk]
        documents.append(
            {
                "slug": f"doc-{number:02d}",
                "title": " ".join(words[:2]),
                "aliases": " ".join(words[2:4]),
                "summary": " ".join(words[4:7]),
                "body": " ".join(words[3:] + BUILTIN_WORDS[: number % 7]),
            }
        )
    return documents


def _documents() -> list[dict[str, str]]:
    documents = _term_documents()
    if len(documents) < MIN_TERM_FILES:
        return _synthetic_documents()
    return documents


def _vocabulary(documents: list[dict[str, str]]) -> list[str]:
    """Every distinct word (letters/digits) of the documents, lower-cased."""
    words: set[str] = set()
    for document in documents:
        for field, _boost in FIELDS:
            words.update(re.findall(r"\w+", document[field].lower()))
    return sorted(words)


def _run_node(payload: dict[str, Any]) -> dict[str, Any]:
    assert NODE is not None
    completed = subprocess.run(
        [NODE, str(NODE_SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _tie_groups(hits: list[tuple[str, float]]) -> Iterator[tuple[float, set[str]]]:
    """Group consecutive hits of equal score (ties may come in any order)."""
    group: set[str] = set()
    group_score = 0.0
    for ref, score in hits:
        if group and abs(score - group_score) > SCORE_TOLERANCE:
            yield group_score, group
            group = set()
        if not group:
            group_score = score
        group.add(ref)
    if group:
        yield group_score, group


def _same_ranking(py: list[tuple[str, float]], js: list[tuple[str, float]]) -> bool:
    if [ref for ref, _ in py] == [ref for ref, _ in js]:
        return True
    if len(py) != len(js):
        return False
    py_groups = list(_tie_groups(py))
    js_groups = list(_tie_groups(js))
    return len(py_groups) == len(js_groups) and all(
        p_refs == j_refs and abs(p_score - j_score) <= 1e-4
        for (p_score, p_refs), (j_score, j_refs) in zip(py_groups, js_groups, strict=True)
    )


# --- unit tests ---------------------------------------------------------------


@pytest.mark.parametrize(("word", "expected"), sorted(KNOWN_STEMS.items()))
def test_stem_known_cases(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stemmer_pipeline_function_updates_token() -> None:
    token = Token("payments", {"position": [0, 8]})
    assert stemmer(token, 0, [token]) is token
    assert str(token) == "payment"
    assert token.metadata == {"position": [0, 8]}


def test_stemmer_is_registered_under_lunr_label() -> None:
    assert stemmer.label == "stemmer"  # type: ignore[attr-defined]
    assert Pipeline.registered_functions["stemmer"] is stemmer


def test_builder_uses_our_stemmer_and_round_trips() -> None:
    builder = make_builder("slug", FIELDS)
    assert builder._ref == "slug"
    assert [(f.name, f.boost) for f in builder._fields.values()] == FIELDS
    assert builder.pipeline.serialize() == ["trimmer", "stopWordFilter", "stemmer"]
    assert builder.search_pipeline._stack == [stemmer]
    builder.add({"slug": "p", "title": "Pay", "aliases": "", "summary": "", "body": ""})
    builder.add({"slug": "t", "title": "Try", "aliases": "", "summary": "", "body": ""})
    index = builder.build()
    # lunr.py's own stemmer would have indexed "pai"; lunr.js looks up "pay".
    assert set(index.inverted_index) == {"pay", "tri"}
    serialized = index.serialize()
    assert serialized["pipeline"] == ["stemmer"]
    loaded = Index.load(json.loads(json.dumps(serialized)))
    assert [hit["ref"] for hit in loaded.search("paying")] == ["p"]
    assert [hit["ref"] for hit in loaded.search("tries")] == ["t"]


# --- parity with lunr.js ------------------------------------------------------


@needs_node
def test_known_cases_match_lunr_js() -> None:
    words = list(KNOWN_STEMS)
    stems = _run_node({"index": None, "queries": [], "words": words})["stems"]
    assert dict(zip(words, stems, strict=True)) == KNOWN_STEMS


@needs_node
def test_stem_parity_with_lunr_js() -> None:
    words = sorted(
        set(_vocabulary(_documents()))
        | set(BUILTIN_WORDS)
        | {w.lower() for w in KNOWN_STEMS}
    )
    assert len(words) >= 300
    stems = _run_node({"index": None, "queries": [], "words": words})["stems"]
    assert len(stems) == len(words)
    mismatches = [
        f"{word!r}: python {stem(word)!r} != lunr.js {js!r}"
        for word, js in zip(words, stems, strict=True)
        if stem(word) != js
    ]
    assert not mismatches, f"{len(mismatches)}/{len(words)} differ:\n" + "\n".join(
        mismatches
    )


@needs_node
def test_query_parity_with_lunr_js() -> None:
    documents = _documents()
    builder = make_builder("slug", FIELDS)
    for document in documents:
        builder.add(document)
    index = builder.build()
    serialized = json.loads(json.dumps(index.serialize()))

    queries = _vocabulary(documents) + PHRASES
    js_results = _run_node({"index": serialized, "queries": queries, "words": []})[
        "results"
    ]
    assert len(js_results) == len(queries)

    differences = []
    matched_queries = 0
    for query, js_hits in zip(queries, js_results, strict=True):
        assert js_hits is not None, f"lunr.js could not parse query {query!r}"
        py = [(hit["ref"], hit["score"]) for hit in index.search(query)]
        js = [(hit["ref"], hit["score"]) for hit in js_hits]
        matched_queries += bool(js)
        if not _same_ranking(py, js):
            differences.append(
                f"{query!r}: python {[r for r, _ in py][:8]} != lunr.js "
                f"{[r for r, _ in js][:8]}"
            )
    assert not differences, f"{len(differences)}/{len(queries)} differ:\n" + "\n".join(
        differences
    )
    # Guard against a vacuous pass: almost every indexed word must be found.
    assert matched_queries >= 0.8 * len(queries)
