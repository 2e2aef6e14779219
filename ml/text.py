"""The text the classifier, the urgency lexicon and duplicate detection read.

``feature_text`` strips diacritics *before* normalising, so a report typed with
accents and the same report typed without them go through identical steps
and get identical features: routing cannot depend on the accents.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache

from ml.glossary import add_translations
from ml.normalize import normalize, strip_diacritics

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)  # routing and duplicate detection read the same new texts
def feature_text(text: str) -> str:
    """Normalised, diacritic-free text, with Vietnamese glosses of English terms appended.

    ``feature_text("Đường bị ngập")`` == ``feature_text("duong bi ngap")``.
    """
    return add_translations(strip_diacritics(normalize(strip_diacritics(text))))


def prepare(text: str) -> tuple[str, str]:
    """(lower-case NFC text, or "" when it has no diacritics; ``feature_text``)."""
    accented = "" if text.isascii() else unicodedata.normalize("NFC", text).lower()
    return accented, feature_text(text)
