"""A month of the working-day calendar as weeks of days, for the calendar page's month view."""
import calendar as weeks
import datetime as dt

from ..runtime import runtime


def parse_month(text):
    """(year, month) from 'YYYY-MM', else the current month (Asia/Shanghai)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if 1900 < year < 2200 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = runtime().clock.today()
    return today.year, today.month


def month_view(year, month, corrected=()):
    """{year, month, weeks: [[{day, workday, corrected, weekend} or None] * 7], previous, next,
    workdays}: Monday first, as Chinese calendars print."""
    calendar = runtime().calendar()
    corrected = set(corrected)
    rows, workdays = [], 0
    for week in weeks.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            workday = calendar.is_workday(day)
            workdays += workday
            row.append({"day": day, "workday": workday, "weekend": day.weekday() >= 5,
                        "corrected": day in corrected, "today": day == runtime().clock.today()})
        rows.append(row)
    first = dt.date(year, month, 1)
    previous = first - dt.timedelta(days=1)
    following = first + dt.timedelta(days=32)
    return {"year": year, "month": month, "weeks": rows, "workdays": workdays,
            "previous": f"{previous.year:04d}-{previous.month:02d}",
            "next": f"{following.year:04d}-{following.month:02d}"}
