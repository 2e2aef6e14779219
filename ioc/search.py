"""Search text: what staff type is matched without regard to case or diacritics.

Citizens write "Đèn đường hư" and "den duong hu"; staff search either way.
Each incident stores its text and address folded (lower case, no
diacritics, đ → d) in ``search_text``, and queries are folded the same way,
so one portable ``LIKE`` answers on SQLite and PostgreSQL alike (SQLite's
``lower()`` knows only ASCII, and PostgreSQL's ``unaccent`` is an extension).
"""

from __future__ import annotations

from ml.normalize import strip_diacritics


def fold(text: str) -> str:
    """Lower case, without diacritics: ``fold("Đèn ĐƯỜNG")`` == ``"den duong"``."""
    return strip_diacritics(text).lower()


def search_text(text: str, address: str | None = None) -> str:
    """The folded text an incident is searched by."""
    return fold(f"{text}\n{address}" if address else text)
