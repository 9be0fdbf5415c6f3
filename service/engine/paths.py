"""Path checks: every element reachable from a start event, and every element able to end."""
from .validation_messages import problem


def _event_subprocess(node):
    return node.tag == "subProcess" and node.element.get("triggeredByEvent") == "true"


def _edges(graph):
    edges = {node_id: set() for node_id in graph.nodes}
    for flow in graph.flows.values():
        edges.setdefault(flow.source, set()).add(flow.target)
    for node in graph.nodes.values():
        if node.attached_to:
            edges.setdefault(node.attached_to, set()).add(node.id)
        if node.tag in ("subProcess", "transaction"):
            edges[node.id] |= {n.id for n in graph.nodes.values()
                               if n.container == node.id and n.tag == "startEvent"}
    return edges


def _closure(edges, seeds):
    seen, todo = set(seeds), list(seeds)
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def check_reachable(ctx):
    """Every element can be reached from a start event of the process."""
    starts = [n.id for n in ctx.graph.nodes.values()
              if n.tag == "startEvent" and n.container == ctx.graph.id]
    if not starts:
        return []
    starts += [n.id for n in ctx.graph.nodes.values() if _event_subprocess(n)]
    reached = _closure(_edges(ctx.graph), starts)
    return [problem("unreachable", n) for n in ctx.graph.nodes if n not in reached]


def check_can_end(ctx):
    """From every element some path leads to an end event."""
    reverse = {}
    for source, targets in _edges(ctx.graph).items():
        for target in targets:
            reverse.setdefault(target, set()).add(source)
    graph = ctx.graph
    for node in graph.nodes.values():  # a finished subprocess continues from the subprocess
        if node.container != graph.id and node.tag == "endEvent":
            reverse.setdefault(node.id, set())
            reverse.setdefault(node.container, set()).add(node.id)
    ends = [n.id for n in graph.nodes.values()
            if (n.tag == "endEvent" and n.container == graph.id) or _event_subprocess(n)]
    ending = _closure(reverse, ends)
    return [problem("dead_end", n) for n in graph.nodes if n not in ending] if ends else []
