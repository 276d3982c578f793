"""English stemmer that produces exactly the stems of lunr.js 2.3.9.

Why this module exists
----------------------
The search index is built in Python with lunr.py, serialised, and loaded in
the browser by lunr.js 2.3.9, which then stems the words the visitor types
with *its own* stemmer (the serialised search pipeline only names the
function: ``"stemmer"``).  Index terms and query terms therefore have to be
stemmed by the same algorithm, but lunr.py's Porter stemmer is a different
port and disagrees with lunr.js on step 1c (final ``y``):

* lunr.js turns a final ``y`` into ``i`` only when the letter before it is
  not a vowel and is not the first letter: ``try -> tri``, ``pay -> pay``,
  ``key -> key``, ``money -> money``, ``deploy -> deploy``;
* lunr.py turns it into ``i`` whenever the rest of the word contains a
  vowel: ``pay -> pai``, ``money -> monei``, ``try -> try``.

So a page indexed with lunr.py under "pai" was never found when a visitor
typed "pay".  This module reimplements lunr.js's algorithm (the Porter
stemmer as written in lunr.js, quirks included) and plugs it into lunr.py.

JavaScript details reproduced on purpose: lunr.js works on UTF-16 code
units, its regular expressions' ``.`` does not match line terminators and
``$`` only matches at the very end of the string.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.trimmer import trimmer

__all__ = ["make_builder", "stem", "stemmer"]

# --- character classes, spelled the way lunr.js spells them -------------------
# "y" counts as a vowel where a vowel is looked for, but also as a consonant
# where a consonant starts a run (lunr.js's own, slightly loose, definitions).
_ANY = r"[^\n\r\u2028\u2029]"  # what "." matches in a JavaScript RegExp
_CONSONANT = "[^aeiou]"
_VOWEL = "[aeiouy]"
_CONSONANTS = _CONSONANT + "[^aeiouy]*"
_VOWELS = _VOWEL + "[aeiou]*"

# Measure tests on a candidate stem ("m" = number of vowel-consonant runs).
_M_ABOVE_0 = re.compile(rf"({_CONSONANTS})?{_VOWELS}{_CONSONANTS}")
_M_ABOVE_1 = re.compile(
    rf"({_CONSONANTS})?{_VOWELS}{_CONSONANTS}{_VOWELS}{_CONSONANTS}"
)
_M_EXACTLY_1 = re.compile(rf"({_CONSONANTS})?{_VOWELS}{_CONSONANTS}({_VOWELS})?\Z")
_HAS_VOWEL = re.compile(rf"({_CONSONANTS})?{_VOWEL}")
# The whole word is consonant run + one vowel + one consonant (not w, x, y).
_SHORT_CVC = re.compile(rf"{_CONSONANTS}{_VOWEL}[^aeiouwxy]\Z")


def _ending(suffixes: Iterable[str]) -> re.Pattern[str]:
    """Match ``<shortest non-empty stem><one of suffixes>`` to the end."""
    alternatives = "|".join(suffixes)
    return re.compile(rf"({_ANY}+?)({alternatives})\Z")


_STEP2_REPLACEMENTS: dict[str, str] = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
_STEP3_REPLACEMENTS: dict[str, str] = {
    "icate": "ic",
    "ative": "",
    "alize": "al",
    "iciti": "ic",
    "ical": "ic",
    "ful": "",
    "ness": "",
}
_STEP4_SUFFIXES = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement",
    "ment", "ent", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)  # fmt: skip

_PLURAL_ES = _ending(["sses", "ies"])  # caresses -> caress, ponies -> poni
_PLURAL_S = re.compile(rf"({_ANY}+?[^s])s\Z")  # cats -> cat, but not "ss"
_EED = _ending(["eed"])
_ED_ING = _ending(["ed", "ing"])
_FINAL_Y = re.compile(rf"({_ANY}+?[^aeiou])y\Z")
_STEP2 = _ending(_STEP2_REPLACEMENTS)
_STEP3 = _ending(_STEP3_REPLACEMENTS)
_STEP4 = _ending(_STEP4_SUFFIXES)
_STEP4_ION = re.compile(rf"({_ANY}+?[st])ion\Z")
_FINAL_E = _ending(["e"])


def _step1a(word: str) -> str:
    """Plurals: drop "es" after "ss"/"i", else drop "s" unless after "s"."""
    if _PLURAL_ES.match(word):
        return word[:-2]
    if _PLURAL_S.match(word):
        return word[:-1]
    return word


def _step1b(word: str) -> str:
    """Past tense and gerund: -eed, -ed, -ing."""
    match = _EED.match(word)
    if match:
        # "agreed" -> "agree"; a word ending in -eed never gets to -ed.
        return word[:-1] if _M_ABOVE_0.match(match[1]) else word
    match = _ED_ING.match(word)
    if not match or not _HAS_VOWEL.match(match[1]):
        return word
    word = match[1]
    if word.endswith(("at", "bl", "iz")):
        return word + "e"  # conflated -> conflate
    if len(word) >= 2 and word[-1] == word[-2] and word[-1] not in "aeiouylsz":
        return word[:-1]  # hopping -> hop (but falling -> fall)
    if _SHORT_CVC.match(word):
        return word + "e"  # sizing -> size
    return word


def _step1c(word: str) -> str:
    """Final y -> i, only after a non-vowel that is not the first letter."""
    match = _FINAL_Y.match(word)
    return match[1] + "i" if match else word


def _replace_suffix(
    word: str, pattern: re.Pattern[str], replacements: dict[str, str]
) -> str:
    """Steps 2 and 3: swap the longest listed suffix if the stem has m > 0."""
    match = pattern.match(word)
    if match and _M_ABOVE_0.match(match[1]):
        return match[1] + replacements[match[2]]
    return word


def _step4(word: str) -> str:
    """Drop a final suffix (or the "ion" of -sion/-tion) when m > 1."""
    match = _STEP4.match(word)
    if match:
        return match[1] if _M_ABOVE_1.match(match[1]) else word
    match = _STEP4_ION.match(word)
    if match and _M_ABOVE_1.match(match[1]):
        return match[1]
    return word


def _step5(word: str) -> str:
    """Tidy up: drop a final "e" and reduce a final "ll" to "l"."""
    match = _FINAL_E.match(word)
    if match:
        rest = match[1]
        if _M_ABOVE_1.match(rest) or (
            _M_EXACTLY_1.match(rest) and not _SHORT_CVC.match(rest)
        ):
            word = rest
    if word.endswith("ll") and _M_ABOVE_1.match(word):
        word = word[:-1]
    return word


def _porter(word: str) -> str:
    """lunr.js's Porter stemmer on a string of UTF-16 code units."""
    if len(word) < 3:
        return word
    # A leading "y" is a consonant: mark it with a capital for the duration.
    leading_y = word[0] == "y"
    if leading_y:
        word = "Y" + word[1:]
    word = _step1a(word)
    word = _step1b(word)
    word = _step1c(word)
    word = _replace_suffix(word, _STEP2, _STEP2_REPLACEMENTS)
    word = _replace_suffix(word, _STEP3, _STEP3_REPLACEMENTS)
    word = _step4(word)
    word = _step5(word)
    if leading_y:
        word = "y" + word[1:]
    return word


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the stem lunr.js 2.3.9's ``lunr.stemmer`` gives ``word``."""
    if word.isascii() or max(word) <= "\uffff":
        return _porter(word)
    # JavaScript strings are UTF-16: characters outside the BMP count as two
    # code units, both for the length check and for the regular expressions.
    raw = word.encode("utf-16-le", "surrogatepass")
    units = "".join(
        chr(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, len(raw), 2)
    )
    stemmed = _porter(units)
    return stemmed.encode("utf-16-le", "surrogatepass").decode(
        "utf-16-le", "surrogatepass"
    )


def stemmer(token: Token, i: int | None = None, tokens: Any = None) -> Token:
    """lunr.py pipeline function applying :func:`stem` to a token."""
    return token.update(lambda string, metadata: stem(string))


# Serialised indexes must name this function "stemmer" so that lunr.js swaps
# in its own (identical) stemmer.  lunr.py has already registered its own
# stemmer under that label, and Pipeline.register_function() would log an
# "Overwriting existing registered function" warning for our deliberate
# replacement, so we set the label and the registry entry directly.  The
# effect is that Index.load() in Python also uses this stemmer for "stemmer",
# matching the browser; lunr.py's lunr()/get_default_builder() keep their own
# function object and are unaffected.
stemmer.label = "stemmer"  # type: ignore[attr-defined]
Pipeline.registered_functions["stemmer"] = stemmer


def make_builder(ref: str, fields: list[tuple[str, float]]) -> Builder:
    """Return a lunr.py Builder whose stems agree with lunr.js 2.3.9.

    Indexing runs trimmer, stop-word filter and :func:`stemmer`; searching
    runs :func:`stemmer`.  ``fields`` are ``(name, boost)`` pairs.
    """
    builder = Builder()
    builder.ref(ref)
    for name, boost in fields:
        builder.field(name, boost=boost)
    builder.pipeline.add(trimmer, stop_word_filter, stemmer)
    builder.search_pipeline.add(stemmer)
    return builder
