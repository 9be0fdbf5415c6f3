"""The resettlement-housing pool (安置房源): units, reservations for projects, allocation to
households (000 三(三))."""
from sqlalchemy import and_, case, func, select, update
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import District, HousingUnit, Project
from ...roles import may_see_district
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..formcontext import provide
from ..paging import page_of
from ..records.audit import record
from ..runtime import runtime

#: who may enter units into the pool: the city office manages it (统一调配); a district office
#: enters its own district's units; administrators
POOL_EDITORS = ("city_review", "district_office", "admin")
#: who may reserve units for a project: the district office filing the plan, the city office
RESERVERS = ("district_office", "city_review")
#: a unit reserved this many times and still not allocated is flagged (调剂两次以上未分配)
OFFERED_TOO_OFTEN = 2


def require_editor(user, district):
    """The user may enter units of `district` into the pool, else Forbidden."""
    if user.role not in POOL_EDITORS or not may_see_district(user, district):
        raise Forbidden("you may not enter housing units for this district")


def create_unit(user, values):
    """Enter one unit into the pool (idle); Conflict if estate/building/number exists."""
    require_editor(user, values["district"])
    if db.session.get(District, values["district"]) is None:
        raise Invalid("unknown district", errors={"district": ["unknown district"]})
    key = (values["estate"], values["building"], values["unit_number"])
    taken = Conflict(f"unit {'/'.join(key)} is already in the pool")
    if _existing_keys([key]):
        raise taken
    unit = HousingUnit(**values, status="idle", times_offered=0,
                       created_at=runtime().clock.now_naive())
    db.session.add(unit)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # entered at the same moment by another request
        raise taken from None
    record("housing_unit_add", user, unit=unit.id, estate=unit.estate,
           building=unit.building, unit_number=unit.unit_number)
    db.session.commit()
    return unit


def _existing_keys(keys):
    """Which of the (estate, building, unit_number) keys are already in the pool."""
    found = set()
    estates = {k[0] for k in keys}
    for estate in estates:
        rows = db.session.execute(select(HousingUnit.estate, HousingUnit.building,
                                         HousingUnit.unit_number)
                                  .where(HousingUnit.estate == estate)).all()
        found.update(tuple(r) for r in rows)
    return found & set(keys)


def visible_units(user):
    """Units a user may see: city offices all, district users their district's."""
    query = select(HousingUnit)
    if user.district is not None:
        query = query.where(HousingUnit.district == user.district)
    return query


def list_units(user, district=None, estate=None, status=None, existing_stock=None,
               project_id=None, flagged=None, page=1, per_page=50):
    """A page of units; existing stock first (offered first, 000 三(三)2), then by estate."""
    query = visible_units(user)
    for column, value in ((HousingUnit.district, district), (HousingUnit.estate, estate),
                          (HousingUnit.status, status),
                          (HousingUnit.reserved_project_id, project_id)):
        if value is not None:
            query = query.where(column == value)
    if existing_stock is not None:
        query = query.where(HousingUnit.existing_stock == existing_stock)
    if flagged is not None:
        condition = _flagged_condition()
        query = query.where(condition if flagged else ~condition)
    ordering = (HousingUnit.existing_stock.desc(), HousingUnit.estate, HousingUnit.building,
                HousingUnit.unit_number, HousingUnit.id)
    return page_of(query, ordering, page, per_page)


def _flagged_condition():
    return and_(HousingUnit.times_offered >= OFFERED_TOO_OFTEN, HousingUnit.status != "allocated")


def is_flagged(unit):
    """Offered twice or more and still not allocated (调剂两次以上未分配, 000 三(三)2)."""
    return unit.times_offered >= OFFERED_TOO_OFTEN and unit.status != "allocated"


def get_unit(user, unit_id):
    """One unit the user may see, or NotFound."""
    unit = db.session.get(HousingUnit, unit_id)
    if unit is None or not may_see_district(user, unit.district):
        raise NotFound("housing unit not found")
    return unit


def pool_summary(user, by="estate"):
    """The pool's state per estate (or district): units and area idle / reserved / allocated,
    existing stock idle, flagged units."""
    key = HousingUnit.estate if by == "estate" else HousingUnit.district
    counts = [func.sum(case((HousingUnit.status == s, 1), else_=0)).label(s)
              for s in ("idle", "reserved", "allocated")]
    query = (select(key.label("key"), HousingUnit.district, func.count().label("units"),
                    *counts,
                    func.sum(case((and_(HousingUnit.status == "idle",
                                        HousingUnit.existing_stock), 1), else_=0))
                    .label("stock_idle"),
                    func.sum(case((_flagged_condition(), 1), else_=0)).label("flagged"),
                    func.sum(HousingUnit.area).label("area"))
             .group_by(key, HousingUnit.district).order_by(HousingUnit.district, key))
    if user.district is not None:
        query = query.where(HousingUnit.district == user.district)
    return [{"key": r.key, "district": r.district, "units": r.units, "idle": r.idle or 0,
             "reserved": r.reserved or 0, "allocated": r.allocated or 0,
             "stock_idle": r.stock_idle or 0, "flagged": r.flagged or 0,
             "area": round(float(r.area or 0), 2)} for r in db.session.execute(query)]


def reserved_counts(project_id):
    """(units reserved or allocated for the project, of which existing stock) from the ledger."""
    row = db.session.execute(
        select(func.count(), func.sum(case((HousingUnit.existing_stock, 1), else_=0)))
        .where(HousingUnit.reserved_project_id == project_id,
               HousingUnit.status.in_(("reserved", "allocated")))).one()
    return row[0] or 0, int(row[1] or 0)


@provide("file_compensation_plan")
def ledger_figures(project):
    """The compensation plan's units_reserved and stock_units_used, counted from the ledger
    (安置房源未落实的项目一律不予实施 is checked against units actually reserved, 000 三(二)2)."""
    reserved, stock = reserved_counts(project.id)
    return {"units_reserved": reserved, "stock_units_used": stock}


def reserve_units(user, project_id, unit_ids, new_build_reason=None):
    """Reserve idle units for a project (备选), all or none.

    Each unit goes to one project only: a conditional UPDATE (status still idle) is the lock,
    so of two projects racing for a unit one wins and the other gets Conflict naming it.
    Existing stock first (000 三(三)2): a new-build unit is refused while idle existing stock
    of its district is left out of the request, unless `new_build_reason` says why that stock
    does not fit (recorded in the audit trail).
    """
    project = db.session.get(Project, project_id)
    if project is None or not may_see_district(user, project.district) \
            or user.department is not None:
        raise NotFound("project not found")
    if user.role not in RESERVERS:
        raise Forbidden("only the district office or the city office reserves housing")
    if project.status != "in_progress":
        raise Conflict("the project is no longer in progress")
    ids = sorted(set(unit_ids))
    units = {u.id: u for u in db.session.scalars(
        select(HousingUnit).where(HousingUnit.id.in_(ids)).order_by(HousingUnit.id)
        .with_for_update())}
    missing = [i for i in ids if i not in units]
    if missing:
        raise Invalid("unknown housing units",
                      errors={"unit_ids": [f"housing unit {i} not found" for i in missing]})
    taken = [u for u in units.values() if u.status != "idle"
             and not (u.status == "reserved" and u.reserved_project_id == project.id)]
    if taken:
        raise Conflict("housing units already taken: " + ", ".join(_label(u) for u in taken))
    wanted = [u for u in units.values() if u.status == "idle"]
    _check_stock_first(wanted, ids, new_build_reason)
    now = runtime().clock.now_naive()
    result = db.session.execute(
        update(HousingUnit).where(HousingUnit.id.in_([u.id for u in wanted]),
                                  HousingUnit.status == "idle")
        .values(status="reserved", reserved_project_id=project.id, reserved_at=now,
                times_offered=HousingUnit.times_offered + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != len(wanted):
        db.session.rollback()
        raise Conflict("housing units already taken by another project: "
                       + ", ".join(_label(u) for u in wanted))
    record("housing_reserve", user, project, units=[u.id for u in wanted],
           **({"new_build_reason": new_build_reason} if new_build_reason else {}))
    db.session.commit()
    db.session.expire_all()
    return reservation_summary(project)


def _check_stock_first(wanted, requested_ids, reason):
    new_build = [u for u in wanted if not u.existing_stock]
    if not new_build or (reason and reason.strip()):
        return
    for district in sorted({u.district for u in new_build}):
        left = db.session.scalar(
            select(func.count()).select_from(HousingUnit)
            .where(HousingUnit.district == district, HousingUnit.status == "idle",
                   HousingUnit.existing_stock, HousingUnit.id.notin_(requested_ids)))
        if left:
            raise Conflict(f"existing stock first (000 三(三)2): {left} idle existing-stock "
                           f"units remain in district {district}; reserve them, or give "
                           f"new_build_reason")


def release_reservation(user, project_id, unit_id, reason):
    """Give a reserved (not allocated) unit back to the pool (idle); audited."""
    project = db.session.get(Project, project_id)
    if project is None or not may_see_district(user, project.district):
        raise NotFound("project not found")
    if user.role not in RESERVERS:
        raise Forbidden("only the district office or the city office releases housing")
    result = db.session.execute(
        update(HousingUnit).where(HousingUnit.id == unit_id, HousingUnit.status == "reserved",
                                  HousingUnit.reserved_project_id == project.id)
        .values(status="idle", reserved_project_id=None, reserved_at=None)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("this unit is not reserved for this project")
    record("housing_release", user, project, unit=unit_id, reason=reason)
    db.session.commit()
    db.session.expire_all()
    return reservation_summary(project)


def reservation_summary(project):
    """What the ledger holds for a project: units reserved, of which existing stock, area."""
    reserved, stock = reserved_counts(project.id)
    area = db.session.scalar(select(func.sum(HousingUnit.area)).where(
        HousingUnit.reserved_project_id == project.id,
        HousingUnit.status.in_(("reserved", "allocated"))))
    return {"project_id": project.id, "units_reserved": reserved, "stock_units_used": stock,
            "area": round(float(area or 0), 2)}


def _label(unit):
    return f"{unit.id} ({unit.estate} {unit.building}-{unit.unit_number})"


def allocate_unit(household, unit_id, actor):
    """Allocate a unit reserved for the household's project to the household (已安置), in the
    caller's transaction (not committed). Invalid/Conflict with a message otherwise."""
    unit = db.session.get(HousingUnit, unit_id)
    if unit is None:
        raise Invalid("unknown housing unit", errors={"unit_id": ["housing unit not found"]})
    if unit.status == "allocated" and unit.household_id == household.id:
        return unit
    if unit.reserved_project_id != household.project_id:
        raise Invalid("the unit is not reserved for this household's project",
                      errors={"unit_id": [f"unit {_label(unit)} is not reserved for this "
                                          f"project"]})
    now = runtime().clock.now_naive()
    result = db.session.execute(
        update(HousingUnit).where(HousingUnit.id == unit.id, HousingUnit.status == "reserved",
                                  HousingUnit.reserved_project_id == household.project_id)
        .values(status="allocated", household_id=household.id, allocated_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict(f"unit {_label(unit)} is already allocated to another household")
    db.session.refresh(unit)
    household.unit_id = unit.id
    record("housing_allocate", actor, unit=unit.id, household=household.id,
           project_id=household.project_id)
    return unit


def release_unit(household, actor, reason=""):
    """Take an allocated unit back from a household: reserved again for its project (caller's
    transaction)."""
    if not household.unit_id:
        return None
    db.session.execute(
        update(HousingUnit).where(HousingUnit.id == household.unit_id,
                                  HousingUnit.household_id == household.id)
        .values(status="reserved", household_id=None, allocated_at=None)
        .execution_options(synchronize_session=False))
    record("housing_unallocate", actor, unit=household.unit_id, household=household.id,
           reason=reason)
    unit_id, household.unit_id = household.unit_id, None
    return unit_id
