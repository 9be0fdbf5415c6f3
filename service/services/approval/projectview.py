"""What the project list and project page show: current steps, diagram marks, timeline."""
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import select

from ...engine.xmlsafe import parse_xml
from ...extensions import db
from ...models import District, Task
from . import projects
from .record import project_record, sent_back
from .steps import deployed_steps
from ..records.attachments import project_attachments

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def project_list(user, district=None, status=None, year=None, page=1, per_page=50, text=None,
                 step=None, due=None, cursor=None):
    """A page of visible projects with their open steps: (`paging.Page`, {project id: [tasks]})."""
    found = projects.list_projects(user, district, status, year, page, per_page, text,
                                   step, due, cursor)
    rows = found.rows
    current = {p.id: [] for p in rows}
    if rows:
        for task in db.session.scalars(select(Task).where(
                Task.project_id.in_(list(current)), Task.status == "open",
                Task.household_id.is_(None)).order_by(Task.id)):  # households' on their list
            current[task.project_id].append(task)
    return found, current


def step_choices():
    """(step, name) of every step a project can be at, for the list's step filter: the
    deployed processes' user tasks but the households' (not a scan of the open tasks)."""
    from ..households.process import PROCESS_KEY
    return deployed_steps(exclude=(PROCESS_KEY,))


def district_codes():
    """Every district code, for filters."""
    return db.session.scalars(select(District.code).order_by(District.code)).all()


class _Graph(NamedTuple):
    """A diagram's sequence flows, read once per version."""
    flows: frozenset  # flow ids
    outgoing: dict  # element id -> ((flow id, target id), ...)
    steps: frozenset  # user task ids
    starts: frozenset
    ends: frozenset


@lru_cache(maxsize=64)
def _graph(definition_id, xml):
    root = parse_xml(xml).getroot()
    outgoing = {}
    for flow in root.iter(f"{BPMN}sequenceFlow"):
        outgoing.setdefault(flow.get("sourceRef"), []).append(
            (flow.get("id"), flow.get("targetRef")))
    ids = {kind: frozenset(e.get("id") for e in root.iter(f"{BPMN}{kind}"))
           for kind in ("userTask", "startEvent", "endEvent")}
    return _Graph(frozenset(f for out in outgoing.values() for f, _ in out),
                  {source: tuple(out) for source, out in outgoing.items()},
                  ids["userTask"], ids["startEvent"], ids["endEvent"])


def _walk(graph, source, targets):
    """Flow and element ids on the shortest way from `source` to each of `targets` that passes
    no other user task (only gateways and automatic steps)."""
    came, queue, marked = {source: None}, [source], set()
    for node in queue:  # breadth first: the queue grows while it is read
        if node != source and (node in graph.steps or node in targets):
            continue
        for flow_id, target in graph.outgoing.get(node, ()):
            if target not in came:
                came[target] = (flow_id, node)
                queue.append(target)
    for target in targets:
        if target not in came:
            continue
        if target not in graph.steps:
            marked.add(target)  # an end event reached
        node = target
        while came[node] is not None:
            flow_id, node = came[node]
            marked.add(flow_id)
            if node != source:
                marked.add(node)
    return marked


def returned_flows(definition, events):
    """Ids of the sequence flows a return took: step -> gateway(s) -> earlier step."""
    graph = _graph(definition.id, definition.bpmn_xml)
    marked = set()
    for event in events:
        if event.action == "return":
            marked |= _walk(graph, event.detail.get("from_step"),
                            set(event.detail.get("to_steps") or []))
    return sorted(marked & graph.flows)


def taken_path(definition, events):
    """Ids of the flows, gateways and events the project went through between its steps: the
    branch each decision took, from the start event to the end event reached."""
    graph = _graph(definition.id, definition.bpmn_xml)
    marked = set()
    for event in events:
        if event.action == "start":
            for start in graph.starts:
                found = _walk(graph, start, graph.steps)
                if found:  # the start event the project began at
                    marked |= found | {start}
        elif event.action == "complete" and event.detail.get("next"):
            marked |= _walk(graph, event.detail.get("step"), set(event.detail["next"]))
        elif event.action in ("finish", "reject"):
            marked |= _walk(graph, event.detail.get("step"), graph.ends)
    return marked


def diagram_marks(project, tasks, events):
    """Element ids to mark on the diagram: done steps, current steps, the path taken between
    them (flows, gateways, start and end events) and returned paths."""
    done = {t.step for t in tasks if t.status == "completed"}
    current = {t.step for t in tasks if t.status == "open"}
    returned = returned_flows(project.definition, events)
    taken = taken_path(project.definition, events) - set(returned) - done - current
    return {"done": sorted(done - current), "current": sorted(current),
            "taken": sorted(taken), "returned": returned}


def project_page(user, project_id):
    """Everything the project page shows, for a project the user may see."""
    project = projects.get_project(user, project_id)
    # The statutory steps; each household's steps are on its own page (一户一档).
    tasks = db.session.scalars(select(Task).where(Task.project_id == project.id,
                                                  Task.household_id.is_(None))
                               .order_by(Task.id)).all()
    events = projects.history(project)
    record = project_record(project, tasks)
    return {"project": project, "tasks": tasks, "current": [t for t in tasks if t.status == "open"],
            "events": events, "attachments": project_attachments(project.id),
            "marks": diagram_marks(project, tasks, events),
            "record": record, "sent_back": sent_back(record)}
