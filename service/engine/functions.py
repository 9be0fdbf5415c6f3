"""The functions that expressions may call, and date helpers shared with the calendar."""
import calendar
import datetime as dt


def as_date(value):
    """Turn an ISO date string, date or datetime into a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    raise ValueError(f"not a date: {value!r}")


def add_months(value, months):
    """The same day `months` calendar months later, clamped to the month's end (ISO string)."""
    day = as_date(value)
    month_index = day.month - 1 + int(months)
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last)).isoformat()


def add_days(value, days):
    """The date `days` calendar days later (ISO string)."""
    return (as_date(value) + dt.timedelta(days=int(days))).isoformat()


def days_between(start, end):
    """Calendar days from start to end, counting both ends (a 30-day period is 1st to 30th)."""
    return (as_date(end) - as_date(start)).days + 1


DEFAULT_FUNCTIONS = {
    "len": len, "min": min, "max": max, "abs": abs, "sum": sum, "round": round,
    "int": int, "float": float, "str": str, "bool": bool, "any": any, "all": all,
    "sorted": sorted, "days_between": days_between, "add_months": add_months,
    "add_days": add_days, "today": lambda: dt.date.today().isoformat(),
}
