"""The citizen pages' strings, Vietnamese first with English switchable.

Only the string table lives here; the language (``?lang=en``, remembered in
the ``ioc_lang`` cookie, Vietnamese otherwise) and the look-up are the app's
one mechanism in ``web.i18n``. The JS modules get the same table as JSON.
"""

from __future__ import annotations

from web.i18n import Table, in_language, translate

STRINGS: Table = {
    "app_name": ("Phản ánh hiện trường", "On-the-spot reports"),
    "app_tagline": ("Báo cho thành phố biết sự cố bạn thấy — chỉ ba bước.",
                    "Tell the city about a problem you see — in three steps."),
    "nav_report": ("Gửi phản ánh", "Report"),
    "nav_map": ("Bản đồ phản ánh", "Reports map"),
    "nav_track": ("Tra cứu", "Track"),
    "switch_lang": ("English", "Tiếng Việt"),
    "step_photo": ("1. Ảnh hiện trường", "1. Photo of the spot"),
    "photo_button": ("Chụp hoặc chọn ảnh", "Take or pick a photo"),
    "photo_hint": ("Ảnh giúp xử lý nhanh hơn (JPEG, PNG, WebP; tối đa 8 MB).",
                   "A photo speeds things up (JPEG, PNG, WebP; up to 8 MB)."),
    "step_location": ("2. Vị trí", "2. Location"),
    "locating": ("Đang lấy vị trí từ điện thoại…", "Getting your phone's location…"),
    "located": ("Đã lấy vị trí. Kéo ghim trên bản đồ nếu cần chỉnh.",
                "Location found. Drag the pin on the map to adjust it."),
    "no_gps": ("Không lấy được vị trí. Hãy chạm vào bản đồ hoặc nhập địa chỉ.",
               "Could not get your location. Tap the map or type an address."),
    "address_label": ("Địa chỉ (nếu không có vị trí)", "Address (if no location)"),
    "address_placeholder": ("Số nhà, tên đường, phường/xã", "House number, street, ward"),
    "step_text": ("3. Mô tả ngắn gọn", "3. Describe it briefly"),
    "text_placeholder": ("Ví dụ: Ổ gà lớn trước số 12 đường Nguyễn Huệ",
                         "E.g.: Big pothole in front of 12 Nguyen Hue street"),
    "more_options": ("Thêm thông tin (không bắt buộc)", "More details (optional)"),
    "category_label": ("Lĩnh vực", "Category"),
    "category_auto": ("Để hệ thống tự phân loại", "Let the system decide"),
    "name_label": ("Họ tên", "Name"),
    "phone_label": ("Số điện thoại", "Phone"),
    "privacy_note": ("Họ tên và số điện thoại không bao giờ được công khai.",
                     "Your name and phone are never made public."),
    "submit": ("Gửi phản ánh", "Send report"),
    "sending": ("Đang gửi…", "Sending…"),
    "sent_title": ("Đã gửi phản ánh", "Report sent"),
    "tracking_code": ("Mã theo dõi", "Tracking code"),
    "keep_code": ("Hãy lưu mã này để theo dõi kết quả xử lý.",
                  "Keep this code to follow up on your report."),
    "view_status": ("Xem tiến độ xử lý", "See progress"),
    "queued_offline": ("Bạn đang ngoại tuyến. Phản ánh đã được lưu trên điện thoại và sẽ tự gửi khi có mạng.",
                       "You are offline. The report is saved on your phone and will be sent when the connection returns."),
    "queued_count": ("Phản ánh đang chờ gửi", "Reports waiting to be sent"),
    "my_reports": ("Phản ánh của tôi", "My reports"),
    "nearby_known": ("Đã có phản ánh gần vị trí này — có thể sự cố đã được biết:",
                     "There are reports near this spot — the problem may already be known:"),
    "error_generic": ("Không gửi được. Vui lòng thử lại.", "Could not send. Please try again."),
    "text_required": ("Vui lòng mô tả sự cố.", "Please describe the problem."),
    "text_too_long": ("Mô tả quá dài (tối đa {n} ký tự).", "The description is too long (at most {n} characters)."),
    "field_too_long": ("Trường “{field}” quá dài (tối đa {n} ký tự).", "The field “{field}” is too long (at most {n} characters)."),
    "location_required": ("Cần vị trí trên bản đồ hoặc địa chỉ.", "A location on the map or an address is needed."),
    "location_invalid": ("Vị trí không hợp lệ hoặc nằm ngoài địa bàn thành phố.",
                         "The location is invalid or outside the city."),
    "phone_invalid": ("Số điện thoại không hợp lệ.", "The phone number is not valid."),
    "category_invalid": ("Lĩnh vực không hợp lệ.", "Unknown category."),
    "client_id_invalid": ("Mã gửi không hợp lệ.", "Invalid submission id."),
    "csrf_invalid": ("Phiên làm việc đã hết hạn, vui lòng tải lại trang.",
                     "Your session expired; please reload the page."),
    "too_many": ("Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
                 "Too many requests. Please try again in a few minutes."),
    "too_many_hint": ("Nếu sự cố khẩn cấp, hãy gọi ngay 113 (công an), 114 (cứu nạn, cứu hỏa) "
                      "hoặc 115 (cấp cứu).",
                      "In an emergency, call 113 (police), 114 (fire and rescue) or "
                      "115 (ambulance) right away."),
    "page_not_found": ("Không tìm thấy trang này. Có thể địa chỉ bị gõ sai hoặc trang không còn nữa.",
                       "This page does not exist. The address may be mistyped, or the page is gone."),
    "method_not_allowed": ("Trang này không nhận loại yêu cầu vừa gửi. "
                           "Vui lòng quay lại trang gửi phản ánh và thử lại.",
                           "This page does not accept that kind of request. "
                           "Please go back to the report page and try again."),
    "request_failed": ("Không xử lý được yêu cầu này. Vui lòng quay lại và thử lại.",
                       "This request could not be handled. Please go back and try again."),
    "back_to_report": ("Về trang gửi phản ánh", "Back to the report page"),
    "track_title": ("Tiến độ xử lý", "Progress"),
    "track_lookup": ("Nhập mã theo dõi", "Enter your tracking code"),
    "track_button": ("Tra cứu", "Look up"),
    "not_found": ("Không tìm thấy phản ánh với mã này.", "No report has this code."),
    "step_received": ("Đã tiếp nhận", "Received"),
    "step_routed": ("Đã chuyển đến", "Routed to"),
    "step_triage": ("Đang chờ phân loại", "Waiting to be routed"),
    "step_acknowledged": ("Đơn vị đã nhận xử lý", "Acknowledged by the department"),
    "step_in_progress": ("Đang xử lý tại hiện trường", "Work in progress"),
    "step_resolved": ("Đã giải quyết", "Resolved"),
    "step_reopened": ("Đã mở lại để xem xét", "Reopened for review"),
    "step_rejected": ("Không được tiếp nhận", "Not accepted"),
    "step_duplicate": ("Trùng với phản ánh đã có", "Same as an earlier report"),
    "step_closed": ("Đã hoàn tất", "Closed"),
    "deadline": ("Hạn xử lý", "Due by"),
    "resolution_note": ("Kết quả xử lý", "How it was resolved"),
    "see_original": ("Xem phản ánh gốc", "See the original report"),
    "reports_count": ("lượt phản ánh", "reports"),
    "rate_title": ("Bạn có hài lòng với kết quả?", "Are you satisfied with the result?"),
    "very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "satisfied": ("Hài lòng", "Satisfied"),
    "not_satisfied": ("Không hài lòng", "Not satisfied"),
    "comment_label": ("Góp ý (không bắt buộc)", "Comment (optional)"),
    "rate_submit": ("Gửi đánh giá", "Send rating"),
    "rated_thanks": ("Cảm ơn bạn đã đánh giá.", "Thank you for your rating."),
    "rated_reopened": ("Phản ánh đã được mở lại để xem xét.", "The report was reopened for review."),
    "rate_not_resolved": ("Chỉ đánh giá được khi phản ánh đã được giải quyết.",
                          "Only a resolved report can be rated."),
    "rate_already": ("Kết quả xử lý này đã được đánh giá.", "This resolution has already been rated."),
    "photo_too_large": ("Ảnh quá lớn: tối đa 8 MB.", "The photo is too large: at most 8 MB."),
    "photo_too_large_hint": ("Hãy chọn ảnh nhỏ hơn (hoặc chụp lại ở độ phân giải thấp hơn), "
                             "hoặc gửi phản ánh không kèm ảnh.",
                             "Pick a smaller photo (or take it again at a lower resolution), "
                             "or send the report without a photo."),
    "bad_parameter": ("Tham số không hợp lệ.", "Invalid parameter."),
    "rating_invalid": ("Vui lòng chọn mức độ hài lòng.", "Please choose a rating."),
    "map_title": ("Bản đồ phản ánh gần đây", "Recent reports map"),
    "map_intro": ("Các sự cố người dân đã báo trong 30 ngày qua. Vị trí được làm tròn, không có thông tin cá nhân.",
                  "Problems citizens reported in the last 30 days. Locations are rounded; no personal data."),
    "map_list": ("Danh sách", "List"),
    "map_empty": ("Chưa có phản ánh nào.", "No reports yet."),
    "status_open": ("Đang xử lý", "Open"),
    "status_closed": ("Đã xong", "Closed"),
    "offline_title": ("Không có kết nối mạng", "No connection"),
    "install_hint": ("Thêm vào màn hình chính để mở nhanh.", "Add to home screen for quick access."),
}

STATUS_KEYS = {
    "new": "step_received", "routed": "step_routed", "acknowledged": "step_acknowledged",
    "in_progress": "step_in_progress", "resolved": "step_resolved", "closed": "step_closed",
    "reopened": "step_reopened", "rejected": "step_rejected", "duplicate": "step_duplicate",
}


def t(key: str, **values: object) -> str:
    """The citizen string ``key`` in the request's language, ``{placeholders}`` filled."""
    return translate(STRINGS, key, **values)


def table() -> dict[str, str]:
    """Every citizen string in the request's language (for the JS modules)."""
    return in_language(STRINGS)


def status_label(status: str) -> str:
    """A status in words."""
    return t(STATUS_KEYS.get(status, "step_received"))
