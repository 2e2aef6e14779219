"""Text similarity for duplicate detection: is this the same problem reported twice?

The core decides duplicates from place, time and department; this module only
says how alike two descriptions are, 0..1. Both texts go through
``feature_text`` (normalised, diacritics stripped, English glossed), so
"Đường bị ngập" and "duong bi ngap" are identical. The score blends the
overlap of content words (function words and fillers removed) with the cosine
of character trigrams, which tolerates typos and word-form variants.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Sequence
from sys import intern

from ml.text import feature_text

log = logging.getLogger(__name__)

#: Function words (diacritics stripped) that say nothing about the problem.
_STOPWORD_TEXT = """
a ai anh ba bi cac cai chi cho chung co con cua cung da dang day de den di do duoc em gi
giup gium hay het kia khi khong la lai lam lam luc ma may minh moi mot mn nay nao ne nen
ngay nhe nho nhung nua o oi qua ra rat roi sao se ta thi thay the theo toi tu tui va vao
vay ve vi voi vo xin xong admin a and at in is it of on the there this to was with
hem khom phuong ap xa so khu pho gan truoc sau doan tren tai o street road near
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"\w+")

WORD_WEIGHT = 0.6  # share of the score from content-word overlap (rest: character trigrams)


def _drop_names(text: str) -> str:
    """Remove capitalised words that do not start a sentence (names of streets, people)."""
    text = unicodedata.normalize("NFC", text)
    kept, last, previous_end = [], 0, 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        start = match.start()
        if word[0].isupper() and word[1:].islower() and not _starts_sentence(
                text[previous_end:start], start):
            kept.append(text[last:start])
            last = match.end()
        previous_end = match.end()
    kept.append(text[last:])
    return "".join(kept)


def _starts_sentence(gap: str, start: int) -> bool:
    """Whether a word after ``gap`` (the text since the previous word) begins a sentence."""
    if start == 0:
        return True
    body = gap.rstrip()
    return "\n" in gap[len(body):] or (body[-1:] in ".!?:;" and body != "")


Profile = tuple[frozenset[str], Counter[str], float]


def text_profile(text: str) -> Profile:
    """Content words, character-trigram counts and their norm for one text (not cached).

    The strings are interned: a vocabulary of a few thousand words and trigrams
    is shared by every cached profile.
    """
    ft = feature_text(_drop_names(text))
    words = [intern(w) for w in ft.split() if w not in STOPWORDS and not w.isdigit()]
    content = frozenset(words) | frozenset(intern(f"{a} {b}") for a, b in itertools.pairwise(words))
    joined = f" {' '.join(words)} "
    grams = Counter(intern(joined[i:i + 3]) for i in range(len(joined) - 2))
    norm = math.sqrt(sum(v * v for v in grams.values()))
    return content, grams, norm


def _interned(profile: Profile) -> Profile:
    """The same profile sharing its strings with every other (a profile from another process
    arrives with copies of its own: 7 KB instead of 3 KB)."""
    content, grams, norm = profile
    return frozenset(map(intern, content)), Counter({intern(g): n for g, n in grams.items()}), norm


class _ProfileCache:
    """The profiles of recently seen texts (least recently used out first), thread-safe.

    Unlike ``functools.lru_cache`` it can be given profiles computed elsewhere:
    the ingest worker's routing process computes them beside the routing.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, Profile] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> Profile:
        with self._lock:
            found = self._data.get(text)
            if found is not None:
                self._data.move_to_end(text)
                return found
        found = text_profile(text)
        self.put(text, found)
        return found

    def put(self, text: str, profile: Profile) -> None:
        with self._lock:
            self._data[text] = profile
            self._data.move_to_end(text)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


#: ~3 KB a profile: room for the texts of a busy day's open incidents nearby
_CACHE = _ProfileCache(20_000)


def remember_profiles(texts: Sequence[str], profiles: Sequence[Profile]) -> None:
    """Keep profiles computed elsewhere (by ``text_profile``) for the next comparisons."""
    for text, profile in zip(texts, profiles, strict=True):
        _CACHE.put(text, _interned(profile))


def text_similarity(a: str, b: str) -> float:
    """How alike two problem descriptions are, 0 (unrelated) .. 1 (same words).

    Robust to diacritics, chat abbreviations, fillers and word order.
    """
    words_a, grams_a, norm_a = _CACHE.get(a)
    words_b, grams_b, norm_b = _CACHE.get(b)
    if not words_a or not words_b or not norm_a or not norm_b:
        return 0.0
    # only the shared trigrams contribute; the key intersection runs in C
    cosine = sum(grams_a[g] * grams_b[g] for g in grams_a.keys() & grams_b.keys()) / (norm_a * norm_b)
    shared = len(words_a & words_b)
    # overlap relative to the shorter text: a terse report can duplicate a long one
    overlap = shared / min(len(words_a), len(words_b))
    dice = 2 * shared / (len(words_a) + len(words_b))
    word_score = 0.7 * overlap + 0.3 * dice
    return max(0.0, min(1.0, WORD_WEIGHT * word_score + (1 - WORD_WEIGHT) * cosine))
