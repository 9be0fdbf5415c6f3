"""The desk pages of the housing pool, overdue resettlement and progress (Chinese by default)."""
from conftest import csrf_from
from flow import start
from test_housing_pool import add_units
from test_overdue_resettlement import STAGES, register, tick


def test_pool_page_shows_the_ledger_and_reserves_ticked_units(as_user, client, web_login):
    office = as_user("jingkou_office")
    project = start(as_user, "一号地块")
    stock = add_units(office, 2, stock=True, estate="老城小区")
    web_login("jingkou_office")
    page = client.get("/housing/")
    assert page.status_code == 200
    assert "安置房源" in page.text and "老城小区" in page.text and "闲置" in page.text
    answer = client.post("/housing/reserve", data={
        "csrf_token": csrf_from(page.text), "project_id": project, "unit_ids": stock[:1]},
        follow_redirects=True)
    assert "已为项目备选所选房源" in answer.text
    assert office.get(f"/api/v1/housing-units/{stock[0]}").json["reserved_project_id"] == project
    # The same unit again, for another project: refused, and said so on the page.
    other = start(as_user, "二号地块")
    again = client.post("/housing/reserve", data={
        "csrf_token": csrf_from(page.text), "project_id": other, "unit_ids": stock[:1]},
        follow_redirects=True)
    assert "老城小区 1-101" in again.text
    assert office.get(f"/api/v1/housing-units/{stock[0]}").json["reserved_project_id"] == project
    assert as_user("runzhou_office").get("/api/v1/housing-units").json == []
    web_login("dept_housing")
    assert client.get("/housing/").status_code == 403


def test_overdue_page_classify_and_close_off(app, as_user, client, web_login, runner):
    project = start(as_user)
    register(app, project, STAGES)
    tick(runner)
    web_login("jingkou_supervisor")
    page = client.get("/housing/overdue")
    assert page.status_code == 200 and "逾期未安置" in page.text and "西津渡棚户区改造" in page.text
    cases = as_user("jingkou_supervisor").get("/api/v1/overdue-cases").json
    token = csrf_from(page.text)
    saved = client.post(f"/housing/overdue/{cases[0]['id']}/classify", data={
        "csrf_token": token, "type": "litigation", "cause": "诉讼中", "plan": "府院联动"},
        follow_redirects=True)
    assert "涉法涉诉" in saved.text and "诉讼中" in saved.text
    closed = client.post(f"/housing/overdue/{cases[0]['id']}/close", data={
        "csrf_token": token, "note": "判决后已回迁"}, follow_redirects=True)
    assert "已销号" in closed.text
    assert len(as_user("jingkou_supervisor").get("/api/v1/overdue-cases").json) == 1
    ledger = client.get("/housing/overdue/ledger.xlsx?status=all")
    assert ledger.status_code == 200 and ledger.data[:2] == b"PK"
    progress = client.get("/housing/progress")
    assert progress.status_code == 200 and "签约率" in progress.text and "80.0%" in progress.text
    project_page = client.get(f"/desk/projects/{project}")
    assert "安置进度" in project_page.text and "80.0%" in project_page.text


def test_monthly_reports_page_shows_the_register_rates(app, as_user, client, web_login, runner,
                                                      clock):
    from helpers_deadlines import at
    project = start(as_user)
    register(app, project, STAGES)
    at(clock, 2026, 12, 25, 9, 0)
    tick(runner)
    web_login("city_supervisor")
    page = client.get("/supervision/reports")
    assert page.status_code == 200
    assert "签约率 80.0%" in page.text and "办证率 25.0%" in page.text
