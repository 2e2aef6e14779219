"""The danger lexicon."""

from __future__ import annotations

import pytest

from ml.text import prepare
from ml.urgency import DangerLexicon


def _matches(text: str) -> bool:
    normal, ft = prepare(text)
    return DangerLexicon().matches(ft, normal)


@pytest.mark.parametrize("text", [
    "Cháy nhà ở hẻm 5", "chay nha o hem 5", "nhà bên cạnh đang bốc cháy",
    "rò rỉ gas trong bếp", "ro ri ga", "điện giật", "bi dien giat", "dây điện đứt rơi xuống",
    "day dien bi dut", "tai nạn, hai người bị thương", "có người đuối nước", "chet duoi",
    "nhà bị sập", "đâm chém nhau", "cuop tiem vang", "bình gas phát nổ", "there is a fire",
    "someone is drowning", "a man with a knife", "kẹt trong thang máy",
])
def test_danger_terms_match(text: str) -> None:
    assert _matches(text)


@pytest.mark.parametrize("text", [
    "bị giật điện thoại ở chợ", "bình chữa cháy hết hạn", "thiếu bình chua chay",
    "chạy xe lạng lách", "nước chảy ra đường", "sắp tới lễ hội", "đèn đường hư",
    "fire exit is locked", "rác bốc mùi",
])
def test_harmless_phrases_do_not_match(text: str) -> None:
    assert not _matches(text)
