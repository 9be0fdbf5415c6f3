"""Parsing page input with the API's marshmallow schemas, and showing service errors."""
from flask import abort, flash
from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError

from ..services.errors import Forbidden, NotFound, ServiceError


def parse(schema, data):
    """(values, None) or (None, {field: [messages]}); unknown keys are ignored."""
    try:
        return schema.load(data, unknown=EXCLUDE), None
    except ValidationError as exc:
        return None, exc.messages


def flash_errors(errors):
    """One flash line per field problem."""
    for field, problems in (errors or {}).items():
        texts = problems if isinstance(problems, list) else [problems]
        flash(_("%(field)s: %(problem)s", field=field, problem="; ".join(map(str, texts))),
              "error")


def run(action, success):
    """Call a service function; flash `success` or the error. 403/404 become error pages."""
    try:
        result = action()
    except (Forbidden, NotFound) as exc:
        abort(exc.status)
    except ServiceError as exc:
        flash(exc.message, "error")
        flash_errors(exc.errors)
        return None
    flash(success)
    return result
