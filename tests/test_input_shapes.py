"""Values are taken as meant or refused, never cut to fit: whole numbers, blank names."""
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
