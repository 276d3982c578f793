"""Deterministic synthetic glossaries in our content format (and the same terms as MkDocs pages).

`generate(n)` always returns the same terms for the same `n` and seed: titles and aliases
unique ignoring case and accents, slugs unique, bodies that mention other terms by title,
by alias and in the plural so the auto-linker has real work to do.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import random
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from glossary.model import fold, slugify

from .words import (
    ACCENTED,
    ADJECTIVES,
    ADVERBS,
    CATEGORIES,
    CONJUNCTIONS,
    CONNECTORS,
    DETERMINERS,
    DIGIT_FIRST,
    MODIFIERS,
    NOUNS,
    PLURAL_DETERMINERS,
    PREPOSITIONS,
    TEXT_NOUNS,
    VERBS,
)

SEED = 20240601
ALIAS_SHARE = 0.15
BASE_URL = "https://bench.example.com/"


@dataclass(frozen=True)
class TermSpec:
    slug: str
    title: str
    alias: str
    category: str
    summary: str
    related: tuple[str, ...]
    body: str


# --- titles and aliases ---------------------------------------------------------------------------------------------


def random_title(rng: random.Random) -> str:
    roll = rng.random()
    first = rng.choice(ACCENTED if roll < 0.03 else DIGIT_FIRST if roll < 0.05 else MODIFIERS)
    middle = rng.choices((0, 1, 2), weights=(60, 35, 5))[0]
    words = [first, *rng.sample(MODIFIERS, middle), rng.choice(NOUNS)]
    if len({w.casefold() for w in words}) < len(words):
        return random_title(rng)
    return " ".join(words)


def make_titles(rng: random.Random, n: int) -> list[str]:
    titles: list[str] = []
    folded: set[str] = set()
    slugs: set[str] = set()
    while len(titles) < n:
        title = random_title(rng)
        if fold(title) in folded or slugify(title) in slugs:
            continue
        titles.append(title)
        folded.add(fold(title))
        slugs.add(slugify(title))
    return titles


def initials(title: str) -> str:
    words = title.replace("-", " ").split()
    ascii_first = (unicodedata.normalize("NFKD", w[0]).encode("ascii", "ignore").decode() or "X" for w in words)
    return "".join(ascii_first).upper()


def alias_candidates(title: str) -> list[str]:
    base = initials(title)
    last = slugify(title.split()[-1]).replace("-", "").upper()
    longer = [base + last[1:k] for k in range(2, len(last) + 1)]
    return [base, *longer, *(f"{base}{k}" for k in range(2, 100))]


def make_aliases(rng: random.Random, titles: list[str]) -> list[str]:
    """An all-caps abbreviation for about 15 % of terms; unique, and never another term's address."""
    taken_names = {fold(t) for t in titles}
    taken_slugs = {slugify(t) for t in titles}
    chosen = set(rng.sample(range(len(titles)), round(len(titles) * ALIAS_SHARE)))
    aliases = []
    for i, title in enumerate(titles):
        alias = ""
        if i in chosen:
            alias = next(a for a in alias_candidates(title) if fold(a) not in taken_names and
                         slugify(a) not in taken_slugs)
            taken_names.add(fold(alias))
            taken_slugs.add(slugify(alias))
        aliases.append(alias)
    return aliases


# --- running text -----------------------------------------------------------------------------------------------------


def pick(rng: random.Random, items: tuple[str, ...]) -> str:
    """rng.choice, three times faster (the corpus draws millions of words)."""
    return items[int(rng.random() * len(items))]


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("x", "ch", "sh", "z")):
        return word + "es"
    return word + "s"


def as_running_text(title: str) -> str:
    """'Annual Recurring Revenue' -> 'annual recurring revenue'; 'ARR' and '3D' stay as written."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in title.split())


@dataclass(frozen=True)
class Mention:
    text: str
    plural: bool = False


def mention(rng: random.Random, title: str, alias: str) -> Mention:
    """A term named by its title, its alias or in the plural, as a writer would."""
    roll = rng.random()
    if alias and roll < 0.3:
        return Mention(alias)
    words = as_running_text(title).split()
    if roll < 0.6 and not words[-1].endswith("s") and words[-1][-1].isalpha():
        return Mention(" ".join([*words[:-1], plural(words[-1])]), plural=True)
    return Mention(" ".join(words))


def noun_phrase(rng: random.Random, name: Mention | None = None, many: bool = False) -> str:
    if name is not None:
        if name.text.isupper():
            return name.text
        return with_article(f"{pick(rng, PLURAL_DETERMINERS if name.plural else DETERMINERS)} {name.text}")
    words = [pick(rng, PLURAL_DETERMINERS if many else DETERMINERS)]
    if rng.random() < 0.4:
        words.append(pick(rng, ADJECTIVES))
    noun = pick(rng, TEXT_NOUNS)
    words.append(plural(noun) if many else noun)
    return with_article(" ".join(words))


def with_article(text: str) -> str:
    """'a account' -> 'an account'."""
    head, _, rest = text.partition(" ")
    if head in ("a", "A") and rest[:1] in ("a", "e", "i", "o", "u"):
        return f"{head}n {rest}"
    return text


def clause(rng: random.Random, names: list[Mention]) -> str:
    """Subject, verb, object and perhaps a prepositional phrase; mentions fill the noun phrases."""
    subject = names.pop() if names and not names[-1].plural and rng.random() < 0.4 else None
    words = [noun_phrase(rng, subject)]
    if rng.random() < 0.25:
        words.append(pick(rng, ADVERBS))
    words += [pick(rng, VERBS), noun_phrase(rng, names.pop() if names else None, many=rng.random() < 0.3)]
    if names or rng.random() < 0.5:
        words += [pick(rng, PREPOSITIONS), noun_phrase(rng, names.pop() if names else None)]
    return " ".join(words)


def sentence(rng: random.Random, names: list[Mention]) -> str:
    text = clause(rng, names)
    if names or rng.random() < 0.4:
        text += f", {pick(rng, CONJUNCTIONS)} {clause(rng, names)}"
    if rng.random() < 0.15:
        text = f"{pick(rng, CONNECTORS)} {text}"
    return text[0].upper() + text[1:] + "."


def word_count(text: str) -> int:
    return len(text.split())


@dataclass
class Writer:
    """Draws the terms a body mentions: some popular ones (so backlink lists vary), the rest at random."""

    rng: random.Random
    titles: list[str]
    aliases: list[str]
    slugs: list[str]
    weights: list[float]

    def others(self, me: int, k: int) -> list[int]:
        picked: list[int] = []
        while len(picked) < k:
            if self.rng.random() < 0.4:
                i = bisect.bisect(self.weights, self.rng.random() * self.weights[-1])
            else:
                i = int(self.rng.random() * len(self.titles))
            if i != me and i not in picked:
                picked.append(i)
        return picked

    def name(self, i: int) -> Mention:
        return mention(self.rng, self.titles[i], self.aliases[i])

    def paragraph(self, words: int, names: list[Mention]) -> str:
        sentences: list[str] = []
        while words > 0 or names:
            sentences.append(sentence(self.rng, [names.pop()] if names else []))
            words -= word_count(sentences[-1])
        return " ".join(sentences)

    def bullet_list(self, names: list[Mention]) -> str:
        items = []
        for _ in range(self.rng.randint(3, 5)):
            item = noun_phrase(self.rng, names.pop() if names and self.rng.random() < 0.5 else None)
            if self.rng.random() < 0.6:
                item += f" {pick(self.rng, PREPOSITIONS)} {noun_phrase(self.rng)}"
            items.append(f"- {item[0].upper()}{item[1:]}")
        return "\n".join(items)

    def body(self, me: int) -> str:
        """60-150 words in 2-3 paragraphs, sometimes a bullet list, sometimes an explicit link."""
        while True:
            text = self.draft(me)
            if 60 <= word_count(text) <= 150:
                return text

    def draft(self, me: int) -> str:
        names = [self.name(i) for i in self.others(me, self.rng.randint(2, 6))]
        paragraphs = self.rng.choice((2, 3, 3))
        listed = self.rng.random() < 0.3
        linked = self.rng.random() < 0.2
        budget = self.rng.randint(60, 125) - 20 * listed - 6 * linked
        parts = [self.paragraph(budget // paragraphs, names[p::paragraphs]) for p in range(paragraphs)]
        if listed:
            parts.insert(1, self.bullet_list([self.name(i) for i in self.others(me, 1)]))
        if linked:
            other = self.others(me, 1)[0]
            parts[-1] += f" See also [{as_running_text(self.titles[other])}]({self.slugs[other]}.md)."
        return "\n\n".join(parts)

    def summary(self) -> str:
        rng = self.rng
        text = with_article(f"{pick(rng, ('A', 'The', 'One'))} {pick(rng, ADJECTIVES)} {pick(rng, TEXT_NOUNS)} that ")
        text += f"{pick(rng, VERBS)} {noun_phrase(rng, many=rng.random() < 0.5)}"
        if rng.random() < 0.7:
            text += f" {pick(rng, PREPOSITIONS)} {noun_phrase(rng)}"
        if rng.random() < 0.4:
            text += f", {pick(rng, CONJUNCTIONS)} {clause(rng, [])}"
        return text[:158].rsplit(" ", 1)[0] + "." if len(text) > 158 else text + "."


def generate(n: int, seed: int = SEED) -> list[TermSpec]:
    rng = random.Random(f"{seed}-{n}")
    titles = make_titles(rng, n)
    aliases = make_aliases(rng, titles)
    slugs = [slugify(t) for t in titles]
    weights, total = [], 0.0
    for rank in range(n):  # Zipf-like popularity: term i is mentioned about 1/(i+1) as often as term 0
        total += 1 / (rank + 1)
        weights.append(total)
    writer = Writer(rng, titles, aliases, slugs, weights)
    terms = []
    for i in range(n):
        related = tuple(slugs[j] for j in writer.others(i, rng.randint(2, 4)))
        terms.append(TermSpec(slug=slugs[i], title=titles[i], alias=aliases[i], category=pick(rng, CATEGORIES),
                              summary=writer.summary(), related=related, body=writer.body(i)))
    return terms


# --- files ------------------------------------------------------------------------------------------------------------


def yaml_scalar(text: str, in_list: bool = False) -> str:
    """Plain YAML when it reads back as the same string, else a double-quoted (JSON) string."""
    plain_ok = not (in_list and any(c in text for c in ",[]{}"))
    try:
        plain_ok = plain_ok and yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


def yaml_list(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(yaml_scalar(i, in_list=True) for i in items) + "]"


def site_yaml(n: int) -> str:
    return (f"title: Benchmark Glossary ({n} terms)\n"
            f"description: A synthetic glossary of {n} terms for benchmarking the build.\n"
            f"base_url: {BASE_URL}\n"
            f"categories: {yaml_list(list(CATEGORIES))}\n")


def term_markdown(term: TermSpec) -> str:
    lines = ["---", f"title: {yaml_scalar(term.title)}"]
    if term.alias:
        lines.append(f"aliases: {yaml_list([term.alias])}")
    lines += [f"summary: {yaml_scalar(term.summary)}", f"category: {yaml_scalar(term.category)}",
              f"related: {yaml_list(term.related)}", "---"]
    return "\n".join(lines) + "\n" + term.body + "\n"


def write_content(terms: list[TermSpec], content: Path) -> None:
    """content/site.yaml and content/terms/<slug>.md, replacing whatever was there."""
    shutil.rmtree(content, ignore_errors=True)
    (content / "terms").mkdir(parents=True)
    (content / "site.yaml").write_text(site_yaml(len(terms)), encoding="utf-8")
    for term in terms:
        (content / "terms" / f"{term.slug}.md").write_text(term_markdown(term), encoding="utf-8")


def digest(folder: Path) -> str:
    """A short hash of every file under `folder`, so two result files show whether they used the same corpus."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]
