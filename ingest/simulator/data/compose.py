"""The pieces that turn a base report into one citizen's message.

Openings, closings, location and time mentions, the city's streets and
landmarks, people's names and phone numbers, and the ways people type.
Streets and landmarks are plausible for Hồng Ngự; they are illustrative, not
a gazetteer.
"""

from __future__ import annotations

import random
import re
import unicodedata

OPENINGS: tuple[str, ...] = (
    "Cho mình phản ánh:", "Xin chào,", "Kính gửi UBND phường,", "Em xin phản ánh:", "Phản ánh:",
    "Chào anh chị,", "Nhờ anh chị kiểm tra giúp:", "Tôi xin phản ánh việc sau:", "Dạ cho em báo:",
    "Kính gửi các cơ quan chức năng,", "Xin phản ánh tình trạng:", "Chào IOC,", "Gửi tổng đài IOC,",
)

URGENT_OPENINGS: tuple[str, ...] = ("KHẨN CẤP:", "Gấp!", "Báo gấp:", "Cứu giúp với,")

CLOSINGS: tuple[str, ...] = (
    "Mong được xử lý sớm.", "Mong cơ quan chức năng sớm kiểm tra.", "Xin cảm ơn!", "Cảm ơn anh chị.",
    "Đề nghị địa phương xem xét giải quyết.", "Rất mong được quan tâm giải quyết.",
    "Mong sớm có phản hồi.", "Bà con ở đây rất bức xúc.", "Nhờ chuyển giúp tới đơn vị phụ trách.",
    "Đã phản ánh nhiều lần mà chưa thấy xử lý.", "Trân trọng.", "Cảm ơn ạ.",
    "Có hình ảnh đính kèm.", "Mong được phản hồi qua số điện thoại này.",
)

URGENT_CLOSINGS: tuple[str, ...] = (
    "Đề nghị tới gấp!", "Cần hỗ trợ ngay!", "Mong lực lượng chức năng có mặt ngay!",
    "Làm ơn tới nhanh giùm!", "Rất gấp, xin hỗ trợ ngay.",
)

#: A location sentence added after a base text that names no place itself.
LOCATION_TAILS: tuple[str, ...] = (
    "Địa chỉ: {n} đường {street}, {ward}.", "Vị trí gần {place}.", "Ở {khom}, {ward}.",
    "Khu vực đường {street}, gần {place}.", "Đoạn trước nhà số {n} đường {street}.",
    "Chỗ này thuộc {khom}, {ward} nha.", "Tại hẻm {n} đường {street}.", "Gần {place}, {ward}.",
)

#: The address field of a field report (typed by the citizen or filled by the app).
REPORT_ADDRESSES: tuple[str, ...] = (
    "{n} {street}, {ward}", "{n} đường {street}, {khom}, {ward}", "Hẻm {n} {street}, {ward}",
    "Gần {place}, {ward}", "{khom}, {ward}", "Số {n} {street}",
)

#: Durations of several days ({time}).
TIME_DAYS: tuple[str, ...] = (
    "mấy hôm nay", "cả tuần nay", "hơn 3 ngày nay", "gần nửa tháng nay", "mấy bữa nay",
    "từ đầu tuần tới giờ", "cả tháng nay rồi", "từ thứ Hai tới giờ", "gần một tuần",
)

#: Durations within a day ({hours}).
TIME_HOURS: tuple[str, ...] = (
    "từ sáng tới giờ", "từ tối qua", "từ 2 giờ chiều tới giờ", "mấy tiếng đồng hồ nay",
    "từ trưa tới giờ", "suốt buổi sáng", "từ 5 giờ sáng",
)

#: Just now ({ago}).
AGO: tuple[str, ...] = (
    "Cách đây chừng 10 phút", "Lúc nãy", "Vừa mới đây", "Khoảng 15 phút trước", "Mới vừa rồi",
)

STREETS: tuple[str, ...] = (
    "Hùng Vương", "Nguyễn Tất Thành", "Thiên Hộ Dương", "Chu Văn An", "Trần Hưng Đạo",
    "Lê Lợi", "Nguyễn Huệ", "Điện Biên Phủ", "Lý Thường Kiệt", "Nguyễn Trãi", "Đốc Binh Kiều",
    "Trần Phú", "Võ Văn Kiệt", "Nguyễn Văn Cừ", "Phạm Hữu Lầu", "Nguyễn Sinh Sắc",
    "Võ Thị Sáu", "Nguyễn Thị Minh Khai", "30 Tháng 4", "Lê Duẩn", "Tôn Đức Thắng",
    "Nguyễn Văn Linh", "Lê Văn Tám", "Trương Định", "Ngô Quyền",
)

#: Places every ward has; {short} is the ward's name without "phường"/"xã". Wards add
#: their own landmarks in wards.yaml.
PLACE_TEMPLATES: tuple[str, ...] = (
    "chợ {short}", "trường Tiểu học {short}", "trường THCS {short}", "trường Mầm non {short}",
    "UBND {ward}", "trạm y tế {ward}", "nhà văn hóa {khom}", "đình {short}", "cây xăng {short}",
    "cửa hàng Bách hóa Xanh {short}", "tiệm tạp hóa đầu {khom}", "sân bóng đá mini {short}",
)

FAMILY_NAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ",
    "Ngô", "Hồ", "Dương", "Lâm", "Đoàn", "Lý", "Châu", "Tô", "Thái", "Mai", "Cao",
)

MALE_MIDDLE: tuple[str, ...] = ("Văn", "Minh", "Hữu", "Quốc", "Thanh", "Công", "Hoàng", "Tấn")
FEMALE_MIDDLE: tuple[str, ...] = ("Thị", "Ngọc", "Kim", "Thu", "Thanh", "Thị Ngọc", "Mỹ", "Bích")

MALE_GIVEN: tuple[str, ...] = (
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Lộc", "Minh", "Nam", "Phúc",
    "Quang", "Sơn", "Tài", "Thành", "Toàn", "Trung", "Tuấn", "Vinh", "Phát", "Hậu", "Tâm",
)
FEMALE_GIVEN: tuple[str, ...] = (
    "Anh", "Châu", "Diễm", "Giang", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân",
    "Nhung", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Loan", "Thủy", "Xuân", "Nhi",
)

#: Mobile prefixes in use in Viet Nam (Viettel, VinaPhone, MobiFone, Vietnamobile).
PHONE_PREFIXES: tuple[str, ...] = (
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "081", "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078",
    "079", "089", "090", "093", "092", "056", "058",
)

#: Chat shorthand applied to some messages: whole-word replacements.
CHAT_WORDS: dict[str, str] = {
    "không": "ko", "được": "đc", "rồi": "r", "gì": "j", "người": "ng", "vậy": "v", "với": "vs",
    "biết": "bít", "mọi người": "mn", "anh chị": "a/c", "quá": "wá",
}


def strip_diacritics(text: str) -> str:
    """Vietnamese typed without diacritics ("đèn đường" → "den duong")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def chat_style(text: str, rng: random.Random) -> str:
    """Hurried phone typing: lowercase, shorthand for common words, no final full stop."""
    text = _CHAT_RE.sub(lambda m: CHAT_WORDS[m.group(1)] if rng.random() < 0.75 else m.group(1),
                        text.lower())
    return text.rstrip(".")


def person_name(rng: random.Random) -> str:
    """A Vietnamese full name: family, middle and given name."""
    male = rng.random() < 0.5
    middle = rng.choice(MALE_MIDDLE if male else FEMALE_MIDDLE)
    given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
    return f"{rng.choice(FAMILY_NAMES)} {middle} {given}"


def phone_number(rng: random.Random) -> str:
    """A mobile number as people write it: 0912345678, 0912 345 678 or +84912345678."""
    prefix, rest = rng.choice(PHONE_PREFIXES), f"{rng.randint(0, 9_999_999):07d}"
    style = rng.random()
    if style < 0.2:
        return f"{prefix}{rest[0]} {rest[1:4]} {rest[4:]}"
    if style < 0.3:
        return f"+84{prefix[1:]}{rest}"
    return prefix + rest


_CHAT_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(CHAT_WORDS, key=len, reverse=True)) + r")(?!\w)")
