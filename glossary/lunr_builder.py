"""A faster lunr.py Builder for text that is already split into clean words.

lunr.py's generic Builder tokenises character by character and pushes every token through a
pipeline of Token objects; on 10,000 terms that is most of the build. Our index text is already
clean words (see search.index_words), so `add` can lower-case, drop stop words and stem in one
pass, and `_create_field_vectors` can build each vector already sorted instead of inserting
element by element. The resulting index is identical to lunr.py's (tests/test_search.py checks
that byte for byte); Index, Idf and serialisation are still lunr.py's own.
"""

from __future__ import annotations

from collections import defaultdict

from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.idf import idf as lunr_idf
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.vector import Vector

from .stemmer import stem, stemmer


class CleanTextBuilder(Builder):
    """Builder.add for fields whose values are words separated by single spaces."""

    def __init__(self, ref: str, fields: list[tuple[str, float]]) -> None:
        super().__init__()
        self.ref(ref)
        for name, boost in fields:
            self.field(name, boost=boost)
        self.search_pipeline.add(stemmer)

    def add(self, doc: dict[str, str], attributes: dict | None = None) -> None:
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            terms = [stem(w) for w in doc[field_name].lower().split() if w not in STOP_WORDS]
            frequencies: dict[str, int] = defaultdict(int)
            field_ref = str(FieldRef(doc_ref, field_name))
            self.field_term_frequencies[field_ref] = frequencies
            self.field_lengths[field_ref] = len(terms)
            for term in terms:
                frequencies[term] += 1
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term] = posting
                posting[field_name].setdefault(doc_ref, {})

    def _create_field_vectors(self) -> None:
        k1, b, n = self._k1, self._b, self.document_count
        idf_cache: dict[str, float] = {}
        vectors = {}
        for field_ref, frequencies in self.field_term_frequencies.items():
            if not frequencies:  # an empty field (e.g. no aliases anywhere): nothing to score, no 0/0
                vectors[field_ref] = Vector()
                continue
            ref = FieldRef.from_string(field_ref)
            field_boost = self._fields[ref.field_name].boost
            doc_boost = self._documents[ref.doc_ref].get("boost", 1)
            norm = k1 * (1 - b + b * (self.field_lengths[field_ref] / self.average_field_length[ref.field_name]))
            pairs = []
            for term, tf in frequencies.items():
                posting = self.inverted_index[term]
                if term not in idf_cache:
                    idf_cache[term] = lunr_idf(posting, n)
                # Same expression, in the same order, as lunr.py, so the rounding agrees too.
                score = idf_cache[term] * ((k1 + 1) * tf) / (norm + tf) * field_boost * doc_boost
                pairs.append((posting["_index"], round(score, 3)))
            pairs.sort()
            vectors[field_ref] = Vector([x for pair in pairs for x in pair])
        self.field_vectors = vectors
