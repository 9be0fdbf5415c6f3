"""Chinese working days (holidays and make-up days) with administrator corrections."""
import datetime as dt

import chinese_calendar

from .clock import SHANGHAI


class WorkCalendar:
    """Working-day arithmetic: `overrides` maps a date to True (working) or False (day off).

    A calendar never changes (a correction makes a new one), so its answers are kept.
    """

    def __init__(self, overrides=None):
        self.overrides = dict(overrides or {})
        self._known = {}
        self._answers = {}  # (arithmetic, date, n) -> date: every new task asks the same

    def is_workday(self, day):
        """Whether `day` is a working day."""
        found = self._known.get(day)
        if found is None:
            found = self._known[day] = self._lookup(day)
        return found

    def _lookup(self, day):
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            # Beyond the package's published years: weekdays, until an administrator corrects it.
            return day.weekday() < 5

    def _remembered(self, name, start, days, compute):
        key = (name, start, days)
        found = self._answers.get(key)
        if found is None:
            if len(self._answers) > 100_000:
                self._answers.clear()
            found = self._answers[key] = compute(start, days)
        return found

    def add_working_days(self, start, days):
        """The date `days` working days after `start` (start itself not counted)."""
        return self._remembered("add", start, days, self._add)

    def _add(self, start, days):
        day, remaining = start, int(days)
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def subtract_working_days(self, start, days):
        """The working day `days` working days before `start` (`start` itself when days is 0)."""
        return self._remembered("subtract", start, days, self._subtract)

    def _subtract(self, start, days):
        day, remaining = start, int(days)
        while remaining > 0:
            if self.is_workday(day):
                remaining -= 1
            day -= dt.timedelta(days=1)
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def working_days_between(self, start, end):
        """Working days after `start` up to and including `end`; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        return self._remembered("between", start, end, self._between)

    def _between(self, start, end):
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count

    def due(self, opened_at, days):
        """Due date and the moment it ends (end of that day in Asia/Shanghai, as naive UTC)."""
        opened_local = opened_at.replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI) \
            if opened_at.tzinfo is None else opened_at.astimezone(SHANGHAI)
        due_date = self.add_working_days(opened_local.date(), days)
        end = dt.datetime.combine(due_date, dt.time(23, 59, 59), tzinfo=SHANGHAI)
        return due_date, end.astimezone(dt.timezone.utc).replace(tzinfo=None)
