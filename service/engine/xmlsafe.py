"""Parse BPMN XML with DOCTYPE and entities refused, and a size limit."""
import re

from lxml import etree

MAX_XML_BYTES = 2 * 1024 * 1024
_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeXMLError(ValueError):
    """XML that is too large, not well-formed, or declares a DOCTYPE or entities."""


def parse_xml(data):
    """Parse bytes or text into an lxml tree, refusing DOCTYPE, entities and oversized input."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXMLError(f"the file is larger than {MAX_XML_BYTES // 1024} KiB")
    if _FORBIDDEN.search(data):
        raise UnsafeXMLError("DOCTYPE and entity declarations are not allowed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnsafeXMLError(f"not well-formed XML: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise UnsafeXMLError("DOCTYPE and entity declarations are not allowed")
    return root.getroottree()
