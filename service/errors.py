"""One JSON error shape for the API, an error page for the desk; every error rolls back."""
import errno

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

from .extensions import db
from .services.errors import ServiceError, StorageFull

DISK_FULL = "the server's disk is full; nothing was saved. Try again later and tell the " \
    "administrator"
OUT_OF_RANGE = "a number or date in the request is out of range"
LOST_RACE = "another request changed the same records at the same moment; nothing was saved. " \
    "Reload and try again"
# PostgreSQL's deadlock_detected and serialization_failure: the database rolled the
# transaction back to let a concurrent one through.
_LOST_RACE_STATES = {"40P01", "40001"}


def disk_full(exc):
    """Whether an error (or the driver error it wraps) says the disk or database is full."""
    cause = getattr(exc, "orig", None) or exc
    if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
        return True
    # SQLite: SQLITE_FULL; PostgreSQL: class 53100 disk_full.
    return "database or disk is full" in str(cause) or getattr(cause, "sqlstate", None) == "53100"


def lost_race(exc):
    """Whether the database rolled a transaction back for a concurrent one (deadlock or
    serialization failure). Every action takes its row locks in one order, so this is a
    safety net: the loser of a race it did not foresee gets 409, not 500."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _LOST_RACE_STATES


def error_body(status, message, errors=None):
    body = {"code": status, "status": HTTP_STATUS_CODES.get(status, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    return body


def _wants_json():
    return request.path.startswith("/api/")


def _page(status, message):
    return render_template("error.html", status=status, message=message), status


def register(app):
    """Install the error handlers."""

    @app.errorhandler(ServiceError)
    def service_error(exc):
        db.session.rollback()
        if _wants_json():
            # HTTP's 401 names the scheme that would be accepted (RFC 9110, 11.6.1).
            headers = {"WWW-Authenticate": 'Bearer realm="api"'} if exc.status == 401 else {}
            if getattr(exc, "retry_after", None):  # 429: when to try again
                headers["Retry-After"] = str(exc.retry_after)
            return jsonify(error_body(exc.status, exc.message, exc.errors)), exc.status, headers
        return _page(exc.status, _(exc.message))

    @app.errorhandler(OSError)
    @app.errorhandler(OperationalError)
    def storage_full(exc):
        if lost_race(exc):
            from .services.errors import Conflict
            return service_error(Conflict(LOST_RACE))
        if not disk_full(exc):
            raise exc  # any other fault stays a logged 500
        return service_error(StorageFull(DISK_FULL))

    # A value beyond what the database or the calendar holds (a 20-digit page number, a
    # date past year 9999) that no field check caught: the client's mistake, not a fault.
    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(exc):
        from .services.errors import Invalid
        return service_error(Invalid(OUT_OF_RANGE))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        from .forms import message
        from .i18n import select_locale
        limit = round(app.config["ATTACHMENT_MAX_BYTES"] / 1048576, 1)
        # Only an upload carries a file; any other body this large is refused as a whole.
        uploading = request.mimetype == "multipart/form-data"
        key, field = ("file_too_large", "file") if uploading else ("body_too_large", "json")
        text = message(key, select_locale(), max_mb=limit)
        if _wants_json():
            summary = "the file was refused" if uploading else "the request body is too large"
            return jsonify(error_body(413, summary, {field: [text]})), 413
        return _page(413, text)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if _wants_json() or exc.code is None or exc.code < 400:
            from .extensions import api
            return api.handle_http_exception(exc)  # flask-smorest's JSON error shape
        return _page(exc.code, _(HTTP_STATUS_CODES.get(exc.code, "Error")))

    @app.teardown_request
    def _rollback_unfinished(exc):
        if exc is not None:
            db.session.rollback()
