"""Yellow, red and level 2 for one task, each notice once; completion after going red."""
from helpers_deadlines import SUBMIT_PLAN, at, inbox, start, sweep


def test_yellow_red_level2_each_once(as_user, runner, clock):
    project = start(as_user)  # Monday 2026-11-23: submit_plan due Monday 2026-12-07
    office, city, district_sup = (as_user("jingkou_office"), as_user("city_supervisor"),
                                  as_user("jingkou_supervisor"))
    other_sup, leading = as_user("runzhou_supervisor"), as_user("leading_group_office")
    assert office.task_for(project["id"], "submit_plan")["due_date"] == "2026-12-07"

    at(clock, 2026, 12, 2, 23, 0)
    assert sweep(runner) == {"yellow": 0, "red": 0, "level2": 0}
    at(clock, 2026, 12, 3, 0, 1)  # two working days (Fri 4th, Mon 7th) remain: yellow
    assert sweep(runner)["yellow"] == 1
    assert sweep(runner) == {"yellow": 0, "red": 0, "level2": 0}
    (notice,) = inbox(office, "yellow")
    assert "临期" in notice["subject"] and "2026-12-07" in notice["body"]
    assert inbox(city) == [] and inbox(leading) == []
    # the yellow notice and the notice of the step's arrival
    assert office.get("/api/v1/inbox/unread-count").json == {"unread_count": 2}

    at(clock, 2026, 12, 7, 23, 59)
    assert sweep(runner)["red"] == 0
    at(clock, 2026, 12, 8, 0, 0)  # the due date has passed: red, level 1 to supervisors
    assert sweep(runner) == {"yellow": 0, "red": 1, "level2": 0}
    assert len(inbox(office, "red")) == 1 and len(inbox(city, "red")) == 1
    assert len(inbox(district_sup, "red")) == 1 and inbox(other_sup) == []
    items = city.get("/api/v1/escalations").json
    assert [(i["level"], i["step"], i["district"]) for i in items] == \
        [("red", "submit_plan", "jingkou")]
    assert other_sup.get("/api/v1/escalations").json == []
    assert office.get("/api/v1/escalations").status_code == 403

    at(clock, 2026, 12, 14, 23, 0)  # 5 working days overdue only at the end of the 14th
    assert sweep(runner)["level2"] == 0
    at(clock, 2026, 12, 15, 8, 0)
    assert sweep(runner) == {"yellow": 0, "red": 0, "level2": 1}
    at(clock, 2026, 12, 20, 8, 0)
    assert sweep(runner) == {"yellow": 0, "red": 0, "level2": 0}
    assert len(inbox(leading, "level2")) == 1 and len(inbox(office, "level2")) == 1
    assert "Escalated" in leading.get("/api/v1/inbox?lang=en").json[0]["subject"]
    for user in (office, city, district_sup):  # every notice exactly once
        kinds = [n["kind"] for n in inbox(user)]
        assert len(kinds) == len(set(kinds)), (user.username, kinds)
    (item,) = city.get("/api/v1/escalations").json
    assert item["level"] == "level2" and item["overdue_days"] == 9  # 8-11 and 14-18 Dec
    everything = city.get("/api/v1/escalations", query_string={"status": "all"}).json
    assert len(everything) == 1  # the current level per item by default
    history = city.get(f"/api/v1/projects/{project['id']}").json["history"]
    fired = [e["detail"]["level"] for e in history if e["action"] == "escalation"]
    assert fired == ["yellow", "red", "level2"]


def test_task_completed_after_going_red(as_user, runner, clock):
    project = start(as_user)
    office, city = as_user("jingkou_office"), as_user("city_supervisor")
    at(clock, 2026, 12, 9, 10, 0)  # already red: yellow and red crossed in one sweep
    assert sweep(runner) == {"yellow": 1, "red": 1, "level2": 0}
    assert inbox(office, "yellow") == [] and len(inbox(office, "red")) == 1
    office.complete(project["id"], "submit_plan", SUBMIT_PLAN)
    assert city.get("/api/v1/escalations").json == []
    cleared = city.get("/api/v1/escalations", query_string={"status": "cleared"}).json
    assert [(c["level"], c["cleared_reason"]) for c in cleared] == [("red", "completed")]
    ledger = city.get("/api/v1/escalations/ledger", query_string={"format": "csv"})
    assert ledger.status_code == 200
    assert ledger.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    text = ledger.data.decode("utf-8-sig")
    assert text.count("submit_plan") + text.count("项目申报") >= 2  # yellow and red stay on record
    # submit_plan never reaches level 2; city_review (due the 30th) is red
    at(clock, 2026, 12, 31, 10, 0)
    assert sweep(runner) == {"yellow": 1, "red": 1, "level2": 0}
    assert [(i["step"], i["level"]) for i in city.get("/api/v1/escalations").json] == \
        [("city_review", "red")]
    stats = city.get("/api/v1/escalations/statistics", query_string={"by": "district"}).json
    (jingkou,) = [s for s in stats if s["key"] == "jingkou"]
    assert jingkou["completed_with_limit"] == 1 and jingkou["on_time_rate"] == 0.0
    assert jingkou["open"] == 1 and jingkou["overdue"] == 1
    (step,) = jingkou["steps"]
    assert step["step"] == "submit_plan" and step["longest_days"] == 12
    history = city.get(f"/api/v1/projects/{project['id']}").json["history"]
    assert [e["detail"]["level"] for e in history if e["action"] == "escalation_cleared"] == \
        ["yellow", "red"]


def test_urge_and_close_off(as_user, runner, clock, client):
    project = start(as_user)
    office, city = as_user("jingkou_office"), as_user("city_supervisor")
    at(clock, 2026, 12, 8, 9, 0)
    sweep(runner)
    (item,) = city.get("/api/v1/escalations").json
    response = city.post(f"/api/v1/escalations/{item['id']}/urge", json={"note": "请本周办结"})
    assert response.status_code == 200 and response.json["urge_count"] == 1
    (urged,) = inbox(office, "urge")
    assert "请本周办结" in urged["body"]
    assert as_user("runzhou_supervisor").post(
        f"/api/v1/escalations/{item['id']}/urge", json={}).status_code == 404
    assert office.post(f"/api/v1/escalations/{item['id']}/close",
                       json={"note": "x"}).status_code == 403
    response = city.post(f"/api/v1/escalations/{item['id']}/close", json={})
    assert response.status_code == 422 and "note" in response.json["errors"]["json"]
    response = city.post(f"/api/v1/escalations/{item['id']}/close",
                         json={"note": "已约谈，区征收办承诺 12 月 10 日前报送"})
    assert response.status_code == 200 and response.json["status"] == "closed"
    assert city.get("/api/v1/escalations").json == []
    assert city.post(f"/api/v1/escalations/{item['id']}/close",
                     json={"note": "again"}).status_code == 409
    actions = [e["action"] for e in
               city.get(f"/api/v1/projects/{project['id']}").json["history"]]
    assert "urge" in actions and "escalation_closed" in actions


def test_preview_changes_nothing(as_user, runner, clock):
    start(as_user)
    start(as_user, "南山片区", office="runzhou_office")
    result = runner.invoke(args=["escalations", "preview", "--at", "2026-12-31T09:00"])
    assert result.exit_code == 0, result.output
    assert "0 yellow, 0 red, 2 level 2" in result.output
    result = runner.invoke(args=["escalations", "preview", "--at", "2026-12-04T09:00"])
    assert "2 yellow, 0 red, 0 level 2" in result.output
    city = as_user("city_supervisor")
    response = city.get("/api/v1/escalations/preview",
                        query_string={"at": "2026-12-08T09:00:00"})
    assert response.status_code == 200 and response.json["counts"]["red"] == 2
    district = as_user("jingkou_supervisor").get(
        "/api/v1/escalations/preview", query_string={"at": "2026-12-08T09:00:00"}).json
    assert district["counts"]["red"] == 1
    assert city.get("/api/v1/escalations", query_string={"status": "all"}).json == []
    assert city.get("/api/v1/escalations/preview",
                    query_string={"at": "soon"}).status_code == 422


def test_exports_xlsx_and_csv(as_user, runner, clock):
    import io

    from openpyxl import load_workbook
    start(as_user)
    at(clock, 2026, 12, 8, 9, 0)
    sweep(runner)
    city = as_user("city_supervisor")
    response = city.get("/api/v1/escalations/export", query_string={"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    assert rows[0][0] == "编号 ID" and rows[1][2] == "西津渡棚改" and "red" in rows[1][5]
    response = city.get("/api/v1/escalations/export", query_string={"format": "csv",
                                                                    "level": "red"})
    assert response.mimetype == "text/csv" and "西津渡棚改" in response.data.decode("utf-8-sig")
    assert city.get("/api/v1/escalations/export",
                    query_string={"format": "pdf"}).status_code == 422


def test_backfill_gives_old_open_tasks_thresholds(as_user, runner, clock, app):
    from sqlalchemy import update

    from service.extensions import db
    from service.models import Task
    project = start(as_user)
    with app.app_context():  # as if opened before the deadline columns existed
        db.session.execute(update(Task).values(yellow_at=None, red_at=None, level2_at=None,
                                               next_alert_at=None, level2_days=None))
        db.session.commit()
    at(clock, 2026, 12, 8, 9, 0)
    assert sweep(runner)["red"] == 0
    result = runner.invoke(args=["escalations", "backfill"])
    assert "1 open task(s)" in result.output
    assert sweep(runner)["red"] == 1
    task = as_user("jingkou_office").task_for(project["id"], "submit_plan")
    assert task["deadline_level"] == "red"


def test_openapi_lists_the_contract_paths(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/escalations", "/api/v1/escalations/{escalation_id}/urge",
                 "/api/v1/escalations/{escalation_id}/close", "/api/v1/escalations/statistics",
                 "/api/v1/escalations/preview", "/api/v1/escalations/export",
                 "/api/v1/escalations/ledger", "/api/v1/inbox", "/api/v1/calendar/days/{day}",
                 "/api/v1/reports/monthly"):
        assert path in paths, path


def test_exports_keep_a_formula_like_project_name_as_text(as_user, runner, clock):
    import csv
    import io

    from openpyxl import load_workbook
    name = '=HYPERLINK("http://evil.example","点此核对")'
    start(as_user, name=name)
    at(clock, 2026, 12, 8, 9, 0)
    sweep(runner)
    city = as_user("city_supervisor")
    response = city.get("/api/v1/escalations/export", query_string={"format": "xlsx"})
    cell = load_workbook(io.BytesIO(response.data)).active.cell(row=2, column=3)
    assert cell.value == name and cell.data_type == "s"  # text, not a formula Excel runs
    response = city.get("/api/v1/escalations/export", query_string={"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][2] == "'" + name  # the apostrophe spreadsheet programs read as "text"
