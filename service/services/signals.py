"""Signals other concerns subscribe to (deadlines, notifications) without editing task code.

Receivers run inside the sender's transaction: what they write commits or rolls back with it.
"""
from blinker import Namespace

_signals = Namespace()

#: sender: project; kwargs: tasks (new open Task rows), actor
tasks_opened = _signals.signal("tasks-opened")
#: sender: project; kwargs: tasks (Task rows that left the open state), actor
tasks_closed = _signals.signal("tasks-closed")
