"""The inbox list: a department's open incidents, first deadline on top, paged by
cursor, searchable by tracking code or text, narrowed by status or ward, counted.

The page renders the first page; its script asks ``/inbox/page.json`` for the
next ones ("load more"), ``/inbox/counts.json`` after live events, and applies
the department room's events on top. A department user always reads their own
department, whatever the query string says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import jsonify, render_template, request, url_for
from sqlalchemy.orm import Session

from ioc.actors import Actor
from ioc.console_queries import (
    OPEN_ORDER,
    InboxCounts,
    InboxFilter,
    InboxPage,
    governing_deadline,
    inbox_counts,
    inbox_key,
    inbox_page,
)
from ioc.db import utcnow
from ioc.queries import QueryError
from ioc.serialize import incident_summary
from web.auth.roles import ACTING_ROLES, actor, roles_required
from web.context import core
from web.errors import error_response, render_error
from web.i18n import department_entries, format_number, get_lang, js_strings, label, t
from web.inbox import bp

#: Incidents per page (``?limit=`` asks for another size, up to MAX_PAGE_SIZE).
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: Longest search text taken (a tracking code is 13 characters).
MAX_SEARCH_CHARS = 100


def _department(me: Actor) -> str | None:
    """The inbox to read: the user's own, or the one an operator chose (None: unknown)."""
    c = core()
    if me.role == "department":
        return me.department
    chosen = request.args.get("department") or c.taxonomy.codes[0]
    return chosen if c.taxonomy.get(chosen) is not None else None


def _filter(department: str) -> InboxFilter:
    """The filter of the query string (``status``, ``ward``, ``q``)."""
    args = request.args
    return InboxFilter(department, status=args.get("status") or None,
                       ward=args.get("ward") or None,
                       text=args.get("q", "").strip()[:MAX_SEARCH_CHARS])


def _limit() -> int:
    """The page size asked for; QueryError if it is not a number from 1 to MAX_PAGE_SIZE."""
    raw = request.args.get("limit", "")
    if not raw:
        return PAGE_SIZE
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_SIZE):
        raise QueryError(f"limit must be between 1 and {MAX_PAGE_SIZE}")
    return int(raw)


def _query(flt: InboxFilter, choose: bool, **extra: Any) -> dict[str, Any]:
    """URL arguments that keep the inbox's filter (and ``extra``), without empty ones."""
    args = {"department": flt.department if choose else None, "status": flt.status,
            "ward": flt.ward, "q": flt.text or None, **extra}
    return {k: v for k, v in args.items() if v}


def _tabs(flt: InboxFilter, counts: InboxCounts, choose: bool) -> list[dict[str, Any]]:
    """The status tabs: all open, then each open status with its count."""
    tabs = [{"status": "", "label": t("filter.all"), "count": counts.total,
             "active": not flt.status}]
    tabs += [{"status": s, "label": label("status", s), "count": counts.by_status[s],
              "active": flt.status == s} for s in OPEN_ORDER]
    for tab in tabs:
        tab["url"] = url_for("inbox.inbox", **_query(flt, choose, status=tab["status"]))
    return tabs


def _page_config(flt: InboxFilter, limit: int, cursor: str | None, page: InboxPage,
                 counts: InboxCounts) -> dict[str, Any]:
    """What the page's script needs: strings, URLs, the filter, where the page ends."""
    c = core()
    return {
        "lang": get_lang(), "tz": c.settings.timezone, "strings": js_strings(),
        "department": flt.department, "departments": department_entries(),
        "wards": {w.code: w.name for w in c.city.wards},
        "urls": {"incident": url_for("inbox.inbox") + "/incidents/",
                 "page": url_for("inbox.page_json"), "counts": url_for("inbox.counts_json")},
        "filter": _query(flt, True), "limit": limit, "start": cursor,
        "page": {"next_cursor": page.next_cursor, "boundary": page.boundary},
        "counts": counts.as_dict(), "at": utcnow().isoformat(),
    }


@bp.get("/inbox")
@roles_required(*ACTING_ROLES)
def inbox():
    """A department's open incidents, the first deadline on top, a page at a time, live."""
    me, c = actor(), core()
    department = _department(me)
    if department is None:
        return render_error(404)
    flt, choose, cursor = _filter(department), me.role != "department", request.args.get("cursor")
    with c.uow() as uow:
        try:
            limit = _limit()
            page = inbox_page(uow.session, me, flt, limit, cursor)
            counts = inbox_counts(uow.session, me, flt)
        except QueryError:
            return render_error(400, t("inbox.bad_query"))
        rows = [{"incident": i, "key": inbox_key(i)[0],
                 "deadline": governing_deadline(i.status, i.ack_due_at, i.resolve_due_at)}
                for i in page.items]
        size = {"limit": limit} if limit != PAGE_SIZE else {}
        return render_template(
            "inbox/inbox.html", rows=rows, department=department, flt=flt, counts=counts,
            departments=department_entries(), choose=choose,
            page_config=_page_config(flt, limit, cursor, page, counts),
            tabs=_tabs(flt, counts, choose), wards=c.city.wards, fmt_number=format_number,
            more_url=page.next_cursor and url_for(
                "inbox.inbox", **_query(flt, choose, cursor=page.next_cursor, **size)),
            first_url=cursor and url_for("inbox.inbox", **_query(flt, choose, **size)),
            clear_url=flt.narrowed and url_for("inbox.inbox", **_query(
                InboxFilter(department), choose, **size)))


def _json(build: Callable[[Session, Actor, InboxFilter], dict[str, Any]]):
    """The JSON body ``build`` makes for the asked inbox (404 for an unknown department)."""
    me, c = actor(), core()
    department = _department(me)
    if department is None:
        return error_response(404, "unknown department")
    with c.uow() as uow:
        return jsonify(build(uow.session, me, _filter(department)))


def _page_body(session: Session, me: Actor, flt: InboxFilter) -> dict[str, Any]:
    """One page after ``?cursor=`` with the counts and the server's time."""
    page = inbox_page(session, me, flt, _limit(), request.args.get("cursor"))
    return {"department": flt.department, "at": utcnow().isoformat(),
            "items": [incident_summary(i) for i in page.items],
            "next_cursor": page.next_cursor, "boundary": page.boundary,
            "counts": inbox_counts(session, me, flt).as_dict()}


@bp.get("/inbox/page.json")
@roles_required(*ACTING_ROLES, data=True)
def page_json():
    """The next page of the inbox after ``cursor`` (and the counts), for "load more"."""
    return _json(_page_body)


@bp.get("/inbox/counts.json")
@roles_required(*ACTING_ROLES, data=True)
def counts_json():
    """The inbox's counts (all open, per status, matching the filter), refreshed after events."""
    return _json(lambda session, me, flt: inbox_counts(session, me, flt).as_dict())
