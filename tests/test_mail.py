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


def tick(runner):
    result = runner.invoke(args=["scheduler", "tick"])
    assert result.exit_code == 0, result.output
    return result.output


def test_smtp_down_then_up_sends_each_mail_once(as_user, runner, clock, smtp_port):
    start(as_user)
    at(clock, 2026, 12, 3, 9, 0)
    output = tick(runner)  # sweep fires yellow; the outbox cannot reach the server
    assert "sweep: {'yellow': 1" in output and "outbox: (0, 1)" in output
    office = as_user("jingkou_office")
    assert len(inbox(office, "yellow")) == 1  # the escalation is not lost, nor the notice
    clock.advance(seconds=30)
    assert "outbox: (0, 0)" in tick(runner)  # waiting for the retry (1 minute)

    collect = Collect()
    server = Controller(collect, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        clock.advance(minutes=1)
        assert "outbox: (1, 0)" in tick(runner)
        clock.advance(minutes=10)
        assert "outbox: (0, 0)" in tick(runner)
    finally:
        server.stop()
    assert len(collect.messages) == 1
    recipients, message = collect.messages[0]
    assert recipients == ["jingkou_office@zj.example.gov.cn"]
    subject = str(make_header(decode_header(message["Subject"])))
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
