"""Find mentions of term names in running text.

A trie of phrase words is walked once from each word of the text, so matching costs
time proportional to the text (times the longest name, a small constant), not to the
number of terms.
"""

from __future__ import annotations

import functools
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


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    slug: str | None = None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str


class Matcher:
    def __init__(self, names: dict[str, str]) -> None:
        """`names` maps each linkable name (title or alias) to its term's slug."""
        self._root = _Node()
        self._starts: dict[str, bool] = {}
        for name, slug in names.items():
            node = self._root
            for word in name_words(name):
                node = node.children.setdefault(word, _Node())
            if node is not self._root:
                node.slug = slug

    def _child(self, node: _Node, word: str) -> _Node | None:
        return node.children.get(word) or node.children.get(word.casefold())

    def _longest_at(self, words: list[re.Match[str]], text: str, i: int) -> tuple[int, str] | None:
        """(index of the last word, slug) of the longest name starting at word i."""
        best = None
        node = self._root
        for j in range(i, len(words)):
            if j > i and not GAP_RE.fullmatch(text, words[j - 1].end(), words[j].start()):
                break
            word = words[j].group()
            for form in singular_forms(word):
                end = self._child(node, form)
                if end is not None and end.slug:
                    best = (j, end.slug)
                    break
            nxt = self._child(node, word)
            if nxt is None:
                break
            node = nxt
        return best

    def _can_start(self, word: str) -> bool:
        """Whether any name starts with this word (or its singular)."""
        return any(self._child(self._root, form) for form in singular_forms(word))

    def find(self, text: str) -> list[Mention]:
        words = list(WORD_RE.finditer(text))
        strings = WORD_RE.findall(text)  # the same words as strings, with no Python-level loop
        # Most words start no name. Decide that once per distinct word, then visit only the candidates.
        starts = self._starts
        for word in set(strings).difference(starts):
            starts[word] = self._can_start(word)
        found: list[Mention] = []
        next_free = 0
        for i in [i for i, word in enumerate(strings) if starts[word]]:
            if i < next_free:
                continue  # inside the previous match
            hit = self._longest_at(words, text, i)
            if hit is not None:
                last, slug = hit
                found.append(Mention(words[i].start(), words[last].end(), slug))
                next_free = last + 1
        return found
