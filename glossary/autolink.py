"""Find mentions of term names in running text, and decide which of them are the term.

A trie of phrase words is walked once from each word of the text, so matching costs time
proportional to the text (times the longest name, a small constant), not to the number of terms.

Names may hold punctuation between their words ("Node.js", "HTTP/2", "TCP/IP"), before them
(".NET") or after them ("C++", "C#"): the trie stores that punctuation exactly. A mention counts
only when it is the whole of its run of non-space characters, or that run is an ordinary word
(hyphens and apostrophes are ordinary): so "Node" is not found in "Node.js", "node.config.js",
"config/node.png", "ops@node.example" or "https://node.example/", while "Node.js." is.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# A word: letters/digits, with an inner or trailing apostrophe ("CRM's", "customers'").
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*['’]?")
# What may stand between two words of one name: spaces or a hyphen ("cross-selling", "cross selling").
GAP_RE = re.compile(r"[ \t\n\-‐]{1,3}")
SPLIT_RE = re.compile(f"({WORD_RE.pattern})")  # text -> [gap, word, gap, word, ..., gap]
GLUE = "\x00"  # trie keys of punctuation inside a name start with it (words never do)
# Characters that, inside a run of non-space characters, make it a URL, an address, a file name or
# a compound such as "Node.js": a name found in part of such a run is not a mention.
COMPOUND_CHARS = frozenset("./\\@:_=+#~&%$")
OPENERS = "\"'([{“‘*_<"
CLOSERS = "\"')]}”’.,;:!?*_>"
# "Document Object Model (DOM)": a long form and its abbreviation, each a name of the term.
ABBREVIATED_RE = re.compile(r"^(?P<long>.*\S)\s*\((?P<abbr>[^()\s]+)\)$")


def word_key(word: str) -> str:
    """All-caps abbreviations ("ARR", "B2B") match only as written; other words ignore case."""
    return word if len(word) > 1 and word.isupper() else word.casefold()


def title_names(title: str) -> tuple[str, ...]:
    """The names a title gives its term: "Cross-site scripting (XSS)" is "Cross-site scripting" and
    "XSS"; a title whose parenthesis is not an abbreviation of the rest ("Node (DOM)") is one name."""
    match = ABBREVIATED_RE.match(title)
    if match and is_abbreviation(match["abbr"], match["long"]):
        return (match["long"], match["abbr"])
    return (title,)


def is_abbreviation(abbr: str, long_form: str) -> bool:
    """Mostly capitals ("DOM", "CI", "gRPC" is not) and a long form of at least two words."""
    letters = [c for c in abbr if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return len(abbr) >= 2 and capitals >= 2 and capitals * 2 > len(letters) and len(WORD_RE.findall(long_form)) >= 2


def term_names(title: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Every name of a term, once each: its title's names, then its aliases."""
    return tuple(dict.fromkeys([*title_names(title), *aliases]))


def shown_aliases(title: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """The aliases a page lists beside the title: not the abbreviation the title already shows."""
    if not aliases:
        return ()
    in_title = {name.casefold() for name in title_names(title)}
    return tuple(a for a in aliases if a.casefold() not in in_title)


@functools.lru_cache(maxsize=65536)
def singular_forms(word: str) -> tuple[str, ...]:
    """The word as written, then the forms it may be a plural or possessive of."""
    forms = [word]
    for apostrophe in ("'s", "’s", "'S", "’S"):
        if word.endswith(apostrophe):
            return (word, word[:-2])
    if word.endswith(("'", "’")):
        word = word[:-1]
        forms.append(word)
    lower = word.casefold()
    if lower.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + ("Y" if word[-1].isupper() else "y"))
    if lower.endswith("es"):
        forms.append(word[:-2])
    if lower.endswith("s") and len(word) > 2:
        forms.append(word[:-1])
    return tuple(forms)


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    ends: dict[str, str] = field(default_factory=dict)  # punctuation the name ends with ("" or "++") -> slug


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str
    name: str = ""  # the name as the term gives it


def name_path(name: str) -> tuple[str, list[str], str]:
    """(punctuation before the first word, trie keys, punctuation after the last word)."""
    parts = SPLIT_RE.split(name)
    keys: list[str] = []
    for k in range(1, len(parts), 2):
        gap = parts[k - 1]
        if k > 1 and not GAP_RE.fullmatch(gap):
            keys.append(GLUE + gap)
        keys.append(word_key(parts[k]))
    return parts[0].strip(), keys, parts[-1].strip()


class Matcher:
    def __init__(self, names: dict[str, str]) -> None:
        """`names` maps each linkable name (title or alias) to its term's slug."""
        self._roots: dict[str, _Node] = {}  # punctuation a name starts with ("" or ".") -> trie
        self._names: dict[tuple[str, int], str] = {}  # (slug, id of the end node) -> the name
        for name, slug in names.items():
            lead, keys, trail = name_path(name)
            if not keys:
                continue
            node = self._roots.setdefault(lead, _Node())
            for key in keys:
                node = node.children.setdefault(key, _Node())
            node.ends.setdefault(trail, slug)
            self._names.setdefault((slug, id(node)), name)
        self._leads = tuple(lead for lead in self._roots if lead)
        # Per distinct word of the text, worked out once (texts share most of their words): the
        # trie keys it continues a name with, and the keys it ends one with.
        self._words: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._starters: set[str] = set()  # the words of _words that start a name
        self._gaps: dict[str, bool] = {}

    def _word(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        known = self._words.get(word)
        if known is None:
            # As written first, then case-folded (names are stored folded, abbreviations as written).
            continues = tuple(dict.fromkeys((word, word.casefold())))
            ends = tuple(dict.fromkeys(k for form in singular_forms(word) for k in (form, form.casefold())))
            known = self._words[word] = (continues, ends)
            if any(k in root.children for root in self._roots.values() for k in ends):
                self._starters.add(word)
        return known

    def _gap_ok(self, gap: str) -> bool:
        ok = self._gaps.get(gap)
        if ok is None:
            ok = self._gaps[gap] = GAP_RE.fullmatch(gap) is not None
        return ok

    def _longest_at(self, parts: list[str], i: int, node: _Node) -> tuple[int, str, int, str] | None:
        """(index in `parts` of the last word, slug, length of the closing punctuation, name) of the
        longest name starting at parts[i] in the trie under `node`."""
        best = None
        for j in range(i, len(parts), 2):
            if j > i and not self._gap_ok(parts[j - 1]):
                glued = node.children.get(GLUE + parts[j - 1])
                if glued is None:
                    break
                node = glued
            continues, ends = self._word(parts[j])
            for key in ends:
                end = node.children.get(key)
                if end is not None and end.ends:
                    for trail, slug in end.ends.items():
                        if parts[j + 1].startswith(trail) and (best is None or best[0] < j or len(trail) > best[2]):
                            best = (j, slug, len(trail), self._names[(slug, id(end))])
                    break
            for key in continues:
                nxt = node.children.get(key)
                if nxt is not None:
                    node = nxt
                    break
            else:
                break
        return best

    def find(self, text: str) -> list[Mention]:
        parts = SPLIT_RE.split(text)
        words = parts[1::2]
        for word in set(words).difference(self._words):
            self._word(word)
        starters = self._starters.intersection(words)
        if not starters:
            return []  # most texts: decided by set operations, without a Python loop over the words
        found: list[Mention] = []
        offsets: list[int] = []
        next_free = 0
        for i in [2 * k + 1 for k, word in enumerate(words) if word in starters]:
            if i < next_free:
                continue  # inside the previous match
            offsets = offsets or list(itertools.accumulate(map(len, parts), initial=0))
            mention = self._mention_at(text, parts, offsets, i)
            if mention is not None:
                found.append(mention[0])
                next_free = mention[1] + 1
        return found

    def _mention_at(self, text: str, parts: list[str], offsets: list[int], i: int) -> tuple[Mention, int] | None:
        """The longest whole mention starting at word parts[i] (or at punctuation just before it)."""
        best: tuple[int, str, int, str, int] | None = None
        for lead in ("", *self._leads):
            root = self._roots.get(lead)
            if root is None or (lead and not parts[i - 1].endswith(lead)):
                continue
            hit = self._longest_at(parts, i, root)
            if hit is not None and (best is None or hit[0] > best[0]):
                best = (*hit, len(lead))
        if best is None:
            return None
        last, slug, trail, name, lead_len = best
        start, end = offsets[i] - lead_len, offsets[last + 1] + trail
        if not whole(text, start, end):
            return None
        return Mention(start, end, slug, name), last


def whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands on its own: it is its whole run of non-space characters (but for
    brackets, quotes and closing punctuation), or that run is made of words, hyphens and apostrophes."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    run = text[left:right]
    core = run.lstrip(OPENERS)
    core = core.rstrip(CLOSERS) or core
    if core == text[start:end]:
        return True
    return not COMPOUND_CHARS.intersection(core)


# --------------------------------------------------------------------------- everyday words

# Zipf frequency (wordfreq: log10 of uses per billion words) from which a one-word name is an everyday
# English word. Chosen by measuring on a hand-judged sample of two glossaries (see the README): names
# used mostly in their glossary sense ("pipeline" 4.0, "node" 3.9, "image" 4.9) sit below VERY_COMMON,
# while "service" 5.5, "key" 5.1, "type" 5.3, "number" 5.6 and "leading" 5.0 sit above it.
COMMON = 4.5
VERY_COMMON = 5.0
USUAL_SHARE = 0.75  # of a word's mentions with evidence, from which the glossary's own sense is its usual one
SENTENCE_END_RE = re.compile(r"[.!?:;]['’\")\]]*\s+")


def commonness(name: str) -> int:
    """0 for a name that links on sight; 1 for an everyday word (it links when the same sentence names
    another term, or when written capitalised mid-sentence); 2 for one of the most frequent English words
    (it links only when written capitalised mid-sentence). Abbreviations and names of several words are 0.

    wordfreq's small English list holds every word from zipf 3 up, so it gives the same levels as its
    largest list, and loads in a fraction of the time."""
    if not WORD_RE.fullmatch(name) or (len(name) > 1 and name.isupper()):
        return 0
    from wordfreq import zipf_frequency  # loaded only when a glossary has one-word names

    zipf = zipf_frequency(name.casefold(), "en", wordlist="small")
    return 2 if zipf >= VERY_COMMON else 1 if zipf >= COMMON else 0


def everyday_levels(names: Iterable[str]) -> dict[str, int]:
    """The names that are everyday words, with their `commonness`: worked out once per build, in one
    process, and handed to every Linker (so worker processes never load the word list)."""
    return {name: level for name in dict.fromkeys(names) if (level := commonness(name))}


def sentence_spans(text: str) -> list[int]:
    """Offsets where the sentences of `text` start (the first is 0)."""
    return [0, *(m.end() for m in SENTENCE_END_RE.finditer(text))]


def sentence_of(starts: list[int], offset: int) -> int:
    index = 0
    for k, start in enumerate(starts):
        if start > offset:
            break
        index = k
    return index


def capitalised_mid_sentence(text: str, mention: Mention, starts: list[int]) -> bool:
    """Written with a capital, as a name is, where an ordinary word would not have one."""
    if not text[mention.start].isupper() or not mention.name[:1].isupper():
        return False
    before = text[starts[sentence_of(starts, mention.start)]:mention.start]
    return before.strip().strip(OPENERS) != ""


def usual_sense(votes: Iterable[tuple[str, bool]]) -> frozenset[str]:
    """Slugs whose everyday-word mentions across the glossary (`Linker.sense_votes` of every body) have the
    evidence of a sentence or page at least USUAL_SHARE of the time: the glossary uses that word in its own
    sense, so it links everywhere."""
    seen: dict[str, list[bool]] = {}
    for slug, evident in votes:
        seen.setdefault(slug, []).append(evident)
    return frozenset(slug for slug, marks in seen.items() if sum(marks) >= USUAL_SHARE * len(marks))


class Linker:
    """The mentions of a text that link: every mention the matcher finds, except an everyday word
    without the evidence that it means the term (see `commonness`); a term with `autolink: always`
    needs none."""

    def __init__(self, names: dict[str, str], always: frozenset[str] = frozenset(),
                 related: dict[str, frozenset[str]] | None = None, levels: dict[str, int] | None = None) -> None:
        """`always`: slugs of terms with `autolink: always` (or whose everyday-word names the glossary
        uses mostly in their glossary sense, see `usual_sense`); `related`: each slug's related terms,
        both ways; `levels`: `everyday_levels` of the names (worked out here when not given)."""
        self.matcher = Matcher(names)
        self.always = always
        self.related = related or {}
        self.levels = everyday_levels(names) if levels is None else levels

    def level(self, name: str) -> int:
        """The `commonness` of one of the names."""
        return self.levels.get(name, 0)

    def sense_votes(self, page: str, body: str) -> list[tuple[str, bool]]:
        """(slug, whether it has the evidence of its sentence or page) for each mention of an everyday-word
        (level 1) name in `body`, the Markdown of the term `page`: see `usual_sense`."""
        mentions = self.matcher.find(body)
        if not any(self.level(m.name) == 1 for m in mentions):
            return []
        starts, topic = sentence_spans(body), {page, *(m.slug for m in mentions)}
        return [(m.slug, self.evident(body, m, mentions, starts, topic - {m.slug})) for m in mentions
                if self.level(m.name) == 1 and m.slug != page and m.slug not in self.always]

    def find(self, text: str, page: str = "", on_page: Iterable[str] = ()) -> list[Mention]:
        """The mentions in `text` that link, on the page of the term `page`, which also names the terms
        `on_page` (found by `self.matcher` anywhere on it, or linked explicitly)."""
        return self.keep(text, self.matcher.find(text), page, on_page)

    def keep(self, text: str, mentions: list[Mention], page: str = "", on_page: Iterable[str] = ()) -> list[Mention]:
        """Of the matcher's `mentions` in `text`, those with evidence enough to link."""
        if not any(self.level(m.name) for m in mentions):
            return mentions
        starts = sentence_spans(text)
        topic = {page, *on_page}
        return [m for m in mentions if self.evident(text, m, mentions, starts, topic)]

    def evident(self, text: str, mention: Mention, mentions: list[Mention], starts: list[int],
                topic: set[str]) -> bool:
        """An everyday word means the term when it is capitalised mid-sentence; a less frequent one also
        when the same sentence names another term (one that is not an everyday word itself), or the page is
        about a term related to it."""
        level = self.level(mention.name)
        if level == 0 or mention.slug in self.always or capitalised_mid_sentence(text, mention, starts):
            return True
        if level == 2:
            return False
        if not self.related.get(mention.slug, frozenset()).isdisjoint(topic):
            return True
        sentence = sentence_of(starts, mention.start)
        return any(o.slug != mention.slug and sentence_of(starts, o.start) == sentence
                   and (self.level(o.name) == 0 or o.slug in self.always) for o in mentions)
