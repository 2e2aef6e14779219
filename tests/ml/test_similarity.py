"""Duplicate-detection text similarity."""

from __future__ import annotations

import pytest

from ml.normalize import strip_diacritics
from ml.similarity import text_similarity

SAME = [
    ("Đèn đường hẻm 5 khóm 3 phường An Lộc bị hư 3 đêm rồi",
     "den duong hem 5 khom 3 An Loc hu roi, toi thui"),
    ("Ống nước bể trước chợ Tân Hội, nước tràn ra đường",
     "ong nuoc be o cho Tan Hoi, nuoc chay lenh lang"),
    ("Rác không ai thu gom ở đầu hẻm 12 Trần Phú cả tuần nay, bốc mùi hôi",
     "hẻm 12 trần phú rác ko ai lấy cả tuần r hôi wá"),
    ("Đèn giao thông ở ngã tư Hùng Vương - Lê Lợi không hoạt động",
     "den giao thong nga tu hung vuong le loi bi hu, xe chay lon xon"),
]
DIFFERENT = [
    ("Ổ gà trên đường Nguyễn Huệ", "Rác thải đổ trộm ở chợ An Lạc"),
    ("Quán karaoke hát tới 12 giờ đêm ở hẻm 5", "Nước máy có mùi hôi ở hẻm 5"),
    ("Đèn đường trên đường Nguyễn Huệ bị hư, tối thui",
     "Ổ gà lớn trên đường Nguyễn Huệ, xe máy té liên tục"),
    ("Cống thoát nước hẻm 12 bị nghẹt, mưa là ngập", "Vỉa hè hẻm 12 bị lấn chiếm bán hàng"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_problem_scores_high(a: str, b: str) -> None:
    assert text_similarity(a, b) >= 0.35


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_problems_score_low(a: str, b: str) -> None:
    assert text_similarity(a, b) < 0.3


def test_properties() -> None:
    a, b = SAME[0]
    assert text_similarity(a, b) == pytest.approx(text_similarity(b, a))
    assert text_similarity(a, strip_diacritics(a)) == pytest.approx(1.0)
    assert text_similarity("Mất điện từ sáng", "mat dien tu sang") == pytest.approx(1.0)
    assert text_similarity("", a) == 0.0
    assert text_similarity("...", "!!!") == 0.0
    assert 0.0 <= text_similarity(a, DIFFERENT[0][1]) <= 1.0
