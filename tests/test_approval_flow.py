"""One project through every statutory step, and every return loop, through the HTTP API."""
from flow import (DEPARTMENTS, HANDOVER, PLAN, SIGN, open_steps, project, run_straight,
                  sign_off_all, start)


def test_one_project_through_every_step_with_every_role(as_user):
    pid = start(as_user)
    run_straight(as_user, pid)
    assert open_steps(as_user, pid) == ["joint_signoff"] * 5
    # each department sees only its own sign-off
    for department in DEPARTMENTS:
        queue = as_user(f"dept_{department}").queue(project_id=pid)
        assert [(t["step"], t["department"]) for t in queue] == [("joint_signoff", department)]
    sign_off_all(as_user, pid)
    assert open_steps(as_user, pid) == ["handover"]
    result = as_user("jingkou_office").complete(pid, "handover", HANDOVER)
    assert result["next_steps"] == []
    assert result["project"]["status"] == "completed"

    done = project(as_user, pid)
    assert done["status"] == "completed" and done["completed_at"]
    assert done["process"]["key"] == "statutory_approval" and done["process"]["version"] == 1
    actors = {e["actor"] for e in done["history"] if e["action"] == "complete"}
    assert {"jingkou_office", "city_review", "jingkou_gov", "jingkou_finance",
            *(f"dept_{d}" for d in DEPARTMENTS)} <= actors
    assert done["history"][0]["action"] == "start"
    assert done["history"][-1]["action"] == "finish"
    # money was normalised to integer fen, the plan facts kept
    assert done["data"]["compensation_budget"] == 8_600_000_000
    assert done["data"]["households"] == PLAN["households"]


def test_handover_records_title_certificate_dates_on_the_task(as_user):
    pid = start(as_user)
    run_straight(as_user, pid)
    sign_off_all(as_user, pid)
    as_user("jingkou_office").complete(pid, "handover", HANDOVER)
    done = as_user("jingkou_office").queue(scope="done", project_id=pid)
    handover = next(t for t in done if t["step"] == "handover")
    # the household register's counts at handover are recorded too (none kept here)
    assert handover["facts"] == {"title_certificate_due": "2027-09-30",
                                 "title_certificate_deadline": "2027-12-30",
                                 "register_households": 0, "register_signed": 0,
                                 "register_handed_over": 0, "register_resettled": 0,
                                 "register_certified": 0}


def test_city_return_goes_back_to_submission_with_the_opinion(as_user):
    pid = start(as_user)
    office, city = as_user("jingkou_office"), as_user("city_review")
    office.complete(pid, "submit_plan", PLAN)
    city.complete(pid, "city_review", {"decision": "return", "opinion": "补充房屋质量鉴定"})
    assert open_steps(as_user, pid) == ["submit_plan"]
    task = office.task_for(pid, "submit_plan")
    detail = office.get(f"/api/v1/tasks/{task['id']}").json
    assert detail["previous"]["step"] == "city_review"
    assert detail["previous"]["opinion"] == "补充房屋质量鉴定"
    history = project(as_user, pid)["history"]
    returned = [e for e in history if e["action"] == "return"]
    assert returned and returned[0]["detail"]["to_steps"] == ["submit_plan"]


def test_city_reject_ends_the_project_as_rejected(as_user):
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    as_user("city_review").complete(pid, "city_review",
                                    {"decision": "reject", "opinion": "不具备改造条件"})
    rejected = project(as_user, pid)
    assert rejected["status"] == "rejected" and rejected["current_steps"] == []
    assert [e["action"] for e in rejected["history"]][-2:] == ["complete", "reject"]


def test_district_government_and_city_returns_go_back_to_filing(as_user):
    pid = start(as_user)
    run_straight(as_user, pid, until="approve_compensation_plan")
    as_user("jingkou_gov").complete(pid, "approve_compensation_plan",
                                    {"decision": "return", "opinion": "补偿标准需复核"})
    assert open_steps(as_user, pid) == ["file_compensation_plan"]
    run_straight(as_user, pid, start_at="file_compensation_plan",
                 until="consent_compensation_plan")
    assert open_steps(as_user, pid) == ["consent_compensation_plan"]
    as_user("city_review").complete(pid, "consent_compensation_plan",
                                    {"decision": "return", "opinion": "存量房源未优先使用"})
    assert open_steps(as_user, pid) == ["file_compensation_plan"]


def test_finance_cannot_require_less_than_the_approved_budget(as_user):
    """Lowering the amount required below the approved plan's budget would let a shortfall
    pass the pre-deposit check (前置资金必须足额到位, 001 五)."""
    pid = start(as_user)
    run_straight(as_user, pid, until="check_funds")  # budget 86,000,000.00 yuan
    finance = as_user("jingkou_finance")
    low = {"funds_required": "50000000.00", "funds_deposited": "50000000.00",
           "special_account": "3201-0001"}
    response = finance.complete(pid, "check_funds", low, expect=422)
    [text] = response["errors"]["funds_required"]
    assert "不得少于经批准的补偿安置方案预算" in text
    assert open_steps(as_user, pid) == ["check_funds"]
    finance.complete(pid, "check_funds", dict(low, funds_required="90000000.00",
                                              funds_deposited="90000000.00"))
    assert open_steps(as_user, pid) == ["joint_signoff"] * 5


def test_fund_shortfall_sends_top_up_to_district_until_funds_are_in_place(as_user):
    pid = start(as_user)
    run_straight(as_user, pid, until="check_funds")
    finance, office = as_user("jingkou_finance"), as_user("jingkou_office")
    finance.complete(pid, "check_funds", {"funds_required": 8_600_000_000,
                                          "funds_deposited": 6_000_000_000,
                                          "special_account": "3201-0001"})
    assert open_steps(as_user, pid) == ["top_up_funds"]
    office.complete(pid, "top_up_funds", {"top_up_amount": "26000000", "note": "区财政追加"})
    assert open_steps(as_user, pid) == ["check_funds"]
    task = finance.task_for(pid, "check_funds")
    assert finance.get(f"/api/v1/tasks/{task['id']}").json["values"]["funds_required"] \
        == 8_600_000_000  # prefilled from the compensation budget
    finance.complete(pid, "check_funds", {"funds_required": 8_600_000_000,
                                          "funds_deposited": 8_600_000_000,
                                          "special_account": "3201-0001"})
    assert open_steps(as_user, pid) == ["joint_signoff"] * 5


def test_department_objection_returns_to_district_then_whole_signoff_reruns(as_user):
    pid = start(as_user)
    run_straight(as_user, pid)
    sign_off_all(as_user, pid, objections={"audit": "资金来源说明不足",
                                           "natural_resources": "用地红线需调整"})
    assert open_steps(as_user, pid) == ["revise_after_signoff"]
    office = as_user("jingkou_office")
    task = office.task_for(pid, "revise_after_signoff")
    shown = office.get(f"/api/v1/tasks/{task['id']}").json["shown"]
    objections = {s["department"]: s["opinion"] for s in shown["signoffs"]
                  if s["decision"] == "object"}
    assert objections == {"audit": "资金来源说明不足", "natural_resources": "用地红线需调整"}
    office.complete(pid, "revise_after_signoff", {"revision_note": "已补充资金说明并调整红线"})
    assert open_steps(as_user, pid) == ["joint_signoff"] * 5  # every department again
    sign_off_all(as_user, pid)
    assert open_steps(as_user, pid) == ["handover"]


def test_city_review_can_change_the_signoff_departments(as_user):
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    review = {"necessity_ok": True, "urgency_ok": True, "feasibility_ok": True,
              "decision": "approve", "departments": ["housing", "ecology_environment"]}
    as_user("city_review").complete(pid, "city_review", review)
    run_straight(as_user, pid, start_at="file_compensation_plan")
    tasks = project(as_user, pid)["current_steps"]
    assert sorted(t["department"] for t in tasks) == ["ecology_environment", "housing"]
    assert as_user("dept_audit").queue(project_id=pid) == []
    as_user("dept_housing").complete(pid, "joint_signoff", SIGN)
    as_user("dept_ecology_environment").complete(pid, "joint_signoff", SIGN)
    assert open_steps(as_user, pid) == ["handover"]


def test_due_dates_count_working_days_from_when_the_task_opened(as_user, clock):
    pid = start(as_user)  # Monday 2026-11-23 09:00 in Zhenjiang
    task = as_user("jingkou_office").task_for(pid, "submit_plan")
    assert task["time_limit_days"] == 10
    assert (task["due_date"], task["due_at"]) == ("2026-12-07", "2026-12-07T23:59:59+08:00")
    assert task["created_at"].startswith("2026-11-23T09:00:00")
    clock.advance(days=4, hours=8)  # Friday 2026-11-27 17:00
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    review = as_user("city_review").task_for(pid, "city_review")  # 15 working days
    assert review["due_date"] == "2026-12-18"
