"""Moving a serialised instance onto another version's spec (Camunda-style migration).

Tasks are matched by spec name (a user task's spec name is its BPMN id; a multi-instance task's
children are named `<id> [child]`). Finished and open tasks keep their ids, state and data under
the mapped spec; predicted tasks (future, likely, maybe) are dropped and re-predicted by the
engine from the new spec as the open tasks complete.
"""
from SpiffWorkflow.util.task import TaskState

CHILD = " [child]"
OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED
PREDICTED = TaskState.PREDICTED_MASK | TaskState.FUTURE


def _mapped(name, mapping):
    base, child = (name[:-len(CHILD)], CHILD) if name.endswith(CHILD) else (name, "")
    return mapping.get(base, base) + child


def mapping_problems(mapping, old_specs, new_specs):
    """Reasons a step mapping cannot be used (unknown source or target steps)."""
    problems = []
    for source, target in mapping.items():
        if source not in old_specs:
            problems.append({"step": source, "reason": "not_in_source"})
        if target not in new_specs:
            problems.append({"step": target, "reason": "not_in_target"})
    return problems


def remap_state(dct, old_spec, new_spec, mapping):
    """Rewrite a serialised workflow dict onto `new_spec` (only if no problems); the problems."""
    new_specs = new_spec.task_specs
    problems = mapping_problems(mapping, old_spec.task_specs, new_specs)
    if dct.get("subprocesses"):
        problems.append({"step": None, "reason": "subprocess"})
    tasks = dct["tasks"]
    renames, drop = {}, set()
    for task_id, task in tasks.items():
        name, state = task["task_spec"], task["state"]
        target = _mapped(name, mapping)
        if state & PREDICTED:
            drop.add(task_id)
            continue
        spec = new_specs.get(target)
        if spec is None:
            reason = "open_step_missing" if state & OPEN else "finished_step_missing"
            problems.append({"step": name.removesuffix(CHILD), "reason": reason})
            continue
        old = old_spec.task_specs.get(name)
        if state & OPEN and old is not None and old.manual and not spec.manual:
            problems.append({"step": target, "reason": "not_a_user_task"})
        if state & OPEN and any(tasks[c]["task_spec"].endswith(CHILD)
                                for c in task["children"] if c in tasks) \
                and target + CHILD not in new_specs:
            problems.append({"step": target, "reason": "not_multi_instance"})
        renames[task_id] = target
    if problems:
        return _unique(problems)
    for task_id in drop:
        del tasks[task_id]
    for task_id, target in renames.items():
        task = tasks[task_id]
        task["task_spec"] = target
        task["children"] = [c for c in task["children"] if c not in drop]
    return []


def _unique(problems):
    seen, result = set(), []
    for p in problems:
        key = (p["step"], p["reason"])
        if key not in seen:
            seen.add(key)
            result.append(p)
    return result
