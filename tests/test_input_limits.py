"""Ids, page numbers and JSON nesting beyond what the database or the decoder can take get a
4xx answer, not a 500."""
from flow import PLAN, open_steps, project, start

HUGE = 10 ** 22  # beyond the 64-bit integers both databases store


def test_an_id_beyond_64_bits_is_not_found(as_user, client, web_login):
    office = as_user("jingkou_office")
    assert office.get(f"/api/v1/projects/{HUGE}").status_code == 404
    response = office.post(f"/api/v1/tasks/{HUGE}/complete", json={"data": PLAN})
    assert response.status_code == 404 and response.json["code"] == 404
    web_login("jingkou_office")
    assert client.get(f"/desk/tasks/{HUGE}").status_code == 404


def test_a_page_far_past_the_end_is_empty_and_a_huge_filter_is_refused(as_user):
    start(as_user)
    office = as_user("jingkou_office")
    response = office.get(f"/api/v1/tasks?page={HUGE}")
    assert response.status_code == 200 and response.json == []
    response = office.get(f"/api/v1/tasks?project_id={HUGE}")
    assert response.status_code == 422 and "project_id" in response.json["errors"]["query"]
    assert office.get(f"/api/v1/projects?year={HUGE}").status_code == 422


def test_json_nested_too_deeply_is_refused_and_changes_nothing(as_user):
    pid = start(as_user)
    office = as_user("jingkou_office")
    before = project(as_user, pid)
    task = office.task_for(pid, "submit_plan")
    for depth in (40, 100_000):  # the second one would exhaust the decoder's stack
        raw = '{"data": {"survey_summary": ' + "[" * depth + "]" * depth + "}}"
        response = office.client.post(f"/api/v1/tasks/{task['id']}/complete", data=raw, headers={
            **office.headers, "Content-Type": "application/json"})
        assert response.status_code == 422
        assert response.json["errors"] == {"json": ["JSON 嵌套层数过多（最多 32 层）。"]}
    assert project(as_user, pid)["history"] == before["history"]
    assert open_steps(as_user, pid) == ["submit_plan"]


def test_a_date_outside_the_fields_window_is_refused_and_the_picker_shows_the_window(
        as_user, client, web_login):
    from flow import HANDOVER, run_straight, sign_off_all
    pid = start(as_user)
    run_straight(as_user, pid)
    sign_off_all(as_user, pid)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "handover")
    for day in ("9999-12-31", "0001-01-01"):
        # 9999-12-31 was taken before, and its title-certificate dates (add_months) silently
        # came out empty: the project finished with no certificate to chase.
        response = office.post(f"/api/v1/tasks/{task['id']}/complete",
                               json={"data": {**HANDOVER, "allocation_date": day}})
        assert response.status_code == 422
        assert response.json["errors"] == {
            "allocation_date": ["取值应在 1990-01-01 至 2099-12-31 之间。"]}
    assert open_steps(as_user, pid) == ["handover"]
    web_login("jingkou_office")
    page = client.get(f"/desk/tasks/{task['id']}").text
    assert 'name="allocation_date"' in page and 'min="1990-01-01" max="2099-12-31"' in page
    office.complete(pid, "handover", HANDOVER)
    assert project(as_user, pid)["data"]["title_certificate_deadline"] == "2027-12-30"


def test_a_form_whose_date_bound_is_not_a_date_is_reported():
    from service.forms import form_problems
    form = {"key": "f", "fields": [{"name": "day", "type": "date", "label": "d", "min": "soon"}]}
    assert form_problems(form) == ["field 'day': min must be a date (YYYY-MM-DD)"]
    form["fields"][0]["min"] = "2020-01-01"
    assert form_problems(form) == []


def test_a_project_name_must_be_one_line(as_user, client, web_login):
    from conftest import csrf_from
    office = as_user("jingkou_office")
    before = office.get("/api/v1/projects").json
    response = office.post("/api/v1/projects", json={"name": "西津渡\n二期"})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["name"] == ["The name must be a single line."]
    web_login("jingkou_office")
    page = client.get("/desk/projects/new")
    refused = client.post("/desk/projects/new", data={"name": "西津渡\r\n二期",
                                                      "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422 and "一行" in refused.text
    assert office.get("/api/v1/projects").json == before
