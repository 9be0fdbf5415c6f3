"""The fast state dump (cached text of finished tasks) against the registry's reference dump."""
import datetime as dt
import json
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from SpiffWorkflow.util.task import TaskState

from flow import APPROVE_REVIEW, COMPENSATION, DISTRICT_APPROVAL, FUNDS_OK, HANDOVER, PLAN
from service.engine import Engine, EngineError

BPMN = (Path(__file__).parent.parent / "workflows" / "statutory_approval.bpmn").read_text()
RETURN = {"decision": "return", "opinion": "补充材料"}
DEPARTMENTS = ["housing", "finance", "audit"]

# Every path of the statutory process in one run: the three return loops, the fund shortfall
# loop, a joint sign-off with an objection, then the sign-off again and the handover.
ROUTE = [
    ("submit_plan", PLAN), ("city_review", RETURN), ("submit_plan", PLAN),
    ("city_review", {**APPROVE_REVIEW, "departments": DEPARTMENTS}),
    ("file_compensation_plan", COMPENSATION), ("approve_compensation_plan", RETURN),
    ("file_compensation_plan", COMPENSATION), ("approve_compensation_plan", DISTRICT_APPROVAL),
    ("consent_compensation_plan", RETURN), ("file_compensation_plan", COMPENSATION),
    ("approve_compensation_plan", DISTRICT_APPROVAL),
    ("consent_compensation_plan", {"decision": "approve"}),
    ("check_funds", {"funds_required": 100, "funds_deposited": 60, "special_account": "1"}),
    ("top_up_funds", {"top_up_amount": 40, "note": "补足"}),
    ("check_funds", {**FUNDS_OK, "funds_required": 100, "funds_deposited": 100}),
    ("joint_signoff", {"audit": "资金来源说明不足"}),
    ("revise_after_signoff", {"revision_note": "已补充说明"}),
    ("joint_signoff", {}),
    ("handover", HANDOVER),
]


def engine_and_definition():
    engine = Engine(check_dumps=True)
    return engine, engine.parse(BPMN)

# timer_demo.bpmn waits until 2026-12-01 09:00 in Shanghai.
BEFORE_THE_TIMER = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.timezone.utc)


def start(engine, definition):
    return engine.start(definition, {"project_name": "p", "district": "jingkou"})


def signoff(department, objections):
    # What the service completes a sign-off with (the form's `collect_as`).
    values = {"decision": "object", "opinion": objections[department]} \
        if department in objections else {"decision": "approve", "opinion": "同意"}
    return {**values, "signoff": {**values, "department": department}}


def steps(instance):
    """Yield once per completed task, walking ROUTE (sign-offs in reverse tree order)."""
    for step, values in ROUTE:
        ready = instance.ready_user_tasks()
        assert {t.step for t in ready} == {step}
        if step != "joint_signoff":
            [task] = ready
            instance.complete(task.id, values)
            yield step
            continue
        assert sorted(t.data["department"] for t in ready) == sorted(DEPARTMENTS)
        # Out of tree order, so finished children sit under a parent whose data still changes.
        for task in reversed(ready):
            instance.complete(task.id, signoff(task.data["department"], values))
            yield step


def shape(instance):
    """Everything a restored instance must agree on, task ids included."""
    return ({str(t.id): (t.task_spec.name, t.state, t.data, t.internal_data)
             for t in instance.workflow.get_tasks()},
            [(t.id, t.step) for t in instance.ready_user_tasks()], instance.data)


def assert_same_as_reference(engine, instance):
    state = engine.dump(instance)  # check mode: raises when it differs
    assert json.loads(state) == json.loads(engine._reference_dump(instance))
    spiff_order = instance.workflow.get_tasks(state=TaskState.READY, manual=True)
    assert [t.id for t in instance.ready_user_tasks()] == [str(t.id) for t in spiff_order]
    return state


def test_fast_dump_equals_the_reference_at_every_step_of_every_path():
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    assert_same_as_reference(engine, instance)
    walked = []
    for step in steps(instance):
        walked.append(step)
        state = assert_same_as_reference(engine, instance)
        assert_same_as_reference(engine, instance)  # the second dump reuses every finished text
        restored = engine.load(definition, state)
        assert shape(restored) == shape(instance)
    assert walked.count("joint_signoff") == 2 * len(DEPARTMENTS)
    assert instance.completed and instance.end_status() == "completed"


def test_dump_load_continue_reaches_the_same_states_as_the_live_instance():
    engine, definition = engine_and_definition()
    live = start(engine, definition)
    reloaded = engine.load(definition, engine.dump(live))
    holder = {"instance": reloaded}

    class Reloading:
        # Loaded from its dump before every step, as the service does on a cache miss.
        def ready_user_tasks(self):
            return holder["instance"].ready_user_tasks()

        def complete(self, task_id, values):
            holder["instance"] = engine.load(definition, engine.dump(holder["instance"]))
            holder["instance"].complete(task_id, values)

    for _ in zip(steps(live), steps(Reloading()), strict=True):
        mine, theirs = live.workflow.get_tasks(), holder["instance"].workflow.get_tasks()
        assert [(t.task_spec.name, t.state, t.data) for t in mine] == \
            [(t.task_spec.name, t.state, t.data) for t in theirs]
        assert_same_as_reference(engine, holder["instance"])
    assert holder["instance"].completed and live.completed


def finished(instance, name):
    return [t for t in instance.workflow.get_tasks(state=TaskState.COMPLETED)
            if t.task_spec.name == name]


def run_until(instance, last, times=1):
    """Complete tasks along ROUTE until `last` has been completed `times` times."""
    for step in steps(instance):
        times -= step == last
        if not times:
            return


def test_a_finished_task_whose_data_changes_after_it_was_cached_is_written_again():
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    run_until(instance, "file_compensation_plan")
    before = json.loads(engine.dump(instance))
    plan = finished(instance, "submit_plan")[0]  # the later one holds no changes of its own
    cached = instance.state_cache.entries[plan].text
    plan.data["households"] = 999  # in place: same dict, same state, same timestamp
    after = json.loads(engine.dump(instance))  # check mode compares with the reference too
    assert instance.state_cache.entries[plan].text != cached
    assert after["tasks"][str(plan.id)]["delta"]["updates"]["households"] == 999
    assert before["tasks"][str(plan.id)]["delta"]["updates"]["households"] == PLAN["households"]
    # The child is stored as a delta against this data, so its text changes as well.
    [child] = plan.children
    assert after["tasks"][str(child.id)] != before["tasks"][str(child.id)]
    # A nested value changed in place, and internal data, are caught the same way.
    defaults = finished(instance, "set_defaults")[0]
    defaults.data["departments"].append("extra")
    defaults.internal_data["note"] = "x"
    after = json.loads(engine.dump(instance))
    assert after["tasks"][str(defaults.id)]["delta"]["updates"]["departments"][-1] == "extra"
    assert after["tasks"][str(defaults.id)]["internal_data"] == {"note": "x"}


def test_objects_shared_between_tasks_data_are_rechecked_in_every_task():
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    run_until(instance, "joint_signoff", times=len(DEPARTMENTS))  # the first sign-off round
    before = json.loads(engine.dump(instance))
    # SpiffWorkflow copies data between tasks shallowly: the sign-off dicts in the list are
    # the same objects in several tasks' data, finished tasks among them.
    holders = [t for t in instance.workflow.get_tasks() if t.data.get("signoffs")]
    shared = holders[-1].data["signoffs"][0]
    assert len([t for t in holders if t.state == TaskState.COMPLETED
                and any(s is shared for s in t.data["signoffs"])]) > 1
    shared["opinion"] = "改过"
    after = json.loads(assert_same_as_reference(engine, instance))
    assert after != before


def test_check_mode_names_the_task_whose_cached_text_is_wrong():
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    run_until(instance, "city_review")
    engine.dump(instance)
    task, entry = next((t, e) for t, e in instance.state_cache.entries.items()
                       if t.task_spec.name == "submit_plan")
    households = f'"households":{PLAN["households"]}'
    assert households in entry.text
    entry.text = entry.text.replace(households, '"households":11')
    with pytest.raises(EngineError, match=f"task {task.id} \\(submit_plan, COMPLETED\\)"):
        engine.dump(instance)
    engine.check_dumps = False  # without the check the corrupted text is what gets stored
    assert json.loads(engine.dump(instance))["tasks"][str(task.id)]["delta"]["updates"][
        "households"] == 11


@pytest.mark.parametrize("change", [
    lambda task: setattr(task, "_state", TaskState.CANCELLED),
    lambda task: setattr(task, "last_state_change", task.last_state_change + 1),
    lambda task: setattr(task, "triggered", not task.triggered),
    lambda task: task._children.append(uuid4()),
    lambda task: task._children.reverse(),
    lambda task: task.internal_data.update(event_fired=True),
    lambda task: setattr(task, "task_spec", task.parent.task_spec),
    lambda task: task.parent.data.update(households=1),
    lambda task: task.parent.data.pop("project_name"),
], ids=["state", "last_state_change", "triggered", "children", "children_order",
        "internal_data", "task_spec", "parent_data", "parent_data_deletion"])
def test_each_thing_a_finished_task_is_written_from_is_checked_before_reuse(change):
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    run_until(instance, "joint_signoff", times=len(DEPARTMENTS))
    engine.dump(instance)
    # The finished multi-instance task: its sign-offs and the gateway are its children.
    [signoff] = finished(instance, "joint_signoff")
    assert len(signoff.children) == len(DEPARTMENTS) + 1
    cached = instance.state_cache.entries[signoff].text
    change(signoff)
    engine.dump(instance)  # check mode: raises if the old text were reused
    assert instance.state_cache.entries[signoff].text != cached


def test_ready_tasks_come_in_tree_order_whatever_the_order_of_the_task_table():
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    run_until(instance, "check_funds", times=2)  # the joint sign-off is open
    spiff_order = [str(t.id) for t in
                   instance.workflow.get_tasks(state=TaskState.READY, manual=True)]
    assert len(spiff_order) == len(DEPARTMENTS)
    engine.dump(instance)
    # Children listed before their parents: the order comes from the tree, and the dump still
    # matches the reference (whose task order follows this table too).
    instance.workflow.tasks = dict(reversed(instance.workflow.tasks.items()))
    assert [t.id for t in instance.ready_user_tasks()] == spiff_order
    assert_same_as_reference(engine, instance)


def test_deletions_follow_the_order_of_the_parent_data_keys():
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    run_until(instance, "city_review")
    review = finished(instance, "city_review")[0]
    for key in ("project_name", "district"):
        review.data.pop(key)  # stored as deletions against the parent's data
    engine.dump(instance)
    parent = review.parent
    items = list(parent.data.items())
    parent.data.clear()
    parent.data.update(reversed(items))  # equal dict, keys in another order
    deletions = json.loads(engine.dump(instance))["tasks"][str(review.id)]["delta"]["deletions"]
    assert deletions == ["district", "project_name"]


def test_a_task_whose_parent_left_the_task_table_is_written_without_one():
    engine, definition = engine_and_definition()
    instance = start(engine, definition)
    run_until(instance, "city_review")
    engine.dump(instance)
    [ready] = instance.ready_user_tasks()
    review = finished(instance, "city_review")[0]
    tasks = instance.workflow.tasks
    ready_task = tasks[UUID(ready.id)]
    for child in (review, ready_task):
        del tasks[child._parent]
    state = json.loads(engine.dump(instance))  # check mode: compared with the reference
    for child in (review, ready_task):
        assert state["tasks"][str(child.id)]["parent"] is None


def _structure(instance):
    # Ids are random per instance: compare what ran, in tree order, and the data it left.
    return ([(t.task_spec.name, t.state, t.data) for t in instance.workflow.get_tasks()],
            instance.completed, instance.data)


def test_engine_steps_run_as_spiffworkflow_runs_them():
    """Instance.complete finds automatic READY tasks and WAITING ones its own way; the result
    is the same as SpiffWorkflow's do_engine_steps (with its own walk for WAITING tasks) after
    every step of every path, the parallel sign-off's waiting join included."""
    engine, definition = engine_and_definition()
    ours, theirs = start(engine, definition), start(engine, definition)
    del theirs.workflow.update_waiting_tasks  # SpiffWorkflow's own method again
    for step, values in ROUTE:
        ready, other = ours.ready_user_tasks(), theirs.ready_user_tasks()
        assert [t.step for t in ready] == [t.step for t in other] and ready
        pairs = list(zip(ready, other))
        if step == "joint_signoff":
            pairs = [(mine, next(t for t in other if t.data["department"] ==
                                 mine.data["department"])) for mine in reversed(ready)]
        for mine, same in pairs:
            done = signoff(mine.data["department"], values) if step == "joint_signoff" \
                else values
            ours.complete(mine.id, done)
            task = theirs.workflow.get_task_from_id(UUID(same.id))
            task.data.update(done)
            task.run()
            theirs.workflow.do_engine_steps()
            assert _structure(ours) == _structure(theirs), step
    assert ours.completed and ours.end_status() == "completed"


def test_the_walk_for_waiting_tasks_runs_when_a_task_waits(monkeypatch):
    """SpiffWorkflow's walk updating WAITING tasks is skipped only when none waits."""
    import SpiffWorkflow.workflow
    engine = Engine(now=lambda: BEFORE_THE_TIMER)  # the engine's clock, not the wall clock
    timer = engine.parse((Path(__file__).parent / "data" / "timer_demo.bpmn").read_text())
    waiting = start(engine, timer)
    [task] = [t for t in waiting.workflow.tasks.values() if t.state == TaskState.WAITING]
    updated = []
    monkeypatch.setattr(type(task.task_spec), "_update", lambda spec, t: updated.append(t))
    waiting.workflow.update_waiting_tasks()
    assert updated == [task]

    engine, definition = engine_and_definition()
    idle = start(engine, definition)
    assert not [t for t in idle.workflow.tasks.values() if t.state == TaskState.WAITING]

    def no_walk(*args, **kwargs):
        raise AssertionError("walked the tree")
    monkeypatch.setattr(SpiffWorkflow.workflow, "TaskIterator", no_walk)
    idle.workflow.update_waiting_tasks()
    with pytest.raises(AssertionError):
        waiting.workflow.update_waiting_tasks()
