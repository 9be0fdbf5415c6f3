"""Fields whose values stay within what the database and the calendar can hold.

An id beyond 64 bits overflows the database driver and a moment in 1366 has a local-mean-time
offset (+08:05:43) that breaks the answer's own schema; each such value is refused with a 422
naming its field instead. Every integer id or moment a client sends goes through these.
"""
from marshmallow import ValidationError, fields, validate

from ..converters import LARGEST_ID

FIRST_YEAR, LAST_YEAR = 1970, 2199


class Id(fields.Integer):
    """A row id: a whole number from 1 to 2**63 - 1."""

    def __init__(self, **kwargs):
        kwargs["validate"] = [validate.Range(min=1, max=LARGEST_ID),
                              *_as_list(kwargs.get("validate"))]
        super().__init__(**kwargs)


class Count(fields.Integer):
    """A non-negative whole number that fits the database's 64-bit integers."""

    def __init__(self, **kwargs):
        kwargs["validate"] = [validate.Range(min=0, max=LARGEST_ID),
                              *_as_list(kwargs.get("validate"))]
        super().__init__(**kwargs)


class Moment(fields.DateTime):
    """A date and time in the years the service plans for."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _in_years(super()._deserialize(value, attr, data, **kwargs))


class Day(fields.Date):
    """A date in the years the service plans for."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _in_years(super()._deserialize(value, attr, data, **kwargs))


def _in_years(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
    return value


def _as_list(validators):
    if validators is None:
        return []
    return list(validators) if isinstance(validators, (list, tuple)) else [validators]
