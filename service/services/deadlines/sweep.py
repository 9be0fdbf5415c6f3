"""The reminder / escalation sweep, and the forecast of what it will do at a given moment.

The sweep reads rows whose `next_alert_at` has passed (an index range scan: its cost grows with
the rows due, not with the open rows), claims each with `FOR UPDATE SKIP LOCKED` (PostgreSQL) and
a conditional update of `alert_level`, and writes the escalation rows (unique per subject and
level), audit rows and notices in the same transaction. Several sweepers never fire twice.
"""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import lazyload
from sqlalchemy.exc import IntegrityError, OperationalError

from ...extensions import db
from ...models import Escalation, Task, TitleCertificate
from ...models.escalations import LEVEL2, LEVEL_NAMES, RED, YELLOW
from ..records.audit import record
from .deadlines import THRESHOLD_COLUMNS
from ..notices.notices import CERTIFICATE_STEP, split_name
from ..notices.notify import Recipients, notify
from ..runtime import runtime

BATCH = 200
MAX_RETRIES = 5


@dataclass(frozen=True)
class Source:
    """A kind of row that carries deadlines: its model, escalation link and notice context."""
    kind: str
    model: type
    link: str
    still_open: object
    context: object


def _step_context(task, level):
    return {"project": task.project, "task": task, "district": task.district,
            "office": task.department or task.role, "step": task.step,
            "step_name": task.name, "due_at": task.due_at, "due_date": task.due_date,
            "level2_days": task.level2_days, "yellow_days": task.yellow_days,
            "office_users": lambda r: r.office(task.role, task.district, task.department,
                                                task.claimed_by_id)}


def _certificate_context(row, level):
    return {"project": row.project, "task": None, "district": row.district,
            "office": "district_office", "step": "title_certificate",
            "step_name": CERTIFICATE_STEP, "due_at": row.red_at,
            "due_date": row.deadline_date if level == LEVEL2 else row.due_date,
            "level2_days": None, "yellow_days": None,
            "office_users": lambda r: r.office("district_office", row.district)}


SOURCES = (
    Source("step", Task, "task_id", Task.status == "open", _step_context),
    Source("title_certificate", TitleCertificate, "certificate_id",
           TitleCertificate.done_at.is_(None), _certificate_context),
)

#: the column holding the next threshold once a level has fired
NEXT_COLUMN = {YELLOW: lambda m: m.red_at, RED: lambda m: m.level2_at, LEVEL2: lambda m: None}

RECIPIENTS = {
    YELLOW: lambda r, c: c["office_users"](r),
    RED: lambda r, c: c["office_users"](r) + r.supervisors(c["district"]),
    LEVEL2: lambda r, c: c["office_users"](r) + r.leading_group(),
}


def _threshold(row, level):
    return getattr(row, THRESHOLD_COLUMNS[level])


def _next_after(row, level):
    later = [lvl for lvl in sorted(THRESHOLD_COLUMNS) if lvl > level]
    return _threshold(row, later[0]) if later else None


def sweep(now=None, batch=BATCH):
    """Fire every level due at `now` (default the clock); returns {level name: count fired}."""
    now = now or runtime().clock.now_naive()
    fired = {name: 0 for name in LEVEL_NAMES.values()}
    recipients = Recipients()
    for source in SOURCES:
        failures = 0
        while True:
            try:
                found = _sweep_batch(source, now, batch, recipients, fired)
            except (IntegrityError, OperationalError):
                # Another sweeper took a row first (or SQLite was busy): rows it fired no
                # longer match, so the next batch picks up only what is left.
                db.session.rollback()
                failures += 1
                if failures > MAX_RETRIES:
                    raise
                continue
            failures = 0
            if not found:
                break
    return fired


def _sweep_batch(source, now, batch, recipients, fired):
    model = source.model
    ids = db.session.scalars(
        select(model.id).where(model.next_alert_at <= now, source.still_open)
        .order_by(model.next_alert_at, model.id).limit(batch)
        .with_for_update(skip_locked=True)).all()
    if not ids:
        db.session.rollback()
        return False
    # Related rows (project, definition) come from the identity map, not one join per row.
    rows = db.session.scalars(select(model).where(model.id.in_(ids)).order_by(model.id)
                              .options(lazyload("*"))).all()
    claimed = _claim(model, [(row, crossed) for row in rows if (crossed := _crossed(row, now))])
    if claimed:
        _fire(source, claimed, now, recipients)
    db.session.commit()
    for _, crossed in claimed:
        for level in crossed:
            fired[LEVEL_NAMES[level]] += 1
    return True


def _crossed(row, now):
    """Levels above the fired one whose threshold has passed (fixes a stale next_alert_at)."""
    before = -1 if row.alert_level is None else row.alert_level
    crossed = [lvl for lvl in sorted(THRESHOLD_COLUMNS)
               if lvl > before and _threshold(row, lvl) is not None and _threshold(row, lvl) <= now]
    if not crossed:
        row.next_alert_at = _next_after(row, before)
    return crossed


def _claim(model, candidates):
    """Conditional updates of the fired level, one per (fired, new) pair: of two sweepers only
    one matches a row. Returns the candidates this sweeper won."""
    groups = {}
    for row, crossed in candidates:
        groups.setdefault((row.alert_level, crossed[-1]), []).append((row, crossed))
    won = []
    for (before, top), items in groups.items():
        same_level = model.alert_level.is_(None) if before is None else model.alert_level == before
        ids = set(db.session.scalars(
            update(model).where(model.id.in_([row.id for row, _ in items]), same_level)
            .values(alert_level=top, next_alert_at=NEXT_COLUMN[top](model))
            .returning(model.id).execution_options(synchronize_session=False)))
        won += [(row, crossed) for row, crossed in items if row.id in ids]
    return won


def _fire(source, claimed, now, recipients):
    """Write the escalation rows, audit rows and notices of the claimed rows."""
    link = getattr(Escalation, source.link)
    db.session.execute(update(Escalation).where(link.in_([row.id for row, _ in claimed]),
                                                Escalation.is_current.is_(True))
                       .values(is_current=False).execution_options(synchronize_session=False))
    fired = []
    for row, crossed in claimed:
        context = source.context(row, crossed[-1])
        escalations = [Escalation(
            kind=source.kind, project_id=row.project_id, level=level,
            district=context["district"], office=context["office"], step=context["step"],
            due_at=context["due_at"], fired_at=now, notified=level == crossed[-1],
            is_current=level == crossed[-1], urge_count=0, **{source.link: row.id})
            for level in crossed]
        db.session.add_all(escalations)
        fired.append((context, escalations))
    db.session.flush()
    for context, escalations in fired:
        for escalation in escalations:
            record("escalation", None, context["project"], context["task"],
                   escalation_id=escalation.id, kind=source.kind, level=escalation.level_name,
                   step=context["step"], due_at=context["due_at"].isoformat() + "Z",
                   notified=escalation.notified)
        top = escalations[-1]
        notify(RECIPIENTS[top.level](recipients, context), LEVEL_NAMES[top.level],
               notice_params(context, top.level, recipients), project=context["project"],
               task=context["task"], escalation=top)


def notice_params(context, level, recipients):
    """Names the notice texts use."""
    name = context["step_name"]
    days = context["yellow_days"] if level == YELLOW else context["level2_days"]
    return {"project": context["project"].name, "district": recipients.district_name(
        context["district"]), "step": split_name(name), "due_date": context["due_date"].isoformat(),
        "days": days if days is not None else "", "note": ""}


def preview(at, district=None):
    """What is yellow, red and level 2 at `at` (naive UTC); reads only, changes nothing."""
    found = []
    for source in SOURCES:
        model = source.model
        query = select(model).where(source.still_open, model.yellow_at <= at)
        if district:
            query = query.where(model.district == district)
        for row in db.session.scalars(query.order_by(model.yellow_at, model.id)):
            level = max(lvl for lvl in THRESHOLD_COLUMNS
                        if _threshold(row, lvl) is not None and _threshold(row, lvl) <= at)
            context = source.context(row, level)
            fired = -1 if row.alert_level is None else row.alert_level
            found.append({"kind": source.kind, "id": row.id, "level": LEVEL_NAMES[level],
                          "project_id": row.project_id, "project_name": row.project.name,
                          "district": context["district"], "office": context["office"],
                          "step": context["step"], "due_at": context["due_at"],
                          "fires_new": level > fired, "already": LEVEL_NAMES.get(fired)})
    order = {"level2": 0, "red": 1, "yellow": 2}
    found.sort(key=lambda r: (order[r["level"]], r["due_at"] or dt.datetime.max))
    return found


def forecast(at, district=None):
    """The forecast at a moment (naive means Asia/Shanghai): {at, counts, items}."""
    from ...clock import SHANGHAI
    from ...models.timestamps import utc_naive
    moment = utc_naive(at if at.tzinfo else at.replace(tzinfo=SHANGHAI))
    items = preview(moment, district)
    counts = {name: sum(1 for item in items if item["level"] == name)
              for name in LEVEL_NAMES.values()}
    return {"at": moment, "counts": counts, "items": items}
