"""The resettlement-housing pool through the API: units, import, reservations, the pool's state."""
import io
import zipfile

from openpyxl import Workbook

from flow import start


def unit(estate="金山花园", building="3", number="502", district="jingkou", stock=False,
         area=89.5):
    return {"estate": estate, "district": district, "building": building,
            "unit_number": number, "area": area, "layout": "三室一厅",
            "owner_unit": "市城建集团", "existing_stock": stock}


def add_units(office, count, stock=False, estate="金山花园", district="jingkou"):
    ids = []
    for n in range(count):
        response = office.post("/api/v1/housing-units",
                               json=unit(estate, "1", str(101 + n), district, stock))
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    return ids


def sheet(rows, header=("小区/项目 estate", "区 district", "楼栋 building", "房号 unit",
                        "面积(m²) area", "户型 layout", "产权单位 owner",
                        "存量房源 existing stock (是/否)")):
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(user, content, dry_run=False):
    return user.post("/api/v1/housing-units/import" + ("?dry_run=true" if dry_run else ""),
                     data={"file": (io.BytesIO(content), "units.xlsx")},
                     content_type="multipart/form-data")


def test_units_entered_listed_and_duplicates_refused(as_user):
    office = as_user("jingkou_office")
    created = office.post("/api/v1/housing-units", json=unit())
    assert created.status_code == 201
    assert created.json["status"] == "idle" and created.json["flagged"] is False
    again = office.post("/api/v1/housing-units", json=unit())
    assert again.status_code == 409
    assert "金山花园/3/502" in again.json["message"]
    # A district office enters only its own district's units.
    other = office.post("/api/v1/housing-units", json=unit(number="503", district="runzhou"))
    assert other.status_code == 403
    bad = office.post("/api/v1/housing-units", json={**unit(number="504"), "area": -3})
    assert bad.status_code == 422 and "area" in bad.json["errors"]["json"]
    # runzhou's office does not see jingkou's units; the city does.
    assert as_user("runzhou_office").get("/api/v1/housing-units").json == []
    assert len(as_user("city_review").get("/api/v1/housing-units").json) == 1
    nowhere = as_user("city_review").post("/api/v1/housing-units",
                                          json=unit(number="505", district="nowhere"))
    assert nowhere.status_code == 422 and "district" in nowhere.json["errors"]


def test_import_with_a_bad_row_imports_nothing_then_imports_all(as_user):
    city = as_user("city_review")
    rows = [("金山花园", "jingkou", "1", "101", 88, "两室", "城建", "是"),
            ("金山花园", "jingkou", "1", "102", "八十", "两室", "城建", "否"),
            ("金山花园", "nowhere", "1", "103", 90, "两室", "城建", "否"),
            ("金山花园", "jingkou", "1", "101", 70, "两室", "城建", "否")]
    response = upload(city, sheet(rows))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["row 3"] == {"area": "not a number"}
    assert errors["row 4"] == {"district": "unknown district nowhere"}
    assert errors["row 5"] == {"unit_number": "duplicate of row 2"}
    assert "row 2" not in errors
    assert city.get("/api/v1/housing-units").json == []
    good = [("金山花园", "jingkou", "1", "101", 88, "两室", "城建", "是"),
            ("滨江新城", "runzhou", "2", 1201, 120.5, "三室", "城建", "否")]
    checked = upload(city, sheet(good), dry_run=True)
    assert checked.status_code == 200 and checked.json == {"rows": 2, "imported": 0,
                                                           "dry_run": True}
    assert city.get("/api/v1/housing-units").json == []
    done = upload(city, sheet(good))
    assert done.status_code == 200 and done.json["imported"] == 2
    units = city.get("/api/v1/housing-units").json
    # Existing stock listed first.
    assert [(u["estate"], u["unit_number"], u["existing_stock"]) for u in units] == [
        ("金山花园", "101", True), ("滨江新城", "1201", False)]
    # Importing the same rows again: already in the pool, nothing imported.
    again = upload(city, sheet(good))
    assert again.status_code == 422
    assert again.json["errors"]["row 2"] == {"unit_number": "already in the pool"}
    not_xlsx = upload(city, b"hello")
    assert not_xlsx.status_code == 422 and "file" in not_xlsx.json["errors"]
    # A workbook whose sheet is not XML: the file's fault, a 422, not a server error.
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sheet(good))) as source, \
            zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            target.writestr(name, b"<<<" if name.startswith("xl/worksheets/") else
                            source.read(name))
    corrupt = upload(city, broken.getvalue())
    assert corrupt.status_code == 422 and corrupt.json["errors"] == {
        "file": ["not an XLSX workbook"]}


def test_two_projects_cannot_reserve_the_same_unit(as_user):
    office = as_user("jingkou_office")
    first, second = start(as_user, "一号地块"), start(as_user, "二号地块")
    ids = add_units(office, 3, stock=True)
    won = office.post(f"/api/v1/projects/{first}/housing-reservations",
                      json={"unit_ids": ids[:2]})
    assert won.status_code == 200, won.json
    assert won.json["units_reserved"] == 2 and won.json["stock_units_used"] == 2
    lost = office.post(f"/api/v1/projects/{second}/housing-reservations",
                       json={"unit_ids": [ids[1], ids[2]]})
    assert lost.status_code == 409
    assert f"{ids[1]} (金山花园 1-102)" in lost.json["message"]
    # All or nothing: the free unit of the refused request stays idle.
    assert office.get(f"/api/v1/housing-units/{ids[2]}").json["status"] == "idle"
    assert office.get(f"/api/v1/projects/{second}/housing-reservations").json[
        "units_reserved"] == 0
    held = office.get("/api/v1/housing-units", query_string={"project_id": first}).json
    assert {u["id"] for u in held} == set(ids[:2])
    assert {u["status"] for u in held} == {"reserved"}
    unknown = office.post(f"/api/v1/projects/{second}/housing-reservations",
                          json={"unit_ids": [999999]})
    assert unknown.status_code == 422
    # Another district's office cannot reserve for this project.
    other = as_user("runzhou_office").post(f"/api/v1/projects/{first}/housing-reservations",
                                           json={"unit_ids": [ids[2]]})
    assert other.status_code == 404


def test_existing_stock_first_and_units_offered_twice_are_flagged(as_user):
    office = as_user("jingkou_office")
    project, other = start(as_user, "一号地块"), start(as_user, "二号地块")
    stock = add_units(office, 1, stock=True, estate="老城小区")
    new = add_units(office, 2, stock=False, estate="新建小区")
    refused = office.post(f"/api/v1/projects/{project}/housing-reservations",
                          json={"unit_ids": new})
    assert refused.status_code == 409
    assert "existing stock first" in refused.json["message"]
    # With the stock unit in the request, new-build units may follow.
    ok = office.post(f"/api/v1/projects/{project}/housing-reservations",
                     json={"unit_ids": stock + new[:1]})
    assert ok.status_code == 200 and ok.json == {
        "project_id": project, "units_reserved": 2, "stock_units_used": 1, "area": 179.0}
    # Released and reserved again by another project: offered twice, not allocated: flagged.
    released = office.post(f"/api/v1/projects/{project}/housing-reservations/{stock[0]}/release",
                           json={"reason": "户型不符"})
    assert released.status_code == 200 and released.json["units_reserved"] == 1
    assert office.post(f"/api/v1/projects/{other}/housing-reservations",
                       json={"unit_ids": stock}).status_code == 200
    flagged = office.get("/api/v1/housing-units", query_string={"flagged": "true"}).json
    assert [(u["id"], u["times_offered"], u["flagged"]) for u in flagged] == [
        (stock[0], 2, True)]
    # A new-build unit with a reason while no stock is idle any more.
    assert office.post(f"/api/v1/projects/{other}/housing-reservations",
                       json={"unit_ids": new[1:]}).status_code == 200
    summary = as_user("city_review").get("/api/v1/housing-units/summary").json
    assert {s["key"]: (s["units"], s["idle"], s["reserved"], s["flagged"])
            for s in summary} == {"老城小区": (1, 0, 1, 1), "新建小区": (2, 0, 2, 0)}
    by_district = as_user("city_review").get("/api/v1/housing-units/summary",
                                             query_string={"by": "district"}).json
    assert by_district == [{"key": "jingkou", "district": "jingkou", "units": 3, "idle": 0,
                            "reserved": 3, "allocated": 0, "stock_idle": 0, "flagged": 1,
                            "area": 268.5}]


def test_units_reserved_on_the_plan_filing_is_counted_from_the_ledger(as_user):
    from flow import COMPENSATION, project, run_straight
    pid = start(as_user)
    run_straight(as_user, pid, until="file_compensation_plan")
    office = as_user("jingkou_office")
    stock = add_units(office, 40, stock=True, estate="老城小区")
    new = add_units(office, 32, stock=False, estate="新建小区")
    assert office.post(f"/api/v1/projects/{pid}/housing-reservations",
                       json={"unit_ids": stock + new}).status_code == 200
    task = office.task_for(pid, "file_compensation_plan")
    shown = office.get(f"/api/v1/tasks/{task['id']}").json
    assert (shown["shown"]["units_reserved"], shown["shown"]["stock_units_used"]) == (72, 40)
    office.complete(pid, "file_compensation_plan", COMPENSATION)
    data = project(as_user, pid)["data"]
    assert (data["units_reserved"], data["stock_units_used"]) == (72, 40)
