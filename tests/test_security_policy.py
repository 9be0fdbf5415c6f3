"""Issue 18: the security administrator assigns roles and edits the password and session
policies (audited, visible to the audit administrator); the system administrator no longer
changes roles or gives an administrator's role."""
from sqlalchemy import select

from conftest import PASSWORD, ApiUser, csrf_from
from flow import start
from service.extensions import db
from service.models import AuditEvent, User

TOKEN = "/api/v1/auth/token"
POLICY = "/api/v1/security/policy"


def _token(client, username, password=PASSWORD):
    return client.post(TOKEN, json={"username": username, "password": password})


def _page_login(client, username):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": csrf_from(page.text)})


def _policy(caller):
    return {p["name"]: p for p in caller.get(POLICY).json}


def _role(app, username):
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.username == username))


def test_a_lower_lock_threshold_locks_at_the_third_wrong_password(app, client, as_user):
    security = as_user("security_admin")
    before = _policy(security)["signin_max_failures"]
    assert (before["value"], before["source"]) == (5, "default")
    response = security.put(POLICY, json={"signin_max_failures": 3, "signin_lock_minutes": 30})
    assert response.status_code == 200, response.json
    changed = {p["name"]: p for p in response.json}["signin_max_failures"]
    assert (changed["value"], changed["default"], changed["source"], changed["changed_by"]) \
        == (3, 5, "set", "security_admin")
    for _ in range(2):
        assert _token(client, "jingkou_gov", "wrong-Pass-1").status_code == 401
    assert _token(client, "jingkou_gov").status_code == 200  # two failures: not locked
    for _ in range(3):
        _token(client, "jingkou_gov", "wrong-Pass-1")
    locked = _token(client, "jingkou_gov")
    assert locked.status_code == 423
    # Back to the default: five again.
    assert security.put(POLICY, json={"signin_max_failures": None}).status_code == 200
    assert _policy(security)["signin_max_failures"]["source"] == "default"


def test_the_idle_timeout_the_security_administrator_sets_signs_pages_out(app, client, clock,
                                                                          as_user):
    # conftest widens the installation's idle timeout to years; the policy overrides it.
    assert as_user("security_admin").put(POLICY, json={"session_idle_minutes": 30}) \
        .status_code == 200
    assert _page_login(client, "jingkou_office").status_code == 302
    clock.advance(minutes=29)
    assert client.get("/desk/queue").status_code == 200
    clock.advance(minutes=30, seconds=1)
    ended = client.get("/desk/queue")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    assert "30" in client.get("/login").text  # "signed out after 30 minutes"


def test_bad_policy_values_are_refused_per_field_and_change_nothing(app, as_user):
    security = as_user("security_admin")
    response = security.client.put(POLICY, headers={**security.headers, "Accept-Language": "en"},
                                   json={"signin_max_failures": 0, "session_idle_minutes": 241,
                                         "password_max_age_days": 30})
    assert response.status_code == 422
    assert response.json["errors"] == {
        "signin_max_failures": ["a whole number from 1 to 20"],
        "session_idle_minutes": ["a whole number from 1 to 240"]}
    chinese = security.client.put(POLICY, json={"session_lifetime_hours": 25},
                                  headers={**security.headers, "Accept-Language": "zh"})
    assert chinese.status_code == 422
    assert chinese.json["errors"]["session_lifetime_hours"] == ["应为 1 至 24 之间的整数"]
    assert security.put(POLICY, json={"signin_max_failures": "3"}).status_code == 422
    assert security.put(POLICY, json={"no_such_policy": 3}).status_code == 422
    assert all(p["source"] == "default" for p in security.get(POLICY).json)
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "security_policy_change")).all() == []


def test_only_the_security_administrator_changes_policies_and_roles(app, as_user):
    for username in ("admin", "audit_admin", "jingkou_office"):
        caller = as_user(username)
        assert caller.put(POLICY, json={"signin_max_failures": 3}).status_code == 403
        assert caller.get(POLICY).status_code == 403
        assert caller.put("/api/v1/security/accounts/jingkou_gov/role",
                          json={"role": "city_review"}).status_code == 403
    assert _role(app, "jingkou_gov") == "district_government"


def test_the_audit_administrator_sees_policy_and_role_changes(app, as_user):
    security, audit = as_user("security_admin"), as_user("audit_admin")
    assert security.put(POLICY, json={"password_max_age_days": 30}).status_code == 200
    assert security.put("/api/v1/security/accounts/policy/role",
                        json={"role": "audit_admin"}).status_code == 200
    events = audit.get("/api/v1/audit/events", query_string={"actor": "security_admin"}).json
    by_action = {e["action"]: e for e in events}
    assert by_action["security_policy_change"]["detail"]["before"] == \
        {"password_max_age_days": 0}
    assert by_action["security_policy_change"]["detail"]["after"] == \
        {"password_max_age_days": 30}
    change = by_action["role_change"]["detail"]
    assert change["username"] == "policy"
    assert (change["before"]["role"], change["after"]["role"]) == ("policy_staff", "audit_admin")
    assert audit.get("/api/v1/audit/verify").json["ok"] is True


def test_a_new_role_releases_the_claimed_tasks_it_cannot_act_on(app, client, as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(project_id, "submit_plan")
    assert office.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200
    security = as_user("security_admin")
    response = security.put("/api/v1/security/accounts/jingkou_office/role",
                            json={"role": "supervisor"})
    assert response.status_code == 200, response.json
    assert response.json["released"] == [task["id"]]
    assert (response.json["role"], response.json["district"]) == ("supervisor", "jingkou")
    colleague = ApiUser(client, "jingkou_gov")  # another district official sees it unclaimed
    with app.app_context():
        from service.models import Task
        row = db.session.get(Task, task["id"])
        assert row.claimed_by_id is None and row.status == "open"
        releases = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "release", AuditEvent.task_id == task["id"])).all()
        assert [r.actor.username for r in releases] == ["security_admin"]
    assert colleague.username == "jingkou_gov"
    # A city-wide role drops the district; a joint-review role needs a department.
    response = security.put("/api/v1/security/accounts/jingkou_office/role",
                            json={"role": "city_review"})
    assert response.status_code == 200 and response.json["district"] is None
    bad = security.put("/api/v1/security/accounts/jingkou_office/role",
                       json={"role": "joint_review"})
    assert bad.status_code == 422 and "department" in bad.json["errors"]
    assert security.put("/api/v1/security/accounts/jingkou_office/role",
                        json={"role": "city_review"}).status_code == 409
    assert security.put("/api/v1/security/accounts/nobody/role",
                        json={"role": "city_review"}).status_code == 404


def test_the_security_administrator_cannot_change_their_own_role(app, as_user):
    security = as_user("security_admin")
    response = security.put("/api/v1/security/accounts/security_admin/role",
                            json={"role": "audit_admin"})
    assert response.status_code == 422 and "role" in response.json["errors"]
    assert _role(app, "security_admin") == "security_admin"


def test_the_system_administrator_no_longer_changes_roles(app, as_user):
    system = as_user("admin")
    patch = system.client.patch("/api/v1/admin/officials/jingkou_gov", headers=system.headers,
                                json={"role": "district_office"})
    assert patch.status_code == 403 and "安全管理员" in patch.json["message"]
    dry = system.client.patch("/api/v1/admin/officials/jingkou_gov?dry_run=true",
                              headers=system.headers, json={"role": "district_office"})
    assert dry.status_code == 403
    # The same role with another office is still the system administrator's work.
    same = system.client.patch("/api/v1/admin/officials/jingkou_gov", headers=system.headers,
                               json={"role": "district_government", "display_name": "京口区政府"})
    assert same.status_code == 200
    assert _role(app, "jingkou_gov") == "district_government"
    # New officials: any role but an administrator's.
    new = {"username": "zhou", "password": "Strong-Pass-2027", "role": "security_admin"}
    refused = system.post("/api/v1/admin/officials", json=new)
    assert refused.status_code == 403 and "安全管理员" in refused.json["message"]
    assert system.post("/api/v1/admin/officials",
                       json={**new, "role": "city_review"}).status_code == 201


def test_the_command_line_sets_a_role(app, runner):
    result = runner.invoke(args=["security", "set-role", "policy", "supervisor"])
    assert result.exit_code == 0, result.output
    assert "policy: supervisor" in result.output
    assert _role(app, "policy") == "supervisor"
    again = runner.invoke(args=["security", "set-role", "policy", "supervisor"])
    assert again.exit_code != 0 and "already has this role" in again.output


def test_the_security_page_edits_policies_and_roles(app, client, clock, as_user):
    assert _page_login(client, "security_admin").status_code == 302
    page = client.get("/admin/security")
    assert page.status_code == 200 and 'id="policy-form"' in page.text
    assert "账户锁定前允许的密码错误次数" in page.text and 'name="signin_max_failures"' in page.text
    form = {"csrf_token": csrf_from(page.text), "signin_max_failures": "4",
            "signin_lock_minutes": "15", "signin_address_free_failures": "10",
            "signin_address_max_delay_seconds": "300", "password_min_length": "12",
            "password_max_age_days": "0", "session_idle_minutes": "241",
            "session_lifetime_hours": "8"}
    refused = client.post("/admin/security/policy", data=form, follow_redirects=True)
    assert "应为 1 至 240 之间的整数" in refused.text  # nothing saved
    assert all(p["source"] == "default" for p in as_user("security_admin").get(POLICY).json)
    saved = client.post("/admin/security/policy", data={**form, "session_idle_minutes": "60"},
                        follow_redirects=True)
    assert "策略已修改" in saved.text
    policies = _policy(as_user("security_admin"))
    assert {k: (p["value"], p["source"]) for k, p in policies.items()
            if p["source"] == "set"} == {"signin_max_failures": (4, "set"),
                                         "password_min_length": (12, "set"),
                                         "session_idle_minutes": (60, "set")}
    # The longer minimum is the rule for new passwords now.
    short = client.post("/api/v1/auth/password", json={
        "username": "jingkou_office", "password": PASSWORD, "new_password": "Short-Pw-12"})
    assert short.status_code == 422
    assert any("12" in m for m in short.json["errors"]["new_password"])
    # Role for an official, from the page (CSRF as every form); not for oneself.
    page = client.get("/admin/security")
    assert 'action="/admin/security/security_admin/role"' not in page.text
    done = client.post("/admin/security/jingkou_gov/role", follow_redirects=True, data={
        "csrf_token": csrf_from(page.text), "role": "supervisor", "district": "",
        "department": ""})
    assert "jingkou_gov 的角色已改为" in done.text
    assert _role(app, "jingkou_gov") == "supervisor"
    assert client.post("/admin/security/jingkou_gov/role",
                       data={"role": "finance"}).status_code == 400  # no CSRF token
    assert client.post("/admin/security/security_admin/role", follow_redirects=True, data={
        "csrf_token": csrf_from(page.text), "role": "audit_admin"}).status_code == 200
    assert _role(app, "security_admin") == "security_admin"


def test_the_system_administrators_page_shows_the_role_read_only(app, client):
    assert _page_login(client, "admin").status_code == 302
    page = client.get("/admin/users/jingkou_gov")
    assert 'id="official-role"' in page.text and "角色由安全管理员分配" in page.text
    assert 'name="role"' not in page.text.split('id="change-official"')[1].split("</form>")[0]
    new_form = client.get("/admin/users").text.split('id="add-official"')[1].split("</form>")[0]
    assert 'value="district_office"' in new_form
    assert not any(f'value="{r}"' in new_form
                   for r in ("admin", "system_admin", "security_admin", "audit_admin"))
    moved = client.post("/admin/users/jingkou_gov", data={
        "csrf_token": csrf_from(page.text), "role": "district_office", "district": "jingkou",
        "department": "", "street": "", "display_name": "x", "email": ""})
    assert moved.status_code == 403 and "安全管理员" in moved.text
    renamed = client.post("/admin/users/jingkou_gov", data={
        "csrf_token": csrf_from(page.text), "district": "jingkou", "department": "",
        "street": "", "display_name": "京口区政府办", "email": ""})
    assert renamed.status_code == 302
    assert _role(app, "jingkou_gov") == "district_government"


def test_session_lifetime_and_second_factor_follow_the_policy(app, client, clock, as_user):
    security = as_user("security_admin")
    assert security.put(POLICY, json={"session_lifetime_hours": 1, "totp_required": True}) \
        .status_code == 200
    # Policy staff must now enrol an authenticator before the API gives them a token.
    assert _token(app.test_client(), "policy").status_code == 403
    assert _page_login(client, "jingkou_office").status_code == 302
    clock.advance(minutes=50)
    assert client.get("/desk/queue").status_code == 200
    clock.advance(minutes=11)  # 61 minutes after signing in, though active 11 minutes ago
    ended = client.get("/desk/queue")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
