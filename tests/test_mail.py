"""E-mail over a real SMTP server on loopback (aiosmtpd): down first, then up."""
import email
import socket
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from helpers_deadlines import at, inbox, start


class Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port(app):
    port = free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SENDER="duban@zj.example.gov.cn")
    return port


def start_unmailed(as_user, app, **kwargs):
    """A project started before e-mail was set up: its new-step mail is not in the outbox, and
    the test counts the reminders' mails alone."""
    host = app.config["SMTP_HOST"]
    app.config["SMTP_HOST"] = None
    try:
        return start(as_user, **kwargs)
    finally:
        app.config["SMTP_HOST"] = host


def tick(runner):
    result = runner.invoke(args=["scheduler", "tick"])
    assert result.exit_code == 0, result.output
    return result.output


def test_smtp_down_then_up_sends_each_mail_once(as_user, runner, clock, smtp_port):
    start(as_user)
    at(clock, 2026, 12, 3, 9, 0)
    output = tick(runner)  # sweep fires yellow; the outbox cannot reach the server
    # two mails wait: the new step's notice to its office, and the yellow reminder
    assert "sweep: {'yellow': 1" in output and "outbox: (0, 2)" in output
    office = as_user("jingkou_office")
    assert len(inbox(office, "yellow")) == 1  # the escalation is not lost, nor the notice
    clock.advance(seconds=30)
    assert "outbox: (0, 0)" in tick(runner)  # waiting for the retry (1 minute)

    collect = Collect()
    server = Controller(collect, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        clock.advance(minutes=1)
        assert "outbox: (2, 0)" in tick(runner)
        clock.advance(minutes=10)
        assert "outbox: (0, 0)" in tick(runner)
    finally:
        server.stop()
    assert len(collect.messages) == 2
    subjects = [str(make_header(decode_header(m["Subject"]))) for _, m in collect.messages]
    assert "【待办】" in subjects[0] and "项目申报" in subjects[0]
    recipients, message = collect.messages[1]
    assert recipients == ["jingkou_office@zj.example.gov.cn"]
    subject = subjects[1]
    assert "临期提醒" in subject and "Due soon" in subject
    body = message.get_payload(decode=True).decode("utf-8")
    assert "2026-12-07" in body and "working days remain" in body and "剩余不超过 2 个工作日" in body
    assert message["From"] == "duban@zj.example.gov.cn"


def test_no_mail_when_smtp_unset(as_user, runner, clock, app):
    app.config["SMTP_HOST"] = None
    start(as_user)
    at(clock, 2026, 12, 3, 9, 0)
    assert "outbox: (0, 0)" in tick(runner)
    assert len(inbox(as_user("jingkou_office"), "yellow")) == 1


def test_administrator_sees_failing_mails_retries_one_and_gives_one_up(
        as_user, runner, clock, smtp_port, client, web_login, app):
    from conftest import csrf_from
    start_unmailed(as_user, app)
    start_unmailed(as_user, app, name="第二个项目")
    at(clock, 2026, 12, 3, 9, 0)
    assert "outbox: (0, 2)" in tick(runner)  # two yellow notices; the server is down
    admin = as_user("admin")
    failing = admin.get("/api/v1/outbox").json
    assert len(failing) == 2 and all(m["attempts"] == 1 for m in failing)
    assert all("ConnectionRefusedError" in m["last_error"] for m in failing)
    assert as_user("city_supervisor").get("/api/v1/outbox").status_code == 403

    web_login("city_supervisor")
    assert client.get("/admin/outbox/").status_code == 403
    web_login("admin")
    page = client.get("/admin/outbox/")
    assert page.status_code == 200 and "邮件发件箱" in page.text and "发送失败 (2)" in page.text
    token = csrf_from(page.text)
    kept, dropped = failing
    given_up = client.post(f"/admin/outbox/{dropped['id']}/abandon",
                           data={"csrf_token": token, "reason": "地址已停用"})
    assert given_up.status_code == 302
    assert "不再重试" in client.get("/admin/outbox/").text
    assert client.post(f"/admin/outbox/{kept['id']}/retry",
                       data={"csrf_token": token}).status_code == 302
    assert admin.post(f"/api/v1/outbox/{dropped['id']}/retry").status_code == 409

    collect = Collect()
    server = Controller(collect, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        clock.advance(seconds=10)  # before the back-off ends: only the retried mail is due
        assert "outbox: (1, 0)" in tick(runner)
        clock.advance(hours=3)
        assert "outbox: (0, 0)" in tick(runner)  # the given-up mail is never sent
    finally:
        server.stop()
    assert len(collect.messages) == 1
    assert [m["id"] for m in admin.get("/api/v1/outbox", query_string={"scope": "sent"}).json] \
        == [kept["id"]]
    [abandoned] = admin.get("/api/v1/outbox", query_string={"scope": "abandoned"}).json
    assert abandoned["id"] == dropped["id"] and abandoned["status"] == "abandoned"
    with app.app_context():
        from service.models import AuditEvent
        audited = {e.action: e.detail for e in AuditEvent.query.filter(
            AuditEvent.action.like("outbox_%"))}
    assert audited["outbox_abandon"]["reason"] == "地址已停用"
    assert audited["outbox_retry"]["mail_id"] == kept["id"]


def test_officials_can_write_while_the_smtp_server_takes_a_mail(as_user, runner, clock,
                                                                 smtp_port, app):
    """While the job waits on the SMTP server, it holds no write lock (SQLite) that an
    official's completion would have to wait for."""
    from helpers_sqlite import COULD_WRITE, sqlite_only, try_write_lock
    path = sqlite_only(app, "PostgreSQL locks the mail rows, not the database")
    tried = []

    class TryToWrite(Collect):
        async def handle_DATA(self, server, session, envelope):
            tried.append(try_write_lock(path))  # as an official's completion would
            return await super().handle_DATA(server, session, envelope)

    start_unmailed(as_user, app)
    at(clock, 2026, 12, 3, 9, 0)
    collect = TryToWrite()
    server = Controller(collect, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        assert "outbox: (1, 0)" in tick(runner)
    finally:
        server.stop()
    assert tried == [COULD_WRITE] and len(collect.messages) == 1


def test_one_address_that_cannot_go_in_a_header_does_not_hold_up_the_others(
        as_user, runner, clock, smtp_port, app):
    # A colleague whose address came in before addresses were checked (a line break in it).
    from service.extensions import db
    from service.models import User
    from service.services.people.users import create_user
    with app.app_context():
        user = create_user("jingkou_office2", "demo-pass-2026", "district_office", "jingkou",
                           demo=True)  # a test account like the seeded ones
        user.email = "li@zj.example.gov.cn\nBcc: everyone@example.com"
        db.session.commit()
        assert db.session.get(User, user.id).email.count("@") == 2
    start_unmailed(as_user, app)
    collect = Collect()
    server = Controller(collect, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        at(clock, 2026, 12, 3, 9, 0)
        assert "outbox: (1, 1)" in tick(runner)  # the good address is sent, the bad one fails
        clock.advance(minutes=5)
        assert "outbox: (0, 1)" in tick(runner)  # retried alone, failing alone
    finally:
        server.stop()
    assert [rcpt for rcpt, _ in collect.messages] == [["jingkou_office@zj.example.gov.cn"]]
    failing = as_user("admin").get("/api/v1/outbox").json
    assert [m["last_error"].split(":")[0] for m in failing] == ["ValueError"]


def test_users_add_refuses_an_address_with_a_line_break_or_no_domain(runner):
    for address in ("li@zj.example.gov.cn\nBcc: everyone@example.com", "li", "li@localhost"):
        result = runner.invoke(args=["users", "add", "--username", "li", "--password",
                                     "long-enough-1", "--role", "city_review",
                                     "--email", address])
        assert result.exit_code != 0 and "email: not an e-mail address" in result.output
    assert " li " not in runner.invoke(args=["users", "list"]).output


def test_a_line_break_in_the_project_name_does_not_stop_its_reminders(
        as_user, runner, clock, smtp_port, app):
    # Names are one line since 2026-11-21; a project named before may still hold a line break.
    from service.extensions import db
    from service.models import Project
    project_id = start_unmailed(as_user, app)["id"]
    with app.app_context():
        db.session.get(Project, project_id).name = "西津渡\n二期"
        db.session.commit()
    collect = Collect()
    server = Controller(collect, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        at(clock, 2026, 12, 3, 9, 0)
        assert "outbox: (1, 0)" in tick(runner)
    finally:
        server.stop()
    [(_, message)] = collect.messages
    assert "西津渡 二期" in str(make_header(decode_header(message["Subject"])))
    [notice] = inbox(as_user("jingkou_office"), "yellow")
    assert notice["subject"].startswith("【临期提醒】西津渡 二期")
