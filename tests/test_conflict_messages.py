"""A 409 says what the conflict is."""
from flow import PLAN, start


def test_each_refused_claim_move_says_why(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(project_id, "submit_plan")
    unclaimed = office.post(f"/api/v1/tasks/{task['id']}/unclaim")
    assert unclaimed.status_code == 409
    assert unclaimed.json["message"] == "this task is not claimed: it is already in the queue"

    office.complete(project_id, "submit_plan", PLAN)
    released = as_user("city_supervisor").post(f"/api/v1/tasks/{task['id']}/release",
                                               json={"reason": "休假"})
    assert released.status_code == 409
    assert released.json["message"] == "this task is no longer open"

    review = as_user("city_review").task_for(project_id, "city_review")
    released = as_user("city_supervisor").post(f"/api/v1/tasks/{review['id']}/release",
                                               json={"reason": "休假"})
    assert (released.status_code, released.json["message"]) == (
        409, "this task is not claimed by anyone")
