"""Search: the project list and the queue find projects by name, document number (批复文号),
district, step and status; the queue's project box is typed into, not a list of every name."""
from flow import run_straight, start

DOC_NO = "京政复〔2026〕18号"


def _names(page):
    return [chunk.split("</a>")[0].split(">")[-1]
            for chunk in page.split('<tr data-project="')[1:]]


def test_project_list_search(as_user, client, web_login):
    first = start(as_user, name="西津渡棚户区改造")
    run_straight(as_user, first, until="consent_compensation_plan")  # the district's 文号 given
    start(as_user, name="南山片区征收")
    start(as_user, name="润州老城改造", office="runzhou_office")
    web_login("city_review")
    assert _names(client.get("/desk/projects", query_string={"q": "南山"}).text) == ["南山片区征收"]
    assert _names(client.get("/desk/projects", query_string={"q": DOC_NO}).text) == \
        ["西津渡棚户区改造"]
    assert _names(client.get("/desk/projects", query_string={"q": "2026〕18"}).text) == \
        ["西津渡棚户区改造"]
    at_consent = client.get("/desk/projects", query_string={"step": "consent_compensation_plan"})
    assert _names(at_consent.text) == ["西津渡棚户区改造"]
    assert sorted(_names(client.get("/desk/projects", query_string={
        "step": "submit_plan", "district": "jingkou"}).text)) == ["南山片区征收"]
    assert _names(client.get("/desk/projects", query_string={"q": "改造",
                                                             "district": "runzhou"}).text) \
        == ["润州老城改造"]
    assert _names(client.get("/desk/projects", query_string={"q": "%"}).text) == []
    assert _names(client.get("/desk/projects", query_string={"q": "改造", "status": "completed"}
                             ).text) == []
    # a district office finds only its own district's projects
    web_login("runzhou_office")
    assert _names(client.get("/desk/projects", query_string={"q": "改造"}).text) == ["润州老城改造"]


def test_queue_search_by_project_text(as_user, client, web_login):
    for name in ("西津渡棚户区改造", "南山片区征收", "金山路片区"):
        start(as_user, name=name)
    web_login("jingkou_office")
    page = client.get("/desk/queue").text
    assert '<select name="project">' not in page and 'name="q"' in page
    found = client.get("/desk/queue", query_string={"q": "片区"}).text
    rows = [c.split("</a>")[0].split(">")[-1] for c in found.split('<tr class="')[1:]]
    assert sorted(rows) == ["南山片区征收", "金山路片区"]
    assert "项目申报" in found and "Submit project plan" not in found
