"""Requests a fuzzer found answered with 500: each now gets a 4xx with a message, for every
role, and changes nothing."""
import pytest

from flows import STATUTORY, upload

# One official of every role (district roles from one district, the city roles, a department).
ROLES = ["jingkou_office", "jingkou_gov", "jingkou_finance", "jingkou_supervisor",
         "city_review", "city_finance", "city_supervisor", "leading_group_office", "policy",
         "admin", "dept_housing"]
SUPERVISORS = {"jingkou_supervisor", "city_supervisor", "leading_group_office"}
TOO_BIG = str(2 ** 64)  # 18446744073709551616


@pytest.mark.parametrize("path", ["export", "ledger"])
@pytest.mark.parametrize("kind", ["step", "title_certificate"])
@pytest.mark.parametrize("username", ROLES)
def test_escalation_downloads_filter_by_kind_for_every_role(as_user, username, path, kind):
    response = as_user(username).get(f"/api/v1/escalations/{path}",
                                     query_string={"format": "csv", "kind": kind})
    assert response.status_code < 500, response.data[:300]
    if response.status_code == 200:
        assert response.mimetype == "text/csv"
        assert response.data.decode("utf-8-sig").splitlines()[0]  # the header row
    else:
        assert response.status_code == 403, response.json


def test_the_city_supervisor_downloads_the_ledger_of_one_kind(as_user):
    response = as_user("city_supervisor").get(
        "/api/v1/escalations/ledger", query_string={"format": "csv", "kind": "step"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="ledger.csv"'


@pytest.mark.parametrize("username", ["policy", "admin", "city_review", "jingkou_office"])
def test_an_id_beyond_64_bits_in_the_query_string_is_refused(as_user, username):
    response = as_user(username).get(
        f"/api/v1/process-definitions/1/diff?against={TOO_BIG}")
    assert response.status_code in (403, 422), response.json
    if response.status_code == 422:
        assert "against" in response.json["errors"]["query"]


def test_the_policy_office_sees_which_field_is_out_of_range(as_user):
    policy = as_user("policy")
    [version] = policy.get("/api/v1/process-definitions",
                           query_string={"key": "statutory_approval"}).json
    response = policy.get(f"/api/v1/process-definitions/{version['id']}/diff",
                          query_string={"against": TOO_BIG})
    assert response.status_code == 422
    assert response.json["errors"]["query"]["against"]
    response = policy.get(f"/api/v1/process-definitions/{version['id']}/diff",
                          query_string={"against": "-1"})
    assert response.status_code == 422


def test_a_page_number_beyond_64_bits_is_not_a_server_error(as_user):
    response = as_user("city_supervisor").get(
        "/api/v1/escalations", query_string={"page": TOO_BIG})
    assert response.status_code in (200, 422), response.json
    if response.status_code == 200:
        assert response.json == []  # no page that far


@pytest.mark.parametrize("username", ["jingkou_office", "policy", "city_supervisor"])
def test_a_json_integer_of_more_than_4300_digits_is_refused(as_user, username):
    caller = as_user(username)
    before = caller.get("/api/v1/projects").json
    response = caller.post("/api/v1/projects", data='{"name": "大数", "households": '
                           + "9" * 5000 + "}", content_type="application/json")
    assert response.status_code == 422, response.data[:300]
    assert response.json["errors"]["json"] == [
        "JSON 中的整数位数过多（最多 4300 位）。"]
    assert caller.get("/api/v1/projects").json == before


def test_a_long_number_inside_text_is_still_text(as_user):
    response = as_user("jingkou_office").post(
        "/api/v1/projects", json={"name": "项目" + "9" * 4400})
    assert response.status_code == 422  # too long a name, said about the name field
    assert "name" in response.json["errors"]["json"]


@pytest.mark.parametrize("at", ["1366-01-01T00:00", "0001-01-01T00:00", "9999-12-31T23:59",
                                "1900-01-01T00:00+08:00"])
def test_a_preview_moment_outside_sensible_years_is_refused(as_user, at):
    response = as_user("city_supervisor").get("/api/v1/escalations/preview",
                                              query_string={"at": at})
    assert response.status_code == 422, response.json
    assert "1970" in response.json["errors"]["query"]["at"][0]


def test_a_preview_in_range_keeps_its_date_time_offset(as_user):
    response = as_user("city_supervisor").get("/api/v1/escalations/preview",
                                              query_string={"at": "2030-01-01T09:00"})
    assert response.status_code == 200, response.json
    assert response.json["at"].endswith("+08:00")


def test_a_calendar_range_over_ten_thousand_years_is_refused(as_user):
    response = as_user("admin").get("/api/v1/calendar/days",
                                    query_string={"from": "0001-01-01", "to": "9999-12-31"})
    assert response.status_code == 422, response.json


def test_upload_of_a_diagram_with_a_huge_number_in_a_condition_is_not_a_server_error(as_user):
    xml = STATUTORY.replace("decision == 'reject'", "decision == " + "9" * 3000)
    response = upload(as_user("policy"), xml)
    assert response.status_code in (201, 422), response.json


@pytest.mark.parametrize("kind", ["step", "title_certificate"])
def test_the_supervision_page_and_its_downloads_filter_by_kind(client, web_login, kind):
    web_login("city_supervisor")
    page = client.get("/supervision/", query_string={"kind": kind, "format": "csv"})
    assert page.status_code == 200
    for table in ("list", "ledger"):
        link = f"/supervision/export/{table}?format=csv"
        assert link in page.text.replace("&amp;", "&")
        download = client.get(f"/supervision/export/{table}",
                              query_string={"format": "csv", "kind": kind})
        assert download.status_code == 200 and download.mimetype == "text/csv"
