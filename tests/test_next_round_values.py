"""What a step starts with when it comes round again after a return: the project's data, not
the last round's decision or opinion (a client sending the values back would repeat them)."""
from flow import DEPARTMENTS, PLAN, project, run_straight, sign_off_all, start


def values(caller, project_id, step):
    task = caller.task_for(project_id, step)
    return caller.get(f"/api/v1/tasks/{task['id']}").json["values"]


def test_a_return_keeps_the_departments_and_the_next_review_starts_afresh(as_user):
    project_id = start(as_user)
    office, city = as_user("jingkou_office"), as_user("city_review")
    office.complete(project_id, "submit_plan", PLAN)
    city.complete(project_id, "city_review", {"decision": "return", "opinion": "请补充台账"})
    assert project(as_user, project_id)["data"]["departments"] == DEPARTMENTS
    office.complete(project_id, "submit_plan", PLAN)

    again = values(city, project_id, "city_review")
    assert again["departments"] == DEPARTMENTS
    assert not again.get("opinion") and not again.get("decision")
    # The last round is still shown, as the previous step.
    task = city.task_for(project_id, "city_review")
    previous = city.get(f"/api/v1/tasks/{task['id']}").json["previous"]
    assert previous["step"] == "submit_plan"
    assert previous["completed_at"].endswith("+08:00")  # as every timestamp of the API


def test_an_objecting_department_does_not_get_its_old_objection_back(as_user):
    project_id = start(as_user)
    run_straight(as_user, project_id)
    sign_off_all(as_user, project_id, objections={"housing": "面积数据有误"})
    as_user("jingkou_office").complete(project_id, "revise_after_signoff",
                                       {"revision_note": "已核实面积数据"})
    again = values(as_user("dept_housing"), project_id, "joint_signoff")
    assert not again.get("opinion") and not again.get("decision")


def test_a_fund_recheck_keeps_the_amounts_but_not_the_opinion(as_user):
    project_id = start(as_user)
    run_straight(as_user, project_id, until="check_funds")
    finance = as_user("jingkou_finance")
    finance.complete(project_id, "check_funds", {
        "funds_required": "86000000.00", "funds_deposited": "85950000.00",
        "special_account": "3201-0001", "opinion": "差5万"})
    as_user("jingkou_office").complete(project_id, "top_up_funds", {"top_up_amount": "50000"})
    again = values(finance, project_id, "check_funds")
    assert again["special_account"] == "3201-0001"
    assert again["funds_required"] == 8_600_000_000  # the budget in fen
    assert not again.get("opinion")
