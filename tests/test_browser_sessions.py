"""Desk sessions end when they should: at sign-out, at a password change or reset (every
session of that official), after their lifetime; the cookie is Secure over HTTPS."""
import datetime as dt
import time
from email.utils import parsedate_to_datetime

import pytest

from conftest import csrf_from, make_config, seeded_app
from service.database import shutdown

QUEUE = "/desk/queue"


def _cookie(client):
    return client.get_cookie("session").value


def _replay(client, value):
    client.set_cookie("session", value)


def _signed_in(client):
    response = client.get(QUEUE)
    return response.status_code == 200


def _sign_out(client):
    page = client.get(QUEUE)
    response = client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 302


def test_the_cookie_of_a_signed_out_session_no_longer_opens_the_desk(client, web_login):
    assert web_login("jingkou_office").status_code == 302
    assert _signed_in(client)
    old = _cookie(client)
    _sign_out(client)
    assert not _signed_in(client)

    _replay(client, old)
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_ends_only_that_session(app, client, web_login):
    other = app.test_client()
    page = other.get("/login")
    other.post("/login", data={"username": "jingkou_office", "password": "demo-pass-2026",
                               "csrf_token": csrf_from(page.text)})
    web_login("jingkou_office")
    _sign_out(client)
    assert other.get(QUEUE).status_code == 200  # the official's other browser stays signed in


def test_a_password_set_by_the_cli_ends_every_session_of_that_official(
        app, client, web_login, runner):
    web_login("jingkou_office")
    mine = _cookie(client)
    colleague = app.test_client()
    page = colleague.get("/login")
    colleague.post("/login", data={"username": "jingkou_gov", "password": "demo-pass-2026",
                                   "csrf_token": csrf_from(page.text)})

    result = runner.invoke(args=["users", "set-password", "jingkou_office",
                                 "--password", "a-new-pass-2026"])
    assert result.exit_code == 0, result.output

    assert not _signed_in(client)
    _replay(client, mine)
    assert not _signed_in(client)
    assert colleague.get(QUEUE).status_code == 200  # another official is not affected
    # The new password opens a new session, which first asks for the official's own
    # password (one set for them by the command line is replaced at the next sign-in).
    assert web_login("jingkou_office", "a-new-pass-2026").status_code == 302
    assert client.get(QUEUE).headers["Location"].endswith("/account/new-password")


def test_disabling_an_official_ends_their_session(client, web_login, runner):
    web_login("jingkou_office")
    assert _signed_in(client)
    result = runner.invoke(args=["users", "disable", "jingkou_office", "--reason", "调离"])
    assert result.exit_code == 0, result.output
    assert not _signed_in(client)


def test_a_session_ends_after_eight_hours(client, web_login, clock):
    web_login("jingkou_office")
    clock.advance(hours=7, minutes=59)
    assert _signed_in(client)
    clock.advance(minutes=2)
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_cookie_expires_with_the_session_not_after_a_month(client, web_login):
    response = web_login("jingkou_office")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    hours = (expires.timestamp() - time.time()) / 3600
    assert 7.9 < hours <= 8.0


@pytest.fixture
def configured_app(tmp_path, clock):
    apps = []

    def make(**settings):
        config = make_config(tmp_path)
        for name, value in settings.items():
            setattr(config, name, value)
        apps.append(seeded_app(config, clock))
        return apps[-1]
    yield make
    for each in apps:
        shutdown(each)


def _sign_in(client, headers=None, **kwargs):
    secure = kwargs.get("base_url", "").startswith("https") or \
        (headers or {}).get("X-Forwarded-Proto") == "https"
    # Over HTTPS, Flask-WTF also wants the form posted from the same origin.
    headers = {**(headers or {}), "Referer": f"http{'s' if secure else ''}://localhost/login"}
    kwargs["headers"] = headers
    page = client.get("/login", **kwargs)
    response = client.post("/login", data={"username": "jingkou_office",
                                           "password": "demo-pass-2026",
                                           "csrf_token": csrf_from(page.text)}, **kwargs)
    assert response.status_code == 302
    return next(h for h in response.headers.getlist("Set-Cookie")
                if h.startswith("session="))


def test_the_lifetime_is_configurable(configured_app, clock):
    client = configured_app(PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=2)).test_client()
    _sign_in(client)
    clock.advance(hours=1, minutes=59)
    assert _signed_in(client)
    clock.advance(minutes=2)
    assert not _signed_in(client)


def test_the_cookie_is_secure_over_https_and_not_over_plain_http(client):
    assert "Secure" in _sign_in(client, base_url="https://localhost")
    assert "Secure" not in _sign_in(client)


def test_behind_a_trusted_proxy_the_forwarded_https_makes_the_cookie_secure(configured_app):
    client = configured_app(TRUSTED_PROXIES=1).test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.7"}
    assert "Secure" in _sign_in(client, headers=forwarded)


def test_without_a_trusted_proxy_a_forwarded_header_is_not_believed(client):
    assert "Secure" not in _sign_in(client, headers={"X-Forwarded-Proto": "https"})


def test_changing_ones_own_password_keeps_this_browser_and_ends_the_others(app, client,
                                                                           web_login):
    web_login("jingkou_office")
    elsewhere = app.test_client()
    page = elsewhere.get("/login")
    elsewhere.post("/login", data={"username": "jingkou_office", "password": "demo-pass-2026",
                                   "csrf_token": csrf_from(page.text)})
    assert elsewhere.get(QUEUE).status_code == 200
    old = _cookie(client)

    page = client.get("/account/")
    response = client.post("/account/password", data={
        "csrf_token": csrf_from(page.text), "current": "demo-pass-2026",
        "password": "another-pass-2026", "repeat": "another-pass-2026"})
    assert response.status_code == 302
    assert _signed_in(client)  # this browser goes on
    assert elsewhere.get(QUEUE).status_code == 302  # the other one signs in again
    _replay(client, old)
    assert not _signed_in(client)  # and the cookie from before the change opens nothing
