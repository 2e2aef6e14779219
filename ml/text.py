"""The text the classifier, the urgency lexicon and duplicate detection read."""

from __future__ import annotations

from ml.glossary import add_translations
from ml.normalize import normalize, strip_diacritics


def prepare(text: str) -> tuple[str, str]:
    """(``normalize(text)``, ``feature_text(text)``), normalising only once."""
    normal = normalize(text)
    return normal, add_translations(strip_diacritics(normal))


def feature_text(text: str) -> str:
    """Normalised, diacritic-free text, with Vietnamese glosses of English terms appended.

    ``feature_text("Đường bị ngập")`` == ``feature_text("duong bi ngap")``.
    """
    return add_translations(strip_diacritics(normalize(text)))
