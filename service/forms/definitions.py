"""Load form definitions from `forms/` and check that a definition is well formed."""
import datetime as dt
import json
import re
from pathlib import Path

from ..engine import ExpressionError, parse_expression
from .fields import FIELD_TYPES

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def load_forms(directory):
    """Every `forms/*.json` definition, keyed by form key."""
    forms = {}
    for path in sorted(Path(directory).glob("*.json")):
        form = json.loads(path.read_text(encoding="utf-8"))
        form.setdefault("key", path.stem)
        forms[form["key"]] = form
    return forms


def form_shape_problems(form):
    """Problems with a form's structure alone: an object with lists of field and rule objects."""
    if not isinstance(form, dict):
        return ["a form definition must be an object"]
    problems = []
    for part in ("fields", "rules"):
        items = form.get(part, [] if part == "rules" else None)
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(f"a form needs a list of {part}, each an object")
    return problems


def form_problems(form):
    """A list of human-readable problems with a form definition (empty when it is fine)."""
    problems = []
    if not isinstance(form, dict) or not isinstance(form.get("fields"), list):
        return ["a form needs a list of fields"]
    if form_shape_problems(form):
        return form_shape_problems(form)  # field and rule checks need objects
    if not NAME.match(str(form.get("key", ""))):
        problems.append(f"form key {form.get('key')!r} must be lower-case letters, digits, _")
    seen = set()
    for field in form["fields"]:
        name = field.get("name", "")
        if not NAME.match(str(name)) or name == "typename":
            problems.append(f"field name {name!r} must be lower-case letters, digits, _")
        if name in seen:
            problems.append(f"field {name!r} appears twice")
        seen.add(name)
        if field.get("type") not in FIELD_TYPES:
            problems.append(f"field {name!r}: unknown type {field.get('type')!r}")
        if field.get("type") in ("choice", "multichoice") and not field.get("options"):
            problems.append(f"field {name!r}: a choice needs options")
        problems += [f"field {name!r}: {p}" for p in _attribute_problems(field)]
        for expr_key in ("computed",):
            if field.get(expr_key):
                try:
                    parse_expression(field[expr_key])
                except ExpressionError as exc:
                    problems.append(f"field {name!r}: {exc}")
    for rule in form.get("rules", []):
        try:
            parse_expression(rule.get("check", ""))
        except ExpressionError as exc:
            problems.append(f"rule on {rule.get('field')!r}: {exc}")
        if rule.get("field") is not None and rule["field"] not in seen:
            problems.append(f"rule on {rule['field']!r}: the form has no such field")
        if "message" in rule and not _text_or_label(rule["message"]):
            problems.append(f"rule on {rule.get('field')!r}: message must be text or "
                            "{\"zh\": …, \"en\": …}")
    return problems


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text_or_label(value):
    """Text, or a label object whose Chinese text is given."""
    return (isinstance(value, str) and value.strip() != "") or (
        isinstance(value, dict) and isinstance(value.get("zh"), str) and value["zh"].strip())


# What each attribute must be when a field has it. A deployed form is used on every
# submission of its step: a wrong type here would fail each one with a server error.
def _attribute_problems(field):
    found = []
    kind = field.get("type")
    if not _text_or_label(field.get("label")):
        found.append('needs a label: text or {"zh": …, "en": …}')
    for flag in ("required", "decision"):
        if flag in field and not isinstance(field[flag], bool):
            found.append(f"{flag} must be true or false")
    limit = field.get("max_length")
    if limit is not None and not (isinstance(limit, int) and not isinstance(limit, bool)
                                  and limit >= 1):
        found.append("max_length must be a whole number of at least 1")
    bounds = [b for b in ("min", "max") if field.get(b) is not None]
    if kind == "date":
        found += [f"{b} must be a date (YYYY-MM-DD)" for b in bounds if not _iso_date(field[b])]
    elif kind in ("integer", "number", "money"):
        found += [f"{b} must be a number" for b in bounds if not _number(field[b])]
    elif bounds:
        found.append(f"a {kind} field takes no min or max")
    if len(bounds) == 2 and not found and field["min"] > field["max"]:
        found.append("min is greater than max: no value could be accepted")
    if kind in ("choice", "multichoice") and field.get("options"):
        options = field["options"]
        if not isinstance(options, list) or not all(
                isinstance(o, dict) and isinstance(o.get("value"), str) and
                _text_or_label(o.get("label")) for o in options):
            found.append('options must be a list of {"value": text, "label": …}')
        elif len({o["value"] for o in options}) != len(options):
            found.append("option values must not repeat")
    return found


def _iso_date(value):
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value)) and len(value) == 10
    except ValueError:
        return False


def output_names(form):
    """The data names a form writes into the process."""
    names = {f["name"] for f in form.get("fields", [])}
    if form.get("collect_as"):
        names.add(form["collect_as"])
    return names
