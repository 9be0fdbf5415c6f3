"""The household register (调查摸底台账): import from XLSX/CSV, every row checked, all or nothing."""
import csv
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import insert, select

from ...extensions import db
from ...models import Household, Project
from ...textcheck import bad_text
from ..errors import Invalid
from ..records.audit import record
from ..runtime import runtime
from .access import project_for_office

#: column key -> heading in the template (the survey ledgers are kept in Chinese)
COLUMNS = (
    ("number", "户号"),
    ("building", "楼栋"),
    ("head_name", "户主姓名"),
    ("id_number", "身份证号"),
    ("phone", "联系电话"),
    ("address", "房屋地址"),
    ("legal_area", "合法建筑面积(m²)"),
    ("property_type", "产权性质"),
    ("choice", "安置方式"),
    ("family_size", "家庭人口"),
)
REQUIRED = ("number", "head_name", "id_number", "legal_area", "property_type", "choice",
            "family_size")
PROPERTY_TYPES = {"公房": "public", "私房": "private", "无证": "unlicensed"}
CHOICES = {"实物安置": "in_kind", "货币补偿": "monetary", "货币安置": "monetary",
           "产权调换": "exchange"}
LIMITS = {"number": 40, "building": 40, "head_name": 100, "address": 200}
MAX_ROWS = 20000
XLSX_MAGIC = b"PK\x03\x04"
# GB 11643-1999: weights of the first 17 digits and the check character by sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_number_valid(value):
    """Whether an 18-character resident ID number has the right GB 11643 check character."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    return _CHECK[sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS)) % 11] == value[17]


def template():
    """The import template (XLSX bytes): the Chinese headings and one example row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "调查摸底"
    sheet.append([heading for _, heading in COLUMNS])
    sheet.append(["1-101", "1", "张三", "11010519491231002X", "13800000000", "解放路1号1-101",
                  65.5, "私房", "产权调换", 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_checked(errors, good, dry_run):
    """After every row of an imported sheet is checked: Invalid when any row is bad or none is
    there (nothing imported), the dry run's answer when only checking, else None."""
    if errors:
        raise Invalid("the sheet has errors; nothing was imported", errors=errors)
    if not good:
        raise Invalid("the sheet has no rows", errors={"file": ["no rows"]})
    if dry_run:
        return {"rows": len(good), "imported": 0, "dry_run": True}
    return None


def _sheet_rows(content):
    """The rows of the first sheet (XLSX) or of the CSV text (UTF-8, with or without BOM)."""
    if content.startswith(XLSX_MAGIC):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            # Read-only sheets parse lazily: a broken part inside the file shows only here.
            return list(book.worksheets[0].iter_rows(values_only=True))
        except Exception:  # noqa: BLE001 - any fault inside a client's file is the file's fault
            raise Invalid("the file is not an XLSX workbook or a CSV file",
                          errors={"file": ["not an XLSX workbook"]}) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the file is not an XLSX workbook or a CSV file",
                      errors={"file": ["neither XLSX nor UTF-8 CSV"]}) from None
    return list(csv.reader(io.StringIO(text)))


def _rows(content):
    rows = _sheet_rows(content)
    header = rows[0] if rows else ()
    keys = []
    for cell in header:
        text = str(cell or "").strip()
        keys.append(next((k for k, h in COLUMNS if text in (h, k)), None))
    missing = [h for k, h in COLUMNS if k in REQUIRED and k not in keys]
    if missing:
        raise Invalid("the sheet lacks required columns",
                      errors={"file": [f"missing column: {h}" for h in missing]})
    if len(rows) - 1 > MAX_ROWS:
        raise Invalid("too many rows", errors={"file": [f"at most {MAX_ROWS} rows"]})
    for number, row in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        yield number, {k: row[i] if i < len(row) else None for i, k in enumerate(keys) if k}


def _text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a text column
    return "" if value is None else str(value).strip()


def _number(text, kind, low, high):
    """(value, error) for a number column within [low, high]."""
    try:
        value = kind(float(text)) if kind is int else kind(text)
    except (TypeError, ValueError, OverflowError):
        return None, "not a number"
    if kind is int and float(text) != value:
        return None, "not a whole number"
    if not low <= value <= high:
        return None, f"must be between {low} and {high}"
    return value, None


def check_row(raw):
    """(values, {column: message}) of one row of the ledger."""
    values, errors = {}, {}
    for key, _ in COLUMNS:
        text = _text(raw.get(key))
        if bad_text(text):  # NUL and other control characters cannot be stored or exported
            errors[key] = "holds characters that cannot be stored"
            values[key] = ""
            continue
        if not text:
            if key in REQUIRED:
                errors[key] = "required"
            values[key] = None if key == "building" else ""
            continue
        if key == "id_number":
            text = text.upper()
            if not id_number_valid(text):
                errors[key] = "not a valid ID number (GB 11643 check digit)"
        elif key == "phone":
            if not (7 <= len(text) <= 20 and all(c.isdigit() or c == "-" for c in text)):
                errors[key] = "not a phone number"
        elif key == "legal_area":
            text, errors[key] = _number(text, float, 1, 10000)
            text = round(text, 2) if text is not None else None
        elif key == "family_size":
            text, errors[key] = _number(text, int, 1, 50)
        elif key == "property_type":
            text = PROPERTY_TYPES.get(text, text if text in PROPERTY_TYPES.values() else None)
            if text is None:
                errors[key] = "one of 公房, 私房, 无证"
        elif key == "choice":
            text = CHOICES.get(text, text if text in CHOICES.values() else None)
            if text is None:
                errors[key] = "one of 实物安置, 货币补偿, 产权调换"
        elif len(text) > LIMITS.get(key, 200):
            errors[key] = f"longer than {LIMITS[key]} characters"
        values[key] = text
    return values, {k: v for k, v in errors.items() if v}


def _taken_elsewhere(project, id_numbers):
    """{id number: project name} of households already registered in running projects."""
    found = {}
    for start in range(0, len(id_numbers), 500):
        chunk = id_numbers[start:start + 500]
        for id_number, project_id, name in db.session.execute(
                select(Household.id_number, Household.project_id, Project.name)
                .join(Project, Project.id == Household.project_id)
                .where(Household.id_number.in_(chunk), Project.status == "in_progress")):
            found[id_number] = name if project_id != project.id else None
    return found


def import_households(user, project_id, content, dry_run=False):
    """Check every row; any bad row -> Invalid with errors per row and column, nothing stored;
    else insert all rows (registered) in one transaction and start their processes if the
    project may already begin expropriation. Returns {"rows", "imported", "dry_run"}."""
    project = project_for_office(user, project_id)
    good, errors, numbers, ids = [], {}, {}, {}
    for number, raw in _rows(content):
        values, problems = check_row(raw)
        if "number" not in problems and values["number"] in numbers:
            problems["number"] = f"duplicate of row {numbers[values['number']]}"
        if "id_number" not in problems and values["id_number"] in ids:
            problems["id_number"] = f"duplicate of row {ids[values['id_number']]}"
        numbers.setdefault(values["number"], number)
        ids.setdefault(values["id_number"], number)
        if problems:
            errors[f"row {number}"] = problems
        else:
            good.append((number, values))
    existing = set(db.session.scalars(select(Household.number)
                                      .where(Household.project_id == project.id)))
    elsewhere = _taken_elsewhere(project, [v["id_number"] for _, v in good])
    for number, values in good:
        problems = {}
        if values["number"] in existing:
            problems["number"] = "already registered in this project"
        if values["id_number"] in elsewhere:
            other = elsewhere[values["id_number"]]
            problems["id_number"] = ("already registered in this project" if other is None
                                     else f"already registered in running project {other}")
        if problems:
            errors[f"row {number}"] = problems
    checked = sheet_checked(errors, good, dry_run)
    if checked:
        return checked
    now = runtime().clock.now_naive()
    db.session.execute(insert(Household), [
        {**values, "project_id": project.id, "status": "registered", "revision": 0,
         "created_at": now, "updated_at": now} for _, values in good])
    record("households_import", user, project, rows=len(good))
    from .process import start_if_begun  # the process module imports this one's neighbours
    start_if_begun(project, user)
    db.session.commit()
    return {"rows": len(good), "imported": len(good), "dry_run": False}

