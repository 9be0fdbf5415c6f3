"""The engine wrapper on its own: safe expressions, safe XML, state round-trips."""
from pathlib import Path

import pytest

from service.engine import Engine, EngineError, Evaluator, ExpressionError, TaskNotReady, \
    UnsafeXMLError, free_names, parse_xml

BPMN = (Path(__file__).parent.parent / "workflows" / "statutory_approval.bpmn").read_text()


@pytest.mark.parametrize("source", [
    "__import__('os').system('id')", "().__class__.__bases__", "open('/etc/passwd')",
    "x.real", "lambda: 1", "[c for c in ().__class__.__mro__]", "eval('1')",
    "_secret", "'a' * 10000000", "globals()", "len(**x)",
])
def test_evaluator_refuses_dangerous_expressions(source):
    with pytest.raises(ExpressionError):
        Evaluator().evaluate(source, {"x": 1, "_secret": 2})


@pytest.mark.parametrize("source, expected", [
    ("decision == 'approve'", True),
    ("funds_deposited >= funds_required", False),
    ("any(s['decision'] == 'object' for s in signoffs)", True),
    ("all(s['decision'] == 'approve' for s in signoffs)", False),
    ("len([s for s in signoffs if s['decision'] == 'object']) == 1", True),
    ("days_between('2026-12-01', '2026-12-30') >= 30", True),
    ("add_months('2027-01-31', 1)", "2027-02-28"),
    ("households * 2 + 1 if households > 10 else 0", 241),
    ("not (a and b) or c", True),
])
def test_evaluator_computes_conditions(source, expected):
    names = {"decision": "approve", "funds_deposited": 5, "funds_required": 6,
             "signoffs": [{"decision": "approve"}, {"decision": "object"}],
             "households": 120, "a": True, "b": False, "c": False}
    assert Evaluator().evaluate(source, names) == expected


def test_scripts_are_assignments_only():
    names = {}
    Evaluator().execute("departments = ['housing', 'audit']\ncount = len(departments)", names)
    assert names == {"departments": ["housing", "audit"], "count": 2}
    for script in ["import os", "x = 1\nos.system('id')", "def f(): pass", "x.y = 1"]:
        with pytest.raises(ExpressionError):
            Evaluator().execute(script, {})


def test_free_names_are_what_the_expression_reads():
    assert free_names("any(s['d'] == 'o' for s in signoffs) and x > len(y)") == \
        {"signoffs", "x", "y"}


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
    '<!DOCTYPE bpmn SYSTEM "http://example.com/x.dtd"><x/>',
    '<x><y></x>', "not xml at all",
])
def test_unsafe_or_broken_xml_is_refused(xml):
    with pytest.raises(UnsafeXMLError):
        parse_xml(xml)


def test_a_condition_with_code_is_refused_when_it_runs():
    engine = Engine()
    evil = BPMN.replace("decision == 'approve'", "__import__('os').system('touch /tmp/x')", 1)
    definition = engine.parse(evil)
    instance = engine.start(definition, {"project_name": "p", "district": "jingkou"})
    task = instance.ready_user_tasks()[0]
    instance.complete(task.id, {"households": 1})
    review = instance.ready_user_tasks()[0]
    with pytest.raises(EngineError):
        instance.complete(review.id, {"decision": "approve"})


def test_state_round_trips_through_the_serializer_at_every_step():
    engine = Engine(check_dumps=True)
    definition = engine.parse(BPMN)
    instance = engine.start(definition, {"project_name": "p", "district": "jingkou"})
    steps = [("submit_plan", {"households": 3}),
             ("city_review", {"decision": "approve", "departments": ["housing", "audit"]}),
             ("file_compensation_plan", {"compensation_budget": 100}),
             ("approve_compensation_plan", {"decision": "approve"}),
             ("consent_compensation_plan", {"decision": "approve"}),
             ("check_funds", {"funds_required": 100, "funds_deposited": 100})]
    for step, values in steps:
        state = engine.dump(instance)
        assert "bpmn_id" not in state[:200]  # the spec is not embedded in each instance
        instance = engine.load(definition, state)
        [ready] = instance.ready_user_tasks()
        assert ready.step == step
        instance.complete(ready.id, values)
    signoffs = instance.ready_user_tasks()
    assert sorted(t.data["department"] for t in signoffs) == ["audit", "housing"]
    for task in signoffs:
        instance = engine.load(definition, engine.dump(instance))
        instance.complete(task.id, {"signoff": {"decision": "approve"}})
    instance = engine.load(definition, engine.dump(instance))
    [handover] = instance.ready_user_tasks()
    assert handover.step == "handover"
    with pytest.raises(TaskNotReady):
        instance.complete(signoffs[0].id, {})  # already done
    instance.complete(handover.id, {})
    assert instance.completed and instance.end_status() == "completed"


def test_metadata_reads_role_form_and_limits():
    meta = Engine().parse(BPMN).meta
    review = meta["user_tasks"]["city_review"]
    assert (review["role"], review["form"], review["time_limit_days"]) == \
        ("city_review", "city_review", 15)
    assert meta["user_tasks"]["joint_signoff"]["department_item"] == "department"
    assert meta["end_events"] == {"end_rejected": "rejected", "end_completed": "completed"}
