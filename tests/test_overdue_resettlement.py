"""Overdue resettlement (逾期未安置) escalated and closed off; progress figures; the ledger XLSX;
the monthly report carries the register's figures."""
import datetime as dt
import io

from openpyxl import load_workbook

from service.extensions import db
from service.models import Household

from helpers_deadlines import at, inbox, start


def tick(runner):
    result = runner.invoke(args=["scheduler", "tick"])
    assert result.exit_code == 0, result.output
    return result.output


def register(app, project_id, rows):
    """Households as the survey import leaves them, moved on to the given stages (the register
    is E1's import; these tests are about what the pool, ledger and figures make of it)."""
    now = dt.datetime(2026, 11, 1)
    with app.app_context():
        for n, row in enumerate(rows, start=1):
            db.session.add(Household(
                project_id=project_id, number=f"H{n:03d}", building="1", head_name=f"户主{n}",
                id_number="32110219800101001X", phone="13800000000", address="西津渡1号",
                legal_area=row.get("area", 60.0), property_type="private",
                choice=row.get("choice", "in_kind"), family_size=3,
                status=row.get("status", "registered"), signed_on=row.get("signed_on"),
                handed_over_on=row.get("handed_over_on"), resettled_on=row.get("resettled_on"),
                certified_on=row.get("certified_on"), paid_on=row.get("paid_on"),
                promised_on=row.get("promised_on"), revision=0, created_at=now, updated_at=now))
        db.session.commit()
        return [h.id for h in db.session.query(Household).filter_by(project_id=project_id)
                .order_by(Household.id)]


SIGNED, HANDED = dt.date(2026, 6, 1), dt.date(2026, 7, 1)
STAGES = [
    # overdue: handed over, promised 2026-11-20, not resettled
    {"status": "handed_over", "signed_on": SIGNED, "handed_over_on": HANDED,
     "promised_on": dt.date(2026, 11, 20), "area": 72.5},
    # overdue too, not even signed
    {"status": "registered", "promised_on": dt.date(2026, 11, 1), "area": 40.0},
    # promised later: not overdue yet
    {"status": "handed_over", "signed_on": SIGNED, "handed_over_on": HANDED,
     "promised_on": dt.date(2026, 12, 31)},
    # certified in kind: settled
    {"status": "certified", "signed_on": SIGNED, "handed_over_on": HANDED,
     "resettled_on": dt.date(2026, 9, 1), "certified_on": dt.date(2026, 10, 1),
     "promised_on": dt.date(2026, 9, 30)},
    # monetary, paid: settled, past any date
    {"status": "paid", "choice": "monetary", "signed_on": SIGNED, "handed_over_on": HANDED,
     "paid_on": dt.date(2026, 8, 1), "promised_on": dt.date(2026, 8, 1)},
]


def test_progress_figures_per_project_and_district(app, as_user):
    project = start(as_user)["id"]
    register(app, project, STAGES)
    office = as_user("jingkou_office")
    figures = office.get(f"/api/v1/projects/{project}/progress").json
    assert {k: figures[k] for k in ("households", "signed", "handed_over", "resettled",
                                    "certified", "overdue", "signing_rate", "handover_rate",
                                    "resettlement_rate", "certificate_rate")} == {
        "households": 5, "signed": 4, "handed_over": 4, "resettled": 2, "certified": 1,
        "overdue": 0, "signing_rate": 80.0, "handover_rate": 80.0, "resettlement_rate": 40.0,
        # four in-kind households, one certified
        "certificate_rate": 25.0}
    assert as_user("runzhou_office").get(f"/api/v1/projects/{project}/progress").status_code \
        == 404
    districts = as_user("city_supervisor").get("/api/v1/progress").json
    jingkou = next(d for d in districts if d["district"] == "jingkou")
    runzhou = next(d for d in districts if d["district"] == "runzhou")
    assert (jingkou["households"], jingkou["signing_rate"]) == (5, 80.0)
    assert (runzhou["households"], runzhou["signing_rate"]) == (0, None)
    assert [d["district"] for d in as_user("jingkou_supervisor").get("/api/v1/progress").json] \
        == ["jingkou"]
    by_project = office.get("/api/v1/progress", query_string={"by": "project"}).json
    assert [(p["project_id"], p["households"]) for p in by_project] == [(project, 5)]


def test_overdue_household_escalates_and_is_closed_off(app, as_user, runner, clock):
    project = start(as_user)["id"]
    ids = register(app, project, STAGES)
    tick(runner)
    supervisor, office = as_user("jingkou_supervisor"), as_user("jingkou_office")
    cases = supervisor.get("/api/v1/overdue-cases").json
    assert sorted(c["household_id"] for c in cases) == ids[:2]
    assert {c["type"] for c in cases} == {"other"}
    (notice,) = inbox(supervisor, "overdue_household")
    assert "2 户" in notice["subject"] or "2" in notice["subject"]
    assert len(inbox(office, "overdue_household")) == 1
    assert len(inbox(as_user("city_supervisor"), "overdue_household")) == 1
    assert inbox(as_user("runzhou_supervisor"), "overdue_household") == []
    # The next sweep opens nothing new.
    tick(runner)
    assert len(supervisor.get("/api/v1/overdue-cases").json) == 2
    assert len(inbox(supervisor, "overdue_household")) == 1
    # The district office classifies each case (一户一案).
    first = next(c for c in cases if c["household_id"] == ids[0])
    second = next(c for c in cases if c["household_id"] == ids[1])
    done = office.post(f"/api/v1/overdue-cases/{first['id']}/classify",
                       json={"type": "infrastructure", "cause": "小区配套道路未完工",
                             "plan": "12月底前完成配套，组织回迁"})
    assert done.status_code == 200 and done.json["type_label"] == "主体建成、配套设施不完善"
    bad = office.post(f"/api/v1/overdue-cases/{second['id']}/classify",
                      json={"type": "weather", "cause": ""})
    assert bad.status_code == 422 and set(bad.json["errors"]["json"]) == {"type", "cause"}
    office.post(f"/api/v1/overdue-cases/{second['id']}/classify",
                json={"type": "litigation", "cause": "产权纠纷诉讼中"})
    figures = office.get(f"/api/v1/projects/{project}/progress").json
    assert figures["overdue"] == 2
    assert figures["overdue_by_type"] == {"infrastructure": 1, "litigation": 1}
    # The ledger, read back.
    export = supervisor.get("/api/v1/overdue-cases/export")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.data))
    summary = list(book["项目台账"].iter_rows(values_only=True))
    assert summary[0][:5] == ("区 District", "项目 Project",
                              "逾期未安置户数 Households not resettled",
                              "已签协议户数 Agreements signed", "安置面积(m²) Resettlement area")
    assert summary[1] == ("京口区", "西津渡棚改", 2, 1, 112.5,
                          "主体建成、配套设施不完善 1 户；涉法涉诉 1 户",
                          "小区配套道路未完工；产权纠纷诉讼中")
    detail = list(book["逐户明细"].iter_rows(values_only=True))
    assert [(r[3], r[4], r[8], r[11]) for r in detail[1:]] == [
        ("H001", "2026-11-20", "主体建成、配套设施不完善", "未销号"),
        ("H002", "2026-11-01", "涉法涉诉", "未销号")]
    # 销号 with a note; the case leaves the open ledger and stays on the full one.
    at(clock, 2026, 12, 2, 10, 0)
    closed = supervisor.post(f"/api/v1/overdue-cases/{first['id']}/close",
                             json={"note": "已回迁入住"})
    assert closed.status_code == 200 and closed.json["closed_on"] == "2026-12-02"
    again = supervisor.post(f"/api/v1/overdue-cases/{first['id']}/close", json={"note": "x"})
    assert again.status_code == 409
    assert [c["id"] for c in supervisor.get("/api/v1/overdue-cases").json] == [second["id"]]
    everything = supervisor.get("/api/v1/overdue-cases", query_string={"status": "all"}).json
    assert len(everything) == 2
    assert office.get(f"/api/v1/projects/{project}/progress").json["overdue"] == 1
    # Closed off for the same promised date: not opened again.
    tick(runner)
    assert len(supervisor.get("/api/v1/overdue-cases").json) == 1
    # Departments and other districts do not see the ledger.
    assert as_user("dept_housing").get("/api/v1/overdue-cases").status_code == 403
    assert as_user("runzhou_supervisor").get(
        f"/api/v1/overdue-cases/{second['id']}").status_code == 404


def test_monthly_report_carries_the_register(app, as_user, runner, clock):
    project = start(as_user)["id"]
    register(app, project, STAGES)
    at(clock, 2026, 12, 25, 9, 0)
    assert "monthly_report" in tick(runner)
    reports = as_user("city_supervisor").get("/api/v1/reports/monthly",
                                             query_string={"month": "2026-12"}).json
    jingkou = next(r for r in reports if r["district"] == "jingkou")["data"]
    assert jingkou["households"] == 5 and jingkou["households_signed"] == 4
    resettlement = jingkou["resettlement"]
    assert resettlement["signing_rate"] == 80.0 and resettlement["overdue"] == 2
    assert resettlement["overdue_by_type"] == {"other": 2}


def test_a_case_open_a_month_goes_on_to_the_leading_group_once(app, as_user, runner, clock):
    project = start(as_user)["id"]
    register(app, project, STAGES)
    tick(runner)
    supervisor = as_user("jingkou_supervisor")
    first, second = supervisor.get("/api/v1/overdue-cases").json
    supervisor.post(f"/api/v1/overdue-cases/{first['id']}/close", json={"note": "已回迁"})
    leading = as_user("leading_group_office")
    at(clock, 2026, 12, 22, 9, 0)  # 29 days after the cases opened
    tick(runner)
    assert inbox(leading, "overdue_household_level2") == []
    at(clock, 2026, 12, 24, 9, 0)
    tick(runner)
    (notice,) = inbox(leading, "overdue_household_level2")
    assert "1 户" in notice["subject"] and "H002" in notice["body"]
    assert len(inbox(supervisor, "overdue_household_level2")) == 1
    tick(runner)
    assert len(inbox(leading, "overdue_household_level2")) == 1
