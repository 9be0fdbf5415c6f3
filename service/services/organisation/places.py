"""Districts, their towns and streets, and departments: list, add, rename; every change audited.

Commands and pages name a district or department by its code or its Chinese name (`resolve`).
"""
import re

from sqlalchemy import or_, select

from ...extensions import db
from ...models import Department, District, Street, User
from ...textcheck import bad_text
from ..errors import Conflict, Invalid, NotFound
from ..records.audit import record

CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
KINDS = ("town", "street")
MODELS = {"district": District, "department": Department, "street": Street}


def resolve(kind, value, field=None):
    """The code of the district/department/street named `value` (code or Chinese name), or
    None for an empty value; Invalid naming the field when nothing matches."""
    if value is None or not str(value).strip():
        return None
    value, model = str(value).strip(), MODELS[kind]
    found = db.session.scalars(select(model.code).where(
        or_(model.code == value, model.name_zh == value, model.name_en == value))).all()
    if len(found) == 1:
        return found[0]
    problem = f"unknown {kind} {value!r}" if not found else f"{value!r} names several {kind}s"
    raise Invalid(f"unknown {kind}", errors={field or kind: [problem]})


def _check_names(errors, code, name_zh, name_en, check_code=True):
    if check_code and not CODE.fullmatch(code or ""):
        errors["code"] = ["lower-case letters, digits and _ (e.g. jingkou), at most 40"]
    if not (name_zh or "").strip() or len(name_zh) > 100 or bad_text(name_zh):
        errors["name_zh"] = ["a Chinese name of 1 to 100 characters is required"]
    if name_en and (len(name_en) > 100 or bad_text(name_en)):
        errors["name_en"] = ["at most 100 characters, no control characters"]
    return errors


def _name_taken(model, name_zh, code, errors):
    other = db.session.scalar(select(model.code).where(model.name_zh == name_zh.strip(),
                                                       model.code != code))
    if other:
        errors["name_zh"] = [f"already the name of {other}"]


def list_districts(user=None):
    """Districts with their streets; a district-level official sees only their own."""
    query = select(District).order_by(District.code)
    if user is not None and getattr(user, "district", None):
        query = query.where(District.code == user.district)
    districts = db.session.scalars(query).all()
    streets = db.session.scalars(select(Street).order_by(Street.district, Street.code)).all()
    by_district = {}
    for street in streets:
        by_district.setdefault(street.district, []).append(street)
    return [{"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en,
             "streets": by_district.get(d.code, [])} for d in districts]


def list_departments():
    """Every department, by code."""
    return db.session.scalars(select(Department).order_by(Department.code)).all()


def _add(model, action, actor, code, name_zh, name_en, **extra):
    errors = _check_names({}, code, name_zh, name_en)
    if not errors:
        if db.session.get(model, code) is not None:
            errors["code"] = [f"{code} exists already"]
        _name_taken(model, name_zh, code, errors)
    if errors:
        raise Invalid("nothing was added", errors=errors)
    row = model(code=code, name_zh=name_zh.strip(), name_en=(name_en or "").strip(), **extra)
    db.session.add(row)
    db.session.flush()
    record(action, actor, code=code, name_zh=row.name_zh, name_en=row.name_en, **extra)
    db.session.commit()
    return row


def _rename(model, action, actor, code, name_zh, name_en):
    row = db.session.get(model, code)
    if row is None:
        raise NotFound(f"no such code {code!r}")
    errors = _check_names({}, code, name_zh, name_en, check_code=False)
    if not errors:
        _name_taken(model, name_zh, code, errors)
    if errors:
        raise Invalid("nothing was changed", errors=errors)
    before = {"name_zh": row.name_zh, "name_en": row.name_en}
    row.name_zh, row.name_en = name_zh.strip(), (name_en or "").strip()
    record(action, actor, code=code, before=before,
           after={"name_zh": row.name_zh, "name_en": row.name_en})
    db.session.commit()
    return row


def add_district(code, name_zh, name_en="", actor=None):
    """A new district (区/县)."""
    return _add(District, "district_add", actor, code, name_zh, name_en)


def rename_district(code, name_zh, name_en="", actor=None):
    """Change a district's names (its code stays: tasks and officials refer to it)."""
    return _rename(District, "district_rename", actor, code, name_zh, name_en)


def add_department(code, name_zh, name_en="", actor=None):
    """A new joint-review department (委办局)."""
    return _add(Department, "department_add", actor, code, name_zh, name_en)


def rename_department(code, name_zh, name_en="", actor=None):
    """Change a department's names."""
    return _rename(Department, "department_rename", actor, code, name_zh, name_en)


def add_street(district, code, name_zh, name_en="", kind="street", actor=None):
    """A town (镇) or street office (街道) under a district (code or Chinese name)."""
    district_code = resolve("district", district)
    if district_code is None:
        raise Invalid("nothing was added", errors={"district": ["a district is required"]})
    if kind not in KINDS:
        raise Invalid("nothing was added", errors={"kind": ["town or street"]})
    return _add(Street, "street_add", actor, code, name_zh, name_en, district=district_code,
                kind=kind)


def rename_street(code, name_zh, name_en="", actor=None):
    """Change a town's or street office's names."""
    return _rename(Street, "street_rename", actor, code, name_zh, name_en)


def officials_in(kind, code):
    """How many officials belong to a district/department/street (shown before changes)."""
    column = {"district": User.district, "department": User.department,
              "street": User.street}[kind]
    return len(db.session.scalars(select(User.id).where(column == code)).all())

