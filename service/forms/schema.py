"""Validate and normalise a task submission against its form definition."""
import json
from functools import lru_cache

from marshmallow import RAISE, Schema, ValidationError

from ..engine import Evaluator, ExpressionError
from .fields import build_field
from .messages import message, pick


class FormInvalid(ValueError):
    """A submission with a message per field."""

    def __init__(self, errors):
        super().__init__("invalid form data")
        self.errors = errors


@lru_cache(maxsize=512)
def _schema_class(form_json, locale):
    form = json.loads(form_json)
    declared = {f["name"]: build_field(f, locale) for f in form["fields"] if not f.get("computed")}
    return Schema.from_dict(declared, name=f"Form_{form['key']}")


_BY_KEY = {}


def schema_for(form, locale="zh", cache_key=None):
    """A marshmallow schema for a form definition, cached per definition and locale.

    `cache_key` names an immutable form (e.g. a deployed version's), saving the hashing.
    """
    if cache_key is not None:
        # A schema only loads here and keeps no per-call state, so one instance serves all.
        schema = _BY_KEY.get((cache_key, locale))
        if schema is None:
            schema = _BY_KEY[(cache_key, locale)] = _schema_class(
                json.dumps(form, sort_keys=True, ensure_ascii=False), locale)(unknown=RAISE)
        return schema
    return _schema_class(json.dumps(form, sort_keys=True, ensure_ascii=False), locale)(
        unknown=RAISE)


def _blank_to_none(raw):
    return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in raw.items()}


def validate_submission(form, raw, context=None, locale="zh", evaluator=None, cache_key=None):
    """Normalised values for `raw`, or FormInvalid with one list of messages per field.

    `context` is the process data the rules and computed values may also read.
    """
    if not isinstance(raw, dict):
        raise FormInvalid({"data": [message("not_object", locale)]})
    computed = {f["name"] for f in form["fields"] if f.get("computed")}
    unknown = [k for k in raw if k in computed]
    try:
        values = schema_for(form, locale, cache_key).load(_blank_to_none(raw))
    except ValidationError as exc:
        errors = {k: v if isinstance(v, list) else [str(v)] for k, v in exc.messages.items()}
        for key, msgs in errors.items():
            errors[key] = [message("unknown", locale) if m == "Unknown field." else m
                           for m in (msgs if isinstance(msgs, list) else [msgs])]
        raise FormInvalid(errors) from None
    if unknown:
        raise FormInvalid({k: [message("unknown", locale)] for k in unknown})
    evaluator = evaluator or Evaluator()
    names = {**(context or {}), **values}
    errors = {}
    for rule in form.get("rules", []):
        try:
            ok = evaluator.evaluate(rule["check"], names)
        except ExpressionError:
            ok = False  # a rule that cannot be checked is not met: never let data through unchecked
        if not ok:
            text = pick(rule.get("message"), locale) or message("rule_failed", locale)
            errors.setdefault(rule.get("field", "data"), []).append(text)
    if errors:
        raise FormInvalid(errors)
    for field in form["fields"]:
        if field.get("computed"):
            try:
                values[field["name"]] = evaluator.evaluate(field["computed"], names)
            except ExpressionError:
                values[field["name"]] = None
    return values
