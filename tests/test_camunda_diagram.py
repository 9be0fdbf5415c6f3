"""A diagram drawn in Camunda Modeler 5 for Camunda 7 deploys, and projects run on it."""
import json

from flows import DATA, definitions, upload

# The drawing's process id is renamed: `household_resettlement` is the service's own household
# process (workflows/household_resettlement.bpmn, issue 16), deployed with every database.
KEY = "overdue_household_registration"
CAMUNDA = (DATA / "camunda_household_resettlement.bpmn").read_text(encoding="utf-8").replace(
    "household_resettlement", KEY)
FORMS = json.loads((DATA / "household_forms.json").read_text(encoding="utf-8"))


def test_camunda_modeler_diagram_deploys_and_runs(as_user, clock):
    policy = as_user("policy")
    response = upload(policy, CAMUNDA, FORMS, note="逾期未安置户登记")
    assert response.status_code == 201, response.json
    deployed = response.json
    assert (deployed["key"], deployed["version"]) == (KEY, 1)
    assert deployed["forms_used"] == ["register_household", "review_household"]
    tasks = {t["id"]: t for t in deployed["user_tasks"]}
    # camunda:formKey -> form, camunda:candidateGroups -> role, camunda:dueDate -> time limit
    assert (tasks["Activity_register"]["form"], tasks["Activity_register"]["role"],
            tasks["Activity_register"]["time_limit_days"]) == (
        "register_household", "district_office", 5)
    assert (tasks["Activity_review"]["role"], tasks["Activity_review"]["time_limit_days"]) == (
        "city_review", 5)  # P1W is five working days

    office = as_user("jingkou_office")
    started = office.post("/api/v1/projects", json={"name": "张某户", "process": KEY})
    assert started.status_code == 201, started.json
    project = started.json
    assert project["process"]["key"] == KEY
    [task] = project["current_steps"]
    assert (task["step"], task["role"], task["form"]) == (
        "Activity_register", "district_office", "register_household")
    assert task["due_date"] == "2026-11-30"  # Mon 23 Nov + 5 working days

    office.complete(project["id"], "Activity_register",
                    {"household_name": "张三", "months_overdue": 7})
    # ${decision == 'return'} routes back to the district office
    as_user("city_review").complete(project["id"], "Activity_review",
                                    {"decision": "return", "opinion": "补充材料"})
    office.complete(project["id"], "Activity_register",
                    {"household_name": "张三", "months_overdue": 8})
    result = as_user("city_review").complete(project["id"], "Activity_review",
                                             {"decision": "approve"})
    assert result["project"]["status"] == "completed"
    assert result["next_steps"] == []

    # the statutory process is still the default for new projects
    other = office.post("/api/v1/projects", json={"name": "默认流程项目"})
    assert other.json["process"]["key"] == "statutory_approval"


def test_juel_that_the_safe_evaluator_cannot_read_is_refused(as_user):
    xml = CAMUNDA.replace("${decision == 'return'}",
                          "${decision == 'return' &amp;&amp; !empty opinion}")
    response = upload(as_user("policy"), xml, FORMS, lang="en")
    assert response.status_code == 422
    [problem] = response.json["errors"]["file"]
    assert problem["element"] == "Flow_0return"
    assert problem["code"] == "juel"
    assert "JUEL" in problem["message"]
    assert definitions(as_user("policy"), KEY) == []


def test_a_due_date_that_is_not_a_duration_is_refused(as_user):
    xml = CAMUNDA.replace('camunda:dueDate="P5D"', 'camunda:dueDate="${dateTime().plusDays(5)}"')
    response = upload(as_user("policy"), xml, FORMS, lang="en")
    assert response.status_code == 422
    [problem] = response.json["errors"]["file"]
    assert (problem["element"], problem["code"]) == ("Activity_register", "bad_time_limit")
