"""A joint-review department sees the projects it has been asked to sign off, and no others:
not their data, history, attachments or archive (DOMAIN: department officials see only their
department's sign-offs)."""
from io import BytesIO

from flow import run_straight, start

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def reachable(caller, project_id, attachment_id):
    return {"list": [p["id"] for p in caller.get("/api/v1/projects").json],
            "project": caller.get(f"/api/v1/projects/{project_id}").status_code,
            "attachments": caller.get(f"/api/v1/projects/{project_id}/attachments").status_code,
            "file": caller.get(f"/api/v1/attachments/{attachment_id}").status_code,
            "archive": caller.get(f"/api/v1/projects/{project_id}/archive").status_code}


def test_a_department_sees_only_the_projects_it_signs_off(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(project_id, "submit_plan")
    uploaded = office.post(f"/api/v1/tasks/{task['id']}/attachments",
                           data={"file": (BytesIO(PDF), "台账.pdf"), "field": "survey_ledger"},
                           content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.json
    attachment_id = uploaded.json["id"]
    hidden = {"list": [], "project": 404, "attachments": 404, "file": 404, "archive": 404}

    # Before the sign-off no department has been asked: none sees the project.
    assert reachable(as_user("dept_housing"), project_id, attachment_id) == hidden
    run_straight(as_user, project_id)  # city review names the five default departments
    assert reachable(as_user("dept_housing"), project_id, attachment_id) == {
        "list": [project_id], "project": 200, "attachments": 200, "file": 200, "archive": 200}
    # Urban management was not named for this project.
    assert reachable(as_user("dept_urban_management"), project_id, attachment_id) == hidden
    # City offices still see it.
    assert as_user("city_review").get(f"/api/v1/projects/{project_id}").status_code == 200
