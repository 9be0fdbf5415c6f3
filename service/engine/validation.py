"""Checks a diagram and its forms must pass before deployment; one function per check.

`validate` runs the document checks (XML safety, BPMN 2.0 schema, an executable process), then
every check in CHECKS, then SpiffWorkflow's own parser. Problems are dicts with the element id,
a code and the message in Chinese and English (see validation_messages.py).
"""
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from . import metadata
from .compat import for_engine
from .exprcheck import over_budget, too_many_instances
from .expressions import ExpressionError, free_names, is_juel, parse_script
from .graph import process_graphs
from .paths import check_can_end, check_reachable
from .validation_messages import problem
from .xmlsafe import MAX_XML_BYTES, UnsafeXMLError, parse_xml

START_NAMES = {"project_name", "district"}
UNSUPPORTED = {"serviceTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask",
               "callActivity", "complexGateway", "transaction"}
CHOICE_GATEWAYS = {"exclusiveGateway", "inclusiveGateway"}
_validator = None


@dataclass
class Validation:
    """The outcome: problems (empty when the diagram may be deployed) and what was parsed."""
    problems: list = field(default_factory=list)
    process_id: str | None = None
    parsed: object = None
    forms: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems


@dataclass
class Context:
    """What each check reads: the process graph, its metadata, the forms and roles on offer."""
    graph: object
    meta: dict
    forms: dict
    roles: dict
    describe_form: object = None
    names: set = field(default_factory=set)


def _xsd():
    global _validator
    if _validator is None:
        _validator = BpmnValidator()
    return _validator


def _document(xml):
    try:
        tree = parse_xml(xml)
    except UnsafeXMLError as exc:
        text = str(exc)
        if "larger" in text:
            return None, [problem("too_large", limit=MAX_XML_BYTES // 1024)]
        if "DOCTYPE" in text:
            return None, [problem("unsafe_xml")]
        return None, [problem("not_xml", detail=text.removeprefix("not well-formed XML: "))]
    try:
        _xsd().validate(tree)
    except ValidationException as exc:
        return None, [problem("not_bpmn", line=getattr(exc, "line_number", "?"),
                              detail=getattr(exc, "message", None) or str(exc))]
    return tree, []


def _defined_names(ctx):
    """Names the process data can hold: start data, form outputs, scripts, multi-instance."""
    names = set(START_NAMES)
    for task in ctx.meta["user_tasks"].values():
        form = ctx.forms.get(task["form"] or "")
        if isinstance(form, dict):
            names |= {f.get("name") for f in form.get("fields", []) if isinstance(f, dict)}
            if form.get("collect_as"):
                names.add(form["collect_as"])
    for source in ctx.graph.scripts.values():
        try:
            tree = parse_script(source)
        except ExpressionError:
            continue
        names |= {s.targets[0].id for s in tree.body if hasattr(s, "targets")}
    for info in ctx.graph.multi_instance.values():
        names |= {info[k] for k in ("output", "input_item", "output_item") if info[k]}
    return names


def _expression_problems(ctx, element, kind, source, script=False):
    try:
        used = free_names(source, script=script)
    except ExpressionError as exc:
        if script:
            return [problem("bad_script", element, detail=str(exc))]
        if "${" in source or "#{" in source:
            return [problem("juel", element, source=source)]
        return [problem("bad_expression", element, kind=kind, source=source, detail=str(exc))]
    excess = over_budget(source, script=script)
    if not excess and kind == "cardinality" and not used:
        excess = too_many_instances(source)
    if excess:
        return [problem("over_budget", element, kind=kind, detail=excess)]
    unknown = sorted(used - ctx.names)
    if kind == "timer" and unknown and source.strip().upper().startswith("P") \
            and not is_juel(source):
        return [problem("timer_literal", element, source=source)]
    return [problem("unknown_name", element, source=source, name=name) for name in unknown]


def check_shape(ctx):
    """The process has a start event and an end event."""
    tags = {n.tag for n in ctx.graph.nodes.values() if n.container == ctx.graph.id}
    found = []
    if "startEvent" not in tags:
        found.append(problem("no_start", ctx.graph.id))
    if "endEvent" not in tags:
        found.append(problem("no_end", ctx.graph.id))
    return found


def check_supported(ctx):
    """Only elements the service can run."""
    return [problem("unsupported", n.id, tag=n.tag) for n in ctx.graph.nodes.values()
            if n.tag in UNSUPPORTED]


def check_roles(ctx):
    """Every user task has a role that exists."""
    found = []
    for task in ctx.meta["user_tasks"].values():
        if not task["role"]:
            found.append(problem("no_role", task["id"]))
        elif task["role"] not in ctx.roles:
            found.append(problem("unknown_role", task["id"], role=task["role"],
                                 roles=", ".join(ctx.roles)))
    return found


def check_forms(ctx):
    """Every user task has a form that exists in the form set and is well formed."""
    found = []
    for task in ctx.meta["user_tasks"].values():
        key = task["form"]
        if not key:
            found.append(problem("no_form", task["id"]))
        elif key not in ctx.forms:
            found.append(problem("unknown_form", task["id"], form=key))
        else:
            found += [problem("bad_form", task["id"], form=key, detail=d)
                      for d in ctx.describe_form(ctx.forms[key])]
    return found


# A working year. The deadline arithmetic walks the calendar a day at a time, so a typing
# error such as 1000000 would stall every completion before the step, then overflow the date.
MAX_DAYS = 250


def check_time_limits(ctx):
    """Every user task has a time limit in working days; day counts stay within a year."""
    found = []
    for task in ctx.meta["user_tasks"].values():
        node = ctx.graph.nodes.get(task["id"])
        due = node.element.get(f"{{{metadata.CAMUNDA}}}dueDate") if node is not None else None
        found += [problem("days_too_many", task["id"], name=name, value=task[name],
                          most=MAX_DAYS)
                  for name in ("time_limit_days", "yellow_days", "escalate_after_days")
                  if task[name] is not None and not 0 <= task[name] <= MAX_DAYS]
        if task["time_limit_days"] is not None and task["time_limit_days"] > 0:
            continue
        if due or task["time_limit_days"] is not None:
            found.append(problem("bad_time_limit", task["id"],
                                 value=due if due and task["time_limit_days"] is None
                                 else task["time_limit_days"]))
        else:
            found.append(problem("no_time_limit", task["id"]))
    return found


def check_gateways(ctx):
    """Every flow leaving an exclusive or inclusive gateway has a condition or is the default."""
    found = []
    for node in ctx.graph.nodes.values():
        outgoing = ctx.graph.outgoing(node.id)
        if node.tag not in CHOICE_GATEWAYS or len(outgoing) < 2:
            continue
        found += [problem("no_condition", f.id, gateway=node.id) for f in outgoing
                  if not f.condition and f.id != node.default]
    return found


def check_multi_instance(ctx):
    """Every multi-instance task names the collection it runs over (or a cardinality)."""
    counted = {e.element for e in ctx.graph.expressions if e.kind == "cardinality"}
    return [problem("no_collection", node_id) for node_id, info in ctx.graph.multi_instance.items()
            if not info["input"] and node_id not in counted]


def check_expressions(ctx):
    """Conditions, timers and multi-instance expressions parse and use defined names."""
    found = []
    for expr in ctx.graph.expressions:
        found += _expression_problems(ctx, expr.element, expr.kind, expr.source)
    return found


def check_scripts(ctx):
    """Script tasks hold only assignments the safe evaluator accepts, reading defined names."""
    found = []
    for element, source in ctx.graph.scripts.items():
        found += _expression_problems(ctx, element, "script", source, script=True)
    return found


def check_form_expressions(ctx):
    """Form rules and computed fields read only names the process defines."""
    found, seen = [], set()
    for task in ctx.meta["user_tasks"].values():
        form = ctx.forms.get(task["form"] or "")
        if not isinstance(form, dict) or task["form"] in seen:
            continue
        seen.add(task["form"])
        sources = [("rule", r.get("check")) for r in form.get("rules", []) if isinstance(r, dict)]
        sources += [("computed", f["computed"]) for f in form.get("fields", [])
                    if isinstance(f, dict) and f.get("computed")]
        for kind, source in sources:
            if isinstance(source, str):
                found += [p for p in _expression_problems(ctx, task["id"], kind, source)
                          if p["code"] in ("unknown_name", "over_budget")]
    return found


CHECKS = [check_shape, check_supported, check_roles, check_forms, check_time_limits,
          check_gateways, check_multi_instance, check_expressions, check_scripts,
          check_form_expressions, check_reachable, check_can_end]


def validate(xml, forms, roles, parse, describe_form=lambda form: []):
    """Validate a diagram with the forms on offer, the engine's `parse` and `describe_form`."""
    tree, problems = _document(xml)
    if tree is None:
        return Validation(problems)
    for_engine(tree)
    processes = metadata.extract(tree)
    graphs = process_graphs(tree)
    executable = [p for p, m in processes.items() if m["executable"]]
    if not executable:
        return Validation([problem("no_process")])
    process_id = executable[0]
    ctx = Context(graphs[process_id], processes[process_id], forms, roles, describe_form)
    ctx.names = _defined_names(ctx)
    for check in CHECKS:
        problems += check(ctx)
    used = {t["form"]: forms[t["form"]] for t in ctx.meta["user_tasks"].values()
            if t["form"] in forms}
    result = Validation(problems, process_id, forms=used)
    if not problems:
        try:
            result.parsed = parse(xml)
        except Exception as exc:  # the engine's own refusal, reported like the others
            result.problems.append(problem("engine", process_id, detail=str(exc)))
    return result
