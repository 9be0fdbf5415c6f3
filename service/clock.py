"""The one clock every part of the service reads; tests move a FrozenClock instead of sleeping."""
import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """Wall-clock time in UTC."""

    def now(self):
        return dt.datetime.now(dt.timezone.utc)

    def now_naive(self):
        """Naive UTC, the form timestamps are stored in."""
        return self.now().astimezone(dt.timezone.utc).replace(tzinfo=None)

    def today(self):
        """Today's date in Asia/Shanghai."""
        return self.now().astimezone(SHANGHAI).date()


class FrozenClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, moment):
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)

    def now(self):
        return self.moment

    def set(self, moment):
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)

    def advance(self, **delta):
        self.moment = self.moment + dt.timedelta(**delta)


def local_time(value):
    """A stored naive-UTC timestamp as the API shows it: ISO 8601 in Shanghai with its offset."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(SHANGHAI).isoformat()
