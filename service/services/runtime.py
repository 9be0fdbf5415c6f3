"""Per-app collaborators (engine, clock, calendar, instance cache) reached from services."""
from collections import OrderedDict

from flask import current_app

from ..clock import Clock
from ..engine import Engine
from ..engine.functions import DEFAULT_FUNCTIONS
from ..workdays import WorkCalendar


class Runtime:
    """What services need besides the database; one per Flask app."""

    def __init__(self, clock=None, calendar_loader=None, cache_size=256, check_dumps=False):
        self.clock = clock or Clock()
        functions = {**DEFAULT_FUNCTIONS, "today": lambda: self.clock.today().isoformat()}
        self.engine = Engine(functions, check_dumps=check_dumps)
        self._calendar_loader = calendar_loader or (lambda: {})
        self._calendar = None
        self._instances = OrderedDict()
        self._cache_size = cache_size
        self._versions = {}

    def calendar(self):
        """The working-day calendar with administrator corrections applied."""
        if self._calendar is None:
            self._calendar = WorkCalendar(self._calendar_loader())
        return self._calendar

    def calendar_changed(self):
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
