"""Base field-report texts: urban works, environment, traffic, power and water.

Each entry is ``(text, urgent)``. Texts are what a citizen of Hồng Ngự would
type into the city app: some careful, some hurried, some without diacritics.
Placeholders filled by the generator: ``{street}`` (street name, no "đường"),
``{place}`` (a landmark), ``{khom}`` (khóm/ấp), ``{ward}`` (phường/xã name),
``{n}`` (a house or alley number), ``{time}`` (several days), ``{hours}``
(within a day), ``{ago}`` (minutes ago).
"""

from __future__ import annotations

DO_THI: tuple[tuple[str, bool], ...] = (
    ("Đèn đường trên đường {street} bị hư {time}, tối thui rất nguy hiểm cho người đi đường.", False),
    ("Ổ gà lớn giữa đường {street}, đoạn gần {place}, xe máy đi ngang dễ té.", False),
    ("Cống thoát nước ở {khom} bị nghẹt, mưa xuống là nước ngập tới mắt cá chân, tràn vô nhà.", False),
    ("Quán cà phê lấn chiếm hết vỉa hè đường {street}, người đi bộ phải đi xuống lòng đường.", False),
    ("Cây dầu lớn trước {place} bị nghiêng hẳn một bên, gió mạnh là có thể ngã đè người.", True),
    ("Nhà số {n} đường {street} đang xây lấn ra hành lang lộ giới, không thấy treo giấy phép xây dựng.", False),
    ("Nắp hố ga trên đường {street} bị mất, chỉ cắm một cây que làm dấu, ban đêm rất dễ sụp chân.", True),
    ("Mặt đường {street} bị sụp lún một đoạn dài khoảng chục mét, xe qua lại phải né.", False),
    ("Vỉa hè trước {place} bể gạch, lồi lõm, người già đi rất dễ vấp ngã.", False),
    ("Den duong o {khom} chap chon luc sang luc tat {time}, toi di ve so lam", False),
    ("Trụ đèn chiếu sáng gần {place} bị gãy, nằm chắn gần nửa đường.", True),
    ("mưa lớn chút xíu là đường {street} ngập lênh láng, cống thoát không kịp, xe chết máy quá trời", False),
    ("Ghế đá và mái che trạm chờ xe buýt gần {place} bị phá hư, đề nghị sửa lại.", False),
    ("Cành cây gãy treo lơ lửng trên đường {street}, xe tải chạy qua quẹt trúng là rớt xuống đầu người ta.", True),
    ("Bờ kè sông Tiền đoạn gần {place} xuất hiện vết nứt dài, bà con sợ sạt lở.", True),
    ("Các sạp trái cây bày lấn ra lòng đường trước {place}, sáng nào cũng kẹt cứng.", False),
    ("Công trình đào đường làm cống trên đường {street} bỏ ngỏ {time}, không rào chắn, không đèn cảnh báo.", True),
    ("Hẻm {n} đường {street} đá lởm chởm, mưa xuống sình lầy, xin phường cho đổ đá hoặc tráng xi măng.", False),
    ("nha dan do vat lieu xay dung chiem het duong hem {n}, xe may ko qua duoc", False),
    ("Bảng tên đường ở ngã ba {street} bị gãy rớt xuống, người lạ tới không biết đường.", False),
)

MOI_TRUONG: tuple[tuple[str, bool], ...] = (
    ("Rác ở đầu hẻm {n} đường {street} không ai thu gom {time}, bốc mùi hôi thối.", False),
    ("Có người đổ trộm xà bần và rác xây dựng ra bãi đất trống gần {place}.", False),
    ("Thùng rác công cộng trước {place} đầy tràn ra đường, chó mèo bới tung lên.", False),
    ("Có xác heo chết trôi trên kênh gần {place}, mùi hôi nồng nặc cả xóm.", False),
    ("Nước kênh Sở Thượng đoạn qua {khom} đen kịt, cá chết nổi trắng mặt nước.", False),
    ("Cơ sở nuôi heo trong {khom} xả nước thải thẳng ra mương, hôi không chịu nổi.", False),
    ("Có người đốt rác nhựa gần {place} gần như ngày nào cũng đốt, khói bay mù mịt vào nhà dân.", False),
    ("Lò sấy lúa trên đường {street} chạy suốt đêm, bụi trấu bay đầy nhà, con nít ho hoài.", False),
    ("Ghe hút cát trái phép trên sông Tiền đoạn gần {place}, hoạt động ban đêm {time}.", False),
    ("xe rác không vô {khom} gần 1 tuần rồi, rác chất đống trước nhà, ruồi bu đen", False),
    ("Co nguoi dot rom ra gan khu dan cu {khom}, khoi bay mu mit khong mo cua duoc", False),
    ("Tranh chấp ranh đất giữa hai hộ ở {khom}, một bên tự ý dời cột mốc, đề nghị cán bộ địa chính xuống đo lại.", False),
    ("Nhà máy chế biến cá tra gần {place} xả mùi tanh nồng nặc mỗi buổi chiều.", False),
    ("Chó chết nằm giữa đường {street} từ hôm qua tới giờ chưa ai dọn.", False),
    ("Người dân xả rác xuống sông ngay bến đò gần {place}, rác trôi dập dềnh.", False),
    ("Xe chở heo đi ngang đường {street} rò nước thải dọc đường, hôi thối cả đoạn.", False),
    ("Tiệm rửa xe ở số {n} đường {street} xả nước dơ và dầu nhớt ra cống chung.", False),
    ("Bãi rác tự phát phía sau {place} ngày càng lớn, mùa mưa nước rỉ rác chảy ra đường.", False),
    ("Có người lấp mương thoát nước công cộng ở {khom} để làm lối đi riêng, mưa xuống nước không thoát được.", False),
)

GIAO_THONG: tuple[tuple[str, bool], ...] = (
    ("Vừa xảy ra tai nạn giữa xe máy và xe tải ở ngã tư đường {street}, có người bị thương nặng.", True),
    ("Đèn tín hiệu giao thông ở ngã tư đường {street} bị hư {hours}, xe cộ chạy lộn xộn.", False),
    ("Biển báo cấm dừng đỗ trước {place} bị gãy đổ, cần thay mới.", False),
    ("Xe ben chở cát chạy quá tải trên đường {street}, cát rơi đầy đường, mặt đường lún hết.", False),
    ("Nhóm thanh niên đua xe, nẹt pô trên đường {street} lúc 11-12 giờ khuya, người dân không ngủ được.", False),
    ("Ô tô đậu hai bên đường trước {place}, giờ tan trường kẹt xe cứng ngắc.", False),
    ("Kẹt xe kéo dài trên Quốc lộ 30 đoạn qua {place} {hours}.", False),
    ("Vạch sơn cho người đi bộ trước trường học trên đường {street} mờ hết, học sinh qua đường rất nguy hiểm.", False),
    ("tai nan o nga 3 {street}, 2 xe may dung nhau, 1 nguoi nam bat tinh", True),
    ("Xe máy chạy ngược chiều thường xuyên trên đoạn đường một chiều {street}.", False),
    ("Gương cầu lồi ở khúc cua gần {place} bị bể, xe hai đầu không thấy nhau.", False),
    ("Ghe chở lúa đậu chắn luồng ngay bến đò gần {place}, đò ngang không cập bến được.", False),
    ("Xe container đậu trên dốc cầu Sở Thượng, che khuất tầm nhìn, xe máy phải lách ra giữa.", False),
    ("{ago} có xe máy tông người đi bộ trước {place} rồi bỏ chạy, nạn nhân còn nằm bên đường.", True),
    ("Đèn vàng nhấp nháy suốt ở ngã ba đường {street}, giờ cao điểm rất dễ va chạm.", False),
    ("Gờ giảm tốc trên đường {street} làm quá cao, xe máy chở hàng đi qua bị lật.", False),
    ("Đò ngang ở bến gần {place} chở quá số người quy định, không có áo phao.", True),
    ("Cây đổ chắn ngang đường {street}, xe cộ ùn ứ hai đầu.", True),
)

DIEN: tuple[tuple[str, bool], ...] = (
    ("Khu vực {khom} mất điện {hours} mà không có thông báo cắt điện trước.", False),
    ("Dây điện bị đứt rơi xuống đường {street}, đang tóe lửa, rất nguy hiểm!", True),
    ("Trụ điện trước nhà số {n} đường {street} nghiêng sắp ngã sau trận mưa giông.", True),
    ("Trạm biến áp gần {place} kêu rè rè và có mùi khét.", True),
    ("Tiền điện tháng này nhà tôi tăng gấp đôi dù sử dụng như bình thường, nghi đồng hồ điện chạy sai.", False),
    ("Điện chập chờn lúc có lúc không {time}, hư cả tủ lạnh lẫn quạt.", False),
    ("Dây điện võng thấp sát đầu người trong hẻm {n} đường {street}, xe chở hàng đi qua dễ vướng.", True),
    ("mat dien hoai, 1 ngay cup 3-4 lan, troi nong qua chiu ko noi", False),
    ("Cây xanh đè lên đường dây điện gần {place}, nhánh cây đang xẹt lửa.", True),
    ("Điện yếu quá, buổi tối bóng đèn chỉ sáng lờ mờ, máy bơm không chạy nổi.", False),
    ("Công tơ điện nhà tôi bị cháy đen, đề nghị điện lực xuống thay mới.", False),
    ("Trụ điện bị xe tải tông cong trên đường {street}, dây kéo căng như sắp đứt.", True),
    ("Nhân viên ghi chỉ số điện ghi sai, hóa đơn cao hơn số trên đồng hồ gần 200 số.", False),
    ("Lịch báo cúp điện tới 3 giờ chiều là có lại mà giờ tối rồi vẫn chưa có điện.", False),
    ("Tủ điện ở đầu hẻm {n} bị mất nắp, dây điện lòi ra ngoài, con nít hay chơi gần đó.", True),
    ("đèn nhà mình cứ chớp tắt, mấy nhà xung quanh cũng vậy, chắc có sự cố đường dây", False),
)

CAP_NUOC: tuple[tuple[str, bool], ...] = (
    ("Khu vực {khom} mất nước {hours}, bà con không có nước sinh hoạt.", False),
    ("Ống nước bị bể trên đường {street}, nước chảy lênh láng ra đường.", False),
    ("Nước máy có màu vàng đục và mùi tanh, gia đình không dám nấu ăn.", False),
    ("Nước yếu quá, chỉ chảy nhỏ giọt, bơm lên bồn không được {time}.", False),
    ("Tiền nước tháng này tăng bất thường, đồng hồ nước vẫn quay khi đã khóa hết vòi.", False),
    ("Đồng hồ nước trước nhà số {n} đường {street} bị rò rỉ, nước chảy ra suốt.", False),
    ("nuoc may co mui clo nong nac, tam xong bi ngua het nguoi", False),
    ("Nhà tôi đã đóng tiền lắp đồng hồ nước hơn một tháng mà chưa thấy ai tới lắp.", False),
    ("Nước máy có cặn đen, để lắng dưới đáy thau một lớp dày.", False),
    ("Vòi nước công cộng ở {place} bị hư, nước chảy suốt ngày đêm rất lãng phí.", False),
    ("mat nuoc tu toi qua toi gio, ko thay thong bao gi het", False),
    ("Ống nước chính bị vỡ, nước phun cao gần {place}, xói lở cả một góc mặt đường.", True),
    ("Nước sinh hoạt nhiễm phèn, có mùi hôi, giặt đồ trắng bị ố vàng.", False),
    ("Cuối tuyến ống ở {khom} chiều nào cũng không có nước, phải mua nước bình để nấu.", False),
    ("Công nhân sửa ống nước xong để lại hố đào trước nhà số {n} đường {street}, không lấp lại.", False),
)

REPORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "do_thi": DO_THI,
    "moi_truong": MOI_TRUONG,
    "giao_thong": GIAO_THONG,
    "dien": DIEN,
    "cap_nuoc": CAP_NUOC,
}
