"""Every page text has a Chinese translation in the catalog."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SERVICE_MESSAGES = ["another official has claimed this task", "this task is not yours to act on",
                    "this task is no longer open", "task not found", "project not found",
                    "attachment not found", "Not Found", "Forbidden",
                    "this mail is no longer waiting to be sent", "no such mail in the outbox",
                    "another request changed the same records at the same moment; nothing was "
                    "saved. Reload and try again"]


def test_every_extracted_message_is_translated():
    catalog = read_po((ROOT / "service/translations/zh/LC_MESSAGES/messages.po").open("rb"))
    method_map = [("service/**.py", "python"), ("service/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "lazy_gettext": None, "L": None}
    found = {msg for _, _, msg, _, _ in extract_from_dir(str(ROOT), method_map, keywords=keywords)
             if isinstance(msg, str)}
    missing = sorted(m for m in found | set(SERVICE_MESSAGES)
                     if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []
    assert len(found) > 100
