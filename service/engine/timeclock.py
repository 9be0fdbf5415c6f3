"""BPMN timers on the service's clock instead of the wall clock.

SpiffWorkflow's timer event definitions (date, duration and cycle) read
`datetime.now(timezone.utc)` from their own module whenever they check or set a timer. That
module's `datetime` is swapped once for a subclass whose `now()` answers the clock of the engine
operation under way (a context variable set by `following(now)`), so a timer fires when the
service's clock says so, and the tests' frozen clock moves timers like it moves due dates.
Outside an engine operation `now()` is the wall clock, as before.
"""
import contextlib
import contextvars
from datetime import datetime, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module

_current_now = contextvars.ContextVar("engine_now", default=None)


class ClockedDatetime(datetime):
    """`datetime` whose `now()` follows the engine operation's clock."""

    @classmethod
    def now(cls, tz=None):
        read = _current_now.get()
        if read is None:
            return datetime.now(tz)
        moment = read()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)


@contextlib.contextmanager
def following(now):
    """Within the block, SpiffWorkflow's timers read `now()` (aware) as the current time."""
    token = _current_now.set(now)
    try:
        yield
    finally:
        _current_now.reset(token)


def install():
    """Point SpiffWorkflow's timer module at the clocked `datetime` (idempotent)."""
    _timer_module.datetime = ClockedDatetime
