"""Base field-report texts: security, fire, health, schools, social affairs,
administrative services and culture.

Same format and placeholders as :mod:`ingest.simulator.data.reports_city`.
"""

from __future__ import annotations

AN_NINH: tuple[tuple[str, bool], ...] = (
    ("Quán karaoke ở số {n} đường {street} hát tới 12 giờ khuya đêm nào cũng vậy, không ai ngủ được.", False),
    ("Có nhóm thanh niên đánh nhau trước {place}, có cầm dao, đề nghị công an tới gấp!", True),
    ("Nhà tôi ở {khom} vừa bị trộm cạy cửa dắt mất chiếc xe máy.", True),
    ("Có người lạ mặt lảng vảng trong hẻm {n} đường {street} {time}, cứ nhìn vô nhà dân như dò xét.", False),
    ("Nghi có tụ điểm đánh bài ăn tiền trong căn nhà cuối hẻm {n} đường {street}, xe ra vào liên tục.", False),
    ("Tôi nhận được cuộc gọi giả danh công an yêu cầu chuyển tiền để điều tra, đề nghị cảnh báo bà con.", False),
    ("Nhà hàng xóm đánh vợ con, la hét rất lớn, nghe như có người bị thương.", True),
    ("Vừa bị giật điện thoại trên đường {street}, hai đối tượng đi xe Exciter không biển số chạy về hướng {place}.", True),
    ("Tôi bị mất ví có căn cước và bằng lái ở khu vực {place}, ai nhặt được xin liên hệ giúp.", False),
    ("Nhà số {n} đường {street} mở loa kéo hát karaoke từ trưa tới khuya, con nhỏ không ngủ được.", False),
    ("Nghi có người sử dụng ma túy ở dãy phòng trọ gần {place}, ban đêm người lạ ra vào liên tục.", False),
    ("nhom thanh nien nhau xong la het chui the am i ngoai duong {street} toi khuya", False),
    ("Có người say rượu cầm hung khí đe dọa người đi đường ở {place}.", True),
    ("Nhóm cho vay nặng lãi tạt sơn, ném mắm tôm vào nhà dân ở {khom} để đòi nợ.", False),
    ("Bà con cảnh giác: có người giả nhân viên điện lực tới từng nhà thu tiền thay đồng hồ.", False),
    ("Có người đá gà ăn tiền ở bãi đất trống sau {place}, chiều nào cũng tụ tập đông.", False),
    ("mấy đứa nhỏ tụ tập hút thuốc lá điện tử, chạy xe lạng lách quanh {place} tới 1-2 giờ sáng", False),
)

PCCC: tuple[tuple[str, bool], ...] = (
    ("Cháy nhà ở số {n} đường {street}, lửa bốc cao, đề nghị chữa cháy gấp!", True),
    ("Có khói đen bốc ra từ kho hàng gần {place}, nghi cháy bên trong.", True),
    ("Ngửi thấy mùi gas nồng nặc trong dãy trọ trên đường {street}, sợ cháy nổ.", True),
    ("Em bé bị kẹt trong thang máy ở {place}, chưa ai mở được.", True),
    ("Có người đuối nước ở bến đò gần {place}, đang cần cứu hộ gấp!", True),
    ("Lối thoát hiểm của {place} bị hàng hóa chất kín, bình chữa cháy thì hết hạn.", False),
    ("Quán karaoke trên đường {street} không có lối thoát hiểm, cửa sổ bịt khung sắt kín mít.", False),
    ("chay lon o gan {place}, khoi den mu troi, lua lan qua nha ben canh roi", True),
    ("Cháy cỏ ở bãi đất trống lan gần tới nhà dân trong {khom}.", True),
    ("Trụ nước chữa cháy trên đường {street} bị hư, lỡ có cháy không dùng được.", False),
    ("Nhà dân tích trữ nhiều can xăng để bán lẻ ngay trong khu đông dân ở {khom}, rất dễ cháy.", False),
    ("Xe máy đang đậu bỗng bốc cháy trước {place}, lửa lan sang mấy xe kế bên.", True),
    ("Căn nhà cũ trên đường {street} bị sập một phần, nghi có người mắc kẹt bên trong.", True),
    ("Vừa nổ bình gas ở quán ăn gần {place}, có người bị bỏng.", True),
    ("Ổ điện trong chợ gần {place} chập cháy, khói bốc lên nghi ngút.", True),
    ("Xưởng mộc ở {khom} chất mùn cưa đầy lối đi, không có bình chữa cháy nào.", False),
)

Y_TE: tuple[tuple[str, bool], ...] = (
    ("Nhiều người bị ói mửa, đau bụng sau khi ăn đám cưới ở {khom}, nghi ngộ độc thực phẩm.", True),
    ("Xe bánh mì trước {place} không che đậy, ruồi bu đầy, người bán bốc bằng tay không.", False),
    ("Khu vực {khom} có nhiều người bị sốt xuất huyết, đề nghị phun thuốc diệt muỗi.", True),
    ("Nhiều lu vỡ, vỏ xe cũ chứa nước đọng ở bãi đất trống gần {place}, lăng quăng đầy.", False),
    ("Phòng khám tư trên đường {street} không treo giấy phép, còn truyền nước biển tại nhà cho người bệnh.", False),
    ("Nhà thuốc trên đường {street} bán thuốc kháng sinh không cần toa bác sĩ.", False),
    ("Trạm y tế {ward} thường xuyên đóng cửa trong giờ hành chính, không có người trực.", False),
    ("Kim tiêm, ống chích bị vứt bừa bãi gần {place}, con nít hay chơi ở đó.", False),
    ("Con tôi và mấy bạn cùng lớp bị tiêu chảy sau khi ăn đồ ăn vặt bán trước cổng trường.", True),
    ("Lò mổ heo lậu trong {khom} giết mổ ban đêm, không kiểm dịch, nước thải đổ ra mương.", False),
    ("Quán ăn gần {place} dùng dầu chiên đen kịt, chén đũa rửa trong thau nước dơ.", False),
    ("Nhiều trẻ trong xóm bị tay chân miệng, đề nghị y tế xuống kiểm tra và khử khuẩn.", False),
    ("nha ben canh de nuoc dong, muoi nhieu qua, xom co 2 nguoi bi sot xuat huyet roi", True),
    ("Nhân viên trạm y tế thái độ cáu gắt, bắt người bệnh chờ cả buổi mới khám.", False),
    ("Cơ sở làm nước đá ở {khom} dùng nước giếng không qua xử lý, khuôn đá rỉ sét.", False),
    ("Người bán trái cây ở {place} ngâm hóa chất cho trái chín nhanh, mùi hắc rất khó chịu.", False),
)

GIAO_DUC: tuple[tuple[str, bool], ...] = (
    ("Trường tiểu học ở {ward} thu thêm nhiều khoản ngoài quy định đầu năm học, phụ huynh rất bức xúc.", False),
    ("Giáo viên ép học sinh đi học thêm tại nhà, em nào không học thì bị làm khó.", False),
    ("Trần lớp học trường mầm non ở {khom} bong tróc từng mảng, sợ rơi trúng các cháu.", True),
    ("Bữa ăn bán trú ở trường mầm non quá sơ sài, tiền ăn đóng nhiều mà các cháu ăn không đủ no.", False),
    ("Cô giáo đánh học sinh lớp 2 bầm tay, phụ huynh đề nghị nhà trường làm rõ.", True),
    ("Con tôi chuyển hộ khẩu về {ward} mà trường gần nhà không nhận vào học, nói hết chỉ tiêu.", False),
    ("Quỹ ban đại diện cha mẹ học sinh thu 1 triệu mỗi em mà không công khai chi tiêu.", False),
    ("Cổng sau trường THCS gần {place} hư khóa, giờ ra chơi học sinh trốn ra tiệm net.", False),
    ("truong bat mua dong phuc, sach vo tai truong gia cao hon ngoai cho nhieu", False),
    ("Nhà vệ sinh trường tiểu học ở {khom} hôi thối, không có nước, các em phải nhịn cả buổi.", False),
    ("Cây phượng trong sân trường có nhánh mục, sợ gãy rơi trúng học sinh giờ ra chơi.", True),
    ("Thầy chủ nhiệm thường xuyên nghỉ dạy không báo, lớp tự học cả buổi.", False),
    ("Trường thu tiền máy lạnh từ đầu năm mà lớp con tôi tới giờ vẫn chưa lắp.", False),
    ("Xe đưa rước học sinh của trường chở quá số chỗ, các cháu ngồi chen chúc cả dưới sàn.", True),
    ("con minh hoc lop 1 ma co bat mua them 5 cuon sach tham khao, ko mua la bi nhac ten", False),
)

XA_HOI: tuple[tuple[str, bool], ...] = (
    ("Mẹ tôi hơn 80 tuổi mà ba tháng nay chưa nhận được tiền trợ cấp người cao tuổi.", False),
    ("Nhà tôi thuộc diện khó khăn nhưng không được xét hộ nghèo, trong khi nhà khá giả lại có tên.", False),
    ("Có một cụ già lang thang, ngủ ngoài {place} mấy đêm nay, không thấy người thân.", False),
    ("Có bé khoảng 10 tuổi đi bán vé số tới khuya ở {place}, nghi bị người lớn bắt đi bán.", False),
    ("Công ty may trên đường {street} nợ lương công nhân hai tháng chưa trả.", False),
    ("Tiền trợ cấp người khuyết tật của con tôi bị chậm ba tháng, hỏi thì cán bộ nói chờ.", False),
    ("Hàng xóm bạo hành con riêng, cháu bé bị đánh bầm tím khắp người.", True),
    ("Gia đình liệt sĩ ở {khom} chưa được hỗ trợ sửa nhà như đã hứa từ năm ngoái.", False),
    ("cha toi la thuong binh, chuyen ho so ve day gan 1 nam roi ma chua duoc huong che do", False),
    ("Người ăn xin ôm con nhỏ xin tiền ở {place} suốt ngày, nghi có người đứng sau điều khiển.", False),
    ("Cụ ông sống một mình ở {khom} bị liệt, không ai chăm sóc, đề nghị địa phương hỗ trợ.", False),
    ("Chủ lò gạch thuê trẻ em dưới 15 tuổi làm việc nặng nhọc.", False),
    ("Hai vợ chồng già nghèo ở {khom} bị sập mái nhà sau cơn giông, cần hỗ trợ khẩn.", True),
    ("Danh sách nhận quà Tết hộ nghèo ở {khom} có tên người đã chuyển đi nơi khác lâu rồi.", False),
    ("Chủ cơ sở xay xát không đóng bảo hiểm xã hội cho công nhân dù có trừ vào lương.", False),
    ("Có người tâm thần đi lang thang ngoài đường {street}, hay ném đá vào xe cộ.", True),
)

HANH_CHINH: tuple[tuple[str, bool], ...] = (
    ("Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất đã quá hẹn mà chưa có kết quả.", False),
    ("Cán bộ một cửa {ward} gợi ý phải đưa thêm tiền thì hồ sơ mới nhanh.", False),
    ("Xếp hàng ở bộ phận một cửa từ sáng mà chỉ có một quầy làm việc.", False),
    ("Cổng dịch vụ công không nộp hồ sơ được, bấm gửi thì báo lỗi {hours}.", False),
    ("Ứng dụng VNeID không đăng nhập được, không làm thủ tục trực tuyến được.", False),
    ("Hồ sơ đăng ký khai sinh cho con bị trả về ba lần, mỗi lần đòi thêm một loại giấy.", False),
    ("Cán bộ tiếp nhận hồ sơ thái độ hách dịch, nói chuyện trống không với người dân.", False),
    ("Hồ sơ chuyển nhượng đất của tôi bị thất lạc, cán bộ bảo nộp lại từ đầu.", False),
    ("lam chung thuc ban sao phai cho ca buoi sang, may photo o phuong thi hu", False),
    ("Đăng ký thường trú cho con mà hẹn tới hẹn lui {time} chưa xong.", False),
    ("Tôi nhận tin nhắn báo hồ sơ đã hoàn thành nhưng lên lấy thì chưa có kết quả.", False),
    ("Giờ hành chính mà bộ phận một cửa {ward} không có ai trực, chờ cả tiếng đồng hồ.", False),
    ("Xin trích lục khai tử cho cha để làm thủ tục thừa kế mà bị hẹn tới lần thứ ba.", False),
    ("Hồ sơ xin giấy phép xây dựng nộp trực tuyến đã quá hạn 10 ngày, không ai gọi báo lý do.", False),
    ("Không có bảng niêm yết thủ tục và lệ phí ở bộ phận một cửa, người dân không biết phải nộp giấy gì.", False),
    ("ho so dang ky ho kinh doanh nop online bi tu choi ma ko ghi ly do", False),
)

VAN_HOA: tuple[tuple[str, bool], ...] = (
    ("Quảng cáo vay tiền, khoan cắt bê tông dán đầy trụ điện và tường nhà trên đường {street}.", False),
    ("Băng rôn quảng cáo treo ngang đường {street} bị rách, bay phần phật, sợ quấn vào người đi xe.", False),
    ("Trang Facebook lan truyền tin sai sự thật về vụ sạt lở ở {ward}, gây hoang mang.", False),
    ("Loa phát thanh của {khom} mở quá to từ 5 giờ sáng, ảnh hưởng người già và người bệnh.", False),
    ("Tiệm net gần {place} cho học sinh chơi game xuyên đêm.", False),
    ("Nhà hàng trên đường {street} tổ chức ca nhạc ngoài trời không thấy giấy phép, loa đài ầm ĩ.", False),
    ("Có người phát tờ rơi quảng cáo thuốc không rõ nguồn gốc ở {place}.", False),
    ("Mùa nước nổi, khu bờ kè có người bán hàng rong chèo kéo du khách, bán giá cắt cổ.", False),
    ("to roi cho vay nang lai nhet vao khe cua nha dan khap {khom}", False),
    ("Bảng quảng cáo lớn gần {place} dựng không phép, che hết tầm nhìn.", False),
    ("Có tài khoản TikTok đăng clip xúc phạm cán bộ và người dân địa phương.", False),
    ("Người ta sơn xịt số điện thoại khoan cắt bê tông lên bức tường mới sơn của nhà tôi.", False),
    ("Pano tuyên truyền ở {place} bị bôi bẩn, rách nát mà không ai thay.", False),
    ("Trong nhóm Zalo khu phố có người đăng tin đồn bắt cóc trẻ em không đúng sự thật.", False),
    ("Lễ hội đua ghe gần {place} không có người giữ trật tự, du khách chen lấn, hàng rong bày kín lối.", False),
    ("Cờ Tổ quốc treo trên các trụ đèn đường {street} bị bạc màu, rách tả tơi.", False),
)

REPORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "an_ninh": AN_NINH,
    "pccc": PCCC,
    "y_te": Y_TE,
    "giao_duc": GIAO_DUC,
    "xa_hoi": XA_HOI,
    "hanh_chinh": HANH_CHINH,
    "van_hoa": VAN_HOA,
}
