"""Validate and normalise a task submission against its form definition."""
import json
import math
from functools import lru_cache

from marshmallow import RAISE, Schema, ValidationError

from ..engine import Evaluator, ExpressionError, free_names
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
    # Computed fields are not in the schema: a caller sending one gets its own message.
    computed = {f["name"] for f in form["fields"] if f.get("computed")}
    try:
        values = schema_for(form, locale, cache_key).load(_blank_to_none(raw))
    except ValidationError as exc:
        unknown_text = {key: message("computed" if key in computed else "unknown", locale)
                        for key in exc.messages}
        raise FormInvalid({key: [unknown_text[key] if m == "Unknown field." else m
                                 for m in _flat(found, locale)]
                           for key, found in exc.messages.items()}) from None
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
    values.update(_computed(form, names, evaluator, locale))
    return values


def _flat(found, locale):
    """A field's messages as a list of text: a list field's messages per item (marshmallow's
    {index: [...]}) become "item N: …", not the text of a dict."""
    if isinstance(found, dict):
        return [message("item", locale, n=index + 1 if isinstance(index, int) else index,
                        text=text)
                for index, inner in sorted(found.items(), key=lambda pair: str(pair[0]))
                for text in _flat(inner, locale)]
    if isinstance(found, list):
        return [text for inner in found for text in _flat(inner, locale)]
    return [str(found)]


def _computed(form, names, evaluator, locale):
    """The form's computed values, or FormInvalid naming an input they are computed from.

    A value whose inputs were left blank is None: there is nothing to compute yet. One that
    fails with its inputs given is refused, not stored empty: a missing statutory date (a
    title certificate's) would silently leave nothing to chase.
    """
    computed, errors = {}, {}
    inputs = [f["name"] for f in form["fields"] if not f.get("computed")]
    for field in form["fields"]:
        source = field.get("computed")
        if not source:
            continue
        try:
            computed[field["name"]] = _storable(evaluator.evaluate(source, names))
        except ExpressionError as exc:
            read = sorted(free_names(source))
            if any(names.get(name) is None for name in read):
                computed[field["name"]] = None
                continue
            target = next((name for name in inputs if name in read), "data")
            errors.setdefault(target, []).append(message(
                "not_computable", locale, label=pick(field.get("label"), locale) or field["name"],
                reason=exc))
    if errors:
        raise FormInvalid(errors)
    return computed


def _storable(value):
    # A computed number must survive JSON and PostgreSQL's jsonb: no NaN or infinity.
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError("the result is not a finite number")
    return value
