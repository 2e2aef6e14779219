"""Danger lexicon: explicit terms that make a report urgent on their own.

The learned urgency model catches most urgent reports; this short list is the
safety net for the ones a missed alarm would cost most (fire, gas, live wires,
injuries, drowning, collapse, violence). Patterns are written for the
diacritic-stripped normalised text (``feature_text``), so they match reports
typed with or without accents; words that are ambiguous once stripped
("chay" is cháy/chạy/chảy, "sap" is sập/sắp) only count inside phrases.
A few accented patterns, matched on the lower-cased NFC text, add the short
unambiguous accented forms.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

#: Stripped-text danger phrases, grouped by hazard (for readability only).
STRIPPED_TERMS: dict[str, tuple[str, ...]] = {
    "fire": (
        r"boc chay", r"(?<!chua )dam chay", r"hoa hoan", r"chay lon", r"chay rung",
        r"chay du doi", r"(?<!chua )chay (?:nha|kho|tiem|cong ty|can ho|tram)\b",
        r"(?:nha|kho|xuong|tiem|quan|xe) (?:\w+ )?(?:dang|bi) chay(?! (?:nuoc|ra|qua|xe|tron|mau))",
        r"khoi (?:den|bay) (?:\w+ )?(?:mu mit|nghi ngut|cuon cuon)", r"lua (?:boc|chay|bung)",
        r"ngon lua", r"\bfire\b(?! (?:exit|extinguisher|safety|door|alarm|hydrant|escape))",
        r"on fire", r"burning (?:house|building|shop)", r"flames",
    ),
    "gas_explosion": (
        r"ro ri (?:khi )?(?:gas|ga|khi)\b", r"xi (?:gas|ga)\b", r"mui (?:gas|ga)\b",
        r"binh (?:gas|ga) (?:\w+ )?(?:ro|xi|no)", r"no (?:binh|tung|lon)",
        r"(?:phat|tieng|vu) no\b", r"gas leak", r"smell(?:s|ing)? (?:of )?gas", r"explo(?:sion|ded)",
    ),
    "electric": (
        r"dien giat", r"giat dien(?! thoai)", r"bi dien (?:giat|cao the)",
        r"day dien (?:\w+ )?(?:dut|dứt|roi|rot|sa xuong|chay|toe lua|ro ri|lo)\b",
        r"dut day dien", r"toe lua", r"tia lua", r"chap dien", r"no (?:tram|may) bien ap",
        r"live wire", r"power line (?:\w+ )?(?:down|fell|fallen)", r"electrocut", r"sparks?\b",
    ),
    "injury": (
        r"bi thuong", r"chay (?:nhieu )?mau", r"bat tinh", r"ngat xiu", r"cap cuu", r"tu vong",
        r"chet nguoi",
        r"injur", r"bleeding", r"unconscious", r"ambulance",
    ),
    "water": (
        r"duoi nuoc", r"chet duoi", r"roi xuong (?:song|kenh|ao|muong|ho|rach|nuoc)",
        r"bi nuoc cuon", r"cuon troi", r"drown", r"fell into the (?:river|canal|water)",
    ),
    "collapse": (
        r"(?:nha|tuong|cau|tran|mai|gian giao|cong trinh|toa nha|ban cong) (?:\w+ )?(?:bi )?sap\b(?! toi)",
        r"(?:bi|da|dang|do) sap (?:xuong|do|hoan toan)", r"sap xuong",
        r"mac ket", r"ket (?:trong|o) thang may", r"bi ket (?:trong|ben|duoi)", r"collaps",
        r"trapped",
    ),
    "violence": (
        r"dam chem", r"(?:bi|dang) (?:dam|chem)\b", r"cam (?:dao|ma tau|sung|kiem)", r"ma tau",
        r"cuop", r"\bcuu (?:voi|toi|em|tui|con|nguoi)\b", r"hon chien",
        r"\bstabb", r"knife", r"robb", r"\bgun\b", r"help me",
    ),
}

#: Accented patterns on the lower-cased NFC text (short forms unambiguous with accents).
ACCENTED_TERMS: tuple[str, ...] = (
    r"(?<!chữa )(?<!phòng )(?<!báo )(?<!ngăn )(?<!dễ )(?<!lỡ )(?<!nếu )(?<!có )(?<!lo )"
    r"(?<!ngừa )(?<!rang )(?<!nhựa )cháy(?! túi)",
    r"(?<!pháo )(?<!máy )(?<!cháy )\bnổ\b(?! máy| lực| ra)", r"điện giật", r"đuối", r"đâm chém",
    r"cướp", r"\bchém\b", r"thương vong",
)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    """One alternation, tried only at word starts (much faster than at every character)."""
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + ")")


class DangerLexicon:
    """Matches the danger terms; ``hits`` names the hazards found."""

    def __init__(self) -> None:
        self._stripped = {name: _compile(list(terms)) for name, terms in STRIPPED_TERMS.items()}
        self._any_stripped = _compile([p for terms in STRIPPED_TERMS.values() for p in terms])
        self._accented = _compile(list(ACCENTED_TERMS))

    def matches(self, stripped: str, accented: str = "") -> bool:
        """True when a danger term occurs in the stripped or the accented text."""
        return bool(self._any_stripped.search(stripped)
                    or (accented and self._accented.search(accented)))

    def hits(self, stripped: str) -> list[str]:
        """The hazard groups whose terms occur in the stripped text."""
        return [name for name, rx in self._stripped.items() if rx.search(stripped)]
