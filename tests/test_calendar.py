"""Working days across the 2026 National Day holiday, and administrator corrections."""
import datetime as dt



def _start(as_user, name="西津渡棚改"):
    response = as_user("jingkou_office").post("/api/v1/projects", json={"name": name})
    assert response.status_code == 201, response.json
    return response.json


def test_due_date_across_national_day_and_makeup_saturday(as_user, clock):
    # Monday 2026-09-28: 10 working days are 29, 30 Sep (1-2), 8, 9 Oct (3-4), Saturday 10 Oct
    # (make-up working day, 5), 12-16 Oct (6-10). 1-7 Oct and Sunday 11 Oct are days off.
    clock.set(dt.datetime(2026, 9, 28, 9, 0))
    project = _start(as_user)
    (step,) = project["current_steps"]
    assert step["time_limit_days"] == 10
    assert step["due_date"] == "2026-10-16"
    assert step["due_at"] == "2026-10-16T23:59:59+08:00"


def test_admin_correction_moves_open_due_dates_and_is_audited(as_user, clock, client):
    clock.set(dt.datetime(2026, 9, 28, 9, 0))
    project = _start(as_user)
    admin = as_user("admin")
    response = client.put("/api/v1/calendar/days/2026-10-12", headers=admin.headers,
                          json={"is_workday": False, "note": "测试：临时放假"})
    assert response.status_code == 200, response.json
    assert response.json["changed_tasks"] == 1
    task = as_user("jingkou_office").task_for(project["id"], "submit_plan")
    assert task["due_date"] == "2026-10-19"
    history = as_user("city_supervisor").get(f"/api/v1/projects/{project['id']}").json["history"]
    moved = [e for e in history if e["action"] == "due_recomputed"]
    assert moved and moved[0]["detail"]["old_due_date"] == "2026-10-16"
    assert moved[0]["detail"]["due_date"] == "2026-10-19"
    assert [d["date"] for d in admin.get("/api/v1/calendar/days").json] == ["2026-10-12"]
    response = client.delete("/api/v1/calendar/days/2026-10-12", headers=admin.headers)
    assert response.status_code == 200 and response.json["changed_tasks"] == 1
    assert as_user("jingkou_office").task_for(project["id"], "submit_plan")["due_date"] == \
        "2026-10-16"


def test_a_correction_made_by_another_process_reaches_new_due_dates(
        as_user, clock, client, tmp_path):
    """Two app objects on one database stand for two web processes."""
    from conftest import ApiUser, make_config
    from service import create_app
    from service.database import shutdown

    class OtherProcess(make_config(tmp_path)):
        CALENDAR_CHECK_SECONDS = 0
    other = create_app(OtherProcess, clock=clock)
    office = ApiUser(other.test_client(), "jingkou_office")
    clock.set(dt.datetime(2026, 9, 28, 9, 0))
    before = office.post("/api/v1/projects", json={"name": "甲"}).json  # loads its calendar
    assert before["current_steps"][0]["due_date"] == "2026-10-16"
    response = client.put("/api/v1/calendar/days/2026-10-12", headers=as_user("admin").headers,
                          json={"is_workday": False, "note": "临时放假"})
    assert response.status_code == 200, response.json
    after = office.post("/api/v1/projects", json={"name": "乙"}).json
    assert after["current_steps"][0]["due_date"] == "2026-10-19"
    shutdown(other)


def test_correction_refused_for_non_admin_and_bad_input(as_user, client):
    office = as_user("jingkou_office")
    response = client.put("/api/v1/calendar/days/2026-12-26", headers=office.headers,
                          json={"is_workday": True})
    assert response.status_code == 403
    admin = as_user("admin")
    response = client.put("/api/v1/calendar/days/2026-13-40", headers=admin.headers,
                          json={"is_workday": True})
    assert response.status_code == 422 and "day" in str(response.json)
    response = client.put("/api/v1/calendar/days/2026-12-26", headers=admin.headers,
                          json={"is_workday": "perhaps"})
    assert response.status_code == 422 and "is_workday" in str(response.json)
    assert admin.get("/api/v1/calendar/days").json == []


def test_cli_set_list_clear_for_next_years_schedule(runner, as_user, clock):
    # 2027's schedule is not in chinesecalendar: an administrator enters a make-up Saturday.
    clock.set(dt.datetime(2026, 12, 28, 9, 0))
    project = _start(as_user)
    before = as_user("jingkou_office").task_for(project["id"], "submit_plan")["due_date"]
    result = runner.invoke(args=["calendar", "set", "2027-01-01", "--holiday",
                                 "--note", "元旦"])
    assert result.exit_code == 0, result.output
    assert "1 open task(s)" in result.output
    after = as_user("jingkou_office").task_for(project["id"], "submit_plan")["due_date"]
    assert (before, after) == ("2027-01-11", "2027-01-12")
    result = runner.invoke(args=["calendar", "list"])
    assert "2027-01-01  holiday" in result.output and "元旦" in result.output
    result = runner.invoke(args=["calendar", "clear", "2027-01-01"])
    assert result.exit_code == 0, result.output
    assert as_user("jingkou_office").task_for(project["id"], "submit_plan")["due_date"] == before
    result = runner.invoke(args=["calendar", "clear", "2027-01-01"])
    assert result.exit_code != 0 and "no correction" in result.output
