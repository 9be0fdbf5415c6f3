"""Text the service could not store or show again, and numbers JSON does not have, are refused
with 422 naming the field, and change nothing."""
import pytest

from conftest import csrf_from
from flow import PLAN, open_steps, project, start

BAD_TEXT = {"NUL": "入户\u0000调查", "bell": "入户\u0007调查", "unpaired surrogate": "入户\ud800调查",
            "non-character": "入户\uffff调查"}
REFUSED = "含有无法保存或显示的字符（控制字符或不成对的代理字符），请删除后重试。"


@pytest.mark.parametrize("kind", BAD_TEXT)
def test_a_completion_with_unstorable_text_gets_422_for_that_field_and_changes_nothing(
        as_user, kind):
    pid = start(as_user)
    office = as_user("jingkou_office")
    before = project(as_user, pid)
    task = office.task_for(pid, "submit_plan")
    response = office.post(f"/api/v1/tasks/{task['id']}/complete",
                           json={"data": {**PLAN, "survey_summary": BAD_TEXT[kind]}})
    assert response.status_code == 422
    assert response.json["errors"] == {"json": {"data": {"survey_summary": [REFUSED]}}}
    after = project(as_user, pid)
    assert after["history"] == before["history"] and after["data"] == before["data"]
    assert office.get(f"/api/v1/tasks/{task['id']}").json["status"] == "open"


def test_tabs_line_breaks_and_emoji_are_kept_and_every_page_still_shows(as_user, client,
                                                                        web_login):
    pid = start(as_user)
    text = "第一行\t说明\r\n第二行 🏠"
    as_user("jingkou_office").complete(pid, "submit_plan", {**PLAN, "survey_summary": text})
    assert project(as_user, pid)["data"]["survey_summary"] == text
    web_login("city_review")
    assert client.get(f"/desk/projects/{pid}").status_code == 200
    task = as_user("city_review").task_for(pid, "city_review")
    assert client.get(f"/desk/tasks/{task['id']}").status_code == 200


def test_a_project_name_with_a_nul_is_refused_and_no_project_starts(as_user):
    office = as_user("jingkou_office")
    before = office.get("/api/v1/projects").json
    response = office.client.post("/api/v1/projects", json={"name": "西津渡\u0000"},
                                  headers={**office.headers, "Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["name"][0].startswith("Contains characters")
    assert office.get("/api/v1/projects").json == before


def test_a_draft_with_a_control_character_or_nan_is_refused(as_user):
    pid = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "submit_plan")
    url = f"/api/v1/tasks/{task['id']}/draft"
    response = office.post(url, json={"data": {"survey_summary": "草稿\u001b"}})
    assert response.status_code == 422
    assert response.json["errors"] == {"json": {"data": {"survey_summary": [REFUSED]}}}
    raw = '{"data": {"area_m2": NaN}}'
    response = office.client.post(url, data=raw, headers={
        **office.headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["json"]
    detail = office.get(f"/api/v1/tasks/{task['id']}").json
    assert not detail.get("draft") and detail["claimed_by"] is None
    assert [e["action"] for e in project(as_user, pid)["history"]] == ["start"]


def test_a_number_too_large_for_a_float_gets_a_message_for_its_field(as_user):
    pid = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "submit_plan")
    raw = '{"data": {"name": "x", "households": 120, "in_kind_households": 70, ' \
          '"monetary_households": 50, "survey_summary": "s", "area_m2": 1e400}}'
    response = office.client.post(f"/api/v1/tasks/{task['id']}/complete", data=raw, headers={
        **office.headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json["errors"] == {"area_m2": ["请填写数字，如 12000。"]}
    assert open_steps(as_user, pid) == ["submit_plan"]


def test_the_desk_refuses_a_form_post_with_a_nul_and_starts_nothing(as_user, client,
                                                                    web_login):
    web_login("jingkou_office")
    page = client.get("/desk/projects/new")
    before = as_user("jingkou_office").get("/api/v1/projects").json
    response = client.post("/desk/projects/new", data={
        "name": "西津渡\u0000", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422
    assert "无法保存或显示的字符" in response.text
    assert as_user("jingkou_office").get("/api/v1/projects").json == before


def test_the_form_schema_itself_refuses_unstorable_text():
    from service.forms import FormInvalid, validate_submission
    form = {"key": "f", "fields": [{"name": "note", "type": "textarea", "label": "n"}]}
    assert validate_submission(form, {"note": "a\tb"}) == {"note": "a\tb"}
    with pytest.raises(FormInvalid) as refused:
        validate_submission(form, {"note": "a\u0000b"})
    assert refused.value.errors == {"note": [REFUSED]}


def test_users_add_refuses_a_name_with_undecodable_bytes(runner):
    # A terminal's undecodable bytes reach Python as unpaired surrogates.
    result = runner.invoke(args=["users", "add", "--username", "wang\udcff", "--password",
                                 "long-enough-1", "--role", "city_review"])
    assert result.exit_code != 0
    assert "username: contains control characters or undecodable bytes" in result.output
    listed = runner.invoke(args=["users", "list"]).output
    assert "wang" not in listed
