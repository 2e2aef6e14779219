"""Administrative procedures handled at Hồng Ngự's one-stop counters.

``days`` is the legal processing time in working days (0: the same working
day, or the next one when received after 15:00). ``level`` says where the
dossier is handled: ``ward`` (a ward/commune office), ``city`` (the city's
one-stop department) or ``both``. ``weight`` is how common the procedure is.
Codes have the shape of the national procedure database; they are
illustrative: check the national portal before relying on one.
"""

from __future__ import annotations

from typing import NamedTuple


class Procedure(NamedTuple):
    """One administrative procedure."""

    code: str
    name: str
    field: str
    days: int
    level: str
    weight: int


PROCEDURES: tuple[Procedure, ...] = (
    # hộ tịch
    Procedure("1.001193", "Đăng ký khai sinh", "hộ tịch", 0, "ward", 10),
    Procedure("1.000894", "Đăng ký kết hôn", "hộ tịch", 0, "ward", 4),
    Procedure("1.000656", "Đăng ký khai tử", "hộ tịch", 0, "ward", 3),
    Procedure("1.004884", "Đăng ký lại khai sinh", "hộ tịch", 5, "ward", 1),
    Procedure("1.004859", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "hộ tịch", 3, "ward", 2),
    Procedure("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "hộ tịch", 3, "ward", 4),
    Procedure("2.000635", "Cấp bản sao Trích lục hộ tịch", "hộ tịch", 0, "ward", 4),
    Procedure("1.001022", "Đăng ký nhận cha, mẹ, con", "hộ tịch", 3, "ward", 1),
    # chứng thực
    Procedure("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "chứng thực", 0, "both", 14),
    Procedure("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "chứng thực", 0, "both", 5),
    Procedure("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở", "chứng thực", 2, "ward", 3),
    Procedure("2.001019", "Chứng thực văn bản thỏa thuận phân chia di sản", "chứng thực", 2, "ward", 1),
    # tư pháp
    Procedure("1.003005", "Đăng ký việc nuôi con nuôi trong nước", "tư pháp", 20, "ward", 1),
    Procedure("2.000305", "Công nhận hòa giải viên", "tư pháp", 3, "ward", 1),
    # cư trú
    Procedure("1.004194", "Đăng ký thường trú", "cư trú", 7, "ward", 5),
    Procedure("1.004195", "Đăng ký tạm trú", "cư trú", 3, "ward", 4),
    Procedure("1.004196", "Xóa đăng ký thường trú", "cư trú", 1, "ward", 1),
    # đất đai
    Procedure("1.004227", "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "đất đai", 20, "city", 3),
    Procedure("1.004203", "Đăng ký biến động quyền sử dụng đất do chuyển nhượng, tặng cho, thừa kế", "đất đai", 10, "city", 5),
    Procedure("1.004238", "Tách thửa hoặc hợp thửa đất", "đất đai", 15, "city", 2),
    Procedure("1.004217", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", "đất đai", 7, "city", 2),
    Procedure("1.004229", "Chuyển mục đích sử dụng đất", "đất đai", 15, "city", 1),
    Procedure("1.004231", "Đính chính Giấy chứng nhận đã cấp", "đất đai", 10, "city", 1),
    # xây dựng
    Procedure("1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "xây dựng", 15, "city", 4),
    Procedure("1.009995", "Cấp giấy phép sửa chữa, cải tạo nhà ở riêng lẻ", "xây dựng", 15, "city", 1),
    Procedure("1.009997", "Gia hạn giấy phép xây dựng", "xây dựng", 5, "city", 1),
    # kinh doanh
    Procedure("2.000720", "Đăng ký thành lập hộ kinh doanh", "kinh doanh", 3, "city", 5),
    Procedure("2.000719", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "kinh doanh", 3, "city", 2),
    Procedure("2.000575", "Thông báo tạm ngừng kinh doanh của hộ kinh doanh", "kinh doanh", 3, "city", 1),
    Procedure("2.000181", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "kinh doanh", 10, "city", 1),
    Procedure("2.000633", "Cấp Giấy phép bán lẻ rượu", "kinh doanh", 10, "city", 1),
    # văn hóa, y tế, giáo dục
    Procedure("1.001029", "Cấp Giấy phép kinh doanh dịch vụ karaoke", "văn hóa", 5, "city", 1),
    Procedure("2.000355", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "y tế", 15, "city", 1),
    Procedure("3.000182", "Chuyển trường đối với học sinh trung học cơ sở", "giáo dục và đào tạo", 3, "city", 1),
    # lao động - thương binh và xã hội
    Procedure("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", "lao động - thương binh và xã hội", 15, "ward", 3),
    Procedure("1.001758", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "lao động - thương binh và xã hội", 5, "ward", 1),
    Procedure("1.000489", "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "lao động - thương binh và xã hội", 10, "ward", 1),
    Procedure("1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "lao động - thương binh và xã hội", 20, "ward", 1),
    Procedure("1.010831", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "lao động - thương binh và xã hội", 12, "city", 1),
    # giao thông vận tải
    Procedure("1.003658", "Đăng ký phương tiện thủy nội địa lần đầu", "giao thông vận tải", 3, "city", 2),
    Procedure("1.001046", "Cấp giấy phép sử dụng tạm thời một phần hè phố", "giao thông vận tải", 7, "city", 1),
    Procedure("1.001061", "Cấp phép thi công công trình trên đường bộ đang khai thác", "giao thông vận tải", 7, "city", 1),
)

#: (channel, weight): counters still take most dossiers; postal is the public postal service.
CHANNELS: tuple[tuple[str, int], ...] = (("counter", 60), ("online", 33), ("postal", 7))

#: Agency code of the city in dossier numbers; a ward's is "000.<nn>.21.H19".
CITY_AGENCY = "000.00.21.H19"
