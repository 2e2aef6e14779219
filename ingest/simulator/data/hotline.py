"""Hotline material: what callers say, as a speech-to-text engine writes it.

Transcripts are lowercase without punctuation, in the southern speech of Đồng
Tháp ("tui", "hổng", "bữa nay", "giùm"). ``CORES`` holds what the call is
about, ``(utterance, urgent)`` per department, with the same placeholders as
the field-report texts; the rest is the talk around it.
"""

from __future__ import annotations

import random
import re

CORES: dict[str, tuple[tuple[str, bool], ...]] = {
    "do_thi": (
        ("cái đèn đường ở đường {street} nó hư mấy bữa nay rồi tối thui à", False),
        ("ngay {place} có cái ổ gà bự lắm bữa qua có chiếc xe té rồi đó", False),
        ("cái cống ở {khom} nó nghẹt mưa xuống là ngập vô nhà", False),
        ("có cái cây bự ở đường {street} nó nghiêng nghiêng sắp ngã rồi", True),
        ("nhà kế bên nhà tui xây lấn ra ngoài lộ mà hổng thấy ai xuống coi", False),
        ("cái nắp cống ở đường {street} mất tiêu rồi sợ tối có người lọt xuống", True),
        ("mấy cái sạp ở {place} bày ra tới giữa đường luôn đi hổng được", False),
        ("bờ kè chỗ {place} nó nứt một đường dài bà con sợ sạt lở lắm", True),
    ),
    "moi_truong": (
        ("rác ở {khom} cả tuần rồi hổng thấy xe rác tới hôi quá trời", False),
        ("có người đổ rác bậy ở bãi đất trống gần {place}", False),
        ("cái trại heo ở {khom} nó xả nước thải ra mương hôi lắm", False),
        ("có ghe hút cát ban đêm ở khúc sông gần {place} ồn mà sợ sạt lở nữa", False),
        ("có con chó chết nằm ngay đường {street} hổng ai dọn", False),
        ("cái lò sấy lúa nó thổi bụi trấu qua nhà tui quá trời", False),
        ("nước con kênh ở {khom} đen thui cá chết nổi lềnh bềnh", False),
    ),
    "an_ninh": (
        ("cái quán karaoke ở đường {street} nó hát tới khuya lắc khuya lơ luôn", False),
        ("có mấy đứa đánh nhau ngay {place} có cầm dao nữa anh chị cho người tới liền đi", True),
        ("nhà tui mới bị trộm vô lấy chiếc xe honda", True),
        ("có người gọi điện xưng công an kêu tui chuyển tiền", False),
        ("có mấy người lạ đi lòng vòng trong xóm nhìn nhìn vô nhà người ta", False),
        ("nhà kế bên tụ tập đánh bài ăn tiền đông lắm", False),
        ("ông hàng xóm say rượu đánh vợ la làng um sùm", True),
        ("tui bị giật cái điện thoại ở đường {street} tụi nó chạy mất rồi", True),
    ),
    "giao_thong": (
        ("có tai nạn ở ngã tư đường {street} có người nằm dưới đường luôn", True),
        ("cái đèn xanh đèn đỏ ở đường {street} nó hư rồi xe chạy lộn xộn quá", False),
        ("mấy thằng nhỏ đua xe nẹt pô ở đường {street} tối nào cũng vậy", False),
        ("xe ben chở cát chạy quá tải cát rớt đầy đường", False),
        ("xe đậu hai bên đường ở {place} kẹt cứng hổng đi được", False),
        ("cái biển báo ở đường {street} bị xe tông gãy rồi", False),
        ("đò ngang ở bến gần {place} chở đông quá mà hổng có áo phao", True),
    ),
    "dien": (
        ("khu {khom} cúp điện từ sáng tới giờ mà hổng có báo trước", False),
        ("dây điện đứt rớt xuống đường ở đường {street} đang xẹt lửa", True),
        ("cái trụ điện trước nhà tui nó nghiêng sắp đổ rồi", True),
        ("tiền điện tháng này cao quá trời mà nhà tui xài như cũ", False),
        ("điện chập chờn hoài hư cái tủ lạnh nhà tui rồi", False),
        ("cái máy biến áp gần {place} nó kêu lụp bụp có mùi khét", True),
    ),
    "cap_nuoc": (
        ("nhà tui hổng có nước xài từ tối qua tới giờ", False),
        ("ống nước bể ở đường {street} nước chảy lênh láng", False),
        ("nước máy nó vàng vàng mà có mùi tanh nữa", False),
        ("nước yếu quá chảy nhỏ xíu hà bơm lên bồn hổng được", False),
        ("cái đồng hồ nước nó quay hoài mà tui khóa hết vòi rồi", False),
        ("đóng tiền gắn đồng hồ nước cả tháng rồi mà chưa thấy ai tới gắn", False),
    ),
    "y_te": (
        ("mấy người ăn đám giỗ ở {khom} bị ói với tiêu chảy quá trời", True),
        ("xóm tui có mấy người bị sốt xuất huyết rồi mà chưa thấy ai xuống xịt thuốc", True),
        ("có cái phòng khám ở đường {street} hổng có giấy phép mà chích thuốc cho người ta", False),
        ("cái xe bán đồ ăn trước {place} dơ lắm ruồi bu đầy", False),
        ("có kim tiêm vứt ở bãi đất gần {place} con nít hay chơi ở đó", False),
    ),
    "giao_duc": (
        ("trường của con tui thu nhiều khoản quá mà hổng nói rõ tiền gì", False),
        ("cô giáo bắt mấy đứa nhỏ đi học thêm ở nhà cổ", False),
        ("con tui bị cô đánh bầm tay về nhà khóc quá trời", True),
        ("cái trần lớp học trường mầm non nó bong ra sợ rớt trúng mấy đứa nhỏ", True),
        ("tiền ăn bán trú đóng nhiều mà cho tụi nhỏ ăn ít quá", False),
    ),
    "xa_hoi": (
        ("má tui già rồi mà mấy tháng nay hổng thấy lãnh tiền trợ cấp", False),
        ("nhà tui nghèo mà hổng được vô danh sách hộ nghèo", False),
        ("công ty nợ lương tụi tui hai tháng rồi chưa trả", False),
        ("có ông già đi lang thang ngủ ngoài {place} mấy bữa nay", False),
        ("có đứa nhỏ bị cha dượng đánh hoài bầm tím hết trơn", True),
    ),
    "hanh_chinh": (
        ("tui nộp hồ sơ làm sổ đỏ quá hẹn lâu rồi mà chưa có", False),
        ("lên phường làm giấy tờ chờ cả buổi mà chỉ có một người làm", False),
        ("cái cổng dịch vụ công nộp hồ sơ hổng được cứ báo lỗi hoài", False),
        ("cán bộ nói phải bồi dưỡng thì mới làm nhanh", False),
        ("làm giấy khai sinh cho con mà bị trả về mấy lần rồi", False),
        ("tui muốn hỏi coi hồ sơ chuyển nhượng đất của tui tới đâu rồi", False),
    ),
    "pccc": (
        ("cháy nhà ở đường {street} rồi lửa lớn lắm tới liền đi", True),
        ("có khói đen bốc ra ở cái kho gần {place}", True),
        ("nghe mùi ga nồng lắm trong dãy trọ sợ nổ", True),
        ("có người té sông ở bến đò gần {place} chưa thấy ngoi lên", True),
        ("có đứa nhỏ bị kẹt trong thang máy ở {place}", True),
    ),
    "van_hoa": (
        ("người ta dán quảng cáo khoan cắt bê tông đầy cột điện ở đường {street}", False),
        ("cái loa phát thanh của khóm mở to quá từ sáng sớm", False),
        ("trên mạng có người đăng tin bậy bạ nói xấu người ta", False),
        ("tiệm nét gần {place} cho tụi nhỏ chơi game thâu đêm", False),
        ("có đám ca nhạc ngoài trời mở loa tới khuya hổng biết có phép hông", False),
    ),
}

GREETINGS: tuple[str, ...] = (
    "alo", "alo alo", "dạ alo", "alo tổng đài hả", "alo cho hỏi phải tổng đài thành phố hông",
    "dạ em chào chị", "dạ chào anh", "alo nghe hông", "ờ alo",
)

INTROS: tuple[str, ...] = (
    "em ở {khom} {ward}", "tui ở {ward} nè", "dạ tui ở {khom}", "nhà em ở đường {street}",
    "tui là người dân {ward}", "em ở gần {place}",
)

INTENTS: tuple[str, ...] = (
    "em muốn phản ánh", "cho tui báo cái này", "dạ em gọi để báo là", "tui muốn phản ánh cái vụ",
    "cho em phản ánh chút", "dạ tui muốn báo", "em gọi lên là vì", "cho tui hỏi chút",
)

ADDRESSES: tuple[str, ...] = (
    "ở số {n} đường {street}", "chỗ gần {place} đó", "ở {khom} {ward}", "đường {street} đoạn gần {place}",
    "trong hẻm {n} đường {street}", "ngay {place} luôn", "ở {khom} gần {place}",
)

CLOSINGS: tuple[str, ...] = (
    "dạ vậy thôi", "nhờ tổng đài báo giùm", "cảm ơn chị nha", "anh chị cho người xuống coi giùm",
    "dạ cảm ơn", "mong mấy anh xuống sớm sớm", "vậy nha cảm ơn", "tui chờ nha",
    "báo mấy lần rồi mà chưa thấy ai xuống",
)

URGENT_CLOSINGS: tuple[str, ...] = (
    "tới liền giùm cái", "nhanh nhanh giùm nha", "gấp lắm rồi", "cho người tới liền đi",
)

#: The address as the operator types it into the ticket.
TICKET_ADDRESSES: tuple[str, ...] = (
    "Số {n} đường {street}, {khom}, {ward}", "Gần {place}, {ward}", "Hẻm {n} đường {street}",
    "{khom}, {ward}", "Đường {street}, đoạn gần {place}", "đường {street} gần {place}",
)

#: Words a speech recogniser leaves in between the meaningful ones.
FILLERS: tuple[str, ...] = ("ờ", "à", "dạ", "thì", "là", "ừm", "nói chung là", "ờ thì", "dạ dạ")
HESITATIONS: tuple[str, ...] = ("ờ", "à", "ừm")


def speech_style(pieces: list[str], rng: random.Random) -> str:
    """Spoken pieces as a speech recogniser writes them: lowercase, no punctuation, a filler
    now and then between pieces, rare hesitations and repeated words inside them."""
    words: list[str] = []
    for i, piece in enumerate(pieces):
        if i and rng.random() < 0.3:
            words.append(rng.choice(FILLERS))
        spoken = _PUNCT_RE.sub(" ", piece.lower()).split()
        for j, word in enumerate(spoken):
            words.append(word)
            if rng.random() < 0.012:
                words.append(word)
            elif j < len(spoken) - 1 and rng.random() < 0.01:
                words.append(rng.choice(HESITATIONS))
    return " ".join(words)


_PUNCT_RE = re.compile(r"[.,!?;:\"“”()/\-]+")
