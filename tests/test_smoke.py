import pytest


@pytest.mark.parametrize("name", ["西津渡棚改", "大西路棚改"])
def test_token_and_project_start(as_user, name):
    office = as_user("jingkou_office")
    response = office.post("/api/v1/projects", json={"name": name})
    assert response.status_code == 201
    assert [t["step"] for t in response.json["current_steps"]] == ["submit_plan"]
