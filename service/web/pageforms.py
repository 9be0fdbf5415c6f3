"""Parsing page input with the API's marshmallow schemas, showing service errors, redirects."""
from urllib.parse import urlsplit

from flask import abort, flash, request
from flask_login import current_user, login_required
from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError

from ..services.errors import Forbidden, NotFound, ServiceError


def parse(schema, data):
    """(values, None) or (None, {field: [messages]}); unknown keys are ignored."""
    try:
        return schema.load(data, unknown=EXCLUDE), None
    except ValidationError as exc:
        return None, exc.messages


def parse_or(schema, data, fallback):
    """The parsed values, or `fallback` after flashing what was wrong (a page still shows)."""
    values, errors = parse(schema, data)
    if errors:
        flash_errors(errors)
        return fallback
    return values


def submit(schema, action, success):
    """Parse the posted form with `schema`, then `run` `action(values)`: problems with the
    form or from the service are flashed. The action's result, or None."""
    values, errors = parse(schema, request.form)
    if errors:
        flash_errors(errors)
        return None
    return run(lambda: action(values), success)


def flash_errors(errors):
    """One flash line per field problem."""
    for field, problems in (errors or {}).items():
        texts = problems if isinstance(problems, list) else [problems]
        flash(_("%(field)s: %(problem)s", field=field, problem="; ".join(map(str, texts))),
              "error")


def page_count(total, per_page):
    """How many pages a list of `total` rows takes (at least one, for the empty list)."""
    return max((total + per_page - 1) // per_page, 1)


def keyset_args():
    """(page, cursor) from the query string: the page number is the pager's label (and the
    page read by number when no cursor came with it, for old links)."""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 10 ** 6)
    cursor = (request.args.get("cursor") or "")[:2000] or None
    return page, cursor


def pager_view(found, page, per_page):
    """What the pager macro shows of a `paging.Page`: the total as counted ("1,000+" beyond
    the cap), the page count (open-ended when capped) and the next page's cursor."""
    pages = page_count(found.total, per_page)
    return {"total": found.total_text, "next_cursor": found.next_cursor,
            "pages": f"{max(pages, page):,}+" if found.capped else max(pages, page)}


def run(action, success):
    """Call a service function; flash `success` or the error. 403/404 become error pages."""
    try:
        result = action()
    except (Forbidden, NotFound) as exc:
        abort(exc.status)
    except ServiceError as exc:
        flash(_(exc.message), "error")
        flash_errors(exc.errors)
        return None
    flash(success)
    return result


def committed(action):
    """Run a service function that leaves the commit to its caller (people.accounts, as the
    CLI commits the same way): commit after it, roll back if it fails."""
    from ..extensions import db
    try:
        result = action()
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def safe_next(target):
    """Only same-site paths, so a crafted link or form cannot send officials elsewhere."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/") \
            and not target.startswith("//"):
        return target
    return None


def only_for(blueprint, *roles):
    """Every page of the blueprint needs a signed-in official with one of `roles` (else 403)."""
    @blueprint.before_request
    @login_required
    def _check_role():
        if current_user.role not in roles:
            abort(403)
