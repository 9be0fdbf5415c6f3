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


def skip_idle_waiting_walks(workflow):
    """Make the workflow skip SpiffWorkflow's tree walk for WAITING tasks when it has none.

    After every task it runs, SpiffWorkflow walks the whole tree to update WAITING tasks. When
    none of the workflow's tasks is WAITING the walk finds nothing and changes nothing, which
    its task table tells without walking; otherwise SpiffWorkflow's own walk runs.
    """
    walk = workflow.update_waiting_tasks

    def update_waiting_tasks():
        for task in workflow.tasks.values():
            if task._state & TaskState.WAITING:
                return walk()
    workflow.update_waiting_tasks = update_waiting_tasks


def ready_manual_tasks(workflow):
    """What `workflow.get_tasks(state=READY, manual=True)` returns, in the same order."""
    return _ready(workflow, manual=True)


def _ready(workflow, manual=None):
    # READY tasks (only those whose spec's `manual` equals `manual`, unless None) in the
    # iterator's order; None when only SpiffWorkflow's iterator can say.
    if workflow.subprocesses:
        # Their tasks live in other trees; the iterator knows how to interleave them.
        return _iterated(workflow, manual)
    tasks, root, found = workflow.tasks, workflow.task_tree, []
    for task in tasks.values():
        # `== manual` is the iterator's own test of `manual`.
        if task._state == TaskState.READY and (manual is None or task.task_spec.manual == manual):
            path = _tree_path(tasks, root, task)
            if path is None:
                return _iterated(workflow, manual)
            found.append((path, task))
    if len(found) > 1:
        found.sort(key=lambda pair: pair[0])
    return [task for _, task in found]


def _iterated(workflow, manual):
    if manual is None:
        return workflow.get_tasks(state=TaskState.READY)
    return workflow.get_tasks(state=TaskState.READY, manual=manual)


def run_engine_steps(workflow):
    """What `workflow.do_engine_steps()` does, finding READY tasks with `_ready`.

    As SpiffWorkflow does, each round takes the READY tasks in tree order first and then runs
    the automatic ones among them, until a round runs none. A workflow with subprocesses (or
    one that starts one) is left to SpiffWorkflow, which steps them deepest first.
    """
    while not workflow.subprocesses:
        automatic = [task for task in _ready(workflow) if not task.task_spec.manual]
        for task in automatic:
            task.run()
        if not automatic:
            workflow.refresh_timers()
            return
    workflow.do_engine_steps()
