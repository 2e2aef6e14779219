"""Text normalisation for Vietnamese as citizens actually write it.

Reports arrive with and without diacritics, in NFC or NFD, in chat shorthand
("ko dc j", "bít", "wá"), as hotline speech-to-text with fillers ("alo dạ em
muốn phản ánh ...") and sometimes in English. ``normalize`` maps all of these
to one lower-case accented form; ``strip_diacritics`` removes the accents so a
report typed without them looks the same as one typed with them. The
classifier and the duplicate detector work on ``ml.text.feature_text``
(both steps, plus a glossary for English reports).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache

log = logging.getLogger(__name__)

#: Chat and SMS shorthand, token -> expansion (lower case, after NFC).
ABBREVIATIONS: dict[str, str] = {
    "k": "không", "ko": "không", "kg": "không", "kh": "không", "hok": "không",
    "hông": "không", "khg": "không", "k0": "không",
    "dc": "được", "đc": "được", "dk": "được", "đk": "được", "đươc": "được",
    "j": "gì", "ji": "gì",
    "ng": "người", "ngta": "người ta",
    "vs": "với",
    "bít": "biết", "bik": "biết",
    "wá": "quá", "qá": "quá", "wa": "quá", "fai": "phải", "zo": "vô", "ze": "về", "zui": "vui",
    "nhìu": "nhiều", "nhiu": "nhiều",
    "r": "rồi", "ròi": "rồi", "rùi": "rồi", "roài": "rồi",
    "e": "em", "mn": "mọi người", "mng": "mọi người", "mik": "mình", "mk": "mình",
    "ad": "admin", "cs": "công an", "csgt": "cảnh sát giao thông",
    "đt": "điện thoại", "dt": "điện thoại", "dthoai": "điện thoại",
    "z": "vậy", "dz": "vậy", "v": "vậy", "zô": "vô", "dô": "vô",
    "trc": "trước", "bh": "bây giờ", "bjo": "bây giờ", "bgio": "bây giờ", "dzô": "vô",
    "lm": "làm", "ntn": "như thế nào", "cx": "cũng", "cg": "cũng",
    "tp": "thành phố", "đg": "đường", "ubnd": "ủy ban nhân dân",
    "cccd": "căn cước công dân", "cmnd": "chứng minh nhân dân",
    "vk": "vợ", "ck": "chồng", "sdt": "số điện thoại", "sđt": "số điện thoại",
    "tr": "triệu", "hqua": "hôm qua", "hnay": "hôm nay",
    "ak": "à", "ạk": "à", "uh": "ừ",
    "thui": "thôi", "hổng": "không",
    "lun": "luôn", "bgs": "bao giờ", "chx": "chưa", "ch": "chưa",
}

#: Hotline and chat fillers that carry no meaning (matched as whole words).
FILLERS: tuple[str, ...] = (
    "em muốn phản ánh", "tôi muốn phản ánh", "em xin phản ánh", "tôi xin phản ánh",
    "em muon phan anh", "toi muon phan anh", "em xin phan anh", "toi xin phan anh",
    "cho em hỏi", "cho tôi hỏi", "cho em hoi", "cho toi hoi",
    "xin chào", "xin chao", "a lô", "a lo", "alô", "alo",
    "dạ", "ờ", "ừ", "ừm", "ờm", "ạ", "ơi", "ơ", "hả", "à", "uhm", "um", "ừa",
)

_FILLER_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(FILLERS, key=len, reverse=True))
    + r")(?!\w)"
)
# Old-style tone placement ("hoà", "thuỷ") -> the modern form ("hòa", "thủy").
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE_RE = re.compile(r"(?<!q)(" + "|".join(_OLD_TONES) + r")(?!\w)")
_DIGIT_RE = re.compile(r"\d")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")
_NUM_UNIT_RE = re.compile(r"(\d)([^\W\d_]+)")
_SEP_RE = re.compile(r"[^\w]+|_")
_THOUSAND_RE = re.compile(r"(\d)k\b")
_WARD_RE = re.compile(r"\b([pq])\.?\s?(\d)")
_TEEN = (("w", "qu"), ("f", "ph"), ("z", "v"))
_TONED = re.compile(r"[^\x00-\x7fđ]")


@cache
def _strip_table() -> dict[int, str]:
    """Translation table: every accented Latin letter -> its bare letter."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x1EFF + 1):
        char = chr(code)
        bare = "".join(c for c in unicodedata.normalize("NFD", char)
                       if not unicodedata.combining(c))
        if bare != char and bare.isascii() and bare:
            table[code] = bare
    return table


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics: ``"đường"`` -> ``"duong"`` (NFC or NFD input)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_strip_table())
        if not text.isascii():  # stray combining marks on letters with no precomposed form
            text = "".join(c for c in text if not unicodedata.combining(c))
    return text


def _expand_token(token: str) -> str:
    """Expand one shorthand token; teen-code letters only on accented tokens."""
    expanded = ABBREVIATIONS.get(token)
    if expanded is not None:
        return expanded
    if len(token) > 1 and token[0] in "wfz" and _TONED.search(token):
        for old, new in _TEEN:
            if token[0] == old:
                return new + token[1:]
    return token


def normalize(text: str) -> str:
    """Canonical lower-case accented form of a citizen's text.

    NFC, lower case, modern tone placement, URLs and punctuation removed,
    stretched letters shortened ("quááá"), numbers split from units ("12tr"),
    chat abbreviations expanded and hotline fillers dropped. Diacritics are
    kept; see ``ml.text.feature_text`` for the accent-free form.
    """
    text = unicodedata.normalize("NFC", text).lower()
    if "http" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    if not text.isascii():
        text = _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group(1)], text)
    if _DIGIT_RE.search(text):
        text = _THOUSAND_RE.sub(r"\1 nghìn", text)
        text = _WARD_RE.sub(lambda m: ("phường " if m.group(1) == "p" else "quận ") + m.group(2),
                            text)
        text = _NUM_UNIT_RE.sub(r"\1 \2", text)
    text = _REPEAT_RE.sub(r"\1", text)
    get = ABBREVIATIONS.get
    text = " ".join([_expand_token(t) if t[0] in "wfz" else get(t, t)
                     for t in _SEP_RE.sub(" ", text).split()])
    text = _FILLER_RE.sub(" ", text)
    return " ".join(text.split())
