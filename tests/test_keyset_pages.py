"""The desk pages page by key (issue 20): "Next" carries the last row's cursor, the pages are
complete and in order while rows come and go, the filters and the district stay, the total
is shown as "1,000+" beyond the cap; and each list's SQL reads an index in the list's order."""
import html
import re

import pytest
from sqlalchemy import event

from flow import PLAN, start
from helpers_deadlines import at
from service.extensions import db
from test_households import row, upload, xlsx
from test_keyset_paging import _audit_rows, _escalate, _queue_of_seven, _task_ids


def _walk(client, url, marker):
    """Ids (from `data-<marker>="id"`) of every page reached by the "Next" links, and the pages."""
    seen, pages = [], []
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.text[:500]
        pages.append(page.text)
        seen += [int(i) for i in re.findall(rf'data-{marker}="(\d+)"', page.text)]
        found = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url = html.unescape(found.group(1)) if found else None
    return seen, pages


def _small_pages(monkeypatch, size=3):
    for module in ("deskview", "projectpages", "householdpages", "inbox", "supervision"):
        path = {"deskview": "service.services.approval.deskview"}.get(
            module, f"service.web.{module}")
        monkeypatch.setattr(f"{path}.PER_PAGE", size)


def test_queue_pages_follow_the_cursor_while_tasks_come_and_go(
        client, web_login, as_user, app, clock, monkeypatch):
    _queue_of_seven(as_user, app, clock)
    _small_pages(monkeypatch)
    office = as_user("jingkou_office")
    before = [t["id"] for t in office.queue(page_size=100)]
    web_login("jingkou_office")
    first = client.get("/desk/queue")
    assert "cursor=" in first.text and "共 7 条" in first.text
    shown = [int(i) for i in re.findall(r'data-task="(\d+)"', first.text)]
    following = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1))
    assert "page=2" in following
    # Between requests one task not yet shown is completed and a new one is added at the end.
    assert office.post(f"/api/v1/tasks/{before[4]}/complete", json={"data": PLAN}).status_code \
        == 200
    at(clock, 2026, 11, 29, 9, 10)  # due with the last one, after it by id
    start(as_user, name="后来的项目")
    rest, _ = _walk(client, following, "task")
    after = [t["id"] for t in office.queue(page_size=100)]
    assert shown + rest == after and before[4] not in rest
    # Filters stay on every page: the step and the search text; page numbers still answer.
    by_text, _ = _walk(client, "/desk/queue?q=项目", "task")
    assert by_text == after
    assert _walk(client, "/desk/queue?step=city_review", "task")[0] == []
    numbered = client.get("/desk/queue?page=2").text
    assert [int(i) for i in re.findall(r'data-task="(\d+)"', numbered)] == after[3:6]


def test_queue_step_filter_lists_the_roles_steps_without_reading_the_queue(
        client, web_login, as_user):
    web_login("city_review")
    page = client.get("/desk/queue").text  # nothing in the queue yet
    options = re.findall(r'<option value="([a-z_]+)"', page.split('name="step"')[1]
                         .split("</select>")[0])
    assert "city_review" in options and "consent_compensation_plan" in options
    assert "submit_plan" not in options  # a district office's step


def test_queue_total_is_capped_on_the_page(client, web_login, as_user, app, clock,
                                           monkeypatch):
    _queue_of_seven(as_user, app, clock)
    _small_pages(monkeypatch, 2)
    monkeypatch.setattr("service.services.paging.TOTAL_CAP", 5)
    web_login("jingkou_office")
    seen, pages = _walk(client, "/desk/queue", "task")
    assert len(seen) == 7 == len(set(seen))
    assert "共 5+ 条" in pages[0] and "cursor=" in pages[-2]


def test_project_household_inbox_and_escalation_pages_follow_the_cursor(
        client, web_login, as_user, app, clock, monkeypatch):
    ids = _queue_of_seven(as_user, app, clock)
    _small_pages(monkeypatch)
    office = as_user("jingkou_office")
    assert upload(office, ids[0], xlsx([row(n) for n in range(7)])).status_code == 200
    web_login("jingkou_office")
    projects, _ = _walk(client, "/desk/projects", "project")
    assert projects == sorted(ids, reverse=True)
    households, _ = _walk(client, f"/desk/households?project={ids[0]}", "household")
    listed = office.get(f"/api/v1/projects/{ids[0]}/households",
                        query_string={"page_size": 100}).json
    assert households == [h["id"] for h in listed] and len(households) == 7
    notices, _ = _walk(client, "/desk/inbox", "notice")
    expected = [n["id"] for n in office.get("/api/v1/inbox",
                                            query_string={"page_size": 100}).json]
    assert notices == expected
    tasks = _task_ids(app, ids)
    mine = _escalate(app, tasks, 1, 2)
    client.get("/logout")
    web_login("jingkou_supervisor")
    cards, _ = _walk(client, "/supervision/?level=red", "escalation")
    assert cards == mine


def test_audit_page_follows_the_cursor_with_its_filters(client, web_login, as_user, app,
                                                        clock, monkeypatch):
    ids = _queue_of_seven(as_user, app, clock)
    _audit_rows(app, 5, "note_added", actor="jingkou_office", project_id=ids[0])
    monkeypatch.setattr("service.web.security_pages.AUDIT_PER_PAGE", 2)
    expected = [e["seq"] for e in as_user("audit_admin").get(
        "/api/v1/audit/events", query_string={"action": "note_added"}).json]
    web_login("audit_admin")
    seen, pages = _walk(client, "/admin/audit?action=note_added", "seq")
    assert seen == expected and len(seen) == 5 and len(pages) == 3


def _plans(app, run):
    """EXPLAIN QUERY PLAN (SQLite) of every SELECT `run()` makes."""
    statements = []

    def keep(conn, cursor, statement, parameters, context, many):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))
    engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    with engine.connect() as conn:
        return [(s, " | ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s,
                                                                      p)))
                for s, p in statements]


def test_each_list_reads_its_index_without_sorting(as_user, app, clock):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plans are read with SQLite's EXPLAIN QUERY PLAN; PostgreSQL's are "
                        "in docs/architecture.md (they depend on the table's size)")
    ids = _queue_of_seven(as_user, app, clock)
    tasks = _task_ids(app, ids)
    _escalate(app, tasks[:3], 1, 2)
    _escalate(app, tasks[:2], 2, 3)
    assert upload(as_user("jingkou_office"), ids[0], xlsx([row(n) for n in range(5)])) \
        .status_code == 200
    lists = {
        "/api/v1/escalations": ("city_supervisor", {"page_size": 2}, "escalations"),
        "/api/v1/escalations?d": ("jingkou_supervisor", {"page_size": 2}, "escalations"),
        "/api/v1/audit/events": ("audit_admin", {"limit": 2, "action": "start"}, "audit_events"),
        "/api/v1/audit/events?p": ("audit_admin", {"limit": 2, "project_id": ids[0]},
                                   "audit_events"),
        "/api/v1/audit/events?a": ("audit_admin", {"limit": 2, "actor": "jingkou_office"},
                                   "audit_events"),
        "/api/v1/tasks": ("jingkou_office", {"page_size": 2, "sort": "created"}, "tasks"),
        "/api/v1/tasks?c": ("city_review", {"page_size": 2, "sort": "created"}, "tasks"),
        "/api/v1/tasks?d": ("jingkou_office", {"page_size": 2}, "tasks"),
        f"/api/v1/projects/{ids[0]}/households": ("jingkou_office", {"page_size": 2},
                                                  "households"),
        "/api/v1/inbox": ("jingkou_office", {"page_size": 2}, "notifications"),
        # City-wide, newest first: the table itself in key order (its rowid b-tree).
        "/api/v1/projects": ("city_review", {"page_size": 2}, "projects"),
    }
    for key, (username, params, table) in lists.items():
        user = as_user(username)
        url = key.split("?")[0]

        def both_pages():
            first = user.get(url, query_string=params)
            assert first.status_code == 200, first.json
            cursor = re.search(r'"next_cursor": "([^"]+)"', first.headers["X-Pagination"])
            if cursor:
                assert user.get(url, query_string={**params, "cursor": cursor.group(1)}) \
                    .status_code == 200
        with app.app_context():
            plans = [(s, p) for s, p in _plans(app, both_pages) if f"FROM {table}" in s]
        assert plans, key
        for statement, plan in plans:
            assert "TEMP B-TREE" not in plan, (key, statement, plan)
            assert f"SCAN {table}" not in plan.replace(f"SCAN {table} USING", "index") \
                or table == "projects", (key, statement, plan)
