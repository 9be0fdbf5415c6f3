"""Signals other concerns subscribe to (deadlines, notifications) without editing task code.

Receivers run inside the sender's transaction: what they write commits or rolls back with it.
"""
from blinker import Namespace

_signals = Namespace()

#: sender: project; kwargs: tasks (new open Task rows), actor
tasks_opened = _signals.signal("tasks-opened")
#: sender: project; kwargs: tasks (the new open Task rows, now with ids), actor
tasks_inserted = _signals.signal("tasks-inserted")
#: sender: the open Task row about to be completed; kwargs: now. Receivers return
#: {column: value} that the conditional UPDATE completing the row writes with it.
task_completing = _signals.signal("task-completing")
#: sender: project; kwargs: tasks (Task rows that left the open state), actor
tasks_closed = _signals.signal("tasks-closed")


def completing_columns(task, now):
    """The columns every `task_completing` receiver adds to the completing UPDATE."""
    columns = {}
    for _, found in task_completing.send(task, now=now):
        columns.update(found or {})
    return columns
