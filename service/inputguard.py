"""Refuse requests whose text the service could not store or show again (`textcheck`), JSON
bodies with NaN or Infinity, which JSON does not have, JSON nested beyond `MAX_DEPTH`, and
JSON integers longer than Python will convert (`MAX_DIGITS`).

Checked before any view runs, so every endpoint, present and future, is covered: the query
string, form fields and JSON bodies. A JSON body is decoded and walked only when its raw bytes
hold an escape that can decode to such text or many brackets, so ordinary requests pay a few
byte scans. The answer is 422 naming each field, as for any other invalid input, and nothing
is changed.
"""
import json
import re

from flask import current_app, request

from .forms.messages import message
from .i18n import babel_locale
from .services.errors import Invalid
from .textcheck import bad_paths, json_may_hold_bad_text

# No request of the service nests deeper; far deeper bodies would exhaust the decoder's stack.
MAX_DEPTH = 32
# Python refuses to convert longer digit strings to int (CVE-2020-10735); its ValueError would
# escape the views' JSON parsers.
MAX_DIGITS = 4300
_LONG_DIGITS = re.compile(rb"[0-9]{%d}" % (MAX_DIGITS + 1))
_SUMMARY = {"long_number": "the request has a number with too many digits",
            "bad_characters": "the request has characters that cannot be stored",
            "not_finite": "the request has numbers that JSON does not allow",
            "too_deep": "the request's JSON is nested too deeply"}


class _NotFinite(Exception):
    pass


class _LongNumber(Exception):
    pass


def _nested(paths, text):
    """{location: {key: {…: [text]}}} from paths, as marshmallow nests its messages."""
    errors = {}
    for path in paths:
        node = errors
        for step in path[:-1]:
            node = node.setdefault(str(step), {})
        node[str(path[-1])] = [text]
    return errors


def checks_own_text(view):
    """Mark a desk view whose posted values all pass through a form schema or draft check that
    refuses the same text: the refusal then shows next to the field, with what was typed kept,
    instead of on an error page."""
    view.checks_own_text = True
    return view


def _refused_paths():
    paths = [("query", *p) for p in bad_paths(request.args.to_dict(flat=False))]
    view = current_app.view_functions.get(request.endpoint)
    form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
    if form and not getattr(view, "checks_own_text", False):
        # Uploaded files' names are not checked here: `attachments.clean_filename` replaces
        # such characters, so a file named oddly on someone's disk still arrives.
        paths += [("form", *p) for p in bad_paths(request.form.to_dict(flat=False))]
    elif not form and request.is_json:
        raw = request.get_data(cache=True)
        # Nesting is at most the number of brackets: only a body with many is measured.
        nested = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
        if nested or json_may_hold_bad_text(raw) or b"NaN" in raw or b"Infinity" in raw \
                or _LONG_DIGITS.search(raw):
            try:
                body = json.loads(raw, parse_constant=_refuse_constant, parse_int=_whole)
            except _NotFinite:
                return [("json",)], "not_finite"
            except _LongNumber:
                return [("json",)], "long_number"
            except RecursionError:
                return [("json",)], "too_deep"
            except ValueError:
                body = None  # not JSON at all: the view's parser answers that
            if nested and _depth(body) > MAX_DEPTH:
                return [("json",)], "too_deep"
            paths += [("json", *p) if p else ("json",) for p in bad_paths(body)]
    return paths, "bad_characters"


def _depth(value):
    """How deeply lists and objects nest in decoded JSON (iterative: any depth)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1)
                         for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _whole(digits):
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _LongNumber()
    return int(digits)


def _refuse_constant(name):
    # Python's decoder takes NaN and Infinity, which JSON does not have; stored, they would
    # make the row unreadable to PostgreSQL's JSON type.
    raise _NotFinite(name)


def _refuse_bad_text():
    paths, key = _refused_paths()
    if paths:
        text = message(key, babel_locale())
        flat = [p for p in paths if len(p) == 1]
        errors = _nested([p for p in paths if len(p) > 1], text)
        errors.update({p[0]: [text] for p in flat})
        raise Invalid(_SUMMARY[key], errors=errors)


def register(app):
    """Check every request before its view."""
    app.before_request(_refuse_bad_text)
