"""Finding READY manual tasks without walking the whole task tree with SpiffWorkflow's iterator."""
from SpiffWorkflow.util.task import TaskState

# SpiffWorkflow's iterator stops descending at depth 1000; well short of that its answer and
# ours agree, beyond it we let SpiffWorkflow answer.
_MAX_DEPTH = 500


def _tree_path(tasks, root, task):
    # Child indexes from the root down to the task (depth-first order is their sorted order), or
    # None where the iterator might not plainly reach the task: it does not descend below a
    # task that is only predicted (state < FUTURE) when looking for READY ones.
    path = []
    while task is not root:
        parent = tasks.get(task._parent) if task._parent is not None else None
        if parent is None or parent._state < TaskState.FUTURE or len(path) > _MAX_DEPTH:
            return None
        try:
            path.append(parent._children.index(task.id))
        except ValueError:
            return None
        task = parent
    path.reverse()
    return path


def ready_manual_tasks(workflow):
    """What `workflow.get_tasks(state=READY, manual=True)` returns, in the same order."""
    if workflow.subprocesses:
        # Their tasks live in other trees; the iterator knows how to interleave them.
        return workflow.get_tasks(state=TaskState.READY, manual=True)
    tasks, root, found = workflow.tasks, workflow.task_tree, []
    for task in tasks.values():
        # `== True` is the iterator's own test of `manual`.
        if task._state == TaskState.READY and task.task_spec.manual == True:  # noqa: E712
            path = _tree_path(tasks, root, task)
            if path is None:
                return workflow.get_tasks(state=TaskState.READY, manual=True)
            found.append((path, task))
    if len(found) > 1:
        found.sort(key=lambda pair: pair[0])
    return [task for _, task in found]
