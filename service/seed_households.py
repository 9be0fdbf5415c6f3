"""Demo data for the household register: one 京口区 project with a few hundred households at
different stages (`flask seed-demo-households`, run by `make run`; the test fixture's
`seed_demo` stays small)."""
import csv
import io

import click
from sqlalchemy import select

from .extensions import db
from .models import Household, HousingUnit, Project, Task, User
from .services.approval import projects, tasks
from .services.errors import ServiceError
from .services.households import pool, register

DEMO_PROJECT = "金山路片区棚户区改造（演示）"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "志强", "桂兰", "海燕", "文明", "玉梅", "国平", "春生", "丽华")


def _id_number(serial):
    body = f"32110219{50 + serial % 40:02d}{1 + serial % 12:02d}{1 + serial % 28:02d}{serial % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


def ledger(count):
    """A survey ledger (CSV bytes) of `count` households."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for _, heading in register.COLUMNS])
    for n in range(1, count + 1):
        building = 1 + (n - 1) // 24
        choice = ("货币补偿", "产权调换", "实物安置")[n % 3]
        writer.writerow([f"{building}-{100 + (n - 1) % 24 + 1}", str(building),
                         SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)], _id_number(n),
                         f"139{n:08d}", f"金山路{building}号{(n - 1) % 24 + 1}室",
                         round(45 + (n * 7) % 60 + 0.5, 2), ("私房", "公房", "无证")[n % 7 % 3],
                         choice, 1 + n % 5])
    return out.getvalue().encode("utf-8")


# The statutory steps up to the handover, with demo values (as the tests' straight path).
STATUTORY = [
    ("submit_plan", "jingkou_office", {
        "name": DEMO_PROJECT, "area_m2": 38000, "households": 0, "building_area_m2": 24000,
        "in_kind_households": 0, "monetary_households": 0, "plan_year": 2026,
        "property_rights": "产权清晰", "housing_quality": "poor", "willingness_rate": 97,
        "survey_summary": "入户调查摸底完成，台账已建立"}),
    ("city_review", "city_review", {
        "necessity_ok": True, "urgency_ok": True, "feasibility_ok": True, "decision": "approve",
        "opinion": "", "departments": ["housing", "natural_resources", "finance"]}),
    ("file_compensation_plan", "jingkou_office", {
        "compensation_budget": "260000000.00", "in_kind_households": 0,
        "monetary_households": 0, "units_reserved": 0, "stock_units_used": 0,
        "comment_start": "2026-12-01", "comment_end": "2026-12-31", "hearing_held": False}),
    ("approve_compensation_plan", "jingkou_gov", {
        "decision": "approve", "approval_doc_no": "京政复〔2026〕66号"}),
    ("consent_compensation_plan", "city_review", {"decision": "approve"}),
    ("check_funds", "jingkou_finance", {
        "funds_required": "260000000.00", "funds_deposited": "260000000.00",
        "special_account": "3201 0000 8888 0066"}),
]


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def _open(project_id, step, household_id=None):
    return db.session.scalars(select(Task).where(
        Task.project_id == project_id, Task.step == step, Task.status == "open",
        Task.household_id == household_id if household_id else Task.household_id.is_(None))
    ).all()


def _counts(project_id, counts):
    """Fill the plan's household figures from the register."""
    monetary = sum(1 for c in counts if c == "monetary")
    return {"households": len(counts), "monetary_households": monetary,
            "in_kind_households": len(counts) - monetary}


def seed_household_demo(count=300):
    """The demo project, its register and households at different stages; returns a summary."""
    if db.session.scalar(select(Project.id).where(Project.name == DEMO_PROJECT)):
        return "the household demo exists already"
    office = _user("jingkou_office")
    project = projects.start_project(office, DEMO_PROJECT)
    register.import_households(office, project.id, ledger(count))
    choices = list(db.session.scalars(select(Household.choice)
                                      .where(Household.project_id == project.id)))
    figures = _counts(project.id, choices)
    for step, username, data in STATUTORY:
        data = {**data, **{k: v for k, v in figures.items() if k in data}}
        if step == "file_compensation_plan":
            data["units_reserved"] = _reserve_units(office, project.id,
                                                    figures["in_kind_households"])
        for task in _open(project.id, step):
            # values the form computes itself (from the ledger) are not typed
            computed = {f["name"] for f in tasks.task_form(task)["fields"] if f.get("computed")}
            tasks.complete(_user(username), task.id,
                           {k: v for k, v in data.items() if k not in computed})
    for department in ("housing", "natural_resources", "finance"):
        for task in _open(project.id, "joint_signoff"):
            if task.department == department:
                tasks.complete(_user(f"dept_{department}"), task.id,
                               {"decision": "approve", "opinion": "同意"})
    _advance_households(project.id, office)
    return f"{DEMO_PROJECT}: {count} households"


def _reserve_units(office, project_id, count):
    """Existing-stock units entered into the pool and reserved for the project."""
    ids = [pool.create_unit(office, {
        "estate": "金山路安置小区", "district": "jingkou", "building": str(1 + n // 50),
        "unit_number": str(101 + n % 50), "area": 75.0 + n % 4 * 10, "layout": "两室一厅",
        "owner_unit": "市城建集团", "existing_stock": True}).id for n in range(count)]
    pool.reserve_units(office, project_id, ids)
    return count


def _advance_households(project_id, office):
    """Move the households on: most signed, many handed over, some paid or resettled."""
    rows = db.session.execute(select(Household.id, Household.choice).where(
        Household.project_id == project_id).order_by(Household.id)).all()
    units = db.session.scalars(select(HousingUnit.id).where(
        HousingUnit.reserved_project_id == project_id, HousingUnit.status == "reserved")).all()
    steps = [("sign_agreement", lambda h, c: {"signed_on": "2026-11-24"}),
             ("hand_over", lambda h, c: {"handed_over_on": "2026-11-26"}),
             ("pay_compensation", lambda h, c: {"paid_on": "2026-12-01",
                                                "amount_paid": "880000.00"}),
             ("transition", lambda h, c: {"transition_allowance": "1500.00",
                                          "promised_on": "2027-06-30"})]
    for index, (household_id, choice) in enumerate(rows):
        # 90% signed, 70% handed over, then paid / in transition; every 10th not yet signed
        depth = 0 if index % 10 == 0 else 1 if index % 10 in (1, 2) else 3
        for step, values in steps[:depth + (1 if depth == 3 else 0)]:
            for task in _open(project_id, step, household_id):
                try:
                    tasks.complete(office, task.id, values(household_id, choice))
                except ServiceError:
                    db.session.rollback()
        if units and choice != "monetary" and index % 5 == 3:
            for task in _open(project_id, "allocate_unit", household_id):
                try:
                    tasks.complete(office, task.id, {"unit_id": units.pop(),
                                                     "allocated_on": "2026-12-05"})
                except ServiceError:
                    db.session.rollback()


def register_cli(app):
    """`flask seed-demo-households`."""
    @app.cli.command("seed-demo-households")
    @click.option("--count", default=300, show_default=True, help="households in the project")
    def seed_demo_households(count):
        """A demo project with a few hundred households at different stages."""
        try:
            click.echo(seed_household_demo(count))
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(f"{exc.message} {exc.errors or ''}") from None
