"""Normalisation of Vietnamese as citizens write it."""

from __future__ import annotations

import unicodedata

import pytest

from ml.glossary import add_translations
from ml.normalize import normalize, strip_diacritics
from ml.text import feature_text


@pytest.mark.parametrize(("text", "expected"), [
    ("đường", "duong"),
    ("Đường Nguyễn Huệ", "Duong Nguyen Hue"),
    ("ngập nước", "ngap nuoc"),
    ("cháy nổ, rò rỉ ga", "chay no, ro ri ga"),
    ("phường Hòa Thuận", "phuong Hoa Thuan"),
    ("already ascii", "already ascii"),
])
def test_strip_diacritics(text: str, expected: str) -> None:
    assert strip_diacritics(text) == expected


def test_strip_diacritics_accepts_nfd() -> None:
    assert strip_diacritics(unicodedata.normalize("NFD", "Điện giật ở cột điện")) == \
        "Dien giat o cot dien"


def test_nfc_and_nfd_input_normalise_alike() -> None:
    text = "Cống thoát nước ở hẻm 12 bị nghẹt, mưa là ngập"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text)
    assert normalize(text) == "cống thoát nước ở hẻm 12 bị nghẹt mưa là ngập"


@pytest.mark.parametrize(("text", "expected"), [
    ("ko dc j", "không được gì"),
    ("hok bít", "không biết"),
    ("đc ng ta nói vs e", "được người ta nói với em"),
    ("wá nhìu rác r", "quá nhiều rác rồi"),
    ("mất 12tr", "mất 12 triệu"),
    ("giá 50k", "giá 50 nghìn"),
    ("zô nhà fải coi", "vô nhà phải coi"),
])
def test_chat_abbreviations(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("alo dạ em muốn phản ánh đường bị ngập", "đường bị ngập"),
    ("ờ alo tôi muốn phản ánh cái đèn đường hư", "cái đèn đường hư"),
    ("a lô cho em hỏi ạ", ""),
    ("alo da em muon phan anh duong bi ngap", "da duong bi ngap"),
])
def test_hotline_fillers(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ĐÈN ĐƯỜNG HƯ!!!", "đèn đường hư"),
    ("nguy hiểm quááá", "nguy hiểm quá"),
    ("xem https://example.com/a?b=1 nha", "xem nha"),
    ("Hoà Bình, thuỷ lợi, quý khách", "hòa bình thủy lợi quý khách"),
    ("phường 1000 hộ", "phường 1000 hộ"),
    ("p.2 Sa Đéc", "phường 2 sa đéc"),
    ("The street light is broken, a bit dark", "the street light is broken a bit dark"),
])
def test_case_punctuation_and_spelling(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("accented", "plain"), [
    ("Đường Lê Lợi bị ngập nước sau cơn mưa", "duong le loi bi ngap nuoc sau con mua"),
    ("Mất điện cả khóm từ tối qua, không ai tới sửa", "mat dien ca khom tu toi qua, ko ai toi sua"),
    ("Rác không được thu gom cả tuần", "rac hok dc thu gom ca tuan"),
])
def test_feature_text_ignores_diacritics_and_shorthand(accented: str, plain: str) -> None:
    assert feature_text(accented) == feature_text(plain)


def test_glossary_glosses_english_only() -> None:
    assert add_translations("the garbage is not collected") == \
        "the garbage is not collected rac thai"
    vietnamese = "rac thai khong duoc thu gom"
    assert add_translations(vietnamese) == vietnamese
    assert "cup dien" in feature_text("Power outage in our street since 8pm")
