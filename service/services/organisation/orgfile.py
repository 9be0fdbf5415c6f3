"""Loading an installation's own organisation from a file (`flask org load org.json|xlsx`).

JSON: {"districts": [{"code", "name_zh", "name_en", "streets": [{"code", "name_zh",
"name_en", "kind": "town"|"street"}]}], "departments": [{"code", "name_zh", "name_en"}]}.
XLSX: sheets "districts" (区), "streets" (镇街: district, code, name_zh, name_en, kind) and
"departments" (部门), headings in the first row. Rows that exist are renamed, new ones added;
nothing is deleted. All or nothing, audited as one `org_load`.
"""
import json

from ...extensions import db
from ...models import Department, District, Street
from ..errors import Invalid
from ..records.audit import record
from .places import KINDS, _check_names

SHEETS = {"districts": ("districts", "区"), "streets": ("streets", "镇街", "街道"),
          "departments": ("departments", "部门")}


def read_file(path):
    """The organisation in a JSON or XLSX file as plain lists."""
    text = str(path)
    if text.endswith(".json"):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise Invalid("the file cannot be read", errors={"file": [str(exc)]}) from None
        if not isinstance(data, dict):
            raise Invalid("the file cannot be read", errors={"file": ["a JSON object expected"]})
        streets = [dict(s, district=d.get("code")) for d in data.get("districts") or []
                   if isinstance(d, dict) for s in d.get("streets") or [] if isinstance(s, dict)]
        return {"districts": data.get("districts") or [], "streets": streets,
                "departments": data.get("departments") or []}
    if text.endswith(".xlsx"):
        return _read_xlsx(path)
    raise Invalid("unknown file type", errors={"file": ["a .json or .xlsx file"]})


def _read_xlsx(path):
    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer
        raise Invalid("the file cannot be read", errors={"file": ["not an XLSX workbook"]}) from None
    found = {}
    for sheet in book.worksheets:
        for kind, names in SHEETS.items():
            if sheet.title.strip().lower() in names:
                rows = list(sheet.iter_rows(values_only=True))
                head = [str(h or "").strip() for h in (rows[0] if rows else [])]
                found[kind] = [{h: ("" if v is None else str(v).strip()) for h, v in zip(head, r)}
                               for r in rows[1:] if any(v is not None for v in r)]
    return {kind: found.get(kind, []) for kind in SHEETS}


def load(data, actor=None):
    """Add or rename the districts, streets and departments of `data`; counts by kind."""
    errors, counts = {}, {"added": 0, "renamed": 0}
    for kind, model in (("districts", District), ("departments", Department),
                        ("streets", Street)):
        for number, item in enumerate(data.get(kind) or [], start=1):
            where = f"{kind}[{number}]"
            if not isinstance(item, dict):
                errors[where] = ["an object with code and name_zh expected"]
                continue
            code, zh = str(item.get("code") or ""), str(item.get("name_zh") or "")
            en = str(item.get("name_en") or "")
            problems = _check_names({}, code, zh, en)
            extra = {}
            if model is Street:
                extra = {"district": str(item.get("district") or ""),
                         "kind": str(item.get("kind") or "street")}
                if extra["kind"] not in KINDS:
                    problems["kind"] = ["town or street"]
                if db.session.get(District, extra["district"]) is None:
                    problems["district"] = [f"unknown district {extra['district']!r}"]
            if problems:
                errors.update({f"{where}.{k}": v for k, v in problems.items()})
                continue
            row = db.session.get(model, code)
            if row is None:
                db.session.add(model(code=code, name_zh=zh.strip(), name_en=en.strip(), **extra))
                counts["added"] += 1
            elif (row.name_zh, row.name_en) != (zh.strip(), en.strip()):
                row.name_zh, row.name_en = zh.strip(), en.strip()
                counts["renamed"] += 1
            db.session.flush()  # a street's district may be a row of this same file
    if errors:
        db.session.rollback()
        raise Invalid("nothing was loaded", errors=errors)
    record("org_load", actor, **counts)
    db.session.commit()
    return counts
