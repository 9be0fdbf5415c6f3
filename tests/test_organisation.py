"""The organisation managed by an administrator through the pages, the API and the CLI."""
import io

from openpyxl import Workbook
from sqlalchemy import select

from conftest import ApiUser, csrf_from
from flow import start
from service.extensions import db
from service.models import AuditEvent, Department, District, Street, User


def _post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_from(client.get(page).text), **data})


def test_a_new_district_and_street_and_an_official_moved_with_a_held_task(
        app, client, web_login, as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(project_id, "submit_plan")
    assert office.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200

    web_login("admin")
    response = _post(client, "/admin/org/districts", "/admin/org",
                     code="dantu", name_zh="丹徒区", name_en="Dantu District")
    assert response.status_code == 302
    _post(client, "/admin/org/streets", "/admin/org", district="dantu", kind="street",
          code="gaozi", name_zh="高资街道")
    page = client.get("/admin/org").text
    assert "丹徒区" in page and "高资街道" in page
    _post(client, "/admin/org/street/gaozi/rename", "/admin/org", name_zh="高资镇", name_en="")
    assert "高资镇" in client.get("/admin/org").text

    # Moving the official to the new district: the claimed task is shown first ...
    form = dict(role="district_office", district="dantu", street="gaozi", department="",
                display_name="丹徒区征收办", email="")
    preview = _post(client, "/admin/users/jingkou_office", "/admin/users/jingkou_office", **form)
    assert preview.status_code == 200
    assert f'data-task="{task["id"]}"' in preview.text
    with app.app_context():
        assert db.session.scalar(select(User.district).where(
            User.username == "jingkou_office")) == "jingkou"  # nothing changed yet
    # ... and, confirmed, goes back to 京口区's queue, audited.
    done = _post(client, "/admin/users/jingkou_office", "/admin/users/jingkou_office",
                 confirm="1", **form)
    assert done.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "jingkou_office"))
        assert (user.district, user.street) == ("dantu", "gaozi")
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(["district_add", "street_add", "street_rename", "release",
                                   "user_change"])).order_by(AuditEvent.id))]
        assert actions == ["district_add", "street_add", "street_rename", "release",
                           "user_change"]
    # A new colleague in 京口区's office finds the task in the office's queue.
    _post(client, "/admin/users/new", "/admin/users", username="jingkou_new", role="district_office",
          district="京口区", department="", street="", password="Jk-New-Given1")
    # A password an administrator gave is replaced at the first sign-in (issue 18).
    assert client.post("/api/v1/auth/password", json={
        "username": "jingkou_new", "password": "Jk-New-Given1",
        "new_password": "Jk-New-Own-22"}).status_code == 200
    newcomer = ApiUser(client, "jingkou_new", "Jk-New-Own-22")
    assert [t["id"] for t in newcomer.queue(project_id=project_id)] == [task["id"]]
    moved_token = client.post("/api/v1/auth/token", json={
        "username": "jingkou_office", "password": "demo-pass-2026"}).json["token"]
    queue = client.get("/api/v1/tasks", query_string={"scope": "mine"},
                       headers={"Authorization": f"Bearer {moved_token}"}).json
    assert queue == []


def test_an_official_added_disabled_and_given_a_password_through_the_pages(app, client, web_login):
    web_login("admin")
    response = _post(client, "/admin/users/new", "/admin/users", username="zhang_san",
                     display_name="张三", role="district_office", district="runzhou",
                     department="", street="", email="", password="A-long-password")
    assert response.status_code == 302
    assert "张三" in client.get("/admin/users").text
    _post(client, "/admin/users/zhang_san/password", "/admin/users/zhang_san",
          password="Another-password-1")
    _post(client, "/admin/users/zhang_san/disable", "/admin/users/zhang_san", reason="调离")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "zhang_san"))
        assert not user.active and user.check_password("Another-password-1")
    bad = _post(client, "/admin/users/new", "/admin/users", username="li_si", role="joint_review",
                district="", department="", street="", password="a-long-password")
    assert bad.status_code == 302
    assert "li_si" not in client.get("/admin/users").text
    assert "department" in client.get("/admin/users").text  # the flashed field problem


def test_only_administrators_reach_the_organisation_pages(client, web_login):
    assert client.get("/admin/users").status_code == 302  # to the sign-in page
    web_login("jingkou_office")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/org").status_code == 403


def test_officials_imported_from_an_xlsx_sheet_all_or_none(app, client, web_login):
    def sheet(rows):
        book = Workbook()
        for row in [["用户名", "姓名", "角色", "区", "部门", "初始密码"], *rows]:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.seek(0)
        return buffer
    web_login("admin")
    token = csrf_from(client.get("/admin/users").text)
    client.post("/admin/users/import", data={"csrf_token": token, "file": (sheet([
        ["wang", "王五", "区征收办", "京口区", "", "password-123"],
        ["zhao", "赵六", "joint_review", "", "没有这个局", "password-123"]]), "o.xlsx")})
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "wang")) is None
    client.post("/admin/users/import", data={"csrf_token": token, "file": (sheet([
        ["wang", "王五", "区征收办", "京口区", "", "password-123"],
        ["zhao", "赵六", "joint_review", "", "审计局", "password-123"]]), "o.xlsx")})
    with app.app_context():
        rows = {u.username: (u.district, u.department) for u in db.session.scalars(
            select(User).where(User.username.in_(["wang", "zhao"])))}
        assert rows == {"wang": ("jingkou", None), "zhao": (None, "audit")}


def test_commands_take_chinese_names_and_init_db_creates_no_organisation(app, runner, tmp_path):
    result = runner.invoke(args=["users", "add", "--username", "qian", "--password",
                                 "password-123", "--role", "district_office",
                                 "--district", "京口区"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "add", "--username", "sun", "--password",
                                 "password-123", "--role", "district_office",
                                 "--district", "不存在区"])
    assert result.exit_code != 0 and "unknown district" in result.output
    org = tmp_path / "org.json"
    org.write_text('{"districts": [{"code": "dantu", "name_zh": "丹徒区", "streets": ['
                   '{"code": "shangdang", "name_zh": "上党镇", "kind": "town"}]}], '
                   '"departments": [{"code": "civil_affairs", "name_zh": "民政局"}]}',
                   encoding="utf-8")
    result = runner.invoke(args=["org", "load", str(org)])
    assert result.exit_code == 0 and "3 added" in result.output, result.output
    result = runner.invoke(args=["users", "add", "--username", "zhou", "--password",
                                 "password-123", "--role", "joint_review",
                                 "--department", "民政局"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Street, "shangdang").district == "dantu"
    with app.app_context():
        from conftest import reset_database
        from service.cli import init_database
        reset_database()
        init_database(use_migrations=False)
        assert db.session.scalars(select(District)).all() == []
        assert db.session.scalars(select(Department)).all() == []


def test_the_organisation_through_the_api(as_user):
    admin, office = as_user("admin"), as_user("jingkou_office")
    response = admin.post("/api/v1/districts", json={"code": "dantu", "name_zh": "丹徒区"})
    assert response.status_code == 201, response.json
    response = admin.post("/api/v1/districts/dantu/streets",
                          json={"code": "gaozi", "name_zh": "高资街道", "kind": "street"})
    assert response.status_code == 201, response.json
    assert office.post("/api/v1/districts", json={"code": "x", "name_zh": "某区"}).status_code == 403
    bad = admin.post("/api/v1/districts", json={"code": "Bad Code", "name_zh": ""})
    assert bad.status_code == 422 and set(bad.json["errors"]) >= {"code", "name_zh"}
    # A district official sees their own district with its streets; the city sees them all.
    assert [d["code"] for d in office.get("/api/v1/districts").json] == ["jingkou"]
    everything = admin.get("/api/v1/districts").json
    assert [s["code"] for d in everything if d["code"] == "dantu" for s in d["streets"]] == \
        ["gaozi"]
    response = admin.post("/api/v1/admin/officials", json={
        "username": "qian", "password": "password-123", "role": "district_office",
        "district": "丹徒区", "street": "gaozi"})
    assert response.status_code == 201, response.json
    assert response.json["district"] == "dantu"
    response = admin.client.patch("/api/v1/admin/officials/qian?dry_run=true",
                                  headers=admin.headers, json={"district": "jingkou", "street": ""})
    assert response.status_code == 200 and response.json["released"] == []
    assert "/api/v1/admin/officials" in admin.get("/api/v1/openapi.json").json["paths"]
