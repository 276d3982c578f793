"""Find mentions of term names in running text.

A trie of phrase words is walked once from each word of the text, so matching costs
time proportional to the text (times the longest name, a small constant), not to the
number of terms.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

# A word: letters/digits, with an inner or trailing apostrophe ("CRM's", "customers'").
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*['’]?")
# What may stand between two words of one name: spaces or a hyphen ("cross-selling", "cross selling").
GAP_RE = re.compile(r"[ \t\n\-‐]{1,3}")


def word_key(word: str) -> str:
    """All-caps abbreviations ("ARR", "B2B") match only as written; other words ignore case."""
    return word if len(word) > 1 and word.isupper() else word.casefold()


def name_words(name: str) -> list[str]:
    return [word_key(w) for w in WORD_RE.findall(name)]


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
    slug: str | None = None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str


SPLIT_RE = re.compile(f"({WORD_RE.pattern})")  # text -> [gap, word, gap, word, ..., gap]


class Matcher:
    def __init__(self, names: dict[str, str]) -> None:
        """`names` maps each linkable name (title or alias) to its term's slug."""
        self._root = _Node()
        for name, slug in names.items():
            node = self._root
            for word in name_words(name):
                node = node.children.setdefault(word, _Node())
            if node is not self._root:
                node.slug = slug
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
            if any(k in self._root.children for k in ends):
                self._starters.add(word)
        return known

    def _gap_ok(self, gap: str) -> bool:
        ok = self._gaps.get(gap)
        if ok is None:
            ok = self._gaps[gap] = GAP_RE.fullmatch(gap) is not None
        return ok

    def _longest_at(self, parts: list[str], i: int) -> tuple[int, str] | None:
        """(index in `parts` of the last word, slug) of the longest name starting at parts[i]."""
        best = None
        node = self._root
        for j in range(i, len(parts), 2):
            if j > i and not self._gap_ok(parts[j - 1]):
                break
            continues, ends = self._word(parts[j])
            for key in ends:
                end = node.children.get(key)
                if end is not None and end.slug:
                    best = (j, end.slug)
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
            hit = self._longest_at(parts, i)
            if hit is not None:
                last, slug = hit
                offsets = offsets or list(itertools.accumulate(map(len, parts), initial=0))
                found.append(Mention(offsets[i], offsets[last + 1], slug))
                next_free = last + 1
        return found
