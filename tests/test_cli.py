"""The flask commands officials' IT department uses."""
from pathlib import Path

BPMN = Path(__file__).parent.parent / "workflows" / "statutory_approval.bpmn"


def test_deploy_makes_a_new_version_only_when_the_file_changed(runner, tmp_path, as_user):
    unchanged = runner.invoke(args=["deploy", str(BPMN)])
    assert unchanged.exit_code == 0 and "unchanged" in unchanged.output
    old_project = as_user("jingkou_office").post("/api/v1/projects", json={"name": "旧"}).json
    changed = tmp_path / "statutory_approval.bpmn"
    changed.write_text(BPMN.read_text().replace(
        '<camunda:property name="time_limit_days" value="15" />',
        '<camunda:property name="time_limit_days" value="12" />', 1))
    result = runner.invoke(args=["deploy", str(changed), "--note", "市级审核时限调整为12个工作日"])
    assert result.exit_code == 0 and "version 2" in result.output, result.output
    listing = runner.invoke(args=["definitions", "list"]).output
    assert "v2" in listing and "v1" in listing and "12个工作日" in listing
    new_project = as_user("jingkou_office").post("/api/v1/projects", json={"name": "新"}).json
    assert new_project["process"]["version"] == 2
    again = as_user("city_supervisor").get(f"/api/v1/projects/{old_project['id']}").json
    assert again["process"]["version"] == 1  # running projects stay on their version


def test_deploy_refuses_unsafe_or_broken_files(runner, tmp_path):
    bad = tmp_path / "bad.bpmn"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    result = runner.invoke(args=["deploy", str(bad)])
    assert result.exit_code != 0 and "DOCTYPE" in result.output
    missing_form = tmp_path / "missing.bpmn"
    missing_form.write_text(BPMN.read_text().replace('camunda:formKey="handover"',
                                                     'camunda:formKey="no_such_form"'))
    result = runner.invoke(args=["deploy", str(missing_form)])
    assert result.exit_code != 0 and "handover" in result.output and "no_such_form" in result.output
    assert "v2" not in runner.invoke(args=["definitions", "list"]).output


def test_users_add_and_list(runner):
    result = runner.invoke(args=["users", "add", "--username", "xinqu_office2", "--password",
                                 "long-enough-1", "--role", "district_office"])
    assert result.exit_code != 0 and "district" in result.output  # district role needs one
    result = runner.invoke(args=["users", "add", "--username", "xinqu_office2", "--password",
                                 "long-enough-1", "--role", "district_office",
                                 "--district", "xinqu"])
    assert result.exit_code == 0
    result = runner.invoke(args=["users", "add", "--username", "dept_x", "--password",
                                 "long-enough-1", "--role", "joint_review",
                                 "--department", "no_such_department"])
    assert result.exit_code != 0 and "department" in result.output
    listing = runner.invoke(args=["users", "list"]).output
    assert "xinqu_office2" in listing and "dept_x" not in listing


def test_seed_demo_prints_the_demo_users_and_is_repeatable(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "0 users created" in result.output and "jingkou_office" in result.output
    assert "demo-pass-2026" in result.output
