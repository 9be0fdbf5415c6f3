"""Roles are given by the security administrator (三员分立), not the system administrator:
one role per account; claimed tasks the new role cannot act on go back to their queue."""
from ...extensions import db
from ...roles import ROLES, SECURITY_ADMIN_ROLES
from ..errors import Conflict, Invalid
from ..organisation.officials import OFFICE_FIELDS, get_official, move_official, resolve_office
from ..records.audit import record
from .passwords import tr
from .security_admin import require

#: City-wide roles that may still belong to one district (a district's finance bureau).
DISTRICT_OPTIONAL = ("finance", "supervisor")


def _office_for(user, role, given):
    """The office after the change: district and department as given; those not given are
    kept where the new role admits them, and the street goes with the district."""
    keeps_district = role in ROLES and (ROLES[role]["district"] or role in DISTRICT_OPTIONAL)
    office = {"role": role}
    office["district"] = given["district"] if "district" in given else \
        (user.district if keeps_district else None)
    office["department"] = given["department"] if "department" in given else \
        (user.department if role == "joint_review" else None)
    office["street"] = user.street if office["district"] == user.district else None
    return office


def assign_role(username, role, given=None, actor=None):
    """Give an official a role (with district/department where it needs one), audited as
    `role_change`; security administrator only (actor None: the command line), never their
    own. Returns {"official", "released"}."""
    require(actor, SECURITY_ADMIN_ROLES, "assign roles")
    user = get_official(username)
    if actor is not None and actor.id == user.id:
        raise Invalid(tr("the role was not changed"), errors={"role": [tr(
            "you cannot change your own role; another security administrator can")]})
    office, errors = resolve_office(_office_for(user, role, given or {}))
    if errors:
        raise Invalid(tr("the role was not changed"), errors=errors)
    before = {k: getattr(user, k) for k in OFFICE_FIELDS}
    if before == {k: office[k] or None for k in OFFICE_FIELDS}:
        raise Conflict(tr("%(name)s already has this role and office", name=username))
    released = move_official(user, office, actor)
    record("role_change", actor, username=username, before=before,
           after={k: getattr(user, k) for k in OFFICE_FIELDS},
           released=[t.id for t in released])
    db.session.commit()
    return {"official": user, "released": released}
