"""BPMN timers found by the indexed column; monthly reminders and reports; certificates; inbox."""
from pathlib import Path


from service.extensions import db
from service.models import Project

from helpers_deadlines import SUBMIT_PLAN, at, inbox, start, sweep

DATA = Path(__file__).parent / "data"


def tick(runner):
    result = runner.invoke(args=["scheduler", "tick"])
    assert result.exit_code == 0, result.output
    return result.output


def test_bpmn_timer_fires_when_due(as_user, runner, clock, app):
    result = runner.invoke(args=["deploy", str(DATA / "timer_demo.bpmn")])
    assert result.exit_code == 0, result.output
    office = as_user("jingkou_office")
    response = office.post("/api/v1/projects", json={"name": "定时项目", "process": "timer_demo"})
    assert response.status_code == 201, response.json
    project = response.json
    assert project["current_steps"] == []
    with app.app_context():
        row = db.session.get(Project, project["id"])
        assert row.next_timer_at.isoformat() == "2026-12-01T01:00:00"
    at(clock, 2026, 12, 1, 8, 59)
    assert "timers: 0" in tick(runner)
    at(clock, 2026, 12, 1, 9, 0)
    assert "timers: 1" in tick(runner)
    assert "timers: 0" in tick(runner)
    task = office.task_for(project["id"], "submit_plan")
    assert task["due_date"] == "2026-12-08" and task["created_at"].startswith("2026-12-01T09:00")
    history = office.get(f"/api/v1/projects/{project['id']}").json["history"]
    assert [e["detail"]["opened"] for e in history if e["action"] == "timer"] == [["submit_plan"]]
    with app.app_context():
        assert db.session.get(Project, project["id"]).next_timer_at is None
    # escalate_after_days=1 from the diagram: level 2 one working day after the due date.
    at(clock, 2026, 12, 10, 0, 1)
    assert sweep(runner) == {"yellow": 1, "red": 1, "level2": 1}


def test_monthly_reminder_and_report_once(as_user, runner, clock):
    project = start(as_user)
    office = as_user("jingkou_office")
    office.complete(project["id"], "submit_plan", SUBMIT_PLAN)
    at(clock, 2026, 12, 19, 9, 0)
    assert runner.invoke(args=["reports", "monthly"]).output.strip() == "nothing due"
    at(clock, 2026, 12, 20, 9, 0)
    assert runner.invoke(args=["reports", "monthly"]).output.strip() == "report_reminder"
    assert runner.invoke(args=["reports", "monthly"]).output.strip() == "nothing due"
    assert len(inbox(office, "report_reminder")) == 1
    at(clock, 2026, 12, 25, 9, 0)
    assert "monthly_report" in tick(runner)
    assert runner.invoke(args=["reports", "monthly"]).output.strip() == "nothing due"
    city = as_user("city_supervisor")
    reports = city.get("/api/v1/reports/monthly", query_string={"month": "2026-12"}).json
    assert sorted(r["district"] for r in reports) == ["jingkou", "runzhou", "xinqu"]
    (jingkou,) = [r for r in reports if r["district"] == "jingkou"]
    assert jingkou["data"]["projects"] == 1 and jingkou["data"]["households"] == 120
    assert jingkou["data"]["overdue"] == 1  # city_review (due 2026-12-14) is open and late
    district = as_user("jingkou_supervisor").get("/api/v1/reports/monthly").json
    assert [r["district"] for r in district] == ["jingkou"]
    assert len(inbox(as_user("jingkou_supervisor"), "report_filed")) == 1
    assert city.get("/api/v1/reports/monthly",
                    query_string={"month": "December"}).status_code == 422


def test_inbox_read_and_unread_count(as_user, runner, clock):
    project = start(as_user)
    office = as_user("jingkou_office")
    (arrival,) = inbox(office)  # the first step has come to the office, linked to its task
    task = office.task_for(project["id"], "submit_plan")
    assert (arrival["kind"], arrival["task_id"], arrival["project_id"]) == \
        ("task_new", task["id"], project["id"])
    assert office.post(f"/api/v1/inbox/{arrival['id']}/read").status_code == 200
    at(clock, 2026, 12, 9, 9, 0)
    sweep(runner)
    (notice,) = inbox(office, "red")
    assert office.get("/api/v1/inbox").headers["X-Unread-Count"] == "1"
    response = office.post(f"/api/v1/inbox/{notice['id']}/read")
    assert response.status_code == 200 and response.json["read_at"]
    assert office.get("/api/v1/inbox/unread-count").json == {"unread_count": 0}
    assert as_user("runzhou_office").post(f"/api/v1/inbox/{notice['id']}/read").status_code == 404
    assert office.get("/api/v1/inbox", query_string={"unread": "true"}).json == []


def test_statistics_by_department_and_district_scope(as_user, runner, clock):
    start(as_user)
    start(as_user, "南山片区", office="runzhou_office")
    at(clock, 2026, 12, 4, 9, 0)
    city = as_user("city_supervisor")
    stats = city.get("/api/v1/escalations/statistics", query_string={"by": "department"}).json
    assert [(s["key"], s["open"], s["due_soon"], s["overdue"]) for s in stats] == \
        [("district_office", 2, 2, 0)]
    assert stats[0]["name_zh"] == "区征收办"
    mine = as_user("jingkou_supervisor").get("/api/v1/escalations/statistics").json
    assert [(s["key"], s["open"]) for s in mine] == [("jingkou", 1)]
    assert city.get("/api/v1/escalations/statistics",
                    query_string={"by": "weather"}).status_code == 422


def _timer_variant(tmp_path, kind, expression):
    """timer_demo.bpmn with its date timer replaced by another kind of timer."""
    xml = (DATA / "timer_demo.bpmn").read_text(encoding="utf-8").replace(
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">"2026-12-01T09:00:00+08:00"</bpmn:timeDate>',
        f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">"{expression}"</bpmn:{kind}>')
    path = tmp_path / f"timer_{kind}.bpmn"
    path.write_text(xml, encoding="utf-8")
    return path


def test_duration_timer_counts_from_the_service_clock(as_user, runner, clock, app, tmp_path):
    """A duration timer starts when the service's clock says, not the machine's."""
    result = runner.invoke(args=["deploy", str(_timer_variant(tmp_path, "timeDuration", "P3D"))])
    assert result.exit_code == 0, result.output
    office = as_user("jingkou_office")
    project = office.post("/api/v1/projects", json={"name": "期限定时", "process": "timer_demo"}).json
    with app.app_context():
        # Started at the frozen clock's 2026-11-23 09:00 Shanghai (01:00 UTC), plus three days.
        assert db.session.get(Project, project["id"]).next_timer_at.isoformat() == \
            "2026-11-26T01:00:00"
    at(clock, 2026, 11, 26, 8, 59)
    assert "timers: 0" in tick(runner)
    assert office.get(f"/api/v1/projects/{project['id']}").json["current_steps"] == []
    at(clock, 2026, 11, 26, 9, 1)
    assert "timers: 1" in tick(runner)
    task = office.task_for(project["id"], "submit_plan")
    assert task["created_at"].startswith("2026-11-26T09:01")


def test_cycle_timer_counts_from_the_service_clock(as_user, runner, clock, app, tmp_path):
    """A cycle timer's first firing is the service's now plus its interval."""
    result = runner.invoke(args=["deploy", str(_timer_variant(tmp_path, "timeCycle", "R1/PT2H"))])
    assert result.exit_code == 0, result.output
    office = as_user("jingkou_office")
    project = office.post("/api/v1/projects", json={"name": "循环定时", "process": "timer_demo"}).json
    with app.app_context():
        assert db.session.get(Project, project["id"]).next_timer_at.isoformat() == \
            "2026-11-23T03:00:00"
    at(clock, 2026, 11, 23, 10, 59)
    assert "timers: 0" in tick(runner)
    at(clock, 2026, 11, 23, 11, 1)
    tick(runner)
    assert office.task_for(project["id"], "submit_plan")["created_at"].startswith("2026-11-23T11:0")
