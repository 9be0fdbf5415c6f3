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
        if field.get("type") == "date":
            problems += [f"field {name!r}: {bound} must be a date (YYYY-MM-DD)"
                         for bound in ("min", "max")
                         if bound in field and not _iso_date(field[bound])]
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
    return problems


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
