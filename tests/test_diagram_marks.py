"""The project page's diagram shows the way the project went: the flows, gateways and events
between its steps, each decision's branch, and returns apart."""
import html
import json
import re

from flow import DEPARTMENTS, HANDOVER, SIGN, run_straight, start


def marks(client, web_login, project_id):
    web_login("city_supervisor")
    page = client.get(f"/desk/projects/{project_id}")
    assert page.status_code == 200
    found = re.search(r'<script type="application/json" id="diagram-data">(.*?)</script>',
                      page.text, re.S)
    return json.loads(html.unescape(found.group(1)))["marks"]


def test_the_branch_each_decision_took_is_marked(client, as_user, web_login):
    project_id = start(as_user)
    run_straight(as_user, project_id, until="check_funds")
    as_user("jingkou_finance").complete(project_id, "check_funds", {
        "funds_required": "86000000.00", "funds_deposited": "10000000.00",
        "special_account": "3201-0001"})
    shown = marks(client, web_login, project_id)
    assert {"start", "gw_city_review", "flow_city_approve", "gw_funds",
            "flow_funds_shortfall"} <= set(shown["taken"])
    assert "flow_funds_sufficient" not in shown["taken"]
    assert shown["current"] == ["top_up_funds"]
    assert not {"end_completed", "end_rejected"} & set(shown["taken"])


def test_a_finished_project_shows_the_way_to_its_end(client, as_user, web_login):
    project_id = start(as_user)
    as_user("jingkou_office").complete(project_id, "submit_plan", {
        "name": "西津渡棚户区改造", "households": 10, "in_kind_households": 6,
        "monetary_households": 4, "survey_summary": "调查完成"})
    as_user("city_review").complete(project_id, "city_review", {
        "decision": "return", "opinion": "补充材料", "necessity_ok": True,
        "urgency_ok": True, "feasibility_ok": True})
    run_straight(as_user, project_id)
    for department in DEPARTMENTS:
        as_user(f"dept_{department}").complete(project_id, "joint_signoff", SIGN)
    as_user("jingkou_office").complete(project_id, "handover", HANDOVER)
    shown = marks(client, web_login, project_id)
    assert {"flow_funds_sufficient", "flow_signoff_all_approve", "flow_handover_to_end",
            "end_completed"} <= set(shown["taken"])
    assert "flow_city_return" in shown["returned"]
    assert not set(shown["returned"]) & set(shown["taken"])
    assert "end_rejected" not in shown["taken"] and shown["current"] == []
