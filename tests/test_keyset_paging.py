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
