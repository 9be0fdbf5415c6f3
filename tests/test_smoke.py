def test_token_and_project_start(as_user):
    office = as_user("jingkou_office")
    response = office.post("/api/v1/projects", json={"name": "西津渡棚改"})
    assert response.status_code == 201
    assert [t["step"] for t in response.json["current_steps"]] == ["submit_plan"]
