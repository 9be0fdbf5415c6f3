"""The supervisors' desk pages, the inbox page with its header badge, the calendar page."""
import re

from conftest import csrf_from
from helpers_deadlines import at, start, sweep


def _card_id(html):
    match = re.search(r'data-escalation="(\d+)"', html)
    assert match, "no escalation card on the page"
    return match.group(1)


def test_escalation_cards_urge_and_close_off(as_user, client, web_login, runner, clock):
    start(as_user)
    at(clock, 2026, 12, 8, 9, 0)
    sweep(runner)
    web_login("city_supervisor")
    page = client.get("/supervision/")
    assert page.status_code == 200
    assert "西津渡棚改" in page.text and "超期" in page.text and "督办台账" in page.text
    card = _card_id(page.text)
    token = csrf_from(page.text)
    assert client.post(f"/supervision/{card}/urge", data={"note": "x"}).status_code == 400
    response = client.post(f"/supervision/{card}/urge",
                           data={"note": "请尽快报送", "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/supervision/")
    assert "已催办 1 次" in page.text and "已逾期 1 个工作日" in page.text
    response = client.post(f"/supervision/{card}/close", data={"note": "",
                                                               "csrf_token": token},
                           follow_redirects=True)
    assert "note" in response.text  # the missing note is named, nothing changes
    assert _card_id(client.get("/supervision/").text) == card
    client.post(f"/supervision/{card}/close", data={"note": "已约谈", "csrf_token": token})
    assert "西津渡棚改" not in client.get("/supervision/").text
    closed = client.get("/supervision/?status=closed")
    assert "已约谈" in closed.text
    export = client.get("/supervision/export/ledger?format=csv")
    assert export.status_code == 200 and "已约谈" in export.data.decode("utf-8-sig")
    assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/supervision/?level=purple").status_code == 200  # flashed, not a crash


def test_badge_and_inbox_page(as_user, client, web_login, runner, clock):
    start(as_user)
    at(clock, 2026, 12, 8, 9, 0)
    sweep(runner)
    web_login("jingkou_office")
    page = client.get("/desk/queue")
    # the new task's notice and the red escalation; the queue holds the one open step
    assert re.search(r'data-badge="inbox" href="/desk/inbox">消息 <span class="badge">2</span>',
                     page.text), page.text[:2000]
    assert re.search(r'data-badge="queue" href="/desk/queue">待办 <span class="badge">1</span>',
                     page.text)
    inbox = client.get("/desk/inbox")
    assert "超期督办" in inbox.text and "【待办】西津渡棚改：项目申报" in inbox.text
    client.post("/desk/inbox/read-all", data={"csrf_token": csrf_from(inbox.text)})
    assert '<span class="badge">0</span>' in client.get("/desk/queue").text
    assert client.get("/supervision/").status_code == 403


def test_statistics_reports_forecast_pages(as_user, client, web_login, runner, clock):
    start(as_user)
    at(clock, 2026, 12, 4, 9, 0)
    web_login("jingkou_supervisor")
    stats = client.get("/supervision/statistics")
    assert stats.status_code == 200 and "京口区" in stats.text and "按期办结率" in stats.text
    assert "区征收办" in client.get("/supervision/statistics?by=department").text
    forecast = client.get("/supervision/forecast?at=2026-12-31T09:00")
    assert "二级督办 1 项" in forecast.text
    assert client.get("/supervision/reports").status_code == 200
    client.get("/lang/en")
    assert "Monthly reports" in client.get("/supervision/reports").text


def test_calendar_page_for_admins(as_user, client, web_login, clock):
    start(as_user)  # due 2026-12-07
    web_login("admin")
    page = client.get("/admin/calendar/")
    assert page.status_code == 200 and "工作日历调整" in page.text
    response = client.post("/admin/calendar/set", data={
        "day": "2026-12-01", "kind": "holiday", "note": "演练", "csrf_token": csrf_from(page.text)},
        follow_redirects=True)
    assert "1 项在办事项的期限已重新计算" in response.text and "演练" in response.text
    assert as_user("jingkou_office").queue()[0]["due_date"] == "2026-12-08"
    response = client.post("/admin/calendar/set", data={
        "day": "someday", "kind": "holiday", "csrf_token": csrf_from(page.text)},
        follow_redirects=True)
    assert "day" in response.text
    response = client.post("/admin/calendar/clear", data={
        "day": "2026-12-01", "csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert as_user("jingkou_office").queue()[0]["due_date"] == "2026-12-07"
    client.post("/logout", data={"csrf_token": csrf_from(response.text)})
    web_login("city_supervisor")
    assert client.get("/admin/calendar/").status_code == 403



def test_card_actions_never_redirect_off_site(as_user, client, web_login, runner, clock):
    start(as_user)
    at(clock, 2026, 12, 8, 9, 0)
    sweep(runner)
    web_login("city_supervisor")
    page = client.get("/supervision/")
    card, token = _card_id(page.text), csrf_from(page.text)
    for back in ("https://example.com/phish", "//example.com/phish", "/supervision/?level=red"):
        response = client.post(f"/supervision/{card}/urge",
                               data={"csrf_token": token, "note": "请尽快办理", "back": back})
        assert response.status_code == 302
        location = response.headers["Location"]
        assert "example.com" not in location
    assert location.endswith("/supervision/?level=red")  # a same-site path is kept
