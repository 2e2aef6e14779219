"""The trained router: routing, threshold, diacritics, urgency, hints."""

from __future__ import annotations

import dataclasses

import pytest

from ml.corpus import load_corpus
from ml.normalize import strip_diacritics
from ml.router import Router

#: Hand-written (not from the corpus): one clear report per department.
CLEAR = {
    "do_thi": "Ổ gà to giữa đường Lê Lợi, xe máy chạy qua té liên tục, đề nghị vá lại mặt đường",
    "moi_truong": "Rác thải không ai thu gom cả tuần nay, bốc mùi hôi thối khắp xóm",
    "an_ninh": "Tối qua nhà tôi bị trộm cạy cửa lấy mất xe máy và tiền",
    "giao_thong": "Đèn tín hiệu giao thông ở ngã tư bị hỏng, xe cộ chạy lộn xộn kẹt xe",
    "y_te": "Cả nhà bị ngộ độc thực phẩm sau khi ăn bánh mì ở xe đẩy đầu hẻm",
    "giao_duc": "Trường tiểu học thu thêm nhiều khoản phí ngoài quy định, phụ huynh bức xúc",
    "xa_hoi": "Tiền trợ cấp người khuyết tật của mẹ tôi đã ba tháng chưa được chi trả",
    "dien": "Cúp điện cả khu phố từ chiều tới giờ, điện lực chưa ai tới sửa",
    "cap_nuoc": "Nước máy nhà tôi bị đục và có mùi lạ, áp lực nước rất yếu",
    "pccc": "Cháy lớn ở kho hàng gần chợ, khói đen bốc cao, cần xe chữa cháy gấp",
    "hanh_chinh": "Hồ sơ đăng ký khai sinh cho con tôi nộp ở bộ phận một cửa đã trễ hẹn hai tuần",
    "van_hoa": "Quảng cáo rao vặt dán đầy trên tường và cột điện, xóa rồi lại dán tiếp",
}

EMERGENCIES = [
    "Cháy nhà ở hẻm 5, có người kẹt bên trong",
    "Rò rỉ gas trong nhà hàng, mùi gas nồng nặc",
    "Dây điện đứt rơi xuống đường, tóe lửa",
    "Tai nạn giữa xe tải và xe máy, một người bị thương nặng",
    "Có người đuối nước ở sông Tiền, đang chìm",
    "Nhà dân bị sập, có người bị kẹt dưới đống đổ nát",
    "Hai nhóm thanh niên đâm chém nhau trước quán nhậu",
    "Có kẻ cầm dao cướp tiệm vàng",
    "Bị điện giật khi chạm vào cột điện",
    "There is a fire in the building next to our hotel, people are trapped",
]


@pytest.mark.parametrize("code", sorted(CLEAR))
def test_clear_reports_are_routed(router: Router, code: str) -> None:
    if code not in router.departments:
        pytest.skip(f"the corpus has no {code} examples yet")
    for text in (CLEAR[code], strip_diacritics(CLEAR[code])):
        prediction = router.classify(text)
        assert prediction.department == code, (text, prediction.candidates)
        assert prediction.confidence >= router.threshold


@pytest.mark.parametrize("text", ["asdkjh qwpoe zxmnv", "xin chào", "???", "12345", "hello",
                                  "tôi muốn hỏi một chút"])
def test_gibberish_and_vague_text_goes_to_manual_triage(router: Router, text: str) -> None:
    prediction = router.classify(text)
    assert prediction.department is None
    assert prediction.confidence < router.threshold
    assert len(prediction.candidates) == 3  # candidates are always filled


def test_prediction_shape(router: Router) -> None:
    prediction = router.classify(CLEAR["dien"])
    assert prediction.model_version == router.version
    probs = [p for _, p in prediction.candidates]
    assert probs == sorted(probs, reverse=True)
    assert 0.0 <= sum(probs) <= 1.0 + 1e-9
    assert prediction.confidence == probs[0]
    assert 0.0 <= prediction.urgency <= 1.0
    assert isinstance(prediction.urgent, bool)
    assert prediction.to_dict()["candidates"][0][0] == "dien"


def test_threshold_is_configurable(router: Router) -> None:
    eager = Router(router.model, router.version, threshold=0.0)
    assert eager.classify("asdkjh qwpoe").department is not None
    strict = Router(router.model, router.version, threshold=1.01)
    assert strict.classify(CLEAR["pccc"]).department is None


def test_batch_equals_single(router: Router) -> None:
    texts = [e.text for e in load_corpus("test")[:40]] + ["", "x"]
    hints = [None, "dien", "rác thải"] * 14
    batch = router.classify_batch(texts, hints)
    for text, hint, prediction in zip(texts, hints, batch, strict=True):
        single = router.classify(text, hint)
        assert single.candidates[0][0] == prediction.candidates[0][0]
        assert single.confidence == pytest.approx(prediction.confidence, abs=1e-9)
        assert single.urgency == pytest.approx(prediction.urgency, abs=1e-9)
    assert router.classify_batch([]) == []


def test_without_diacritics_routes_the_same(router: Router) -> None:
    sample = [e.text for e in load_corpus("test") if not e.text.isascii()][::5]
    assert len(sample) >= 20
    plain = router.classify_batch([strip_diacritics(t) for t in sample])
    accented = router.classify_batch(sample)
    for a, p in zip(accented, plain, strict=True):
        assert a.department == p.department
        assert a.confidence == pytest.approx(p.confidence, abs=1e-9)


@pytest.mark.parametrize("text", EMERGENCIES)
def test_clear_emergencies_are_urgent(router: Router, text: str) -> None:
    assert router.classify(text).urgent
    assert router.classify(strip_diacritics(text)).urgent


def test_calm_reports_are_not_urgent(router: Router) -> None:
    for code in ("giao_duc", "hanh_chinh", "van_hoa", "xa_hoi"):
        if code in router.departments:
            assert not router.classify(CLEAR[code]).urgent, code


def test_wrong_hint_does_not_override_clear_text(router: Router) -> None:
    for hint in ("hanh_chinh", "giáo dục", "garbage"):
        assert router.classify(CLEAR["pccc"], hint).department == "pccc"


def test_hint_is_evidence(router: Router) -> None:
    text = "có vấn đề ở đầu hẻm, nhờ xem giúp"
    before = dict(router.classify(text).candidates)
    hinted = router.classify(text, "moi_truong")
    after = dict(hinted.candidates)
    base = router.probabilities([text])[0][router.departments.index("moi_truong")]
    weight = router.model.hint_weight
    expected = base * (1 + weight) / (1 + weight * base)  # odds multiplied by 1 + weight
    assert after.get("moi_truong", 0.0) == pytest.approx(expected, rel=1e-6) or \
        "moi_truong" not in after
    assert hinted.candidates != tuple(before.items())
    # free words count as a hint too, through the model's reading of them
    words = router.classify(text, "rác thải bốc mùi")
    index = router.departments.index("moi_truong")
    assert dict(words.candidates).get("moi_truong", 0.0) > base or \
        router.probabilities([text])[0][index] < words.candidates[-1][1]


def test_hint_tips_a_close_call(router: Router) -> None:
    text = "Học sinh bị xe tông ngay trước cổng trường lúc tan học"
    first, second = router.classify(text).candidates[:2]
    assert router.classify(text, second[0]).candidates[0][0] == second[0] or \
        second[1] * (1 + router.model.hint_weight) < first[1]


def test_predictions_are_frozen(router: Router) -> None:
    prediction = router.classify(CLEAR["dien"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        prediction.department = "pccc"  # type: ignore[misc]
