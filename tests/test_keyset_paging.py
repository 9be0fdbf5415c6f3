"""Lists paged by cursor: complete and in order while rows come and go between requests,
filters and scoping kept on every page, a total capped at TOTAL_CAP, bad cursors refused."""
import json

from sqlalchemy import select, update

from flow import PLAN, start
from helpers_deadlines import at
from service.extensions import db
from service.models import Task


def pages(user, **params):
    """Every page of the user's task list followed by cursor: (rows per page, headers)."""
    found, metas, cursor = [], [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = user.get("/api/v1/tasks", query_string=query)
        assert response.status_code == 200, response.json
        meta = json.loads(response.headers["X-Pagination"])
        found.append(response.json)
        metas.append(meta)
        cursor = meta.get("next_cursor")
        if not cursor:
            return found, metas


def due_order(rows):
    """Ids in the queue's order: due first (undated last), then id."""
    return [r["id"] for r in sorted(rows, key=lambda r: (r["due_date"] is None,
                                                         r["due_date"] or "", r["id"]))]


def _queue_of_seven(as_user, app, clock):
    """Seven submit_plan tasks in 京口's office queue, due on different days, two undated."""
    ids = []
    for day in range(7):
        at(clock, 2026, 11, 23 + day, 9, 0)
        ids.append(start(as_user, name=f"项目{day}"))
    with app.app_context():
        undated = db.session.scalars(select(Task.id).where(
            Task.project_id.in_(ids[1:3]))).all()
        db.session.execute(update(Task).where(Task.id.in_(undated))
                           .values(due_at=None, due_date=None))
        db.session.commit()
    return ids


def test_cursor_pages_are_complete_and_in_order(as_user, app, clock):
    _queue_of_seven(as_user, app, clock)
    office = as_user("jingkou_office")
    whole = office.queue(page_size=100)
    assert len(whole) == 7 and [r["id"] for r in whole] == due_order(whole)
    assert whole[-1]["due_date"] is None and whole[-2]["due_date"] is None
    found, metas = pages(office, scope="queue", page_size=3)
    assert [len(p) for p in found] == [3, 3, 1]
    assert [r["id"] for p in found for r in p] == [r["id"] for r in whole]
    assert all(m["total"] == 7 for m in metas)
    # The old page numbers answer the same rows.
    by_number = [office.queue(page=n, page_size=3) for n in (1, 2, 3)]
    assert [r["id"] for p in by_number for r in p] == [r["id"] for r in whole]


def test_rows_added_and_completed_between_requests(as_user, app, clock):
    _queue_of_seven(as_user, app, clock)
    office = as_user("jingkou_office")
    before = office.queue(page_size=100)
    first = office.get("/api/v1/tasks", query_string={"page_size": 3})
    cursor = json.loads(first.headers["X-Pagination"])["next_cursor"]
    seen = [r["id"] for r in first.json]
    # Between requests: a task not yet shown is completed, and a new project adds a task due
    # after every dated one.
    gone = before[4]
    done = office.post(f"/api/v1/tasks/{gone['id']}/complete", json={"data": PLAN})
    assert done.status_code == 200, done.json
    at(clock, 2026, 12, 14, 9, 0)
    start(as_user, name="后来的项目")
    while cursor:
        response = office.get("/api/v1/tasks", query_string={"page_size": 3, "cursor": cursor})
        assert response.status_code == 200, response.json
        seen += [r["id"] for r in response.json]
        cursor = json.loads(response.headers["X-Pagination"]).get("next_cursor")
    after = office.queue(page_size=100)
    # Each row open throughout is shown exactly once, in order; the completed one is not.
    assert len(seen) == len(set(seen))
    assert gone["id"] not in seen
    assert seen == [r["id"] for r in after]
    assert set(seen) >= {r["id"] for r in before} - {gone["id"]}


def test_cursor_pages_keep_filters_and_scoping(as_user, app, clock):
    ids = _queue_of_seven(as_user, app, clock)
    office = as_user("jingkou_office")
    found, _ = pages(office, scope="queue", page_size=1, project_id=ids[3])
    assert [r["project_id"] for p in found for r in p] == [ids[3]]
    # Another district's office sees none of them, with or without 京口's cursor.
    first = office.get("/api/v1/tasks", query_string={"page_size": 2})
    cursor = json.loads(first.headers["X-Pagination"])["next_cursor"]
    other = as_user("runzhou_office")
    answer = other.get("/api/v1/tasks", query_string={"page_size": 2, "cursor": cursor})
    assert answer.status_code == 200 and answer.json == []
    # `mine`: claimed tasks only, paged by cursor too.
    for task in office.queue(page_size=3):
        assert office.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200
    mine, _ = pages(office, scope="mine", page_size=2)
    assert sorted(r["id"] for p in mine for r in p) == sorted(
        r["id"] for r in office.queue(scope="mine", page_size=100))
    assert sum(len(p) for p in mine) == 3
    rest, _ = pages(office, scope="queue", page_size=2)
    assert sum(len(p) for p in rest) == 4


def test_total_is_capped_and_paging_goes_on(as_user, app, clock, monkeypatch):
    _queue_of_seven(as_user, app, clock)
    monkeypatch.setattr("service.services.paging.TOTAL_CAP", 5)
    office = as_user("jingkou_office")
    found, metas = pages(office, scope="queue", page_size=2)
    assert sum(len(p) for p in found) == 7
    assert metas[0]["total"] == 5 and metas[0]["total_capped"] is True
    # Page numbers go on past the capped total while rows remain.
    third = office.get("/api/v1/tasks", query_string={"page_size": 2, "page": 3})
    assert json.loads(third.headers["X-Pagination"])["next_page"] == 4
    assert len(office.queue(page=4, page_size=2)) == 1


def test_a_cursor_that_is_not_one_is_refused_by_field(as_user, app, clock):
    _queue_of_seven(as_user, app, clock)
    office = as_user("jingkou_office")
    for bad in ("not-a-cursor", "W1sidiIsMV1d", "x" * 3000):
        response = office.get("/api/v1/tasks", query_string={"cursor": bad})
        assert response.status_code == 422, (bad, response.json)
        assert "cursor" in json.dumps(response.json)


def test_inbox_and_projects_page_by_cursor(as_user, app, clock):
    ids = _queue_of_seven(as_user, app, clock)
    office = as_user("jingkou_office")
    seen, cursor = [], None
    while True:
        response = office.get("/api/v1/projects", query_string={
            "page_size": 3, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.json
        seen += [p["id"] for p in response.json]
        cursor = json.loads(response.headers["X-Pagination"]).get("next_cursor")
        if not cursor:
            break
    assert seen == sorted(ids, reverse=True)


def test_inbox_pages_by_cursor_keep_the_unread_filter(as_user, app, clock):
    _queue_of_seven(as_user, app, clock)
    office = as_user("jingkou_office")
    everything = office.get("/api/v1/inbox", query_string={"page_size": 100}).json
    assert len(everything) >= 3
    office.post(f"/api/v1/inbox/{everything[0]['id']}/read")
    for unread in (False, True):
        seen, cursor = [], None
        while True:
            response = office.get("/api/v1/inbox", query_string={
                "page_size": 2, "unread": unread, **({"cursor": cursor} if cursor else {})})
            assert response.status_code == 200, response.json
            seen += [n["id"] for n in response.json]
            cursor = json.loads(response.headers["X-Pagination"]).get("next_cursor")
            if not cursor:
                break
        expected = [n["id"] for n in everything if not (unread and n["id"] == everything[0]["id"])]
        assert seen == expected
    # Another office's inbox holds none of these notices.
    other = as_user("runzhou_office")
    mine = other.get("/api/v1/inbox", query_string={"page_size": 100}).json
    assert not {n["id"] for n in mine} & {n["id"] for n in everything}


def _follow(user, url, params):
    """Ids of every page of a list followed by cursor, and the first page's header."""
    seen, cursor, first = [], None, None
    while True:
        response = user.get(url, query_string={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.json
        meta = json.loads(response.headers["X-Pagination"])
        first = first or meta
        seen += [row["id"] for row in response.json]
        cursor = meta.get("next_cursor")
        if not cursor:
            return seen, first


def _escalate(app, task_ids, level, day, closed=False):
    """Escalation rows at `level` for the tasks, fired on 2026-12-`day` (one a minute)."""
    import datetime as dt
    from service.models import Escalation
    ids = []
    with app.app_context():
        for n, task_id in enumerate(task_ids):
            task = db.session.get(Task, task_id)
            row = Escalation(task_id=task.id, project_id=task.project_id, level=level,
                             district=task.district, office=task.role, step=task.step,
                             due_at=task.due_at, fired_at=dt.datetime(2026, 12, day, 1, n),
                             closed_at=dt.datetime(2026, 12, 20) if closed else None)
            db.session.add(row)
            db.session.flush()
            ids.append(row.id)
        db.session.commit()
    return ids


def _task_ids(app, project_ids):
    with app.app_context():
        return db.session.scalars(select(Task.id).where(Task.project_id.in_(project_ids))
                                  .order_by(Task.id)).all()


def test_escalations_page_by_cursor_across_levels_while_items_come_and_go(as_user, app, clock):
    projects = _queue_of_seven(as_user, app, clock)
    tasks = _task_ids(app, projects)
    red = _escalate(app, tasks[:3], 1, 2)
    yellow = _escalate(app, tasks[3:6], 0, 1)
    level2 = _escalate(app, tasks[:2], 2, 3)
    _escalate(app, tasks[5:6], 1, 4, closed=True)  # closed off: not on the open list
    supervisor = as_user("city_supervisor")
    whole, meta = _follow(supervisor, "/api/v1/escalations", {"page_size": 100})
    # Most serious first, then the oldest: level 2, red, yellow; within a level by fired_at.
    assert whole == level2 + red + yellow and meta["total"] == 8
    paged, _ = _follow(supervisor, "/api/v1/escalations", {"page_size": 2})
    assert paged == whole
    # Between requests: an item not yet shown is closed off, a new yellow one (after every
    # row shown) and a new level 2 one (before the cursor) fire.
    first = supervisor.get("/api/v1/escalations", query_string={"page_size": 4})
    seen = [r["id"] for r in first.json]
    cursor = json.loads(first.headers["X-Pagination"])["next_cursor"]
    closed = supervisor.post(f"/api/v1/escalations/{yellow[0]}/close", json={"note": "已办结"})
    assert closed.status_code == 200, closed.json
    late = _escalate(app, tasks[6:], 0, 9) + _escalate(app, tasks[2:3], 2, 9)
    rest, _ = _follow(supervisor, "/api/v1/escalations", {"page_size": 2, "cursor": cursor})
    seen += rest
    after, _ = _follow(supervisor, "/api/v1/escalations", {"page_size": 100})
    assert len(seen) == len(set(seen)) and yellow[0] not in seen
    assert seen == [i for i in after if i != late[1]] and late[0] in seen
    # Page numbers answer the same rows as the cursor (the levels read one at a time).
    by_number = [r["id"] for n in (1, 2, 3, 4, 5)
                 for r in supervisor.get("/api/v1/escalations", query_string={
                     "page_size": 2, "page": n}).json]
    assert by_number == after


def test_escalation_pages_keep_filters_and_district_scoping(as_user, app, clock):
    projects = _queue_of_seven(as_user, app, clock)
    at(clock, 2026, 11, 30, 9, 0)
    other = [start(as_user, name=f"润州项目{n}", office="runzhou_office") for n in range(3)]
    tasks, theirs = _task_ids(app, projects), _task_ids(app, other)
    mine = _escalate(app, tasks, 1, 2)
    _escalate(app, theirs, 1, 1)
    _escalate(app, theirs[:1], 2, 1)
    jingkou = as_user("jingkou_supervisor")
    seen, meta = _follow(jingkou, "/api/v1/escalations", {"page_size": 2})
    assert seen == mine and meta["total"] == 7
    # A cursor from the city-wide list shows a district supervisor nothing of another district.
    city = as_user("city_supervisor")
    first = city.get("/api/v1/escalations", query_string={"page_size": 1})
    cursor = json.loads(first.headers["X-Pagination"])["next_cursor"]
    assert first.json[0]["district"] != "jingkou"
    found, _ = _follow(jingkou, "/api/v1/escalations", {"page_size": 2, "cursor": cursor})
    assert found == mine
    red_city, _ = _follow(city, "/api/v1/escalations", {"page_size": 2, "level": "red",
                                                        "district": "runzhou"})
    assert red_city == sorted(red_city) and len(red_city) == 3
    assert not set(red_city) & set(mine)


def _audit_rows(app, count, action, actor=None, project_id=None):
    from service.models import Project, User
    from service.services.records.audit import record
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == actor)) if actor else None
        project = db.session.get(Project, project_id) if project_id else None
        for n in range(count):
            record(action, user, project, None, n=n)
        db.session.commit()


def test_audit_events_page_by_cursor_while_rows_are_added(as_user, app, clock):
    projects = _queue_of_seven(as_user, app, clock)
    auditor = as_user("audit_admin")
    whole, meta = _follow(auditor, "/api/v1/audit/events", {"limit": 500})
    seqs = [e["seq"] for e in auditor.get("/api/v1/audit/events",
                                          query_string={"limit": 500}).json]
    assert seqs == sorted(seqs, reverse=True) and meta["total"] == len(whole) >= 7
    paged, _ = _follow(auditor, "/api/v1/audit/events", {"limit": 3})
    assert paged == whole
    # Rows written between requests are newer than every row shown: the pages after the
    # cursor hold exactly the older rows, once each.
    first = auditor.get("/api/v1/audit/events", query_string={"limit": 4})
    cursor = json.loads(first.headers["X-Pagination"])["next_cursor"]
    _audit_rows(app, 3, "note_added", actor="jingkou_office", project_id=projects[0])
    rest, _ = _follow(auditor, "/api/v1/audit/events", {"limit": 3, "cursor": cursor})
    assert [r["id"] for r in first.json] + rest == whole
    # Filters by action, official and project stay on every page.
    _audit_rows(app, 2, "note_added", actor="runzhou_office")
    for params, expect in (({"action": "note_added"}, 5),
                           ({"action": "note_added", "actor": "jingkou_office"}, 3),
                           ({"project_id": projects[0]}, None)):
        found, meta = _follow(auditor, "/api/v1/audit/events", {"limit": 2, **params})
        everything = auditor.get("/api/v1/audit/events",
                                 query_string={"limit": 500, **params}).json
        assert found == [e["id"] for e in everything] and meta["total"] == len(found)
        assert expect is None or len(found) == expect
        assert all(e["project_id"] == projects[0] for e in everything
                   if "project_id" in params)
    assert _follow(auditor, "/api/v1/audit/events", {"actor": "nobody"})[0] == []
    # Only the audit administrator reads the trail; a bad cursor is refused by field.
    assert as_user("jingkou_office").get("/api/v1/audit/events").status_code == 403
    bad = auditor.get("/api/v1/audit/events", query_string={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and "cursor" in json.dumps(bad.json)


def test_audit_total_is_capped(as_user, app, clock, monkeypatch):
    _queue_of_seven(as_user, app, clock)
    monkeypatch.setattr("service.services.paging.TOTAL_CAP", 5)
    found, meta = _follow(as_user("audit_admin"), "/api/v1/audit/events", {"limit": 2})
    assert meta["total"] == 5 and meta["total_capped"] is True and len(found) > 5


def test_queue_sorted_by_creation_pages_by_cursor(as_user, app, clock):
    ids = _queue_of_seven(as_user, app, clock)
    office = as_user("jingkou_office")
    newest, _ = _follow(office, "/api/v1/tasks", {"page_size": 2, "sort": "created"})
    assert newest == sorted(_task_ids(app, ids), reverse=True)
    bad = office.get("/api/v1/tasks", query_string={"sort": "random"})
    assert bad.status_code == 422 and "sort" in json.dumps(bad.json)
