"""Title certificates: three calendar months after allocation (red), six at most (level 2)."""
from helpers_deadlines import SUBMIT_PLAN, at, inbox, start, sweep
from housing_helpers import reserve_housing


def run_to_handover(as_user, project_id, departments=("housing", "finance")):
    office, city = as_user("jingkou_office"), as_user("city_review")
    office.complete(project_id, "submit_plan", SUBMIT_PLAN)
    city.complete(project_id, "city_review", {
        "necessity_ok": True, "urgency_ok": True, "feasibility_ok": True,
        "departments": list(departments), "decision": "approve"})
    reserve_housing(as_user, project_id, 70)
    office.complete(project_id, "file_compensation_plan", {
        "compensation_budget": 100000000, "in_kind_households": 70, "monetary_households": 50,
        "comment_start": "2026-11-01",
        "comment_end": "2026-12-05"})
    as_user("jingkou_gov").complete(project_id, "approve_compensation_plan", {
        "decision": "approve", "approval_doc_no": "京政复〔2026〕12号"})
    city.complete(project_id, "consent_compensation_plan", {"decision": "approve"})
    as_user("jingkou_finance").complete(project_id, "check_funds", {
        "funds_required": 100000000, "funds_deposited": 100000000,
        "special_account": "6222 0000 1234"})
    for department in departments:
        as_user(f"dept_{department}").complete(project_id, "joint_signoff",
                                               {"decision": "approve"})


def test_title_certificate_deadline(as_user, runner, clock):
    project = start(as_user)
    run_to_handover(as_user, project["id"])
    office, city = as_user("jingkou_office"), as_user("city_supervisor")
    result = office.complete(project["id"], "handover", {
        "agreements_signed": 120, "households_handed_over": 118,
        "allocation_date": "2026-11-30", "archive_handed_over": True})
    assert result["project"]["status"] == "completed"
    (certificate,) = office.get("/api/v1/title-certificates").json
    assert (certificate["due_date"], certificate["deadline_date"]) == ("2027-02-28",
                                                                         "2027-05-30")
    at(clock, 2027, 3, 1, 9, 0)  # three months passed: red for the supervisors
    assert sweep(runner) == {"yellow": 1, "red": 1, "level2": 0}
    (item,) = city.get("/api/v1/escalations").json
    assert (item["kind"], item["level"], item["step"]) == ("title_certificate", "red",
                                                           "title_certificate")
    assert len(inbox(city, "red")) == 1 and "权证办理" in inbox(city, "red")[0]["subject"]
    at(clock, 2027, 5, 31, 9, 0)  # six months: level 2 to the leading-group office
    assert sweep(runner)["level2"] == 1
    assert len(inbox(as_user("leading_group_office"), "level2")) == 1
    response = office.post(f"/api/v1/title-certificates/{certificate['id']}/done",
                           json={"note": "权证已全部办结"})
    assert response.status_code == 200 and response.json["done_late"] is True
    assert city.get("/api/v1/escalations").json == []
    assert office.get("/api/v1/title-certificates").json == []
    assert office.post(f"/api/v1/title-certificates/{certificate['id']}/done",
                       json={}).status_code == 409
