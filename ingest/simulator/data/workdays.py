"""The working calendar of the one-stop counters: office hours, working days, due times.

Legal processing times count working days: Saturdays, Sundays and public
holidays do not count. A dossier received outside office hours starts its
clock at the next opening; a same-day procedure received after 15:00 is due
at the end of the next working day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7))
OFFICE_HOURS: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 0), time(17, 0)))

#: Fixed-date public holidays (month, day). Tết follows the lunar calendar: not modelled.
HOLIDAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (4, 30), (5, 1), (9, 1), (9, 2)})


def is_working_day(day: date) -> bool:
    """Monday to Friday, fixed-date public holidays excepted."""
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def shift_working_days(day: date, n: int) -> date:
    """The working day ``n`` working days after (n > 0) or before (n < 0) ``day``."""
    step = timedelta(days=1 if n > 0 else -1)
    for _ in range(abs(n)):
        day += step
        while not is_working_day(day):
            day += step
    return day


def next_office_time(moment: datetime) -> datetime:
    """``moment`` if the offices are open then, else the next opening."""
    day = moment.date()
    while True:
        if is_working_day(day):
            for start, end in OFFICE_HOURS:
                if moment <= datetime.combine(day, end, moment.tzinfo):
                    return max(moment, datetime.combine(day, start, moment.tzinfo))
        day += timedelta(days=1)


def prev_office_time(moment: datetime) -> datetime:
    """``moment`` if the offices are open then, else the last closing before it."""
    day = moment.date()
    while True:
        if is_working_day(day):
            for start, end in reversed(OFFICE_HOURS):
                if moment >= datetime.combine(day, start, moment.tzinfo):
                    return min(moment, datetime.combine(day, end, moment.tzinfo))
        day -= timedelta(days=1)


def due_time(received: datetime, days: int) -> datetime:
    """Legal due time: ``days`` working days after the next office moment (0: that same day)."""
    start = next_office_time(received.astimezone(VN_TZ))
    if days == 0:
        day = start.date() if start.time() < time(15, 0) else shift_working_days(start.date(), 1)
        return datetime.combine(day, time(17, 0), VN_TZ)
    return datetime.combine(shift_working_days(start.date(), days), start.time(), VN_TZ)


