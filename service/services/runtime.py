"""Per-app collaborators (engine, clock, calendar, instance cache) reached from services."""
import time
from collections import OrderedDict

from flask import current_app

from ..clock import Clock
from ..engine import Engine
from ..engine.functions import DEFAULT_FUNCTIONS
from ..workdays import WorkCalendar


class Runtime:
    """What services need besides the database; one per Flask app."""

    def __init__(self, clock=None, calendar_loader=None, cache_size=256, check_dumps=False,
                 calendar_revision=None, calendar_check_seconds=1.0, monotonic=time.monotonic):
        self.clock = clock or Clock()
        functions = {**DEFAULT_FUNCTIONS, "today": lambda: self.clock.today().isoformat()}
        self.engine = Engine(functions, check_dumps=check_dumps, now=self.clock.now)
        self._calendar_loader = calendar_loader or (lambda: {})
        self._calendar_revision = calendar_revision or (lambda: None)
        self._calendar_check_seconds = calendar_check_seconds
        self._monotonic = monotonic
        self._calendar = None
        self._calendar_seen = None  # (revision the calendar was loaded at, when it was checked)
        self._instances = OrderedDict()
        self._cache_size = cache_size
        self._versions = {}

    def calendar(self):
        """The working-day calendar with administrator corrections applied.

        A correction made in this process applies at once (`calendar_changed`); one made by
        another process is seen within `calendar_check_seconds`, when the corrections'
        revision is read again (a timer, not business time: the clock may be frozen).
        """
        now = self._monotonic()
        if self._calendar is not None and \
                now < self._calendar_seen[1] + self._calendar_check_seconds:
            return self._calendar
        revision = self._calendar_revision()
        if self._calendar is None or revision != self._calendar_seen[0]:
            self._calendar = WorkCalendar(self._calendar_loader())
        self._calendar_seen = (revision, now)
        return self._calendar

    def calendar_changed(self):
        """Forget the calendar: the next use loads the corrections again."""
        self._calendar = None

    def version(self, definition_id, loader):
        """Immutable facts of a deployed version (forms, metadata), loaded once per process."""
        found = self._versions.get(definition_id)
        if found is None:
            found = self._versions[definition_id] = loader(definition_id)
        return found

    def take_instance(self, project_id, revision):
        """A live instance cached at this revision, removed from the cache while it is used."""
        cached = self._instances.pop(project_id, None)
        if cached and cached[0] == revision:
            return cached[1]
        return None

    def keep_instance(self, project_id, revision, instance):
        """Cache an instance once its state at `revision` is committed."""
        self._instances[project_id] = (revision, instance)
        if len(self._instances) > self._cache_size:
            self._instances.popitem(last=False)


def runtime():
    """The current app's Runtime."""
    return current_app.extensions["approval"]
