"""Import of resettlement units (安置房源台账) from XLSX: every row checked, all or nothing."""
import io
import zipfile

from openpyxl import Workbook, load_workbook
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import District, HousingUnit
from ...roles import may_see_district
from ..errors import Conflict, Forbidden, Invalid
from ..records.audit import record
from ..runtime import runtime
from .pool import POOL_EDITORS, _existing_keys
from .register import sheet_checked

#: column key -> heading in the template (Chinese first: the ledgers are kept in Chinese)
COLUMNS = (
    ("estate", "小区/项目 estate"),
    ("district", "区 district"),
    ("building", "楼栋 building"),
    ("unit_number", "房号 unit"),
    ("area", "面积(m²) area"),
    ("layout", "户型 layout"),
    ("owner_unit", "产权单位 owner"),
    ("existing_stock", "存量房源 existing stock (是/否)"),
)
REQUIRED = ("estate", "district", "building", "unit_number", "area")
MAX_ROWS = 20000
YES = {"是", "存量", "yes", "y", "true", "1"}
NO = {"否", "新建", "no", "n", "false", "0", ""}
LIMITS = {"estate": 100, "building": 40, "unit_number": 40, "layout": 40, "owner_unit": 100}


def template():
    """The import template (XLSX bytes) with the headings."""
    book = Workbook()
    sheet = book.active
    sheet.title = "安置房源"
    sheet.append([heading for _, heading in COLUMNS])
    sheet.append(["金山花园", "jingkou", "3", "502", 89.5, "三室一厅", "市城建集团", "是"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(content):
    """(row number, {column: value}) of the sheet's non-empty rows, or Invalid."""
    try:
        return list(_read(content))
    except Invalid:
        raise
    except Exception:  # noqa: BLE001 - any fault inside a client's file is the file's fault
        raise Invalid("the file is not an XLSX workbook",
                      errors={"file": ["not an XLSX workbook"]}) from None


def _read(content):
    if not content.startswith(b"PK\x03\x04"):
        raise zipfile.BadZipFile("not a zip")
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None) or ()
    keys = []
    for cell in header:
        text = str(cell or "").strip()
        keys.append(next((k for k, h in COLUMNS if text in (h, k) or text == h.split(" ")[0]),
                         None))
    missing = [h for k, h in COLUMNS if k in REQUIRED and k not in keys]
    if missing:
        raise Invalid("the sheet lacks required columns",
                      errors={"file": [f"missing column: {h}" for h in missing]})
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise Invalid("too many rows", errors={"file": [f"at most {MAX_ROWS} rows"]})
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        yield number, {k: row[i] if i < len(row) else None for i, k in enumerate(keys) if k}


def _check(raw, districts, user):
    values, errors = {}, {}
    for key, _ in COLUMNS:
        value = raw.get(key)
        text = "" if value is None else str(value).strip()
        if key in REQUIRED and not text:
            errors[key] = "required"
            continue
        if key == "area":
            try:
                area = float(value)
            except (TypeError, ValueError):
                errors[key] = "not a number"
                continue
            if not 5 <= area <= 1000:
                errors[key] = "area must be between 5 and 1000 m²"
            values[key] = round(area, 2)
        elif key == "existing_stock":
            if text.lower() not in YES | NO:
                errors[key] = "是 or 否"
            values[key] = text.lower() in YES
        elif key == "district":
            if text not in districts:
                errors[key] = f"unknown district {text}"
            elif not may_see_district(user, text):
                errors[key] = "not your district"
            values[key] = text
        else:
            if isinstance(value, float) and value.is_integer():
                text = str(int(value))  # a unit number typed as a number
            if len(text) > LIMITS[key]:
                errors[key] = f"longer than {LIMITS[key]} characters"
            values[key] = text
    return values, errors


def import_units(user, content, dry_run=False):
    """Check every row; any bad row -> Invalid with errors per row and column, nothing stored.
    Else insert all rows (idle) in one transaction; returns {"rows": n, "imported": n}."""
    if user.role not in POOL_EDITORS:
        raise Forbidden("you may not enter housing units")
    districts = set(db.session.scalars(select(District.code)))
    good, errors, seen = [], {}, {}
    for number, raw in _rows(content):
        if len(good) + len(errors) >= MAX_ROWS:
            raise Invalid("too many rows", errors={"file": [f"at most {MAX_ROWS} rows"]})
        values, problems = _check(raw, districts, user)
        key = (values.get("estate"), values.get("building"), values.get("unit_number"))
        if not problems and key in seen:
            problems["unit_number"] = f"duplicate of row {seen[key]}"
        seen.setdefault(key, number)
        if problems:
            errors[f"row {number}"] = problems
        else:
            good.append((number, values))
    taken = _existing_keys([(v["estate"], v["building"], v["unit_number"]) for _, v in good])
    for number, values in good:
        if (values["estate"], values["building"], values["unit_number"]) in taken:
            errors[f"row {number}"] = {"unit_number": "already in the pool"}
    checked = sheet_checked(errors, good, dry_run)
    if checked:
        return checked
    now = runtime().clock.now_naive()
    try:
        db.session.execute(insert(HousingUnit), [
            {**values, "status": "idle", "times_offered": 0, "created_at": now}
            for _, values in good])
    except IntegrityError:
        db.session.rollback()  # the same units entered at the same moment by another request
        raise Conflict("some of these units were entered by another request just now; "
                       "nothing was imported") from None
    record("housing_import", user, rows=len(good))
    db.session.commit()
    return {"rows": len(good), "imported": len(good), "dry_run": False}
