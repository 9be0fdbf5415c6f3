"""Signing in and out of the officials' desk."""
from conftest import csrf_from


def test_wrong_password_says_so_without_saying_which_part(client, web_login):
    response = web_login("jingkou_office", "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    response = web_login("nobody-here", "not-the-password")
    assert "用户名或密码错误" in response.text


def test_sign_in_lands_on_queue_and_sign_out_needs_csrf(client, web_login, as_user):
    as_user("jingkou_office").post("/api/v1/projects", json={"name": "西津渡棚改"})
    response = web_login("jingkou_office")
    assert response.status_code == 302 and response.headers["Location"].endswith("/desk/")
    # A district office lands on its work queue.
    assert client.get("/desk/").headers["Location"].endswith("/desk/queue")
    page = client.get("/desk/queue")
    assert "西津渡棚改" in page.text and "我的待办" in page.text
    assert client.post("/logout").status_code == 400  # no CSRF token: refused
    client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert client.get("/desk/queue").status_code == 302


def test_language_switch_to_english(client, web_login):
    web_login("jingkou_office")
    client.get("/lang/en")
    page = client.get("/desk/queue")
    assert "Work queue" in page.text and "District office" in page.text


def test_session_cookie_is_httponly_and_samesite(client, web_login):
    response = web_login("jingkou_office")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_are_chinese_even_for_an_english_browser_until_switched(client, web_login):
    web_login("jingkou_office")
    page = client.get("/desk/queue", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "我的待办" in page.text


def test_api_neither_uses_nor_sets_the_page_session(client, web_login, as_user):
    web_login("jingkou_office")
    client.get("/lang/en")
    # The signed-in page session does not authenticate an API call: a bearer token does.
    refused = client.get("/api/v1/tasks?scope=queue")
    assert refused.status_code == 401 and "Set-Cookie" not in refused.headers
    answer = as_user("jingkou_office").post("/api/v1/projects", json={"name": "西津渡棚改"})
    assert answer.status_code == 201 and "Set-Cookie" not in answer.headers
    # The page session is untouched: the pages still know the official and the language.
    assert "Work queue" in client.get("/desk/queue").text
