"""Issue 18, 三员分立: the system administrator cannot reset, disable, enable or change the
other administrators' accounts (and so cannot sign in as them); the security administrator
does, never for their own account; every change audited, seen by the audit administrator."""
from sqlalchemy import select

from conftest import PASSWORD, ApiUser, csrf_from
from service.extensions import db
from service.models import AuditEvent, User

TOKEN = "/api/v1/auth/token"
OFFICIALS = "/api/v1/admin/officials"
ACCOUNTS = "/api/v1/security/accounts"
NEW = "Given-by-Sec-2027"


def _token(client, username, password=PASSWORD):
    return client.post(TOKEN, json={"username": username, "password": password})


def _account(app, username):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return {"active": user.active, "email": user.email,
                "token_version": user.token_version}


def _events(app, action):
    with app.app_context():
        return [(e.actor.username if e.actor else None, e.detail.get("username"))
                for e in db.session.scalars(select(AuditEvent).where(
                    AuditEvent.action == action).order_by(AuditEvent.seq))]


def test_the_system_administrator_cannot_take_over_the_other_administrators(app, client,
                                                                            as_user):
    system = as_user("admin")
    before = {u: _account(app, u) for u in ("security_admin", "audit_admin", "admin")}
    reset = system.post(f"{OFFICIALS}/security_admin/password", json={"password": NEW})
    assert reset.status_code == 403 and "安全管理员" in reset.json["message"]
    english = client.post(f"{OFFICIALS}/audit_admin/password", json={"password": NEW},
                          headers={**system.headers, "Accept-Language": "en"})
    assert english.status_code == 403
    assert english.json["message"] == (
        "audit_admin holds an administrator's role: the security administrator manages this "
        "account (password, disabling, enabling), not the system administrator (三员分立)")
    disable = system.post(f"{OFFICIALS}/audit_admin/disable", json={"reason": "调离"})
    assert disable.status_code == 403 and "安全管理员" in disable.json["message"]
    assert system.post(f"{OFFICIALS}/security_admin/enable").status_code == 403
    changed = client.patch(f"{OFFICIALS}/audit_admin", headers=system.headers,
                           json={"email": "mine@example.org"})
    assert changed.status_code == 403
    assert client.patch(f"{OFFICIALS}/audit_admin?dry_run=true", headers=system.headers,
                        json={"email": "mine@example.org"}).status_code == 403
    # Their own password too goes through the account page, not the reset.
    own = client.post(f"{OFFICIALS}/admin/password", json={"password": NEW},
                      headers={**system.headers, "Accept-Language": "en"})
    assert own.status_code == 403 and "/account/" in own.json["message"]
    # Nothing changed: the old passwords still sign in, the accounts are as they were.
    assert {u: _account(app, u) for u in before} == before
    for username in before:
        assert _token(client, username).status_code == 200
    assert _events(app, "password_set") == [] and _events(app, "user_disable") == []
    # Officials' accounts are still the system administrator's.
    reset = system.post(f"{OFFICIALS}/jingkou_office/password", json={"password": NEW})
    assert reset.status_code == 200, reset.json
    assert _token(client, "jingkou_office").status_code == 401
    assert _token(client, "jingkou_office", NEW).status_code == 403  # changed at sign-in
    assert system.post(f"{OFFICIALS}/jingkou_gov/disable",
                       json={"reason": "调离"}).status_code == 200
    assert system.post(f"{OFFICIALS}/jingkou_gov/enable").status_code == 200
    # One's own name and e-mail stay editable.
    assert client.patch(f"{OFFICIALS}/admin", headers=system.headers,
                        json={"email": "admin@example.org"}).status_code == 200
    assert _events(app, "password_set") == [("admin", "jingkou_office")]


def test_the_security_administrator_resets_an_administrators_password(app, client, as_user):
    security = as_user("security_admin")
    reset = security.post(f"{ACCOUNTS}/audit_admin/password-reset", json={"password": NEW})
    assert reset.status_code == 200, reset.json
    assert (reset.json["username"], reset.json["role"]) == ("audit_admin", "audit_admin")
    assert _token(client, "audit_admin").status_code == 401
    forced = _token(client, "audit_admin", NEW)
    assert forced.status_code == 403  # must choose their own password first
    changed = client.post("/api/v1/auth/password", json={
        "username": "audit_admin", "password": NEW, "new_password": "Audit-Own-Pass-88"})
    assert changed.status_code == 200, changed.json
    audit = {"Authorization": f"Bearer {changed.json['token']}"}
    events = client.get("/api/v1/audit/events", headers=audit,
                        query_string={"action": "password_set"}).json
    assert [(e["actor"], e["detail"]["username"]) for e in events] == \
        [("audit_admin", "audit_admin"), ("security_admin", "audit_admin")]
    # A weak password is refused per field and changes nothing.
    weak = security.post(f"{ACCOUNTS}/admin/password-reset", json={"password": "12345678"})
    assert weak.status_code == 422 and "password" in weak.json["errors"]
    assert _token(client, "admin").status_code == 200


def test_the_security_administrator_disables_and_enables_an_administrator(app, client,
                                                                           as_user):
    system = as_user("admin")
    security = as_user("security_admin")
    disabled = security.post(f"{ACCOUNTS}/admin/disable", json={"reason": "离职"})
    assert disabled.status_code == 200, disabled.json
    assert disabled.json["official"]["active"] is False
    assert system.get(OFFICIALS).status_code == 401  # the token stopped at once
    assert _token(client, "admin").status_code == 401
    assert security.post(f"{ACCOUNTS}/admin/disable",
                         json={"reason": "离职"}).status_code == 409
    assert security.post(f"{ACCOUNTS}/admin/enable").status_code == 200
    assert _token(client, "admin").status_code == 200
    assert _events(app, "user_disable") == [("security_admin", "admin")]
    assert _events(app, "user_enable") == [("security_admin", "admin")]


def test_the_security_administrator_cannot_manage_their_own_account(app, client, as_user):
    security = as_user("security_admin")
    before = _account(app, "security_admin")
    own = client.post(f"{ACCOUNTS}/security_admin/password-reset", json={"password": NEW},
                      headers={**security.headers, "Accept-Language": "en"})
    assert own.status_code == 403
    assert own.json["message"] == \
        "another security administrator must reset, disable or enable your own account"
    chinese = security.post(f"{ACCOUNTS}/security_admin/disable", json={"reason": "x"})
    assert chinese.status_code == 403 and "另一名安全管理员" in chinese.json["message"]
    assert _account(app, "security_admin") == before
    assert _token(client, "security_admin").status_code == 200
    # Officials' accounts stay the system administrator's.
    official = security.post(f"{ACCOUNTS}/jingkou_office/password-reset",
                             json={"password": NEW})
    assert official.status_code == 403 and "系统管理员" in official.json["message"]
    assert _token(client, "jingkou_office").status_code == 200
    # Only the security administrator uses these routes.
    for username in ("admin", "audit_admin", "jingkou_office"):
        caller = ApiUser(client, username)
        assert caller.post(f"{ACCOUNTS}/security_admin/password-reset",
                           json={"password": NEW}).status_code == 403
        assert caller.post(f"{ACCOUNTS}/security_admin/disable",
                           json={"reason": "x"}).status_code == 403
    assert security.post(f"{ACCOUNTS}/nobody/enable").status_code == 404
    assert _events(app, "password_set") == []


def test_the_command_line_still_resets_and_disables_an_administrator(app, client, runner,
                                                                    as_user):
    result = runner.invoke(args=["users", "set-password", "security_admin", "--password", NEW])
    assert result.exit_code == 0, result.output
    assert _token(client, "security_admin", NEW).status_code == 403  # forced change
    result = runner.invoke(args=["users", "disable", "audit_admin", "--reason", "调离"])
    assert result.exit_code == 0, result.output
    assert _token(client, "audit_admin").status_code == 401
    # ... and the system administrator still cannot enable the account again.
    assert as_user("admin").post(f"{OFFICIALS}/audit_admin/enable").status_code == 403


def _login(client, username):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": csrf_from(page.text)})


def test_the_pages_follow_the_separation(app, client):
    assert _login(client, "admin").status_code == 302
    page = client.get("/admin/users/security_admin")
    assert page.status_code == 200 and 'id="administrator-account"' in page.text
    assert 'id="reset-password"' not in page.text and 'id="disable-official"' not in page.text
    assert 'id="reset-password"' in client.get("/admin/users/jingkou_office").text
    refused = client.post("/admin/users/security_admin/password", data={
        "csrf_token": csrf_from(page.text), "password": NEW})
    assert refused.status_code == 403 and "由安全管理员办理" in refused.text
    assert _token(client, "security_admin").status_code == 200

    assert _login(client, "security_admin").status_code == 302
    page = client.get("/admin/security")
    assert 'action="/admin/security/audit_admin/password-reset"' in page.text
    assert 'action="/admin/security/security_admin/password-reset"' not in page.text
    assert 'action="/admin/security/jingkou_office/password-reset"' not in page.text
    done = client.post("/admin/security/audit_admin/password-reset", follow_redirects=True,
                       data={"csrf_token": csrf_from(page.text), "password": NEW})
    assert "audit_admin 的密码已重置，下次登录时须修改。" in done.text
    assert _token(client, "audit_admin", NEW).status_code == 403  # forced change
    own = client.post("/admin/security/security_admin/disable", data={
        "csrf_token": csrf_from(page.text), "reason": "x"})
    assert own.status_code == 403 and "另一名安全管理员" in own.text
    assert _events(app, "password_set") == [("security_admin", "audit_admin")]
