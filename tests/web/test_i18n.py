"""Vietnamese first, English on request, times in the city's zone."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from ioc.core import Core
from ioc.models import Incident
from tests.web.conftest import ROOT, make_incident
from web.i18n import MESSAGES, short_label

TEMPLATE_KEYS = re.compile(r"""\bt\(\s*['"]([a-z0-9_.]+)['"]""")
STAFF_TEMPLATE_DIRS = ("auth", "console", "inbox", "errors")
STAFF_SCRIPTS = ("common.js", "console.js", "console-map.js", "console-store.js", "inbox.js")
JS_KEYS = re.compile(r"""\bT\(\s*["'`]([a-z0-9_.]+)["'`]""")


def test_every_string_exists_in_both_languages() -> None:
    for key, (vi, en) in MESSAGES.items():
        assert vi.strip() and en.strip(), key
    # spot checks of the Vietnamese (correct diacritics, not ASCII-folded)
    assert MESSAGES["nav.console"][0] == "Bản đồ điều hành"
    assert MESSAGES["sla.overdue"][0] == "Quá hạn"
    assert MESSAGES["status.in_progress"][0] == "Đang xử lý"
    assert MESSAGES["kpi.on_time"][0] == "Tỷ lệ đúng hạn hôm nay"


def test_every_key_used_by_templates_and_scripts_is_defined() -> None:
    used: set[str] = set()
    templates = ROOT / "web" / "templates"
    for path in [templates / "base.html", *(p for d in STAFF_TEMPLATE_DIRS
                                             for p in (templates / d).glob("*.html"))]:
        used |= set(TEMPLATE_KEYS.findall(path.read_text(encoding="utf-8")))
    for name in STAFF_SCRIPTS:
        used |= set(JS_KEYS.findall((ROOT / "web" / "static" / "js" / name).read_text("utf-8")))
    assert used, "found no keys: the patterns are wrong"
    prefixes = {k for k in used if k.endswith(".")}  # built at run time: t('role.' ~ role)
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in MESSAGES), prefix
    assert not used - prefixes - set(MESSAGES), sorted(used - prefixes - set(MESSAGES))


def test_pages_are_vietnamese_by_default_and_english_on_request(client_for) -> None:
    op = client_for("dieuhanh")
    vi = op.get("/console").get_data(as_text=True)
    assert '<html lang="vi">' in vi and "Hàng đợi (theo thời gian còn lại)" in vi
    en = op.get("/console?lang=en")
    html = en.get_data(as_text=True)
    assert '<html lang="en">' in html and "Queue (by time left)" in html
    assert "ioc_lang=en" in en.headers["Set-Cookie"]
    assert "Live console" in op.get("/console/triage").get_data(as_text=True)  # remembered
    back = op.get("/console?lang=vi").get_data(as_text=True)
    assert "Bản đồ điều hành" in back
    assert "Urban management" in op.get("/inbox?lang=en").get_data(as_text=True)
    assert "Đăng nhập" in client_for(None).get("/login?lang=xx").get_data(as_text=True)


def test_times_are_shown_in_the_city_time_zone(core: Core, client_for) -> None:
    iid = make_incident(core, "do_thi")
    with core.uow() as uow:
        created = uow.session.get(Incident, iid).created_at
    local = created.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")
    assert created.utcoffset().total_seconds() == 0
    html = client_for("dothi.an").get(f"/inbox/incidents/{iid}").get_data(as_text=True)
    assert local in html
    if created.astimezone(ZoneInfo("UTC")).strftime("%H:%M") != local[-5:]:
        assert created.strftime("%d/%m/%Y %H:%M") not in html


def test_department_markers_have_distinct_short_labels(core: Core) -> None:
    labels = [short_label(code) for code in core.taxonomy.codes]
    assert len(set(labels)) == len(labels), labels
    assert short_label("do_thi") == "DT" and short_label("pccc") == "PC"
    assert all(re.fullmatch(r"[A-Z0-9]{1,3}", label) for label in labels)


def test_the_city_zone_is_ahead_of_utc() -> None:
    noon_utc = datetime(2026, 1, 1, 12, tzinfo=ZoneInfo("UTC"))
    assert noon_utc.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).hour == 19


CITIZEN_PY_KEYS = re.compile(r"""\b(?:t|FormError|Step)\(\s*['"]([a-z_]+)['"]""")
CITIZEN_JS_KEYS = re.compile(r"""\bS\.([a-z_]+)""")


def test_citizen_strings_are_a_table_on_the_shared_mechanism(app) -> None:
    from web.citizen import i18n as citizen

    # the citizen package keeps its strings, not a second language mechanism
    assert not {"LANGS", "COOKIE", "current_lang"} & set(vars(citizen))
    assert citizen.STRINGS["submit"] == ("Gửi phản ánh", "Send report")
    for key, (vi, en) in citizen.STRINGS.items():
        assert vi.strip() and en.strip(), key
    cases = {"/citizen/": "Gửi phản ánh", "/citizen/?lang=en": "Send report",
             "/citizen/?lang=xx": "Gửi phản ánh"}
    for url, expected in cases.items():
        with app.test_request_context(url):
            assert citizen.t("submit") == expected, url
            assert citizen.table()["submit"] == expected, url
    with app.test_request_context("/citizen/", headers={"Cookie": "ioc_lang=en"}):
        assert citizen.t("text_too_long", n=5) == "The description is too long (at most 5 characters)."
        assert citizen.status_label("in_progress") == "Work in progress"


def test_every_citizen_key_used_is_defined() -> None:
    from web.citizen.i18n import STRINGS

    used: set[str] = set()
    for path in (ROOT / "web" / "templates" / "citizen").glob("*.html"):
        used |= set(TEMPLATE_KEYS.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "web" / "citizen").glob("*.py"):
        used |= set(CITIZEN_PY_KEYS.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "web" / "static" / "citizen").glob("*.js"):
        used |= set(CITIZEN_JS_KEYS.findall(path.read_text(encoding="utf-8")))
    assert {"app_name", "submit", "text_required", "step_received"} <= used, "patterns are wrong"
    assert not used - set(STRINGS), sorted(used - set(STRINGS))


def test_one_language_cookie_serves_staff_and_citizen_pages(client_for) -> None:
    visitor = client_for(None)
    citizen = visitor.get("/citizen/").get_data(as_text=True)
    assert '<html lang="vi">' in citizen and "Gửi phản ánh" in citizen  # Vietnamese first
    assert "ioc_lang=en" in visitor.get("/login?lang=en").headers["Set-Cookie"]
    citizen = visitor.get("/citizen/").get_data(as_text=True)
    assert '<html lang="en">' in citizen and "Send report" in citizen
    assert "ioc_lang=vi" in visitor.get("/citizen/map?lang=vi").headers["Set-Cookie"]
    assert '<html lang="vi">' in visitor.get("/login").get_data(as_text=True)


def test_both_base_templates_share_one_head(client_for) -> None:
    visitor = client_for(None)
    for url in ("/login", "/citizen/"):
        html = visitor.get(url).get_data(as_text=True)
        head = html[html.index("<head>"):html.index("</head>")]
        assert head.count('<meta charset="utf-8">') == 1, url
        assert re.search(r'<meta name="csrf-token" content="[^"]{20,}">', head), url
        assert re.search(r"<title>[^<]+ · Hồng Ngự</title>", head), url


def test_switching_language_keeps_the_page_filters(client_for) -> None:
    import html as html_lib

    page = client_for("dothi.an").get("/inbox?q=PA26&ward=an_thanh").get_data(as_text=True)
    link = re.search(r'<a class="lang" href="([^"]+)"', page)
    assert link is not None
    assert html_lib.unescape(link.group(1)) == "/inbox?q=PA26&ward=an_thanh&lang=en"
    english = client_for("dothi.an").get("/inbox?q=PA26&lang=en").get_data(as_text=True)
    back = re.search(r'<a class="lang" href="([^"]+)"', english)
    assert back is not None and html_lib.unescape(back.group(1)) == "/inbox?q=PA26&lang=vi"
    citizen = client_for(None).get("/citizen/map?foo=1").get_data(as_text=True)
    link = re.search(r'<a class="lang" href="([^"]+)"', citizen)
    assert link is not None and html_lib.unescape(link.group(1)) == "/citizen/map?foo=1&lang=en"
