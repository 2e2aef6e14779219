"""Vietnamese-first UI strings, the English switch and city-time formatting.

The language comes from ``?lang=vi|en`` (remembered in a cookie) or the
cookie, and is Vietnamese otherwise. Every page uses this one mechanism; a
string table maps a key to its (Vietnamese, English) pair: ``MESSAGES`` here
for the staff pages, ``web.citizen.i18n.STRINGS`` for the citizen app
(looked up with ``translate`` and ``in_language``). Times are stored in UTC
and shown in the city's time zone (``Settings.timezone``, Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, g, request

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
COOKIE = "ioc_lang"

#: A string table: key → (Vietnamese, English).
Table = dict[str, tuple[str, str]]

#: The staff pages' strings.
MESSAGES: Table = {
    "app.title": ("Trung tâm Điều hành thông minh", "Intelligent Operations Center"),
    "nav.console": ("Bản đồ điều hành", "Live console"),
    "nav.triage": ("Phân loại thủ công", "Manual triage"),
    "nav.inbox": ("Hộp thư phòng ban", "Department inbox"),
    "nav.logout": ("Đăng xuất", "Log out"),
    "nav.language": ("English", "Tiếng Việt"),
    "login.title": ("Đăng nhập", "Log in"),
    "login.username": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Log in"),
    "login.failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "login.throttled": ("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.",
                        "Too many failed log-ins. Please try again in a few minutes."),
    "login.required": ("Vui lòng đăng nhập để tiếp tục.", "Please log in to continue."),
    "logout.done": ("Bạn đã đăng xuất.", "You have been logged out."),
    "csrf.title": ("Yêu cầu bị từ chối", "Request refused"),
    "csrf.message": (
        "Biểu mẫu thiếu hoặc sai mã bảo vệ CSRF (có thể phiên làm việc đã hết hạn). "
        "Vui lòng tải lại trang rồi gửi lại.",
        "The form's CSRF protection token is missing or invalid (the session may have "
        "expired). Please reload the page and submit again."),
    "error.404": ("Không tìm thấy", "Not found"),
    "error.404.text": ("Trang hoặc phản ánh này không tồn tại, hoặc bạn không có quyền xem.",
                       "This page or incident does not exist, or you may not see it."),
    "error.405": ("Phương thức không được hỗ trợ", "Method not allowed"),
    "error.405.text": ("Địa chỉ này không nhận loại yêu cầu vừa gửi. Vui lòng quay lại và thử lại.",
                       "This address does not accept that kind of request. Please go back and "
                       "try again."),
    "error.403": ("Không có quyền", "Forbidden"),
    "error.403.text": ("Tài khoản của bạn không có quyền thực hiện thao tác này.",
                       "Your account may not do this."),
    "error.back": ("Về trang chính", "Back to the start page"),
    "error.413": ("Dữ liệu gửi lên quá lớn", "Upload too large"),
    "error.413.text": ("Ảnh hoặc tệp đính kèm vượt quá dung lượng cho phép. Hãy chọn ảnh nhỏ hơn "
                       "hoặc gửi ít ảnh hơn mỗi lần, rồi thử lại.",
                       "The photos or files sent are larger than allowed. Pick smaller photos or "
                       "send fewer at a time, then try again."),
    "error.429": ("Quá nhiều yêu cầu", "Too many requests"),
    "error.429.text": ("Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng đợi vài phút "
                       "rồi thử lại.",
                       "You sent too many requests in a short time. Please wait a few minutes "
                       "and try again."),
    "error.500": ("Lỗi hệ thống", "Server error"),
    "error.500.text": ("Hệ thống tạm thời không xử lý được yêu cầu. Vui lòng thử lại sau ít phút.",
                       "The system could not handle the request just now. Please try again in a "
                       "few minutes."),
    "error.other.text": ("Không xử lý được yêu cầu này. Vui lòng quay lại và thử lại.",
                         "This request could not be handled. Please go back and try again."),
    "role.admin": ("Quản trị", "Administrator"),
    "role.operator": ("Điều hành viên", "Operator"),
    "role.department": ("Cán bộ phòng ban", "Department staff"),
    "role.leader": ("Lãnh đạo", "Leader"),
    "status.new": ("Mới", "New"),
    "status.routed": ("Đã chuyển xử lý", "Routed"),
    "status.acknowledged": ("Đã tiếp nhận", "Acknowledged"),
    "status.in_progress": ("Đang xử lý", "In progress"),
    "status.resolved": ("Đã xử lý xong", "Resolved"),
    "status.closed": ("Đã đóng", "Closed"),
    "status.reopened": ("Mở lại", "Reopened"),
    "status.rejected": ("Từ chối", "Rejected"),
    "status.duplicate": ("Trùng lặp", "Duplicate"),
    "sla.on_time": ("Trong hạn", "On time"),
    "sla.at_risk": ("Sắp quá hạn", "At risk"),
    "sla.overdue": ("Quá hạn", "Overdue"),
    "channel.field_report": ("Phản ánh hiện trường", "Field report"),
    "channel.hotline": ("Tổng đài", "Hotline"),
    "channel.open311": ("Ứng dụng Open311", "Open311 app"),
    "channel.counter": ("Một cửa", "One-stop counter"),
    "channel.sensor": ("Cảm biến", "Sensor"),
    "field.code": ("Mã", "Code"),
    "field.text": ("Nội dung", "Text"),
    "field.status": ("Trạng thái", "Status"),
    "field.sla": ("Hạn xử lý", "SLA"),
    "field.department": ("Phòng ban", "Department"),
    "field.channel": ("Kênh", "Channel"),
    "field.ward": ("Phường/xã", "Ward"),
    "field.urgent": ("Khẩn cấp", "Urgent"),
    "field.urgency": ("Mức độ", "Urgency"),
    "field.address": ("Địa chỉ", "Address"),
    "field.reported_at": ("Thời điểm phản ánh", "Reported at"),
    "field.created_at": ("Tiếp nhận vào hệ thống", "Received"),
    "field.time_left": ("Còn lại", "Time left"),
    "field.waited": ("Đã chờ", "Waited"),
    "field.confidence": ("Độ tin cậy phân loại", "Routing confidence"),
    "field.candidates": ("Gợi ý của mô hình", "Model suggestions"),
    "field.photos": ("Hình ảnh", "Photos"),
    "field.history": ("Lịch sử xử lý", "History"),
    "field.ack_due": ("Hạn tiếp nhận", "Acknowledge by"),
    "field.resolve_due": ("Hạn hoàn thành", "Resolve by"),
    "field.reports": ("Số lượt phản ánh", "Reports"),
    "field.resolution": ("Kết quả xử lý", "Resolution"),
    "filter.all": ("Tất cả", "All"),
    "filter.urgent_only": ("Chỉ khẩn cấp", "Urgent only"),
    "filter.not_urgent": ("Không khẩn cấp", "Not urgent"),
    "filter.triage": ("Chờ phân loại", "Awaiting triage"),
    "console.queue": ("Hàng đợi (theo thời gian còn lại)", "Queue (by time left)"),
    "console.heat": ("Bản đồ nhiệt", "Heat map"),
    "console.export_csv": ("Xuất CSV", "Export CSV"),
    "console.export_geojson": ("Xuất GeoJSON", "Export GeoJSON"),
    "console.loading": ("Đang tải dữ liệu…", "Loading…"),
    "console.connected": ("Trực tuyến", "Live"),
    "console.disconnected": ("Mất kết nối — đang kết nối lại…", "Disconnected — reconnecting…"),
    "console.showing": ("Đang hiển thị", "Showing"),
    "console.of": ("trên", "of"),
    "console.open_detail": ("Mở trang xử lý", "Open the action page"),
    "console.close": ("Đóng", "Close"),
    "console.no_detail": ("Chọn một phản ánh trên bản đồ hoặc trong hàng đợi.",
                          "Pick an incident on the map or in the queue."),
    "alert.urgent": ("KHẨN CẤP", "URGENT"),
    "alert.dismiss": ("Đã biết", "Dismiss"),
    "kpi.open": ("Đang mở", "Open"),
    "kpi.triage": ("Chờ phân loại", "Awaiting triage"),
    "kpi.ack_median": ("Trung vị tiếp nhận hôm nay", "Median to acknowledge today"),
    "kpi.resolve_median": ("Trung vị xử lý xong hôm nay", "Median to resolve today"),
    "kpi.on_time": ("Tỷ lệ đúng hạn hôm nay", "On-time rate today"),
    "kpi.satisfaction": ("Người dân hài lòng (30 ngày)", "Citizens satisfied (30 days)"),
    "kpi.ratings": ("lượt đánh giá", "ratings"),
    "nav.kpis": ("Chỉ số điều hành", "KPIs"),
    "kpis.title": ("Chỉ số điều hành", "Key performance indicators"),
    "kpis.period": ("Kỳ báo cáo", "Period"),
    "kpis.days": ("{n} ngày", "{n} days"),
    "kpis.range": ("Từ {start} đến {end} (giờ {tz})", "From {start} to {end} ({tz} time)"),
    "kpis.departments": ("Phản ánh theo phòng ban", "Incidents by department"),
    "kpis.open": ("Đang mở", "Open now"),
    "kpis.overdue": ("Quá hạn", "Overdue now"),
    "kpis.resolved": ("Xử lý xong trong kỳ", "Resolved in the period"),
    "kpis.on_time": ("Xử lý đúng hạn", "Resolved on time"),
    "kpis.on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "kpis.ack_median": ("Thời gian tiếp nhận (trung vị)", "Time to acknowledge (median)"),
    "kpis.resolve_median": ("Thời gian xử lý (trung vị)", "Time to resolve (median)"),
    "kpis.satisfaction": ("Mức độ hài lòng của người dân", "Citizen satisfaction"),
    "kpis.ratings": ("{n} lượt đánh giá", "{n} ratings"),
    "kpis.total": ("Toàn thành phố", "City-wide"),
    "kpis.help": (
        "Quá hạn: phản ánh đang mở đã qua hạn tiếp nhận (khi chưa tiếp nhận) hoặc hạn hoàn "
        "thành. Tỷ lệ đúng hạn: phản ánh xử lý xong trong kỳ không muộn hơn hạn hoàn thành. "
        "Thời gian tính từ lúc hệ thống nhận phản ánh. Hài lòng: rất hài lòng và hài lòng "
        "trên tổng số lượt đánh giá trong kỳ.",
        "Overdue: open incidents past their acknowledge-by deadline (while not acknowledged) "
        "or their resolve-by deadline. On-time rate: incidents resolved in the period no later "
        "than their resolve-by deadline. Times count from when the system received the report. "
        "Satisfied: very satisfied and satisfied over all ratings given in the period."),
    "kpis.csv.code": ("Mã phòng ban", "Department code"),
    "kpis.csv.on_time_pct": ("Tỷ lệ đúng hạn (%)", "On-time rate (%)"),
    "kpis.csv.ack_minutes": ("Thời gian tiếp nhận, trung vị (phút)",
                             "Time to acknowledge, median (minutes)"),
    "kpis.csv.resolve_minutes": ("Thời gian xử lý, trung vị (phút)",
                                 "Time to resolve, median (minutes)"),
    "kpis.csv.ratings": ("Lượt đánh giá", "Ratings"),
    "kpis.csv.satisfied_pct": ("Người dân hài lòng (%)", "Citizens satisfied (%)"),
    "kpis.dossiers": ("Hồ sơ thủ tục hành chính (Bộ phận Một cửa)",
                      "Administrative dossiers (one-stop counters)"),
    "kpis.dossiers_finished": ("Trả kết quả trong kỳ", "Finished in the period"),
    "kpis.dossiers_late": ("Trễ hạn", "Late"),
    "kpis.dossiers_overdue_open": ("Đang quá hạn, chưa trả kết quả", "Open past their due time"),
    "kpis.apology": ("Hồ sơ trễ hạn — thư xin lỗi", "Late dossiers — apology letters"),
    "kpis.apology_help": ("Mỗi hồ sơ trả kết quả trễ hạn phải có thư xin lỗi công dân.",
                          "Each dossier finished late owes the citizen a public apology letter."),
    "kpis.apology_empty": ("Không có hồ sơ trễ hạn trong kỳ.", "No late dossier in this period."),
    "kpis.apology_more": ("… và {n} hồ sơ trễ hạn khác.", "… and {n} more late dossiers."),
    "kpis.dossier_id": ("Mã hồ sơ", "Dossier"),
    "kpis.procedure": ("Thủ tục", "Procedure"),
    "kpis.office": ("Nơi tiếp nhận", "Office"),
    "kpis.due": ("Hạn trả kết quả", "Due"),
    "kpis.finished": ("Trả kết quả lúc", "Finished"),
    "kpis.late_by": ("Trễ", "Late by"),
    "unit.min": ("phút", "min"),
    "unit.h": ("giờ", "h"),
    "unit.d": ("ngày", "d"),
    "time.overdue_by": ("trễ", "late by"),
    "triage.title": ("Phân loại thủ công", "Manual triage"),
    "triage.help": (
        "Các phản ánh mà mô hình chưa chắc chắn. Chọn phòng ban phụ trách; lựa chọn của bạn "
        "được lưu làm nhãn huấn luyện cho mô hình.",
        "Incidents the classifier was unsure about. Choose the department; your choice is "
        "stored as a training label."),
    "triage.assign": ("Giao xử lý", "Assign"),
    "triage.empty": ("Không có phản ánh nào chờ phân loại.", "Nothing awaits triage."),
    "triage.done": ("Đã giao {code} cho {department}.", "{code} assigned to {department}."),
    "inbox.title": ("Hộp thư phòng ban", "Department inbox"),
    "inbox.empty": ("Không có phản ánh nào đang chờ xử lý.", "No open incidents."),
    "inbox.new": ("Có phản ánh mới", "New incident"),
    "inbox.choose_department": ("Xem hộp thư của", "Show the inbox of"),
    "inbox.open_count": ("phản ánh đang mở", "open incidents"),
    "inbox.status_tabs": ("Lọc theo trạng thái", "Filter by status"),
    "inbox.search_label": ("Tìm theo mã phản ánh hoặc nội dung", "Find by tracking code or text"),
    "inbox.search_placeholder": ("VD: PA2611-7KQ3FX hoặc cống nghẹt",
                                 "e.g. PA2611-7KQ3FX or blocked drain"),
    "inbox.search": ("Tìm", "Search"),
    "inbox.all_wards": ("Mọi phường/xã", "All wards"),
    "inbox.clear": ("Bỏ lọc", "Clear filters"),
    "inbox.load_more": ("Xem thêm", "Load more"),
    "inbox.first_page": ("Về đầu danh sách", "Back to the top of the list"),
    "inbox.no_match": ("Không có phản ánh đang mở nào khớp với bộ lọc.",
                       "No open incident matches these filters."),
    "inbox.bad_query": ("Tham số tìm kiếm hoặc phân trang không hợp lệ. Vui lòng mở lại hộp thư.",
                        "Invalid search or paging parameters. Please open the inbox again."),
    "inbox.load_failed": ("Không tải được danh sách, vui lòng thử lại.",
                          "Could not load the list; please try again."),
    "action.acknowledge": ("Tiếp nhận", "Acknowledge"),
    "action.start": ("Bắt đầu xử lý", "Start work"),
    "action.resolve": ("Hoàn thành", "Resolve"),
    "action.resolve_note": ("Kết quả xử lý (gửi cho người dân)",
                            "Resolution note (sent to the citizen)"),
    "action.note": ("Thêm ghi chú / hình ảnh", "Add a note / photos"),
    "action.note_text": ("Ghi chú", "Note"),
    "action.photos": ("Hình ảnh (JPEG, PNG, WebP)", "Photos (JPEG, PNG, WebP)"),
    "action.reassign": ("Chuyển phòng ban khác", "Reassign to another department"),
    "action.reason": ("Lý do", "Reason"),
    "action.reject": ("Từ chối", "Reject"),
    "action.reject_scope": ("Không thuộc thẩm quyền", "Not in scope"),
    "action.reject_other": ("Khác (ghi rõ lý do)", "Other (give the reason)"),
    "action.duplicate": ("Đánh dấu trùng lặp", "Mark as duplicate"),
    "action.original": ("Mã phản ánh gốc", "Code of the original incident"),
    "action.submit": ("Gửi", "Submit"),
    "action.title": ("Thao tác xử lý", "Actions"),
    "action.done": ("Đã cập nhật {code}.", "{code} updated."),
    "action.failed": ("Không thực hiện được: {reason}", "Could not do that: {reason}"),
    "action.bad_photo": ("Tệp {name} không phải là ảnh hợp lệ.", "{name} is not a valid image."),
    "action.too_many_photos": ("Tối đa {n} ảnh mỗi lần.", "At most {n} photos at a time."),
    "history.created": ("Tiếp nhận phản ánh", "Report received"),
    "history.routed": ("Tự động phân loại", "Routed automatically"),
    "history.triage": ("Chờ phân loại thủ công", "Left for manual triage"),
    "history.triaged": ("Phân loại thủ công", "Triaged manually"),
    "history.acknowledged": ("Tiếp nhận xử lý", "Acknowledged"),
    "history.started": ("Bắt đầu xử lý", "Work started"),
    "history.resolved": ("Hoàn thành", "Resolved"),
    "history.reassigned": ("Chuyển phòng ban", "Reassigned"),
    "history.rejected": ("Từ chối", "Rejected"),
    "history.duplicate": ("Trùng lặp", "Duplicate"),
    "history.duplicate_linked": ("Gộp phản ánh trùng", "Duplicate linked"),
    "history.reopened": ("Mở lại", "Reopened"),
    "history.closed": ("Đóng", "Closed"),
    "history.note": ("Ghi chú", "Note"),
    "history.sla_at_risk": ("Sắp quá hạn", "SLA at risk"),
    "history.sla_overdue": ("Quá hạn", "SLA overdue"),
    "history.sla_on_time": ("Trong hạn", "SLA on time"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "none": ("—", "—"),
}


def get_lang() -> str:
    """The language of this request: ``?lang=``, then the cookie, then Vietnamese."""
    if "lang" in g:
        return g.lang
    lang = request.args.get("lang") or request.cookies.get(COOKIE) or DEFAULT_LANG
    g.lang = lang if lang in LANGS else DEFAULT_LANG
    return g.lang


def translate(table: Table, key: str, **values: Any) -> str:
    """``key`` of ``table`` in the request's language, ``{placeholders}`` filled
    (the key itself if the table lacks it)."""
    pair = table.get(key)
    if pair is None:
        return key
    text = pair[1] if get_lang() == "en" else pair[0]
    return text.format(**values) if values else text


def in_language(table: Table) -> dict[str, str]:
    """Every string of ``table`` in the request's language (for the page's scripts)."""
    return {key: translate(table, key) for key in table}


def t(key: str, **values: Any) -> str:
    """The staff UI string ``key`` in the request's language (the key itself if unknown)."""
    return translate(MESSAGES, key, **values)


def label(kind: str, value: str | None) -> str:
    """A status, SLA state, channel or history kind in words (the raw value if unknown)."""
    if value is None:
        return t("none")
    key = f"{kind}.{value}"
    return t(key) if key in MESSAGES else value


def department_name(code: str | None) -> str:
    """The department's name in the request's language (triage when None)."""
    if not code:
        return t("filter.triage")
    from web.context import core

    spec = core().taxonomy.get(code)
    if spec is None:
        return code
    return spec.name_en if get_lang() == "en" else spec.name_vi


def ward_name(code: str | None) -> str:
    """The ward's display name from ``wards.yaml`` (the code if unknown, '' for none)."""
    if not code:
        return ""
    for ward in current_app.extensions["ioc.core"].city.wards:
        if ward.code == code:
            return ward.name
    return code


#: Marker shapes cycled over the departments (the map also labels each marker).
SHAPES = ("circle", "square", "diamond", "hexagon")


def short_label(code: str) -> str:
    """Two letters for a department marker: initials of the code's parts (``do_thi`` → DT)."""
    parts = [p for p in code.split("_") if p]
    letters = "".join(p[0] for p in parts) if len(parts) > 1 else code[:2]
    return "".join(ch for ch in letters.upper() if ch.isalnum())[:3] or "?"


def department_entries() -> list[dict[str, str]]:
    """The departments for pages and scripts: code, name, marker label and shape."""
    from web.context import core

    english = get_lang() == "en"
    return [
        {"code": d.code, "name": d.name_en if english else d.name_vi,
         "label": short_label(d.code), "shape": SHAPES[i % len(SHAPES)]}
        for i, d in enumerate(core().taxonomy.departments)
    ]


def city_tz() -> ZoneInfo:
    """The city's time zone."""
    return ZoneInfo(current_app.extensions["ioc.core"].settings.timezone)


def localtime(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A stored (UTC) time shown in the city's time zone."""
    if value is None:
        return t("none")
    return value.astimezone(city_tz()).strftime(fmt)


def duration(seconds: float | None) -> str:
    """A span of time in words: ``3 ngày 2 giờ``, ``2 giờ 5 phút``, ``12 phút``."""
    if seconds is None:
        return t("none")
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = f"{days} {t('unit.d')} {hours} {t('unit.h')}"
    elif hours:
        text = f"{hours} {t('unit.h')} {mins} {t('unit.min')}"
    else:
        text = f"{mins} {t('unit.min')}"
    return f"{t('time.overdue_by')} {text}" if seconds < 0 else text


def js_strings() -> dict[str, str]:
    """Every staff UI string in the request's language, for the page's scripts."""
    return in_language(MESSAGES)


_VI_MARKS = str.maketrans(",.", ".,")


def format_number(value: float | None, digits: int = 0) -> str:
    """A number with the separators of the page's language (1.234,5 / 1,234.5); a dash for None."""
    if value is None:
        return t("none")
    text = f"{value:,.{digits}f}"
    return text.translate(_VI_MARKS) if get_lang() == "vi" else text


def switch_language_url() -> str:
    """This page in the other language, its filters and search kept."""
    args = request.args.to_dict(flat=False)
    args["lang"] = ["vi" if get_lang() == "en" else "en"]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def register_i18n(app: Flask) -> None:
    """Template helpers, and remembering ``?lang=`` in a cookie."""

    @app.context_processor
    def _inject() -> dict[str, Any]:
        return {"t": t, "lang": get_lang(), "label": label, "department_name": department_name,
                "ward_name": ward_name, "switch_language_url": switch_language_url,
                "city_name": current_app.extensions["ioc.core"].city.name}

    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(duration, "duration")

    @app.after_request
    def _remember(response: Response) -> Response:
        lang = request.args.get("lang")
        if lang in LANGS and request.cookies.get(COOKIE) != lang:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                                httponly=True)
        return response
