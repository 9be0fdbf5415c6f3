"""Starting projects and reading the ones an official may see."""
from sqlalchemy import or_, select

from ...extensions import db
from ...models import AuditEvent, Project, Task
from ...roles import may_see_district
from ..policy import definitions
from ..records.audit import record
from ..errors import Forbidden, NotFound
from .instances import keep, save_instance
from ..runtime import runtime
from ..paging import page_of
from .search import filter_projects

STARTER_ROLES = ("district_office",)


def start_project(user, name, process="statutory_approval"):
    """A district office starts a statutory approval for its own district."""
    if user.role not in STARTER_ROLES or not user.district:
        raise Forbidden("only a district office can start a project")
    definition = definitions.latest(process)
    rt = runtime()
    now = rt.clock.now_naive()
    project = Project(name=name, district=user.district, definition_id=definition.id,
                      definition=definition, status="in_progress", created_by_id=user.id,
                      created_at=now, updated_at=now, revision=0, data={})
    db.session.add(project)
    db.session.flush()
    instance = rt.engine.start(definitions.parsed(definition.id),
                               {"project_name": name, "district": user.district})
    created, _ = save_instance(project, instance, user)
    record("start", user, project, name=name, process=definition.key,
           version=definition.version, opened=[t.step for t in created])
    db.session.commit()
    keep(project, instance)
    return project


def visible_query(user):
    """Projects the user may see: all for city offices, their district's for district users,
    for a joint-review department only the projects it has been asked to sign off."""
    query = select(Project)
    if user.district is not None:
        query = query.where(Project.district == user.district)
    if user.department is not None:
        query = query.where(Project.id.in_(
            select(Task.project_id).where(Task.department == user.department)))
    return query


def may_see_project(user, project):
    """Whether `user` may see `project` (the rule of `visible_query`)."""
    if not may_see_district(user, project.district):
        return False
    return user.department is None or db.session.scalar(
        select(Task.id).where(Task.project_id == project.id,
                              Task.department == user.department).limit(1)) is not None


def list_projects(user, district=None, status=None, year=None, page=1, per_page=50, text=None,
                  step=None, due=None, cursor=None):
    """A page of visible projects, newest first (`paging.Page`); `text` searches names
    and document numbers, `step` keeps projects at that step."""
    query = filter_projects(visible_query(user), text, step, due)
    for column, value in ((Project.district, district), (Project.status, status),
                          (Project.plan_year, year)):
        if value:
            query = query.where(column == value)
    return page_of(query, (Project.id.desc(),), page, per_page, cursor)


def get_project(user, project_id):
    """One project the user may see, or NotFound."""
    project = db.session.get(Project, project_id)
    if project is None or not may_see_project(user, project):
        raise NotFound("project not found")
    return project


def open_tasks(project):
    """The project's open task rows (its current steps)."""
    return db.session.scalars(select(Task).where(Task.project_id == project.id,
                                                 Task.status == "open",
                                                 Task.household_id.is_(None))  # households': own
                              .order_by(Task.id)).all()


#: audit actions kept on a household's page, not in its project's timeline
HOUSEHOLD_ONLY_ACTIONS = ("personal_data_view", "household_edit")


def history(project):
    """Audit events of a project, oldest first (its households' steps are on their pages)."""
    household_tasks = select(Task.id).where(Task.project_id == project.id,
                                            Task.household_id.isnot(None))
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.project_id == project.id,
        or_(AuditEvent.task_id.is_(None), AuditEvent.task_id.not_in(household_tasks)),
        AuditEvent.action.not_in(HOUSEHOLD_ONLY_ACTIONS)).order_by(AuditEvent.id)).all()
