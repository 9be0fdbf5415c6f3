"""The household register (issue 16): import, masking, each household's own process, bulk
completion and the project's handover waiting for its households."""
import io
import zipfile

from openpyxl import Workbook, load_workbook

from deskflow import PDF
from flow import HANDOVER, run_straight, sign_off_all, start

HEADINGS = ["户号", "楼栋", "户主姓名", "身份证号", "联系电话", "房屋地址", "合法建筑面积(m²)",
            "产权性质", "安置方式", "家庭人口"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(serial):
    """A valid 18-digit ID number (GB 11643 check character) for test household `serial`."""
    body = f"3211021980{serial:04d}{serial % 1000:03d}"[:17]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def row(n, choice="产权调换", **changes):
    values = {"户号": f"1-{100 + n}", "楼栋": "1", "户主姓名": f"住户{n}",
              "身份证号": id_number(n), "联系电话": f"1380000{n:04d}", "房屋地址": f"解放路{n}号",
              "合法建筑面积(m²)": 60 + n, "产权性质": "私房", "安置方式": choice, "家庭人口": 3}
    values.update(changes)
    return [values[h] for h in HEADINGS]


def xlsx(rows):
    book = Workbook()
    book.active.append(HEADINGS)
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(caller, project_id, content, name="ledger.xlsx", dry_run=False):
    return caller.post(f"/api/v1/projects/{project_id}/households/import"
                       + ("?dry_run=true" if dry_run else ""),
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def households(caller, project_id, **query):
    response = caller.get(f"/api/v1/projects/{project_id}/households", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def ready_project(as_user, rows):
    """A 京口区 project with its register imported, taken to the handover (households start)."""
    project_id = start(as_user)
    office = as_user("jingkou_office")
    assert upload(office, project_id, xlsx(rows)).status_code == 200
    run_straight(as_user, project_id)
    sign_off_all(as_user, project_id)
    return project_id


def household_tasks(caller, household_id):
    response = caller.get(f"/api/v1/households/{household_id}")
    assert response.status_code == 200, response.json
    return {t["step"]: t for t in response.json["tasks"] if t["status"] == "open"}


def complete(caller, task_id, data, expect=200):
    response = caller.post(f"/api/v1/tasks/{task_id}/complete", json={"data": data})
    assert response.status_code == expect, response.json
    return response.json


def test_a_sheet_with_bad_rows_imports_nothing_and_names_each_row_and_column(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    bad_id = id_number(2)[:17] + ("0" if id_number(2)[17] != "0" else "1")
    rows = [row(1), row(2, 身份证号=bad_id), row(3, 户主姓名=""), row(4, 户号="1-101"),
            row(5, **{"合法建筑面积(m²)": -3}), row(6, 安置方式="拆一还三"), row(7, 家庭人口=0)]
    response = upload(office, project_id, xlsx(rows))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert "GB 11643" in errors["row 3"]["id_number"]
    assert errors["row 4"]["head_name"] == "required"
    assert "duplicate of row 2" in errors["row 5"]["number"]
    assert "between" in errors["row 6"]["legal_area"]
    assert "实物安置" in errors["row 7"]["choice"]
    assert "between" in errors["row 8"]["family_size"]
    assert "row 2" not in errors
    assert households(office, project_id) == []


def test_a_workbook_broken_inside_is_refused_with_a_message(as_user):
    """A sheet part that is not XML only shows when the rows are read: still a 422, not 500."""
    project_id = start(as_user)
    office = as_user("jingkou_office")
    good = zipfile.ZipFile(io.BytesIO(xlsx([row(1)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for item in good.infolist():
            content = good.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = b"<worksheet><sheetData><row><c>"  # cut off mid-element
            broken.writestr(item, content)
    response = upload(office, project_id, out.getvalue())
    assert response.status_code == 422, response.json
    assert response.json["errors"] == {"file": ["not an XLSX workbook"]}
    assert households(office, project_id) == []


def test_dry_run_checks_without_importing_and_csv_imports(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    response = upload(office, project_id, xlsx([row(1), row(2)]), dry_run=True)
    assert response.status_code == 200, response.json
    assert response.json == {"rows": 2, "imported": 0, "dry_run": True}
    assert households(office, project_id) == []
    text = ",".join(HEADINGS) + "\n" + "\n".join(",".join(str(v) for v in row(n))
                                                 for n in (1, 2, 3))
    # text the service cannot store (a NUL in a CSV cell) is a bad row like any other
    bad = upload(office, project_id, text.replace("解放路2号", "解放路\x002号").encode(),
                 name="ledger.csv")
    assert bad.status_code == 422 and "cannot be stored" in bad.json["errors"]["row 3"]["address"]
    response = upload(office, project_id, text.encode("utf-8-sig"), name="ledger.csv")
    assert response.json == {"rows": 3, "imported": 3, "dry_run": False}
    listed = households(office, project_id)
    assert [h["number"] for h in listed] == ["1-101", "1-102", "1-103"]
    assert listed[0]["status"] == "registered"
    # the same people again, in another running project: refused
    other = start(as_user, name="另一项目")
    response = upload(office, other, xlsx([row(1, 户号="9-1")]))
    assert response.status_code == 422
    assert "running project" in response.json["errors"]["row 2"]["id_number"]
    template = office.get(f"/api/v1/projects/{project_id}/households/template")
    assert template.status_code == 200
    headings = [c.value for c in load_workbook(io.BytesIO(template.data)).active[1]]
    assert headings == HEADINGS


def test_personal_data_is_masked_except_for_the_district_office_and_full_views_are_audited(
        as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    upload(office, project_id, xlsx([row(1)]))
    [listed] = households(office, project_id)
    full_id = id_number(1)
    assert listed["id_number"] == full_id[:4] + "*" * 10 + full_id[-4:]
    assert listed["phone"] == "138****0001"
    seen = office.get(f"/api/v1/households/{listed['id']}").json
    assert (seen["id_number"], seen["phone"], seen["masked"]) == (full_id, "13800000001", False)
    for other in ("city_supervisor", "city_review", "jingkou_gov"):
        shown = as_user(other).get(f"/api/v1/households/{listed['id']}").json
        assert shown["id_number"] == full_id[:4] + "*" * 10 + full_id[-4:], other
        assert shown["masked"] is True
    assert as_user("runzhou_office").get(f"/api/v1/households/{listed['id']}").status_code == 404
    history = office.get(f"/api/v1/households/{listed['id']}").json["history"]
    views = [e for e in history if e["action"] == "personal_data_view"]
    # the first full view is on record (this one is recorded after its history was read);
    # masked views are not personal-data views
    assert [(e["actor"], e["detail"]["household_id"]) for e in views] == [
        ("jingkou_office", listed["id"])]


def test_an_in_kind_household_from_signing_to_title_certificate(as_user):
    project_id = ready_project(as_user, [row(1), row(2)])
    office = as_user("jingkou_office")
    first, second = households(office, project_id)
    open_steps = household_tasks(office, first["id"])
    assert list(open_steps) == ["sign_agreement"]
    queue = office.queue(step="sign_agreement")
    assert {t["household_id"] for t in queue} == {first["id"], second["id"]}
    assert {t["household"]["number"] for t in queue} == {"1-101", "1-102"}
    task = open_steps["sign_agreement"]
    # the signed agreement's scan is attached to the household's step
    scan = office.post(f"/api/v1/tasks/{task['id']}/attachments", data={
        "file": (io.BytesIO(PDF), "补偿安置协议.pdf"), "field": "agreement_scan"},
        content_type="multipart/form-data")
    assert scan.status_code == 201, scan.json
    done = complete(office, task["id"], {"agreement_type": "exchange", "signed_on": "2026-11-24",
                                         "agreement_amount": "820000.00",
                                         "agreement_scan": [scan.json["id"]]})
    assert [t["step"] for t in done["next_steps"]] == ["hand_over"]
    assert done["next_steps"][0]["household_id"] == first["id"]
    # the other household's process did not move
    assert list(household_tasks(office, second["id"])) == ["sign_agreement"]
    complete(office, household_tasks(office, first["id"])["hand_over"]["id"],
             {"handed_over_on": "2026-11-25"})
    complete(office, household_tasks(office, first["id"])["transition"]["id"],
             {"transition_allowance": "1500.00", "promised_on": "2027-06-30"})
    # allocation takes a unit reserved for the project from the pool
    city = as_user("city_review")
    unit = city.post("/api/v1/housing-units", json={
        "estate": "金山花园", "district": "jingkou", "building": "3", "unit_number": "502",
        "area": 89.5, "existing_stock": True})
    assert unit.status_code == 201, unit.json
    unit_id = unit.json["id"]
    allocate = household_tasks(office, first["id"])["allocate_unit"]["id"]
    refused = complete(office, allocate, {"unit_id": unit_id, "allocated_on": "2026-12-01"},
                       expect=422)
    assert "unit_id" in refused["errors"]
    reserved = office.post(f"/api/v1/projects/{project_id}/housing-reservations",
                           json={"unit_ids": [unit_id]})
    assert reserved.status_code == 200, reserved.json
    done = complete(office, allocate, {"unit_id": unit_id, "allocated_on": "2026-12-01"})
    complete(office, household_tasks(office, first["id"])["move_in"]["id"],
             {"resettled_on": "2026-12-10"})
    certificate = household_tasks(office, first["id"])["title_certificate"]
    # due three months after allocation; escalates to level 2 at six months (001 四)
    assert certificate["due_date"] == "2027-03-01"
    complete(office, certificate["id"], {"certified_on": "2027-02-01",
                                         "certificate_no": "苏(2027)镇江市不动产权第0000001号"})
    shown = office.get(f"/api/v1/households/{first['id']}").json
    assert shown["status"] == "certified"
    assert (shown["signed_on"], shown["handed_over_on"], shown["allocated_on"],
            shown["resettled_on"], shown["certified_on"], shown["promised_on"]) == (
        "2026-11-24", "2026-11-25", "2026-12-01", "2026-12-10", "2027-02-01", "2027-06-30")
    assert shown["unit_id"] == unit_id and shown["transition_allowance"] == 150000
    assert household_tasks(office, first["id"]) == {}
    assert [a["filename"] for a in shown["attachments"]] == ["补偿安置协议.pdf"]
    steps = [e["detail"].get("step") for e in shown["history"] if e["action"] == "complete"]
    assert steps == ["sign_agreement", "hand_over", "transition", "allocate_unit", "move_in",
                     "title_certificate"]
    assert all(e["actor"] == "jingkou_office" for e in shown["history"]
               if e["action"] == "complete")


def test_a_monetary_household_ends_when_compensation_is_paid(as_user):
    project_id = ready_project(as_user, [row(1, choice="货币补偿")])
    office = as_user("jingkou_office")
    [household] = households(office, project_id)
    complete(office, household_tasks(office, household["id"])["sign_agreement"]["id"],
             {"agreement_type": "monetary", "signed_on": "2026-11-24"})
    complete(office, household_tasks(office, household["id"])["hand_over"]["id"],
             {"handed_over_on": "2026-11-26"})
    steps = household_tasks(office, household["id"])
    assert list(steps) == ["pay_compensation"]
    complete(office, steps["pay_compensation"]["id"],
             {"paid_on": "2026-12-02", "amount_paid": "960000.00"})
    shown = office.get(f"/api/v1/households/{household['id']}").json
    assert (shown["status"], shown["paid_on"]) == ("paid", "2026-12-02")
    assert household_tasks(office, household["id"]) == {}


def test_bulk_complete_answers_per_task_and_the_handover_waits_for_households(as_user):
    project_id = ready_project(as_user, [row(1), row(2), row(3, choice="货币补偿")])
    office = as_user("jingkou_office")
    listed = households(office, project_id)
    signing = [household_tasks(office, h["id"])["sign_agreement"]["id"] for h in listed]
    response = office.post("/api/v1/tasks/bulk-complete",
                           json={"task_ids": signing + [999999], "data": {
                               "signed_on": "2026-11-27"}})
    assert response.status_code == 200, response.json
    results = {r["task_id"]: r for r in response.json}
    assert all(results[t]["completed"] for t in signing)
    assert results[999999]["completed"] is False and results[999999]["status"] == 404
    again = office.post("/api/v1/tasks/bulk-complete",
                        json={"task_ids": signing[:1], "data": {"signed_on": "2026-11-27"}})
    assert again.json[0]["completed"] is False and again.json[0]["status"] == 409
    bad = office.post("/api/v1/tasks/bulk-complete", json={"task_ids": [
        household_tasks(office, listed[0]["id"])["hand_over"]["id"]], "data": {}})
    assert bad.json[0]["status"] == 422 and "handed_over_on" in bad.json[0]["errors"]
    assert [h["status"] for h in households(office, project_id)] == ["signed"] * 3
    assert len(households(office, project_id, status="signed")) == 3

    handover = office.task_for(project_id, "handover")
    held = office.post(f"/api/v1/tasks/{handover['id']}/complete", json={"data": HANDOVER})
    assert held.status_code == 409, held.json
    assert len(held.json["errors"]["households"]) == 3
    for household in listed:
        changed = office.client.patch(f"/api/v1/households/{household['id']}",
                                      headers=office.headers,
                               json={"unsettled_reason": "涉法涉诉，诉讼中"})
        assert changed.status_code == 200, changed.json
    # the register's counts, not typed totals, are what the handover records
    without_totals = {k: v for k, v in HANDOVER.items()
                      if k not in ("agreements_signed", "households_handed_over")}
    done = office.post(f"/api/v1/tasks/{handover['id']}/complete",
                       json={"data": without_totals})
    assert done.status_code == 200, done.json
    assert done.json["project"]["status"] == "completed"
    [recorded] = [t for t in office.queue(scope="done", project_id=project_id)
                  if t["step"] == "handover"]
    assert {k: v for k, v in recorded["facts"].items() if k.startswith("register_")} == {
        "register_households": 3, "register_signed": 3, "register_handed_over": 0,
        "register_resettled": 0, "register_certified": 0}
    # the project archive lists the households, each unsettled one with its reason
    archive = office.get(f"/api/v1/projects/{project_id}/archive")
    assert archive.status_code == 200
    member = zipfile.ZipFile(io.BytesIO(archive.data)).read("households.csv")
    lines = member.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("户号,楼栋,户主")
    assert len(lines) == 4 and all("涉法涉诉，诉讼中" in line and ",否," in line
                                   for line in lines[1:])
    assert id_number(1) not in member.decode("utf-8-sig")  # no personal ID numbers


def test_completing_a_household_task_costs_the_same_whatever_the_projects_size(as_user, app):
    from sqlalchemy import event
    from service.extensions import db
    small = ready_project(as_user, [row(n) for n in (1, 2)])
    large_id = start(as_user, name="大项目")
    office = as_user("jingkou_office")
    assert upload(office, large_id, xlsx([row(n) for n in range(10, 40)])).status_code == 200
    run_straight(as_user, large_id)
    sign_off_all(as_user, large_id)
    with app.app_context():
        engine = db.engine

    def statements_for(project_id):
        first = households(office, project_id)[0]
        task_id = household_tasks(office, first["id"])["sign_agreement"]["id"]
        seen = []

        def count(conn, cursor, statement, *args):
            if not statement.startswith("BEGIN"):
                seen.append(statement)
        event.listen(engine, "before_cursor_execute", count)
        try:
            complete(office, task_id, {"signed_on": "2026-11-27"})
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return seen
    few, many = statements_for(small), statements_for(large_id)
    assert len(few) == len(many), (few, many)
    # one household's workflow state is read, never its neighbours'
    reads = [s for s in many if "households.state" in s and s.lstrip().startswith("SELECT")]
    assert len(reads) == 1 and "households.id =" in reads[0]


def test_a_household_step_on_the_desk_names_the_household_and_shows_its_data(
        client, web_login, as_user):
    project_id = ready_project(as_user, [row(1)])
    office = as_user("jingkou_office")
    [household] = households(office, project_id)
    task = household_tasks(office, household["id"])["sign_agreement"]
    web_login("jingkou_office")
    queue = client.get("/desk/queue").text
    assert "签订补偿安置协议 · 1-101 住户1" in queue
    page = client.get(f"/desk/tasks/{task['id']}").text
    assert "<dt>户号</dt>" in page and "1-101" in page and "<dt>合法建筑面积（㎡）</dt>" in page
    assert "联审会签" not in page  # its previous step is its own, not the project's


def test_a_sheet_of_signing_results_completes_each_households_signing_on_its_own(as_user):
    project_id = ready_project(as_user, [row(1), row(2), row(3, choice="货币补偿")])
    office = as_user("jingkou_office")
    book = Workbook()
    book.active.append(["户号", "签约日期", "协议类型", "协议金额"])
    book.active.append(["1-101", "2026-11-25", "产权调换协议", 820000])
    book.active.append(["1-103", "2026-11-26", "货币补偿协议", 960000.5])
    book.active.append(["1-102", "2026-13-40", None, None])  # not a date
    book.active.append(["9-999", "2026-11-26", None, None])  # no such household
    out = io.BytesIO()
    book.save(out)
    response = office.post(f"/api/v1/projects/{project_id}/households/signing-results",
                           data={"file": (io.BytesIO(out.getvalue()), "signing.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    results = {r["number"]: r for r in response.json}
    assert results["1-101"]["completed"] and results["1-103"]["completed"]
    assert results["1-102"]["status"] == 422 and "signed_on" in results["1-102"]["errors"]
    assert results["9-999"]["status"] == 404 and results["9-999"]["row"] == 5
    listed = {h["number"]: h for h in households(office, project_id)}
    assert (listed["1-101"]["status"], listed["1-101"]["signed_on"]) == ("signed", "2026-11-25")
    assert (listed["1-103"]["status"], listed["1-102"]["status"]) == ("signed", "registered")
    # the monetary household's agreement routes it to payment after handover
    complete(office, household_tasks(office, listed["1-103"]["id"])["hand_over"]["id"],
             {"handed_over_on": "2026-11-27"})
    assert list(household_tasks(office, listed["1-103"]["id"])) == ["pay_compensation"]
