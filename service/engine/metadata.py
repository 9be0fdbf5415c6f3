"""Read what the service needs from a BPMN diagram: each user task's role, form, time limits."""
import re

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
_DURATION_DAYS = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?$")


def duration_days(value):
    """Working days from an ISO-8601 duration such as P10D or P2W (a week is five working days)."""
    match = _DURATION_DAYS.match((value or "").strip())
    if not match or not any(match.groups()):
        return None
    weeks, days = (int(g or 0) for g in match.groups())
    return weeks * 5 + days


def _properties(element):
    found = {}
    for prop in element.iterfind("bpmn:extensionElements/camunda:properties/camunda:property", NS):
        if prop.get("name"):
            found[prop.get("name")] = prop.get("value")
    return found


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _lane_roles(process):
    roles = {}
    for lane in process.iterfind(".//bpmn:lane", NS):
        role = _properties(lane).get("role") or (lane.get("id") or "").removeprefix("lane_")
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            roles[(ref.text or "").strip()] = role
    return roles


def user_task_info(task, lane_roles):
    """The service's view of one userTask element."""
    props = _properties(task)
    groups = (task.get(f"{{{CAMUNDA}}}candidateGroups") or "").split(",")
    role = groups[0].strip() or lane_roles.get(task.get("id"))
    limit = _int(props.get("time_limit_days"))
    if limit is None:
        limit = duration_days(task.get(f"{{{CAMUNDA}}}dueDate"))
    loop = task.find("bpmn:multiInstanceLoopCharacteristics", NS)
    input_item = loop.find("bpmn:inputDataItem", NS) if loop is not None else None
    return {
        "id": task.get("id"),
        "name": task.get("name") or task.get("id"),
        "form": task.get(f"{{{CAMUNDA}}}formKey") or props.get("form"),
        "role": role,
        "time_limit_days": limit,
        "yellow_days": _int(props.get("yellow_days")),
        "escalate_after_days": _int(props.get("escalate_after_days")),
        "department_item": (input_item.get("name") or input_item.get("id"))
        if input_item is not None else None,
        "multi_instance": loop is not None,
    }


def extract(tree):
    """Metadata of every executable process in a parsed BPMN document, keyed by process id."""
    processes = {}
    for process in tree.getroot().iterfind("bpmn:process", NS):
        lane_roles = _lane_roles(process)
        tasks = {t.get("id"): user_task_info(t, lane_roles)
                 for t in process.iterfind(".//bpmn:userTask", NS)}
        ends = {e.get("id"): _properties(e).get("project_status", "completed")
                for e in process.iterfind(".//bpmn:endEvent", NS)}
        processes[process.get("id")] = {
            "id": process.get("id"), "name": process.get("name") or process.get("id"),
            "executable": process.get("isExecutable", "true") == "true",
            "user_tasks": tasks, "end_events": ends,
        }
    return processes
