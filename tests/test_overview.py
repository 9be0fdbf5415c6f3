"""The leaders' overview (项目总览): who sees it, what each figure counts, and that each figure
leads to the list behind it."""
import re

from flow import FUNDS_OK, run_straight, start
from helpers_deadlines import at


def test_overview_figures_lead_to_their_lists(as_user, client, web_login, clock):
    first = start(as_user, name="西津渡棚户区改造")
    run_straight(as_user, first)  # through the fund check: at the joint sign-off
    start(as_user, name="南山片区征收")
    start(as_user, name="润州老城改造", office="runzhou_office")
    at(clock, 2026, 12, 8, 9, 0)  # the two plans still at submission are overdue
    web_login("city_supervisor")
    page = client.get("/desk/overview/")
    assert page.status_code == 200
    text = page.text
    assert "各区项目所处阶段" in text and "按项目计" in text and "按环节计" in text
    jingkou = text[text.index('<tr data-district="jingkou">'):]
    jingkou = jingkou[:jingkou.index("</tr>")]
    link = re.search(r'data-step="joint_signoff" href="([^"]+)">1<', jingkou).group(1)
    drilled = client.get(link.replace("&amp;", "&")).text
    assert "西津渡棚户区改造" in drilled and "南山片区征收" not in drilled
    link = re.search(r'data-step="submit_plan" href="([^"]+)">1<', jingkou).group(1)
    assert "南山片区征收" in client.get(link.replace("&amp;", "&")).text
    # lateness counts steps (projects in brackets) and leads to the projects concerned
    late = text[text.index('id="lateness"'):text.index('id="funds"')]
    overdue = re.search(r'data-due="overdue" href="([^"]+)">(\d+) \((\d+)\)<', late)
    # 京口区 first: the five sign-offs of one project and the other's submission
    assert overdue.group(2, 3) == ("6", "2")
    listed = client.get(overdue.group(1).replace("&amp;", "&")).text
    assert "南山片区征收" in listed and "西津渡棚户区改造" in listed and "有超期环节" in listed
    assert "润州老城改造" not in listed
    funds = text[text.index('id="funds"'):text.index('id="households"')]
    assert "需求 86,000,000.00" in funds and "到位 86,000,000.00" in funds
    assert "1 个项目" in funds and FUNDS_OK["funds_required"]


def test_overview_is_for_leaders_and_scoped_to_the_district(as_user, client, web_login):
    start(as_user)
    start(as_user, name="润州老城改造", office="runzhou_office")
    web_login("jingkou_office")
    assert client.get("/desk/overview/").status_code == 403
    assert "项目总览" not in client.get("/desk/queue").text
    web_login("jingkou_supervisor")
    page = client.get("/desk/overview/").text
    assert 'data-district="jingkou"' in page and 'data-district="runzhou"' not in page
    web_login("city_review")
    page = client.get("/desk/overview/").text
    assert 'data-district="jingkou"' in page and 'data-district="runzhou"' in page
    assert "项目总览" in page
