"""Values are taken as meant or refused, never cut to fit: whole numbers, blank names."""
from io import BytesIO

from flows import STEP_DATA, project


def start(as_user, name="形状项目"):
    return as_user("jingkou_office").post("/api/v1/projects", json={"name": name})


def test_a_whole_number_field_refuses_a_fraction_instead_of_cutting_it(as_user):
    project_id = start(as_user).json["id"]
    office = as_user("jingkou_office")
    plan = dict(STEP_DATA["submit_plan"][1], households=10.5)
    response = office.complete(project_id, "submit_plan", plan, expect=422)
    assert response["errors"] == {"households": ["应为整数。"]}
    assert [e["action"] for e in project(as_user, project_id)["history"]] == ["start"]

    # The same number written as 10.0 or as text is the number meant.
    done = office.complete(project_id, "submit_plan",
                           dict(STEP_DATA["submit_plan"][1], households=10.0,
                                in_kind_households="6"))
    assert [t["step"] for t in done["next_steps"]] == ["city_review"]
    [event] = [e for e in project(as_user, project_id)["history"] if e["action"] == "complete"]
    assert (event["detail"]["data"]["households"],
            event["detail"]["data"]["in_kind_households"]) == (10, 6)


def test_a_project_name_of_spaces_is_refused_and_names_are_trimmed(as_user):
    blank = start(as_user, "   ")
    assert blank.status_code == 422
    assert blank.json["errors"] == {"json": {"name": ["The name must not be blank."]}}
    listed = as_user("jingkou_office").get("/api/v1/projects").json
    assert listed == []

    created = start(as_user, "  西津渡二期 ")
    assert created.status_code == 201 and created.json["name"] == "西津渡二期"


def test_a_list_field_names_the_wrong_item_in_words(as_user):
    project_id = start(as_user).json["id"]
    as_user("jingkou_office").complete(project_id, "submit_plan", STEP_DATA["submit_plan"][1])
    review = dict(STEP_DATA["city_review"][1], departments=["housing", "army"])
    response = as_user("city_review").complete(project_id, "city_review", review, expect=422)
    assert response["errors"] == {"departments": ["第 2 项：不是有效的选项。"]}


def test_whole_numbers_and_amounts_stay_within_what_clients_read_exactly(as_user):
    project_id = start(as_user).json["id"]
    huge = 10 ** 30
    plan = dict(STEP_DATA["submit_plan"][1], households=huge, in_kind_households=huge,
                monetary_households=0)
    response = as_user("jingkou_office").complete(project_id, "submit_plan", plan, expect=422)
    assert response["errors"] == {"households": ["数值过大。"], "in_kind_households": ["数值过大。"]}

    as_user("jingkou_office").complete(project_id, "submit_plan", STEP_DATA["submit_plan"][1])
    as_user("city_review").complete(project_id, "city_review", STEP_DATA["city_review"][1])
    plan = dict(STEP_DATA["file_compensation_plan"][1], compensation_budget=2 ** 60)
    response = as_user("jingkou_office").complete(project_id, "file_compensation_plan", plan,
                                                  expect=422)
    assert response["errors"] == {"compensation_budget": ["数值过大。"]}


def test_a_one_line_field_refuses_a_line_break(as_user):
    project_id = start(as_user).json["id"]
    plan = dict(STEP_DATA["submit_plan"][1], name="西津渡\n棚改")
    response = as_user("jingkou_office").complete(project_id, "submit_plan", plan, expect=422)
    assert response["errors"] == {"name": ["应为一行文字，不能换行。"]}
    # A textarea keeps its line breaks.
    done = as_user("jingkou_office").complete(
        project_id, "submit_plan", dict(STEP_DATA["submit_plan"][1], survey_summary="一\n二"))
    assert [t["step"] for t in done["next_steps"]] == ["city_review"]


def test_a_body_too_large_is_not_called_a_file(app, as_user):
    project_id = start(as_user).json["id"]
    office = as_user("jingkou_office")
    task = office.task_for(project_id, "submit_plan")
    app.config["MAX_CONTENT_LENGTH"] = 4096
    plan = dict(STEP_DATA["submit_plan"][1], survey_summary="调" * 3000)
    response = office.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": plan})
    assert response.status_code == 413
    assert response.json["message"] == "the request body is too large"
    assert list(response.json["errors"]) == ["json"]


def test_an_amount_below_its_minimum_is_told_in_yuan(as_user):
    project_id = start(as_user).json["id"]
    as_user("jingkou_office").complete(project_id, "submit_plan", STEP_DATA["submit_plan"][1])
    as_user("city_review").complete(project_id, "city_review", STEP_DATA["city_review"][1])
    plan = dict(STEP_DATA["file_compensation_plan"][1], compensation_budget="0.00")
    response = as_user("jingkou_office").complete(project_id, "file_compensation_plan", plan,
                                                  expect=422)
    assert response["errors"] == {"compensation_budget": ["不能小于 0.01。"]}  # 1 fen


def test_messages_say_why_a_name_is_refused(as_user):
    project_id = start(as_user).json["id"]
    office = as_user("jingkou_office")
    office.complete(project_id, "submit_plan", STEP_DATA["submit_plan"][1])
    as_user("city_review").complete(project_id, "city_review", STEP_DATA["city_review"][1])
    for step in ("file_compensation_plan", "approve_compensation_plan",
                 "consent_compensation_plan", "check_funds"):
        username, data = STEP_DATA[step]
        caller = as_user("jingkou_finance" if step == "check_funds" else username)
        caller.complete(project_id, step, data)
    for department in ("housing", "finance"):
        as_user(f"dept_{department}").complete(project_id, "joint_signoff", {"decision": "approve"})
    task = office.task_for(project_id, "handover")
    given = dict(STEP_DATA["handover"][1], title_certificate_due="2030-01-01", bogus=1)
    response = office.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": given})
    assert response.json["errors"] == {"title_certificate_due": ["此项由系统计算，不能填写。"],
                                       "bogus": ["未知字段。"]}
    upload = office.post(f"/api/v1/tasks/{task['id']}/attachments",
                         data={"file": (BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf"),
                               "field": "households_handed_over"},
                         content_type="multipart/form-data")
    assert upload.status_code == 422
    assert upload.json["errors"] == {"field": ["该字段不是附件字段，不能上传文件。"]}
