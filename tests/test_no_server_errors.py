"""Every page and API call, for every demo role, answers without a server error: GET with the
ids of real projects, tasks and attachments, and POST with an empty or nonsensical form."""
import re

from conftest import csrf_from
from flow import HANDOVER, PLAN, run_straight, sign_off_all, start

ROLES = ["jingkou_office", "city_review", "jingkou_gov", "jingkou_finance", "dept_audit",
         "city_supervisor", "policy", "admin"]
VALUES = {"key": "handover", "kind": "list", "code": "en"}  # non-id path parts
NONSENSE = {"reason": "", "to": "nobody", "note": "", "decision": "x", "name": "",
            "day": "2026-13-45", "level": "x"}


def _urls(app, method, ids=(1, 2, 9)):
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.rule.startswith("/static") or \
                rule.rule == "/logout":
            continue
        for i in ids if rule.arguments - set(VALUES) else ids[:1]:
            url = rule.rule
            for name in rule.arguments:
                url = re.sub(rf"<[^>]*\b{name}>", VALUES.get(name, str(i)), url)
            yield url


def _projects(as_user):
    """A project back with the district after an objection, a finished one, a returned one."""
    objected = start(as_user)
    run_straight(as_user, objected)
    sign_off_all(as_user, objected, objections={"audit": "不同意"})
    finished = start(as_user)
    run_straight(as_user, finished)
    sign_off_all(as_user, finished)
    as_user("jingkou_office").complete(finished, "handover", HANDOVER)
    returned = start(as_user)
    as_user("jingkou_office").complete(returned, "submit_plan", PLAN)
    as_user("city_review").complete(returned, "city_review", {"decision": "return",
                                                              "opinion": "补充"})


def test_no_page_or_call_answers_with_a_server_error(app, as_user):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a failure is answered 500, as deployed
    _projects(as_user)
    failures = []
    for username in ROLES:
        client = app.test_client()
        login = client.get("/login")
        client.post("/login", data={"username": username, "password": "demo-pass-2026",
                                    "csrf_token": csrf_from(login.text)})
        token = csrf_from(client.get("/desk/queue").text)
        api = as_user(username).headers
        for url in _urls(app, "GET"):
            if url == "/readyz":
                continue  # its 503 is the answer "not ready" (tests/test_operations.py)
            if client.get(url, headers=api if url.startswith("/api/") else {}).status_code >= 500:
                failures.append((username, "GET", url))
        for url in _urls(app, "POST", ids=(1, 9)):
            for data in ({}, NONSENSE):
                response = client.post(url, json=data, headers=api) if url.startswith("/api/") \
                    else client.post(url, data={**data, "csrf_token": token})
                if response.status_code >= 500:
                    failures.append((username, "POST", url, sorted(data)))
    assert failures == []
