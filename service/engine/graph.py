"""The structure of a BPMN process as plain data: nodes, flows, scripts and expressions."""
from dataclasses import dataclass, field

from .metadata import CAMUNDA, NS

BPMN_NS = NS["bpmn"]
FLOW_NODE_TAGS = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "manualTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "exclusiveGateway",
    "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway",
}
TIMER_PARTS = ("timeDuration", "timeDate", "timeCycle")


@dataclass
class Node:
    """One flow node: its id, BPMN tag, name, and the container it sits in."""
    id: str
    tag: str
    name: str
    container: str
    element: object = field(repr=False, default=None)
    attached_to: str | None = None
    default: str | None = None


@dataclass
class Flow:
    """One sequence flow and its condition (None when unconditional)."""
    id: str
    source: str
    target: str
    name: str = ""
    condition: str | None = None


@dataclass
class Expression:
    """An expression found in the diagram: where, which kind, its text."""
    element: str
    kind: str
    source: str


@dataclass
class ProcessGraph:
    """Everything the validation and diff need about one process."""
    id: str
    nodes: dict = field(default_factory=dict)
    flows: dict = field(default_factory=dict)
    scripts: dict = field(default_factory=dict)
    expressions: list = field(default_factory=list)
    multi_instance: dict = field(default_factory=dict)

    def outgoing(self, node_id):
        return [f for f in self.flows.values() if f.source == node_id]


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _multi_instance(graph, node):
    loop = node.element.find("bpmn:multiInstanceLoopCharacteristics", NS)
    if loop is None:
        return
    info = {"input": _text(loop.find("bpmn:loopDataInputRef", NS)) or None,
            "output": _text(loop.find("bpmn:loopDataOutputRef", NS)) or None,
            "input_item": None, "output_item": None}
    for key, tag in (("input_item", "inputDataItem"), ("output_item", "outputDataItem")):
        item = loop.find(f"bpmn:{tag}", NS)
        if item is not None:
            info[key] = item.get("name") or item.get("id")
    graph.multi_instance[node.id] = info
    if info["input"]:
        graph.expressions.append(Expression(node.id, "collection", info["input"]))
    for tag, kind in (("loopCardinality", "cardinality"),
                      ("completionCondition", "completion")):
        text = _text(loop.find(f"bpmn:{tag}", NS))
        if text:
            graph.expressions.append(Expression(node.id, kind, text))
    collection = loop.get(f"{{{CAMUNDA}}}collection")
    if collection and not info["input"]:
        info["input"] = collection
        info["input_item"] = info["input_item"] or loop.get(f"{{{CAMUNDA}}}elementVariable")
        graph.expressions.append(Expression(node.id, "collection", collection))


def _timers(graph, node):
    for timer in node.element.iterfind("bpmn:timerEventDefinition", NS):
        for part in TIMER_PARTS:
            text = _text(timer.find(f"bpmn:{part}", NS))
            if text:
                graph.expressions.append(Expression(node.id, "timer", text))


def _walk(graph, container, container_id):
    for child in container:
        tag = _local(child.tag)
        if not child.tag.startswith(f"{{{BPMN_NS}}}"):
            continue
        if tag in FLOW_NODE_TAGS:
            node = Node(child.get("id"), tag, child.get("name") or "", container_id, child,
                        child.get("attachedToRef"), child.get("default"))
            graph.nodes[node.id] = node
            if tag == "scriptTask":
                graph.scripts[node.id] = _text(child.find("bpmn:script", NS))
            _multi_instance(graph, node)
            _timers(graph, node)
            if tag in ("subProcess", "transaction"):
                _walk(graph, child, node.id)
        elif tag == "sequenceFlow":
            condition = child.find("bpmn:conditionExpression", NS)
            flow = Flow(child.get("id"), child.get("sourceRef"), child.get("targetRef"),
                        child.get("name") or "", _text(condition) if condition is not None
                        else None)
            graph.flows[flow.id] = flow
            if flow.condition:
                graph.expressions.append(Expression(flow.id, "condition", flow.condition))


def process_graphs(tree):
    """A ProcessGraph for each `bpmn:process` in a parsed document, keyed by process id."""
    graphs = {}
    for process in tree.getroot().iterfind("bpmn:process", NS):
        graph = ProcessGraph(process.get("id"))
        _walk(graph, process, graph.id)
        graphs[graph.id] = graph
    return graphs
