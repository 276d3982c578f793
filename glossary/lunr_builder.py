"""A fast builder of lunr indexes, written as JSON, for text that is already split into clean words.

lunr.py's Builder tokenises character by character and pushes every token through a pipeline of
Token objects, then builds an Index (with a token set the serialised form does not contain) that
`serialize()` turns back into lists and dicts for json.dumps: in a large glossary, most of the
build. Our index text is already clean words (see search.index_words), so this builder

- lower-cases each field once and looks every word up in a table that drops stop words and stems
  each distinct word once (a glossary repeats a few thousand words many times over);
- keeps lunr.py's postings, term numbers, field lengths, idf and BM25 scores, computed with the
  same expressions in the same order, so every float comes out bit for bit the same;
- writes the JSON of `Index.serialize()` itself: the index is mostly numbers and tiny dicts, and
  json.dumps spent as long on them as building them took. Here each distinct weight is rounded
  and written once, and each posting is a join of ready-made strings.

tests/test_search.py checks that the JSON is identical to json.dumps of lunr.py's own index.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

# What json.dumps(..., ensure_ascii=False) writes a string with, without its per-call set-up.
from json.encoder import encode_basestring as json_string

from lunr import __TARGET_JS_VERSION__
from lunr.stop_word_filter import WORDS as STOP_WORDS

from .stemmer import stem

# lunr.py's (and lunr.js's) BM25 defaults: term frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# lunr.py rounds every score to 3 decimals when it builds a field vector.
LUNR_DIGITS = 3


class _Terms(dict[str, str | None]):
    """Lower-cased word -> its index term (the stem), or None for a stop word; filled on demand."""

    def __missing__(self, word: str) -> str | None:
        term = None if word in STOP_WORDS else stem(word)
        self[word] = term
        return term


class _Postings(dict[str, list[list[str]]]):
    """Term -> for each field, the JSON `"ref":{}` of each document that has the term there.

    Terms are numbered in the order they are first seen (this dict's order), as in lunr.py.
    """

    def __init__(self, field_count: int) -> None:
        super().__init__()
        self.field_count = field_count

    def __missing__(self, term: str) -> list[list[str]]:
        posting: list[list[str]] = [[] for _ in range(self.field_count)]
        self[term] = posting
        return posting


class _WeightText(dict[float, str]):
    """Score -> the JSON of its weight: rounded as lunr.py rounds it, then to `digits`.

    Rounding and float-to-text are the costliest steps per vector element, and scores repeat (a
    term with the same frequency in fields of the same length), so each distinct score is done once.
    """

    def __init__(self, digits: int) -> None:
        super().__init__()
        self.digits = digits

    def __missing__(self, score: float) -> str:
        # round() twice on purpose: rounding the 3-decimal value can differ from rounding the score.
        text = self[score] = repr(round(round(score, LUNR_DIGITS), self.digits))
        return text


class IndexBuilder:
    """Add documents whose field values are words separated by whitespace, then `json()`.

    Indexes like a lunr.py Builder with the given ref and (field, boost) pairs whose pipeline is
    trimmer, stop-word filter and glossary.stemmer.stemmer (see stemmer.make_builder), and whose
    search pipeline is that stemmer. Each document's ref must be unique.
    """

    def __init__(self, ref: str, fields: list[tuple[str, float]]) -> None:
        self._ref = ref
        self._fields = [name for name, _ in fields]
        self._boosts = [boost for _, boost in fields]
        self._terms = _Terms()
        self._postings = _Postings(len(fields))
        # (field number, field ref, field length, term frequencies), in lunr.py's vector order.
        self._vectors: list[tuple[int, str, int, Counter[str]]] = []
        self._documents = 0

    def add(self, doc: dict[str, str]) -> None:
        ref = str(doc[self._ref])
        lookup, postings = self._terms.__getitem__, self._postings
        entry = json_string(ref) + ":{}"  # this document in a posting (lunr.py keeps no metadata)
        self._documents += 1
        for number, field in enumerate(self._fields):
            # filter(None, ...) drops the stop words (None); a stem is never empty.
            terms = list(filter(None, map(lookup, doc[field].lower().split())))
            frequencies = Counter(terms)  # in order of first occurrence, as lunr.py numbers terms
            self._vectors.append((number, f"{field}/{ref}", len(terms), frequencies))
            for term in frequencies:
                postings[term][number].append(entry)

    def json(self, digits: int = LUNR_DIGITS) -> str:
        """lunr.py's `builder.build().serialize()`, weights rounded to `digits`, as the compact JSON
        of json.dumps(index, ensure_ascii=False, separators=(",", ":"))."""
        return "".join([
            '{"version":', json_string(__TARGET_JS_VERSION__),
            ',"fields":[', ",".join(map(json_string, self._fields)),
            '],"fieldVectors":[', ",".join(self._field_vectors(digits)),
            '],"invertedIndex":[', ",".join(self._inverted_index()),
            # lunr.js looks the stemmer up by this name and uses its own, identical, one.
            '],"pipeline":["stemmer"]}',
        ])  # fmt: skip

    def _inverted_index(self) -> Iterator[str]:
        """`[term, {field: {ref: {}, ...}, ..., "_index": n}]`, sorted by term."""
        number = {term: i for i, term in enumerate(self._postings)}
        names = [json_string(field) + ":{" for field in self._fields]
        for term in sorted(self._postings):
            posting = zip(names, self._postings[term], strict=True)
            fields = ",".join([name + ",".join(refs) + "}" for name, refs in posting])
            yield f'[{json_string(term)},{{{fields},"_index":{number[term]}}}]'

    def _field_vectors(self, digits: int) -> Iterator[str]:
        """`[field ref, [term number, weight, ...]]` in order of term number, for each field ref."""
        total_length = [0] * len(self._fields)
        for field, _, length, _ in self._vectors:
            total_length[field] += length
        average_length = [total / max(self._documents, 1) for total in total_length]
        number = {term: i for i, term in enumerate(self._postings)}
        number_text = {term: str(i) for term, i in number.items()}
        term_idf = {term: self._idf(posting) for term, posting in self._postings.items()}
        weight_text = _WeightText(digits)
        k1_plus_1 = K1 + 1
        for field, field_ref, length, frequencies in self._vectors:
            elements: list[str] = []
            if frequencies:  # an empty field (e.g. no aliases anywhere) has nothing to score, no 0/0
                boost = self._boosts[field]
                norm = K1 * (1 - B + B * (length / average_length[field]))
                for term in sorted(frequencies, key=number.__getitem__):
                    tf = frequencies[term]
                    # lunr.py's expression, in lunr.py's order (its doc boost is 1), so the float
                    # and its rounding agree exactly.
                    score = term_idf[term] * (k1_plus_1 * tf) / (norm + tf) * boost
                    elements += (number_text[term], weight_text[score])
            yield f"[{json_string(field_ref)},[{','.join(elements)}]]"

    def _idf(self, posting: list[list[str]]) -> float:
        """lunr.idf.idf: a term counts once for each field of each document that has it."""
        with_term = sum(map(len, posting))
        return math.log(1 + abs((self._documents - with_term + 0.5) / (with_term + 0.5)))
