"""What the project list and project page show: current steps, diagram marks, timeline."""
from functools import lru_cache

from sqlalchemy import select

from ..engine.xmlsafe import parse_xml
from ..extensions import db
from ..models import District, Task
from . import projects
from .attachments import project_attachments

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def project_list(user, district=None, status=None, year=None, page=1, per_page=50):
    """A page of visible projects with their open steps: (rows, total, {project id: [tasks]})."""
    rows, total = projects.list_projects(user, district, status, year, page, per_page)
    current = {p.id: [] for p in rows}
    if rows:
        for task in db.session.scalars(select(Task).where(
                Task.project_id.in_(list(current)), Task.status == "open").order_by(Task.id)):
            current[task.project_id].append(task)
    return rows, total, current


def district_codes():
    """Every district code, for filters."""
    return db.session.scalars(select(District.code).order_by(District.code)).all()


@lru_cache(maxsize=64)
def _flows(definition_id, xml):
    root = parse_xml(xml).getroot()
    return [(f.get("id"), f.get("sourceRef"), f.get("targetRef"))
            for f in root.iter(f"{BPMN}sequenceFlow")]


def returned_flows(definition, events):
    """Ids of the sequence flows a return took: step -> gateway -> earlier step."""
    flows = _flows(definition.id, definition.bpmn_xml)
    marked = []
    for event in events:
        if event.action != "return":
            continue
        source, targets = event.detail.get("from_step"), set(event.detail.get("to_steps") or [])
        for first, src, gateway in flows:
            if src != source:
                continue
            for second, via, target in flows:
                if via == gateway and target in targets:
                    marked += [first, second]
    return sorted(set(marked))


def diagram_marks(project, tasks, events):
    """Element ids to mark on the diagram: done steps, current steps and returned paths."""
    done = {t.step for t in tasks if t.status == "completed"}
    current = {t.step for t in tasks if t.status == "open"}
    return {"done": sorted(done - current), "current": sorted(current),
            "returned": returned_flows(project.definition, events)}


def project_page(user, project_id):
    """Everything the project page shows, for a project the user may see."""
    project = projects.get_project(user, project_id)
    tasks = db.session.scalars(select(Task).where(Task.project_id == project.id)
                               .order_by(Task.id)).all()
    events = projects.history(project)
    return {"project": project, "tasks": tasks, "current": [t for t in tasks if t.status == "open"],
            "events": events, "attachments": project_attachments(project.id),
            "marks": diagram_marks(project, tasks, events)}
