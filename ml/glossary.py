"""A small English -> Vietnamese glossary for reports from tourists and foreign residents.

English reports are few in any Vietnamese corpus, so on their own they teach the
classifier little. ``add_translations`` appends the Vietnamese words for the
English terms it finds (a fire -> "đám cháy", garbage -> "rác thải"), letting
English reports share features with the much larger Vietnamese part of the
corpus. Keys are English words that are not also Vietnamese syllables once
accents are stripped, so the glossary never fires on a Vietnamese report.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from ml.normalize import strip_diacritics

log = logging.getLogger(__name__)

#: English term (lower case, regex-free) -> Vietnamese equivalent.
GLOSSARY: dict[str, str] = {
    # urban management
    "bus stop": "trạm chờ xe buýt", "holes": "ổ gà", "full of holes": "ổ gà",
    "sink": "sụt lún", "sinking": "sụt lún", "sunk": "sụt lún", "roof": "mái che",
    "fell across": "cây ngã chắn ngang", "drain holes": "miệng cống",
    "bricks": "gạch xây dựng", "permit": "giấy phép", "scaffolding": "giàn giáo",
    "fallen tree": "cây ngã", "leaning": "nghiêng", "dark": "tối om",
    "pothole": "ổ gà", "potholes": "ổ gà", "sidewalk": "vỉa hè", "pavement": "vỉa hè",
    "street light": "đèn đường", "street lights": "đèn đường", "streetlight": "đèn đường",
    "lamp": "đèn đường", "lamps": "đèn đường", "road": "mặt đường", "street": "đường",
    "drain": "cống thoát nước", "drains": "cống thoát nước", "sewer": "cống",
    "flooded": "ngập nước", "flooding": "ngập nước", "flood": "ngập nước",
    "tree": "cây xanh", "trees": "cây xanh", "branch": "nhánh cây", "branches": "nhánh cây",
    "construction": "xây dựng", "building permit": "giấy phép xây dựng", "bench": "ghế đá",
    "benches": "ghế đá", "bus shelter": "nhà chờ xe buýt", "stalls": "lấn chiếm vỉa hè",
    "encroach": "lấn chiếm", "encroaching": "lấn chiếm", "crack": "nứt", "cracked": "nứt",
    "cracking": "nứt", "wall": "bức tường", "sinkhole": "hố sụt", "hole": "hố",
    "manhole": "nắp hố ga", "embankment": "bờ kè", "promenade": "bờ kè",
    # environment
    "toxic smoke": "khói độc đốt rác", "flies": "ruồi nhặng", "sewage": "nước thải",
    "wastewater": "nước thải", "dead cat": "xác động vật", "dead dog": "xác động vật",
    "garbage": "rác thải", "trash": "rác thải", "rubbish": "rác thải", "waste": "rác thải",
    "litter": "rác", "dumped": "đổ trộm rác", "dumping": "đổ trộm rác", "bins": "thùng rác",
    "bin": "thùng rác", "plastic": "rác nhựa", "smell": "mùi hôi", "smells": "mùi hôi",
    "stink": "mùi hôi thối", "stinks": "mùi hôi thối", "odour": "mùi hôi", "odor": "mùi hôi",
    "dust": "bụi", "dusty": "bụi", "pollution": "ô nhiễm", "polluted": "ô nhiễm",
    "canal": "kênh rạch", "dead fish": "cá chết", "dead animal": "xác động vật",
    "burning waste": "đốt rác", "burning trash": "đốt rác", "sand mining": "khai thác cát",
    "factory": "nhà máy xả thải", "pig farm": "trại heo", "farm": "trại chăn nuôi",
    # security
    "grabbed": "giật đồ", "pretending": "giả danh lừa đảo", "transfer money": "chuyển tiền lừa đảo",
    "demand money": "đòi tiền bảo kê", "aggressive": "hung hăng", "screaming": "la hét",
    "stalking": "theo dõi khả nghi", "burglary": "trộm đột nhập",
    "breaking into": "trộm đột nhập", "broke into": "trộm đột nhập", "burglar": "trộm",
    "smashed": "đập phá", "knifepoint": "cướp cầm dao", "hitting": "đánh",
    "kicking": "đánh", "punched": "đánh", "extort": "đòi tiền bảo kê",
    "harass": "quấy rối", "harassing": "quấy rối", "harassment": "quấy rối",
    "police": "công an", "stolen": "bị trộm", "stole": "trộm", "theft": "trộm cắp",
    "thief": "kẻ trộm", "robbed": "bị cướp", "robbery": "cướp", "snatched": "giật",
    "pickpocket": "móc túi", "fight": "đánh nhau", "fighting": "đánh nhau",
    "knife": "cầm dao", "gambling": "đánh bạc", "drugs": "ma túy", "scam": "lừa đảo",
    "scammed": "bị lừa đảo", "fraud": "lừa đảo", "karaoke": "hát karaoke",
    "noise": "ồn ào", "noisy": "ồn ào", "loud": "ồn ào", "drunk": "say xỉn",
    "suspicious": "khả nghi", "passport": "hộ chiếu", "wallet": "ví tiền",
    "hacked": "lừa đảo", "threatened": "đe dọa", "beaten": "đánh đập", "beating": "đánh đập",
    # traffic
    "car": "xe ô tô", "cars": "xe ô tô", "bus": "xe buýt", "buses": "xe buýt",
    "hit by": "bị tông", "knocked down": "bị tông ngã", "collided": "va chạm",
    "red light": "vượt đèn đỏ", "red lights": "vượt đèn đỏ", "speed bump": "gờ giảm tốc",
    "stop sign": "biển báo", "helmet": "mũ bảo hiểm", "speeding": "chạy quá tốc độ",
    "driver": "tài xế", "double park": "đậu xe", "double parked": "đậu xe",
    "accident": "tai nạn giao thông", "crash": "tai nạn giao thông", "crashed": "va chạm",
    "collision": "va chạm", "traffic light": "đèn giao thông", "traffic lights": "đèn giao thông",
    "traffic": "giao thông", "traffic sign": "biển báo", "sign": "biển báo", "signs": "biển báo",
    "road markings": "vạch kẻ đường", "parking": "đậu xe", "parked": "đậu xe",
    "congestion": "kẹt xe", "jam": "kẹt xe", "racing": "đua xe", "overloaded": "xe quá tải",
    "truck": "xe tải", "trucks": "xe tải", "motorbike": "xe máy", "motorbikes": "xe máy",
    "scooter": "xe máy", "scooters": "xe máy", "wrong way": "chạy ngược chiều",
    "roundabout": "vòng xoay", "junction": "ngã tư", "intersection": "ngã tư",
    # health
    "fainted": "ngất xỉu", "stomach": "đau bụng", "spoiled": "ôi thiu", "rotten": "ôi thiu",
    "syringes": "kim tiêm y tế", "needles": "kim tiêm y tế", "infection": "nhiễm trùng",
    "unlicensed": "không giấy phép", "vendor": "bán hàng rong", "cut fruit": "thực phẩm",
    "food poisoning": "ngộ độc thực phẩm", "poisoning": "ngộ độc", "vomiting": "nôn ói",
    "diarrhea": "tiêu chảy", "diarrhoea": "tiêu chảy", "dengue": "sốt xuất huyết",
    "mosquito": "muỗi", "mosquitoes": "muỗi", "clinic": "phòng khám", "pharmacy": "nhà thuốc",
    "hospital": "bệnh viện", "doctor": "bác sĩ", "medical": "y tế", "expired": "hết hạn",
    "hygiene": "vệ sinh an toàn thực phẩm", "food": "thực phẩm", "restaurant": "quán ăn",
    "sick": "bị bệnh", "outbreak": "dịch bệnh",
    # education
    "school hours": "giờ học", "school uniform": "đồng phục học sinh",
    "school uniforms": "đồng phục học sinh", "homework": "bài tập", "exam": "thi cử",
    "school": "trường học", "schools": "trường học", "kindergarten": "trường mầm non",
    "teacher": "giáo viên", "teachers": "giáo viên", "classroom": "lớp học",
    "tuition": "học phí", "fees": "thu phí", "extra classes": "dạy thêm", "pupils": "học sinh",
    "students": "học sinh", "student": "học sinh", "enrolment": "tuyển sinh",
    "enrollment": "tuyển sinh", "principal": "hiệu trưởng", "school meals": "bữa ăn bán trú",
    # social affairs
    "child": "trẻ em", "children": "trẻ em", "kids": "trẻ em", "bruises": "bầm tím bạo hành",
    "beg": "ăn xin", "begs": "ăn xin", "lottery tickets": "bán vé số", "veteran": "thương binh",
    "veterans": "thương binh", "brick kiln": "lao động trẻ em", "minors": "trẻ vị thành niên",
    "orphanage": "trẻ mồ côi", "lives alone": "người già neo đơn",
    "exploited": "bóc lột trẻ em", "exploitation": "bóc lột trẻ em",
    "social services": "bảo trợ xã hội", "welfare": "trợ cấp xã hội", "invalid": "thương binh",
    "war veteran": "thương binh", "labour": "lao động", "worker": "người lao động",
    "workers": "người lao động",
    "allowance": "trợ cấp", "pension": "lương hưu trợ cấp", "beggar": "người ăn xin",
    "beggars": "người ăn xin", "begging": "ăn xin", "homeless": "vô gia cư",
    "elderly": "người già", "disabled": "người khuyết tật", "child labour": "lao động trẻ em",
    "child labor": "lao động trẻ em", "abuse": "bạo hành", "abused": "bạo hành",
    "wages": "nợ lương", "salary": "nợ lương", "unpaid": "nợ lương", "employer": "chủ lao động",
    "orphan": "trẻ mồ côi", "poor household": "hộ nghèo",
    # electricity
    "power outage": "cúp điện", "outage": "cúp điện", "blackout": "cúp điện",
    "no power": "mất điện", "electricity": "điện", "electric": "điện", "power": "điện",
    "wire": "dây điện", "wires": "dây điện", "cable": "dây điện", "pole": "cột điện",
    "transformer": "trạm biến áp", "voltage": "điện áp", "electricity bill": "hóa đơn tiền điện",
    "sparking": "chập điện tóe lửa", "sparks": "tóe lửa", "meter": "đồng hồ",
    # water supply
    "tap water": "nước máy", "water": "nước", "pipe": "đường ống nước",
    "water main": "ống nước chính", "water pressure": "nước yếu", "pressure": "áp lực nước",
    "no water": "mất nước", "leaking": "rò rỉ", "leak": "rò rỉ", "burst": "bể ống",
    "dirty water": "nước đục", "water bill": "hóa đơn tiền nước", "chlorine": "mùi clo",
    # fire and rescue
    "swimming": "tắm sông", "rip current": "đuối nước", "lifeguard": "cứu hộ",
    "divers": "cứu hộ", "locked inside": "mắc kẹt", "chained": "lối thoát hiểm bị khóa",
    "candles": "nguy cơ cháy",
    "fire": "đám cháy", "smoke": "khói", "flames": "lửa cháy", "burning": "đang cháy",
    "explosion": "vụ nổ", "exploded": "phát nổ", "gas leak": "rò rỉ gas",
    "extinguisher": "bình chữa cháy", "extinguishers": "bình chữa cháy",
    "fire exit": "lối thoát hiểm", "emergency exit": "lối thoát hiểm",
    "trapped": "mắc kẹt", "stuck in the lift": "kẹt thang máy", "elevator": "thang máy",
    "lift": "thang máy", "drowning": "đuối nước", "drowned": "đuối nước", "rescue": "cứu hộ",
    # administrative services
    "dossier": "hồ sơ", "application": "hồ sơ", "documents": "hồ sơ giấy tờ",
    "paperwork": "thủ tục hồ sơ", "certificate": "giấy chứng nhận", "birth certificate": "giấy khai sinh",
    "marriage": "đăng ký kết hôn", "residence": "đăng ký cư trú", "registration": "đăng ký",
    "temporary residence": "tạm trú", "notarize": "chứng thực", "notarized": "chứng thực",
    "official": "cán bộ", "officials": "cán bộ", "bribe": "đòi tiền bồi dưỡng",
    "counter": "bộ phận một cửa", "online portal": "cổng dịch vụ công", "portal": "cổng dịch vụ công",
    "queue": "xếp hàng", "visa": "thị thực", "land title": "sổ đỏ",
    # culture and information
    "megaphone": "loa phóng thanh", "promoter": "quảng cáo", "overcharge": "chặt chém du khách",
    "overcharged": "chặt chém du khách", "gaming": "tiệm net", "offensive": "phản cảm",
    "lantern": "lễ hội", "old town": "khu du lịch", "karaoke bar": "hát karaoke",
    "posters": "quảng cáo rao vặt", "poster": "quảng cáo", "flyers": "tờ rơi",
    "advertising": "quảng cáo", "advertisement": "quảng cáo", "fake news": "tin giả",
    "festival": "lễ hội", "loudspeaker": "loa phóng thanh", "loudspeakers": "loa phóng thanh",
    "internet cafe": "tiệm net", "tourist site": "khu du lịch", "event": "sự kiện",
}

@cache
def _compiled() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    """Longest-first regex, stripped translations, and the words a term can start with."""
    table = {key: strip_diacritics(value) for key, value in GLOSSARY.items()}
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b")
    return pattern, table, frozenset(k.split()[0] for k in keys)


def add_translations(text: str) -> str:
    """``text`` (normalised, stripped) followed by the Vietnamese for its English terms."""
    pattern, table, first_words = _compiled()
    if first_words.isdisjoint(text.split()):  # the common case: no English term at all
        return text
    found = pattern.findall(text)
    if not found:
        return text
    return text + " " + " ".join(table[f] for f in found)
