"""Form field types: each type key maps to a builder of a marshmallow field (a registry)."""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields, validate

from ..textcheck import bad_text
from .messages import message

_YUAN = re.compile(r"^-?\d{1,13}(\.\d{1,2})?$")
# The largest whole number a JSON client (a browser's JavaScript) reads back exactly.
LARGEST_WHOLE = 2 ** 53 - 1


class Money(fields.Field):
    """Money as integer fen: an integer is fen, a decimal string is yuan ("1234.56")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            if abs(value) > LARGEST_WHOLE:
                raise self.make_error("too_large")
            return value
        if isinstance(value, str):
            text = value.strip().replace(",", "").replace("，", "")
            if _YUAN.match(text):
                try:
                    return int((Decimal(text) * 100).to_integral_value())
                except InvalidOperation:
                    pass
        raise self.make_error("invalid")


class WholeNumber(fields.Integer):
    """An integer (or its digits as text): a number with a fraction is refused, never cut
    (1.5 households is not 1 household)."""

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        number = super()._validated(value)
        if abs(number) > LARGEST_WHOLE:
            raise self.make_error("too_large", input=value)
        return number


class IsoDate(fields.Date):
    """A date given as ISO text, kept as ISO text (dates are not JSON)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.date):
            return value.isoformat()
        return super()._deserialize(value, attr, data, **kwargs).isoformat()


class AttachmentRefs(fields.Field):
    """One attachment id or a list of them, kept as a list of integers."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = value if isinstance(value, list) else [value]
        try:
            ids = [int(i) for i in items if i not in (None, "")]
        except (TypeError, ValueError):
            raise self.make_error("invalid") from None
        if any(isinstance(i, bool) for i in items) or len(ids) > 50:
            raise self.make_error("invalid")
        return ids


# A date field's default window, unless its definition sets `min` / `max` (ISO dates): a year
# such as 0001 or 9999 is a typing error here, and would give deadlines that were overdue
# before anyone saw them or computed dates (add_months) past the last representable year.
DATE_MIN, DATE_MAX = "1990-01-01", "2099-12-31"


def _date_bounds(spec, locale):
    low, high = spec.get("min", DATE_MIN), spec.get("max", DATE_MAX)
    return [validate.Range(min=low, max=high, error=message("range", locale, min=low, max=high))]


def _bounds(spec, locale, shown=lambda value: value):
    low, high = spec.get("min"), spec.get("max")
    if low is None and high is None:
        return []
    key = "range" if low is not None and high is not None else ("at_least" if high is None else "at_most")
    return [validate.Range(min=low, max=high, error=message(
        key, locale, min=shown(low), max=shown(high)))]


def _yuan(fen):
    # Money bounds are in fen; the official types yuan, so the message says yuan.
    return None if fen is None else f"{Decimal(fen) / 100:,.2f}"


def _storable(locale):
    def check(value):
        if bad_text(value):
            raise ValidationError(message("bad_characters", locale))
    return check


def _one_line(locale):
    def check(value):
        if "\n" in value or "\r" in value:
            raise ValidationError(message("one_line", locale))
    return check


def _text(spec, locale, default_max, one_line=False, **common):
    limit = spec.get("max_length", default_max)
    checks = [validate.Length(max=limit, error=message("too_long", locale, max=limit)),
              _storable(locale)] + ([_one_line(locale)] if one_line else [])
    return fields.String(validate=checks, **common)


def _choice_validator(spec, locale):
    values = [o["value"] for o in spec.get("options", [])]
    return validate.OneOf(values, error=message("choice", locale))


def _multichoice(spec, locale, **common):
    def unique(items):
        if len(set(items)) != len(items):
            raise ValidationError(message("duplicate", locale))
    return fields.List(fields.String(validate=_choice_validator(spec, locale)), validate=unique, **common)


FIELD_TYPES = {
    # A text field is one line (a name, a document or account number), as its input box is;
    # longer text with line breaks is a textarea.
    "text": lambda spec, locale, **kw: _text(spec, locale, 200, one_line=True, **kw),
    "textarea": lambda spec, locale, **kw: _text(spec, locale, 5000, **kw),
    "integer": lambda spec, locale, **kw: WholeNumber(validate=_bounds(spec, locale), **kw),
    "number": lambda spec, locale, **kw: fields.Float(
        allow_nan=False, validate=_bounds(spec, locale), **kw),
    "money": lambda spec, locale, **kw: Money(validate=_bounds(spec, locale, _yuan), **kw),
    "date": lambda spec, locale, **kw: IsoDate(validate=_date_bounds(spec, locale), **kw),
    "choice": lambda spec, locale, **kw: fields.String(
        validate=_choice_validator(spec, locale), **kw),
    "multichoice": _multichoice,
    "boolean": lambda spec, locale, **kw: fields.Boolean(**kw),
    "attachment": lambda spec, locale, **kw: AttachmentRefs(**kw),
}


def build_field(spec, locale):
    """A marshmallow field for one field definition, with messages in `locale`."""
    required = bool(spec.get("required"))
    errors = {"required": message("required", locale), "null": message("required", locale),
              "invalid": message(f"invalid_{spec['type']}", locale),
              "too_large": message("too_large", locale),
              "special": message(f"invalid_{spec['type']}", locale)}
    common = {"required": required, "allow_none": not required, "error_messages": errors}
    if not required:
        common["load_default"] = None
    return FIELD_TYPES[spec["type"]](spec, locale, **common)
