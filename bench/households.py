"""Benchmark: households at the scale of a district and of a city.

One district: 24 projects, 13,161 households, ~79,000 household task rows; a city: 100,000
households (the other districts' projects added). Measured through the HTTP API (Flask test
client, bearer token, so views, schemas and the database are all in the figure):

- importing a 5,000-row survey ledger (XLSX) into a new project;
- starting the processes of 600 households and bulk-completing 500 of their signing tasks
  (POST /api/v1/tasks/bulk-complete), against the same in a 10-household project (the cost per
  household task must not grow with the project: no other household's state is loaded);
- p95 of the household list (GET /projects/{id}/households, plain and filtered) and of the
  progress figures (GET /projects/{id}/progress; GET /progress per district, city-wide).

    .venv/bin/python bench/households.py --small        # quick: a tenth of the district
    .venv/bin/python bench/households.py                 # district, then city (SQLite file)
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_households \
        .venv/bin/python bench/households.py             # PostgreSQL (the database is reset)

The register is filled with INSERT … SELECT (rows as the import and the household processes
leave them), except the households that are measured, which go through the real import and
the real process.
"""
import argparse
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import MetaData, func, select, text  # noqa: E402

from service import create_app  # noqa: E402
from service.clock import SHANGHAI, FrozenClock  # noqa: E402
from service.config import Config, database_url  # noqa: E402
from service.extensions import db  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
PASSWORD = "demo-pass-2026"
DISTRICT_PROJECTS, DISTRICT_HOUSEHOLDS, CITY_HOUSEHOLDS = 24, 13161, 100000
HEADINGS = ["户号", "楼栋", "户主姓名", "身份证号", "联系电话", "房屋地址", "合法建筑面积(m²)",
            "产权性质", "安置方式", "家庭人口"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: the household steps in order (in kind); a household at stage s has s steps done, one open
STEPS = ("sign_agreement", "hand_over", "transition", "allocate_unit", "move_in",
         "title_certificate")
#: (share of households in 20ths, status, stage, choice) of a district half-way through its plan
MIX = ((1, "registered", 0, "in_kind"), (1, "signed", 1, "in_kind"),
       (2, "handed_over", 2, "in_kind"), (2, "allocated", 4, "in_kind"),
       (4, "resettled", 5, "exchange"), (6, "certified", 6, "in_kind"),
       (4, "paid", 6, "monetary"))


def make_app(url):
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url(url)
        SCHEDULER_ENABLED = False
        SMTP_HOST = None
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    return create_app(BenchConfig, clock=FrozenClock(NOW))


def reset():
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    metadata.drop_all(bind=db.engine)
    from service.cli import init_database
    from service.seed import seed_demo
    init_database()
    seed_demo()


class Caller:
    """An official calling the API with a bearer token through the test client."""

    def __init__(self, client, username):
        self.client = client
        token = client.post("/api/v1/auth/token",
                            json={"username": username, "password": PASSWORD})
        assert token.status_code == 200, token.json
        self.headers = {"Authorization": f"Bearer {token.json['token']}"}

    def get(self, url, **kw):
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self.headers, **kw)

    def complete(self, project_id, step, data):
        tasks = self.get("/api/v1/tasks", query_string={"project_id": project_id}).json
        (task,) = [t for t in tasks if t["step"] == step]
        answer = self.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
        assert answer.status_code == 200, answer.json
        return answer.json


def id_number(serial):
    body = f"3211{serial:010d}{serial % 1000:03d}"[:17]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def ledger(count, first_serial):
    """A survey-ledger XLSX of `count` valid rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADINGS)
    for n in range(count):
        serial = first_serial + n
        sheet.append([f"{1 + n // 200}-{n % 200 + 101}", str(1 + n // 200), f"住户{serial}",
                      id_number(serial), f"139{serial % 100000000:08d}", f"解放路{serial}号",
                      55 + n % 60, "私房", "货币补偿" if n % 5 == 0 else "产权调换", 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def units_sheet(estate, count):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["小区/项目 estate", "区 district", "楼栋 building", "房号 unit",
                  "面积(m²) area", "户型 layout", "产权单位 owner", "存量房源 existing stock (是/否)"])
    for n in range(count):
        sheet.append([estate, "jingkou", str(1 + n // 100), str(101 + n % 100), 85.0, "两室",
                      "市城建集团", "是"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fill_register(project_id, district, households, serial):
    """Insert `households` rows across the mix, with their task rows; returns the next serial."""
    now = NOW.astimezone(dt.timezone.utc).replace(tzinfo=None)
    day = NOW.date()
    shares = [max(1, households * share // 20) for share, *_ in MIX]
    shares[-1] += households - sum(shares)
    pg = db.engine.dialect.name == "postgresql"
    series = ("generate_series(1, :n) AS s(g)" if pg else
              "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n) "
              "SELECT g FROM s) AS s")
    for count, (_, status, stage, choice) in zip(shares, MIX):
        if count <= 0:
            continue
        dates = {"signed_on": stage >= 1, "handed_over_on": stage >= 2,
                 "allocated_on": stage >= 4 and choice != "monetary",
                 "resettled_on": stage >= 5 and choice != "monetary",
                 "certified_on": status == "certified", "paid_on": status == "paid"}
        db.session.execute(text(
            "INSERT INTO households (project_id, number, building, head_name, id_number, phone, "
            "address, legal_area, property_type, choice, family_size, status, signed_on, "
            "handed_over_on, allocated_on, resettled_on, certified_on, paid_on, promised_on, "
            "revision, created_at, updated_at) "
            "SELECT :project, :prefix || g, '1', '住户', :serial || g, '13900000000', '解放路', "
            "60.5, 'private', :choice, 3, :status, "
            + ", ".join(f":d_{k}" for k in dates) +
            f", :promised, 0, :now, :now FROM {series}"),
            {"project": project_id, "prefix": f"{status}-", "serial": f"S{serial}-",
             "choice": choice, "status": status, "n": count, "now": now,
             "promised": day + dt.timedelta(days=90 if stage < 5 else -30),
             **{f"d_{k}": (day - dt.timedelta(days=60) if on else None)
                for k, on in dates.items()}})
        serial += count
        for index, step in enumerate(STEPS):
            state = "completed" if index < stage else "open" if index == stage else "cancelled"
            db.session.execute(text(
                "INSERT INTO tasks (project_id, household_id, spiff_id, step, name, form, role, "
                "district, status, created_at, completed_at) "
                "SELECT h.project_id, h.id, :tag || h.id, :step, :step, NULL, 'district_office', "
                ":district, :state, :now, :done FROM households h "
                "WHERE h.project_id = :project AND h.status = :status"),
                {"tag": f"b{project_id}-{index}-", "step": step, "district": district,
                 "state": state, "now": now, "done": now if state == "completed" else None,
                 "project": project_id, "status": status})
    db.session.commit()
    return serial


def fill(projects, households, district, office, start_serial, name):
    from service.models import User
    from service.services.approval.projects import start_project
    user = db.session.scalar(select(User).where(User.username == office))
    serial, ids = start_serial, []
    for n in range(projects):
        project = start_project(user, f"{name}{n + 1}")
        per = households // projects + (1 if n < households % projects else 0)
        serial = fill_register(project.id, district, per, serial)
        ids.append(project.id)
    return ids, serial


def p95(call, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.json
    times.sort()
    return times[max(0, int(round(0.95 * len(times))) - 1)], statistics.median(times)


STRAIGHT = [
    ("submit_plan", "jingkou_office", {
        "name": "基准项目", "area_m2": 12500.5, "households": 600, "building_area_m2": 9800,
        "in_kind_households": 480, "monetary_households": 120, "plan_year": 2026,
        "property_rights": "产权清晰", "housing_quality": "poor", "willingness_rate": 96.5,
        "survey_summary": "入户调查完成"}),
    ("city_review", "city_review", {"necessity_ok": True, "urgency_ok": True,
                                    "feasibility_ok": True, "decision": "approve",
                                    "departments": ["housing"]}),
    ("file_compensation_plan", "jingkou_office", {
        "compensation_budget": "86000000.00", "in_kind_households": 480,
        "monetary_households": 120, "comment_start": "2026-12-01",
        "comment_end": "2026-12-31"}),
    ("approve_compensation_plan", "jingkou_gov", {"decision": "approve",
                                                  "approval_doc_no": "京政复〔2026〕18号"}),
    ("consent_compensation_plan", "city_review", {"decision": "approve"}),
    ("check_funds", "jingkou_finance", {"funds_required": "86000000.00",
                                        "funds_deposited": "86000000.00",
                                        "special_account": "3201 0000 8888 0001"}),
    ("joint_signoff", "dept_housing", {"decision": "approve"}),
]


def project_at_handover(callers, households, serial, label):
    """A real project with `households` imported, taken to the handover (processes start);
    returns (project id, seconds the last step took, which starts the processes)."""
    office = callers("jingkou_office")
    project_id = office.post("/api/v1/projects", json={"name": label}).json["id"]
    assert office.post(f"/api/v1/projects/{project_id}/households/import", data={
        "file": (io.BytesIO(ledger(households, serial)), "ledger.xlsx")},
        content_type="multipart/form-data").status_code == 200
    in_kind = households - households // 5
    estate = f"基准安置小区{project_id}"
    assert office.post("/api/v1/housing-units/import", data={
        "file": (io.BytesIO(units_sheet(estate, in_kind)), "units.xlsx")},
        content_type="multipart/form-data").status_code == 200
    ids = [u["id"] for page in range(1, in_kind // 100 + 2) for u in office.get(
        "/api/v1/housing-units", query_string={"estate": estate, "page": page,
                                               "page_size": 100}).json]
    assert office.post(f"/api/v1/projects/{project_id}/housing-reservations",
                       json={"unit_ids": ids}).status_code == 200
    took = 0.0
    for step, username, data in STRAIGHT:
        if step in ("submit_plan", "file_compensation_plan"):
            data = {**data, "households": households, "in_kind_households": in_kind,
                    "monetary_households": households - in_kind}
            if step == "file_compensation_plan":
                data.pop("households")
        started = time.perf_counter()
        callers(username).complete(project_id, step, data)
        took = time.perf_counter() - started
    return project_id, took


def signing_tasks(office, project_id, count):
    from service.models import Task
    return db.session.scalars(select(Task.id).where(
        Task.project_id == project_id, Task.step == "sign_agreement", Task.status == "open")
        .order_by(Task.id).limit(count)).all()


def bulk(office, task_ids):
    started = time.perf_counter()
    answer = office.post("/api/v1/tasks/bulk-complete",
                         json={"task_ids": task_ids, "data": {"signed_on": "2026-11-23"}})
    took = time.perf_counter() - started
    assert answer.status_code == 200, answer.json
    done = sum(1 for r in answer.json if r["completed"])
    assert done == len(task_ids), [r for r in answer.json if not r["completed"]][:3]
    return took


def measure(app, label, runs, bulk_size, import_rows, serial):
    client = app.test_client()
    cache = {}

    def callers(username):
        if username not in cache:
            cache[username] = Caller(client, username)
        return cache[username]
    office, city = callers("jingkou_office"), callers("city_supervisor")
    from service.models import Household, Task
    households = db.session.scalar(select(func.count(Household.id)))
    tasks = db.session.scalar(select(func.count(Task.id)).where(Task.household_id.is_not(None)))
    db.session.rollback()
    print(f"\n== {label}: {households:,} households, {tasks:,} household task rows")
    # 1. import a 5,000-row ledger into a new project
    project_id = office.post("/api/v1/projects", json={"name": f"导入基准{label}"}).json["id"]
    sheet = ledger(import_rows, serial)
    serial += import_rows
    started = time.perf_counter()
    answer = office.post(f"/api/v1/projects/{project_id}/households/import", data={
        "file": (io.BytesIO(sheet), "ledger.xlsx")}, content_type="multipart/form-data")
    took = time.perf_counter() - started
    assert answer.status_code == 200, str(answer.json)[:500]
    print(f"import {import_rows:,}-row ledger (XLSX, checked, one transaction): {took:.2f} s")
    # 2. processes started at the handover, then bulk-complete
    big, start_took = project_at_handover(callers, bulk_size + 100, serial, f"批量基准{label}")
    serial += bulk_size + 100
    print(f"joint sign-off completing and starting {bulk_size + 100} household processes: "
          f"{start_took:.2f} s")
    small, _ = project_at_handover(callers, 10, serial, f"小项目基准{label}")
    serial += 10
    ids = signing_tasks(office, big, bulk_size)
    took = bulk(office, ids)
    small_ids = signing_tasks(office, small, 10)
    small_took = bulk(office, small_ids)
    print(f"bulk-complete {len(ids)} signing tasks: {took:.2f} s "
          f"({took / len(ids) * 1000:.1f} ms per task); in a 10-household project: "
          f"{small_took / len(small_ids) * 1000:.1f} ms per task")
    # 3. p95 of the list and the figures (a filled project of the district)
    from service.models import Project
    filled = db.session.scalar(select(Project.id).where(Project.name.like("京口%"))
                               .order_by(Project.id))
    db.session.rollback()
    figures = [
        ("household list, page of 50", lambda: office.get(
            f"/api/v1/projects/{filled}/households", query_string={"page_size": 50})),
        ("household list, status=signed", lambda: office.get(
            f"/api/v1/projects/{filled}/households",
            query_string={"status": "signed", "page_size": 50})),
        ("household list, overdue=true", lambda: office.get(
            f"/api/v1/projects/{filled}/households",
            query_string={"overdue": "true", "page_size": 50})),
        ("project progress", lambda: office.get(f"/api/v1/projects/{filled}/progress")),
        ("progress per district (district office)", lambda: office.get("/api/v1/progress")),
        ("progress per district (city supervisor)", lambda: city.get("/api/v1/progress")),
        ("progress per project (city supervisor)", lambda: city.get(
            "/api/v1/progress", query_string={"by": "project"})),
    ]
    for name, call in figures:
        high, median = p95(call, runs)
        print(f"p95 {name}: {high:.1f} ms (median {median:.1f} ms, {runs} requests)")
    return serial


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true",
                        help="a tenth of the district, no city; 1,000-row import, 100 tasks")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--no-city", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-households-')}/bench.db"
    app = make_app(url)
    scale = 10 if args.small else 1
    with app.app_context():
        reset()
        print(f"database: {db.engine.dialect.name}")
        started = time.perf_counter()
        _, serial = fill(DISTRICT_PROJECTS // (2 if args.small else 1),
                         DISTRICT_HOUSEHOLDS // scale, "jingkou", "jingkou_office", 1, "京口")
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"filled the district in {time.perf_counter() - started:.1f} s")
        serial = measure(app, "district" if not args.small else "district/10", args.runs,
                         500 // (5 if args.small else 1), 5000 // (5 if args.small else 1),
                         10_000_000)
        if args.small or args.no_city:
            return
        started = time.perf_counter()
        rest = CITY_HOUSEHOLDS - DISTRICT_HOUSEHOLDS
        for district, office in (("runzhou", "runzhou_office"), ("xinqu", "xinqu_office")):
            serial = fill(80, rest // 2, district, office, serial + 1_000_000,
                          district)[1]
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"\nfilled the city in {time.perf_counter() - started:.1f} s")
        measure(app, "city", args.runs, 500, 5000, 20_000_000)


if __name__ == "__main__":
    main()
