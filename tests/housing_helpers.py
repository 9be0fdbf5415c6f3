"""Putting resettlement housing in place for a project through the API (the compensation plan's
units_reserved is counted from the housing-pool ledger, not typed)."""
import io

from openpyxl import Workbook

HEADINGS = ("小区/项目 estate", "区 district", "楼栋 building", "房号 unit", "面积(m²) area",
            "户型 layout", "产权单位 owner", "存量房源 existing stock (是/否)")


def units_sheet(estate, district, count, stock=True):
    book = Workbook()
    book.active.append(list(HEADINGS))
    for n in range(count):
        book.active.append([estate, district, str(1 + n // 100), str(101 + n % 100), 85.0,
                            "两室一厅", "市城建集团", "是" if stock else "否"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reserve_housing(as_user, project_id, count, office="jingkou_office", district=None):
    """Enter existing-stock units into the pool and reserve them, until `count` are reserved
    for the project (a step done again after a return does not reserve twice)."""
    caller = as_user(office)
    district = district or office.split("_")[0]  # jingkou_office -> jingkou
    have = caller.get(f"/api/v1/projects/{project_id}/housing-reservations").json
    count -= have["units_reserved"]
    if count <= 0:
        return have
    estate = f"安置小区{project_id}-{have['units_reserved']}"
    response = caller.post("/api/v1/housing-units/import",
                           data={"file": (io.BytesIO(units_sheet(estate, district, count)),
                                          "units.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    units, page = [], 1
    while len(units) < count:
        found = caller.get("/api/v1/housing-units", query_string={
            "estate": estate, "page": page, "page_size": 100}).json
        assert found, units
        units, page = units + found, page + 1
    response = caller.post(f"/api/v1/projects/{project_id}/housing-reservations",
                           json={"unit_ids": [u["id"] for u in units]})
    assert response.status_code == 200, response.json
    return response.json
