"""Multi-instance data references in a form both bpmn-js and SpiffWorkflow keep.

SpiffWorkflow reads `loopDataInputRef`/`loopDataOutputRef` as data names, but bpmn-js drops
them on save because they do not point at an element id. The modeler therefore edits the Camunda
7 form (`camunda:collection`, `camunda:elementVariable`, and a `loop_output` property on the
loop) and the engine reads either.
"""
from lxml import etree

from .expressions import unwrap_juel
from .metadata import CAMUNDA, NS

BPMN = NS["bpmn"]
ORDER = ["documentation", "extensionElements", "loopCardinality", "loopDataInputRef",
         "loopDataOutputRef", "inputDataItem", "outputDataItem", "complexBehaviorDefinition",
         "completionCondition"]


def _loops(tree):
    return tree.getroot().iterfind(".//bpmn:multiInstanceLoopCharacteristics", NS)


def _insert(loop, tag, **attrs):
    element = etree.Element(f"{{{BPMN}}}{tag}", **attrs)
    rank = ORDER.index(tag)
    for index, child in enumerate(loop):
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in ORDER and ORDER.index(name) > rank:
            loop.insert(index, element)
            return element
    loop.append(element)
    return element


def _output_property(loop):
    return loop.find("bpmn:extensionElements/camunda:properties/camunda:property"
                     "[@name='loop_output']", NS)


def for_engine(tree):
    """Add the BPMN references SpiffWorkflow reads from their Camunda form (in place)."""
    for loop in _loops(tree):
        collection = loop.get(f"{{{CAMUNDA}}}collection")
        if collection and loop.find("bpmn:loopDataInputRef", NS) is None \
                and loop.find("bpmn:loopCardinality", NS) is None:
            _insert(loop, "loopDataInputRef").text = unwrap_juel(collection).strip()
        variable = loop.get(f"{{{CAMUNDA}}}elementVariable")
        if variable and loop.find("bpmn:inputDataItem", NS) is None:
            owner = loop.getparent().get("id") or "loop"
            _insert(loop, "inputDataItem", id=f"{owner}_{variable}", name=variable)
        output = _output_property(loop)
        if output is not None and output.get("value") \
                and loop.find("bpmn:loopDataOutputRef", NS) is None:
            _insert(loop, "loopDataOutputRef").text = output.get("value")
    return tree


def _properties(loop):
    ext = loop.find("bpmn:extensionElements", NS)
    if ext is None:
        ext = _insert(loop, "extensionElements")
    props = ext.find("camunda:properties", NS)
    if props is None:
        props = etree.SubElement(ext, f"{{{CAMUNDA}}}properties")
    return props


def for_modeler(tree):
    """The same references in the form bpmn-js keeps when it saves (in place)."""
    for loop in _loops(tree):
        ref = loop.find("bpmn:loopDataInputRef", NS)
        if ref is not None and not loop.get(f"{{{CAMUNDA}}}collection"):
            loop.set(f"{{{CAMUNDA}}}collection", (ref.text or "").strip())
            loop.remove(ref)
        ref = loop.find("bpmn:loopDataOutputRef", NS)
        if ref is not None and _output_property(loop) is None:
            etree.SubElement(_properties(loop), f"{{{CAMUNDA}}}property", name="loop_output",
                             value=(ref.text or "").strip())
            loop.remove(ref)
    return tree
