"""Officials as an administrator manages them: list, add, change office (the tasks they hold
are shown before and released after, audited), import from an XLSX sheet. Roles are the
security administrator's (people/roles_admin.py); the command line may still change them.

Passwords, disabling and enabling go through people.accounts / people.users, where the
password rules live.
"""
from types import SimpleNamespace

from sqlalchemy import select

from ...extensions import db
from ...models import Street, Task, User
from ...roles import ADMINISTRATOR_ROLES, ROLES, SECURITY_ADMIN_ROLES, may_act_on
from ...textcheck import bad_text
from ..errors import Forbidden, Invalid, NotFound
from ..approval.tasks import lock_claimed_rows
from ..people.accounts import check_manager
from ..people.passwords import tr
from ..people.users import EMAIL, check_user_fields, create_user
from ..records.audit import record
from .places import resolve

OFFICE_FIELDS = ("role", "district", "department", "street")


def get_official(username):
    """The official named `username`, or NotFound."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no official named {username!r}")
    return user


def list_officials(district=None, role=None, active=None):
    """Officials by username, optionally of one district / role / state."""
    query = select(User).order_by(User.username)
    if district:
        query = query.where(User.district == district)
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active == active)
    return db.session.scalars(query).all()


def _refuse_role(actor, role, current=None):
    """Only the security administrator (or the command line, actor None) changes a role or
    gives an administrator's role; a system administrator may create officials of the
    others."""
    if actor is None or actor.role in SECURITY_ADMIN_ROLES or role in (None, current):
        return
    if current is not None:
        raise Forbidden(tr("roles are changed by the security administrator (account security "
                           "page, PUT /api/v1/security/accounts/<username>/role)"))
    if role in ADMINISTRATOR_ROLES:
        raise Forbidden(tr("only the security administrator gives an administrator's role "
                           "(%(role)s)", role=role))


def resolve_office(values):
    """Resolve names to codes and check the combination; (office dict, errors)."""
    errors, office = {}, {"role": values.get("role")}
    for kind in ("district", "department", "street"):
        try:
            office[kind] = resolve(kind, values.get(kind))
        except Invalid as exc:
            errors.update(exc.errors)
    if not errors:
        errors.update(check_user_fields(office["role"], office["district"], office["department"]))
    if office.get("street") and "street" not in errors:
        street = db.session.get(Street, office["street"])
        if street.district != office["district"]:
            errors["street"] = [f"{street.code} is not in district {office['district'] or '-'}"]
    if office["role"] in ROLES and not ROLES[office["role"]]["district"] and office["district"] \
            and office["role"] not in ("finance", "supervisor"):
        errors["district"] = [f"role {office['role']} works city-wide"]
    return office, errors


def claimed_tasks(user):
    """The open tasks `user` has claimed, by id."""
    return db.session.scalars(select(Task).where(
        Task.status == "open", Task.claimed_by_id == user.id).order_by(Task.id)).all()


def held_tasks(user, office):
    """The open tasks `user` has claimed that they could no longer act on in `office`."""
    future = SimpleNamespace(role=office["role"], district=office["district"],
                             department=office["department"])
    return [t for t in claimed_tasks(user) if not may_act_on(future, t)]


def _check_change(actor, user):
    # 三员分立: no one else's administrator account; one's own name and e-mail are fine.
    if actor is None or actor.id != user.id:
        check_manager(actor, user)


def preview_change(username, values, actor=None):
    """What a change of office would do, before it is made: the new office (codes) and the
    claimed tasks that would go back to their office's queue."""
    user = get_official(username)
    _check_change(actor, user)
    _refuse_role(actor, values.get("role"), user.role)
    office, errors = resolve_office(
        {k: values.get(k, getattr(user, k)) for k in OFFICE_FIELDS})
    if errors:
        raise Invalid("the official cannot be changed", errors=errors)
    return {"official": user, "office": office, "released": held_tasks(user, office)}


def change_official(username, values, actor=None):
    """Change an official's name, e-mail or office (role: command line only) in one
    transaction. Claimed tasks they may no longer act on go back to their office's queue
    (each release audited); not another administrator's account (security administrator's).
    Returns {"official", "released"}."""
    user = get_official(username)
    _check_change(actor, user)
    _refuse_role(actor, values.get("role"), user.role)
    errors = {}
    for name in ("display_name", "email"):
        if name in values and values[name] is not None and bad_text(values[name]):
            errors[name] = ["contains control characters or undecodable bytes"]
    email = values.get("email")
    if email and "email" not in errors and not EMAIL.fullmatch(email):
        errors["email"] = ["not an e-mail address (name@host)"]
    office, office_errors = resolve_office(
        {k: values.get(k, getattr(user, k)) for k in OFFICE_FIELDS})
    errors.update(office_errors)
    if errors:
        raise Invalid("the official cannot be changed", errors=errors)
    before = {k: getattr(user, k) for k in OFFICE_FIELDS + ("display_name", "email")}
    released = move_official(user, office, actor)
    if values.get("display_name"):
        user.display_name = values["display_name"].strip()
    if "email" in values:
        user.email = email or None
    after = {k: getattr(user, k) for k in OFFICE_FIELDS + ("display_name", "email")}
    record("user_change", actor, username=username, before=before, after=after,
           released=[t.id for t in released])
    db.session.commit()
    return {"official": user, "released": released}


def move_official(user, office, actor):
    """Give `user` the office (role, district, department, street codes); the claimed tasks
    they may no longer act on go back to their office's queue, each release audited. The
    caller audits the change and commits; returns the released tasks."""
    # Locked like disable_user: a completion in flight commits first or finds the claim gone.
    lock_claimed_rows(user.id)  # their projects' rows first, the order completions take
    released = held_tasks(user, office)
    for task in released:
        task.claimed_by_id, task.claimed_at = None, None
        record("release", actor, task.project, task, step=task.step, official=user.username,
               reason="official moved")
    for key, value in office.items():
        setattr(user, key, value or None)
    return released


def add_official(values, actor=None):
    """Add one official (district/department/street by code or Chinese name)."""
    user = _create(values, actor)
    db.session.commit()
    return user


def _create(values, actor):
    _refuse_role(actor, values.get("role"))
    office, errors = resolve_office(values)
    if errors:
        raise Invalid("the user cannot be created", errors=errors)
    user = create_user((values.get("username") or "").strip(), values.get("password") or "",
                       office["role"], office["district"], office["department"],
                       (values.get("display_name") or "").strip(), values.get("email") or None,
                       actor=actor)
    if office["street"]:
        user.street = office["street"]
    return user


# Column headings an XLSX sheet may use, Chinese or English.
HEADINGS = {"username": ("username", "用户名", "账号"), "display_name": ("name", "姓名"),
            "role": ("role", "角色"), "district": ("district", "区", "所属区"),
            "department": ("department", "部门"), "street": ("street", "街道", "镇/街道"),
            "email": ("email", "邮箱", "电子邮件"), "password": ("password", "初始密码", "密码")}
ROLE_NAMES = {v["zh"]: k for k, v in ROLES.items()}


def import_officials(stream, actor=None):
    """Add every official of an XLSX sheet (first row: headings), all or none; Invalid names
    each problem by row and field."""
    from openpyxl import load_workbook
    try:
        sheet = load_workbook(stream, read_only=True, data_only=True).worksheets[0]
        rows = [["" if c is None else str(c).strip() for c in row]
                for row in sheet.iter_rows(values_only=True)]
    except Exception:  # noqa: BLE001 - any unreadable upload is the same answer to the user
        raise Invalid("not an XLSX workbook", errors={"file": ["not an XLSX workbook"]}) from None
    if not rows:
        raise Invalid("the sheet is empty", errors={"file": ["the sheet is empty"]})
    columns = {}
    for index, heading in enumerate(rows[0]):
        for field, names in HEADINGS.items():
            if heading.lower() in names:
                columns[field] = index
    missing = [f for f in ("username", "role", "password") if f not in columns]
    if missing:
        raise Invalid("columns missing", errors={"file": [f"no column {', '.join(missing)}"]})
    errors, created = {}, []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        values = {f: (row[i] if i < len(row) else "") for f, i in columns.items()}
        values["role"] = ROLE_NAMES.get(values["role"], values["role"])
        try:
            with db.session.begin_nested():
                created.append(_create(values, actor))
        except Forbidden as exc:  # an administrator's role: named on its row like the rest
            errors[f"row {number} role"] = [exc.message]
        except Invalid as exc:
            for field, problems in (exc.errors or {"row": [exc.message]}).items():
                errors[f"row {number} {field}"] = problems
    if errors:
        db.session.rollback()
        raise Invalid("nothing was imported", errors=errors)
    record("users_import", actor, usernames=[u.username for u in created])
    db.session.commit()
    return created
