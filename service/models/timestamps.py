"""UTC timestamps stored naive, so SQLite and PostgreSQL compare them alike."""
import datetime as dt


def utc_naive(moment):
    """An aware datetime as naive UTC for storage."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def as_aware(moment):
    """A stored naive-UTC datetime as an aware one."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.timezone.utc)
