"""Text similarity between investor theses and pitch texts.

TF-IDF over two kinds of feature, fitted on the texts at hand (the theses
and pitch texts of one ranking run), so that it needs no language model and
works for Norwegian and English alike:

* word features: unigrams and bigrams of the lower-cased tokens (a token is
  a run of two or more letters or digits, as in scikit-learn's default);
* character features: the 3- to 5-grams inside each token padded with one
  space on each side (scikit-learn's ``char_wb``), so that a Norwegian
  compound word such as ``sjømateksport`` shares features with ``sjømat``
  and ``eksport``.

A feature found in more than 10 % of the texts and in more than 500 of them
(``MAX_DF``, ``MIN_DF_CUT``) is dropped: in a large set those are the
function words and common word endings of each language, which say nothing
about fit and would cost most of the time. Counts are weighted by
scikit-learn's :class:`TfidfTransformer` (sublinear tf ``1 + ln(count)``,
smooth idf ``ln((1 + n) / (1 + df)) + 1``) and each kind is L2-normalised
per text. The similarity of two texts is the mean of
the cosine of their word vectors and the cosine of their character vectors:
a number in [0, 1], 0 when either text is empty.

:func:`fit_text` builds the matrices with numpy and scipy (no Python loop
per pair); :func:`reference_vectors` and :func:`reference_cosine` compute
the same numbers one text and one pair at a time, for tests and benchmarks.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from itertools import chain, pairwise

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

__all__ = [
    "CHAR_NGRAM_RANGE",
    "TextSimilarity",
    "fit_text",
    "reference_cosine",
    "reference_vectors",
    "tokenize",
]

CHAR_NGRAM_RANGE = (3, 5)
"""Lengths of the character n-grams taken inside each padded token."""

_TOKEN = re.compile(r"\w\w+")  # maximal runs, so the same as \b\w\w+\b

MAX_DF = 0.1
"""A feature found in more than this share of the texts is dropped ..."""
MIN_DF_CUT = 500
"""... if it is also found in more than this many texts."""

FloatArray = npt.NDArray[np.float64]


def tokenize(text: str) -> list[str]:
    """The tokens of ``text``: lower-cased runs of two or more word characters."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _TOKEN.findall(text.lower())


def _char_analyzer() -> CountVectorizer:
    return CountVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAM_RANGE, lowercase=False)


def _char_ngrams(tokens: Sequence[str]) -> sp.csr_matrix:
    """Counts of the character n-grams of each token padded with spaces.

    The same n-grams as scikit-learn's ``char_wb`` analyzer gives for the
    token (every substring of ``" token "`` whose length is in
    :data:`CHAR_NGRAM_RANGE`), found for all tokens at once with numpy:
    every character becomes a digit, every n-gram a number in that base.
    """
    n_tokens = len(tokens)
    padded = "".join(f" {t} " for t in tokens)
    codes = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    seen = np.bincount(codes) > 0
    digits = np.cumsum(seen)[codes]  # 1, 2, ... in code point order
    base = int(seen.sum()) + 1
    width = np.fromiter((len(t) + 2 for t in tokens), dtype=np.int64, count=n_tokens)
    start = np.cumsum(width) - width
    lo, hi = CHAR_NGRAM_RANGE
    per_n = [np.maximum(width - n + 1, 0) for n in range(lo, hi + 1)]
    per_token = np.sum(per_n, axis=0)
    indptr = np.zeros(n_tokens + 1, dtype=np.int64)
    np.cumsum(per_token, out=indptr[1:])
    columns = np.empty(int(indptr[-1]), dtype=np.int64)
    before = indptr[:-1].copy()  # where each token's n-grams of this n go
    n_features = 0
    for n, count in zip(range(lo, hi + 1), per_n, strict=True):
        token = np.repeat(np.arange(n_tokens, dtype=np.int64), count)
        within = np.arange(token.size, dtype=np.int64) - (np.cumsum(count) - count)[token]
        pos = start[token] + within
        if base**n < 2**63:
            key = np.zeros(pos.size, dtype=np.int64)
            for k in range(n):
                key *= base
                key += digits[pos + k]
            grams, which = np.unique(key, return_inverse=True)
        else:  # a very large alphabet: compare the n-grams as rows
            window = np.stack([codes[pos + k] for k in range(n)], axis=1)
            grams, which = np.unique(window, axis=0, return_inverse=True)
        columns[before[token] + within] = which.ravel() + n_features
        before += count
        n_features += grams.shape[0]
    return sp.csr_matrix(
        (np.ones(columns.size), columns, indptr), shape=(n_tokens, n_features), dtype=np.float64
    )


def _counts(docs: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Word (unigram + bigram) and character n-gram count matrices, one row per text."""
    n_docs = len(docs)
    per_doc = [tokenize(d) for d in docs]  # a list of lists
    lengths = np.fromiter((len(t) for t in per_doc), dtype=np.int64, count=n_docs)
    all_tokens = list(chain.from_iterable(per_doc))
    vocab = list(dict.fromkeys(all_tokens))
    n_words = len(vocab)
    if n_words == 0:
        empty = sp.csr_matrix((n_docs, 0), dtype=np.float64)
        return empty, empty
    index = {t: i for i, t in enumerate(vocab)}
    tok = np.fromiter(map(index.__getitem__, all_tokens), dtype=np.int64, count=len(all_tokens))
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    unigrams = sp.csr_matrix(
        (np.ones(tok.size), (doc_of, tok)), shape=(n_docs, n_words), dtype=np.float64
    )
    same_doc = doc_of[1:] == doc_of[:-1]
    pair_key = tok[:-1][same_doc] * n_words + tok[1:][same_doc]
    keys, bigram = np.unique(pair_key, return_inverse=True)
    bigrams = sp.csr_matrix(
        (np.ones(bigram.size), (doc_of[1:][same_doc], bigram.ravel())),
        shape=(n_docs, keys.size),
        dtype=np.float64,
    )
    words = sp.hstack([unigrams, bigrams], format="csr")
    # Character n-grams depend only on the token: find them once per
    # distinct token, then spread them over the texts by a sparse product.
    # An n-gram is in at least as many texts as any token that holds it, so
    # one held by a token in too many texts will be dropped: drop it now.
    per_token = _char_ngrams(vocab)
    token_df = np.bincount(unigrams.indices, minlength=n_words)
    by_gram = sp.csc_matrix(per_token)
    most = np.maximum.reduceat(token_df[by_gram.indices], by_gram.indptr[:-1])
    per_token = _keep_columns(per_token, most <= _df_cut(n_docs))
    chars = sp.csr_matrix(unigrams @ per_token)
    return words, chars


def _df_cut(n_texts: int) -> float:
    """Features found in more texts than this are dropped (see :data:`MAX_DF`)."""
    return max(MAX_DF * n_texts, float(MIN_DF_CUT))


def _keep_columns(matrix: sp.csr_matrix, keep: npt.NDArray[np.bool_]) -> sp.csr_matrix:
    """``matrix[:, keep]``, in one pass over the stored values."""
    new_index = np.cumsum(keep) - 1
    stored = keep[matrix.indices]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[stored]
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    return sp.csr_matrix(
        (matrix.data[stored], new_index[matrix.indices[stored]], indptr),
        shape=(matrix.shape[0], int(keep.sum())),
    )


def _tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """Drop the too-common features, weigh the rest, L2-normalise each row."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    kept = _keep_columns(counts, df <= _df_cut(counts.shape[0]))
    if kept.shape[1] == 0:
        return kept
    weighted = TfidfTransformer(sublinear_tf=True).fit_transform(kept)
    return sp.csr_matrix(weighted, dtype=np.float64)


class TextSimilarity:
    """Cosine similarities between a fitted set of theses and pitch texts."""

    def __init__(self, investors: sp.csr_matrix, pitches: sp.csr_matrix) -> None:
        self.n_investors = investors.shape[0]
        self.n_pitches = pitches.shape[0]
        self._investors = investors
        self._pitches_t = sp.csr_matrix(pitches.T)

    def block(self, start: int, stop: int) -> FloatArray:
        """Similarities of investors ``start:stop`` with every pitch, in [0, 1]."""
        out: FloatArray = np.asarray(
            (self._investors[start:stop] @ self._pitches_t).toarray(), dtype=np.float64
        )
        np.clip(out, 0.0, 1.0, out=out)
        return out


def fit_text(theses: Sequence[str], texts: Sequence[str]) -> TextSimilarity:
    """Fit TF-IDF on ``theses`` and ``texts`` together and prepare their similarities."""
    n_inv = len(theses)
    words, chars = _counts([*theses, *texts])
    half = math.sqrt(0.5)
    both = sp.csr_matrix(
        sp.hstack([_tfidf(words) * half, _tfidf(chars) * half], format="csr"), dtype=np.float64
    )
    return TextSimilarity(both[:n_inv], both[n_inv:])


# -- the plain reference: one text and one pair at a time -------------------

Vector = dict[tuple[str, str], float]


def _reference_features(text: str) -> tuple[Counter[str], Counter[str]]:
    toks = tokenize(text)
    words = Counter(toks)
    words.update(f"{a} {b}" for a, b in pairwise(toks))
    analyzer = _char_analyzer().build_analyzer()
    chars: Counter[str] = Counter()
    for tok in toks:
        chars.update(analyzer(tok))
    return words, chars


def _reference_weigh(counts: list[Counter[str]]) -> list[dict[str, float]]:
    n = len(counts)
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    cut = _df_cut(n)
    out = []
    for c in counts:
        vec = {
            f: (1.0 + math.log(k)) * (math.log((1 + n) / (1 + df[f])) + 1.0)
            for f, k in c.items()
            if df[f] <= cut
        }
        norm = math.sqrt(sum(v * v for v in vec.values()))
        out.append({f: v / norm for f, v in vec.items()} if norm > 0 else {})
    return out


def reference_vectors(docs: Sequence[str]) -> list[Vector]:
    """TF-IDF vectors of ``docs`` fitted on ``docs``, computed in plain Python.

    Keys are ``("w", feature)`` and ``("c", feature)``; each kind has norm
    ``sqrt(0.5)`` (or 0), so a dot product is the mean of the two cosines.
    """
    feats = [_reference_features(d) for d in docs]
    words = _reference_weigh([w for w, _ in feats])
    chars = _reference_weigh([c for _, c in feats])
    half = math.sqrt(0.5)
    out: list[Vector] = []
    for w, c in zip(words, chars, strict=True):
        vec: Vector = {("w", f): v * half for f, v in w.items()}
        vec.update({("c", f): v * half for f, v in c.items()})
        out.append(vec)
    return out


def reference_cosine(a: Vector, b: Vector) -> float:
    """The similarity of two vectors from :func:`reference_vectors`, in [0, 1]."""
    if len(b) < len(a):
        a, b = b, a
    total = 0.0
    for f, v in a.items():
        w = b.get(f)
        if w is not None:
            total += v * w
    return min(1.0, max(0.0, total))
