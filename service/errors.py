"""One JSON error shape for the API; every error rolls the session back."""
from flask import jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from .extensions import db
from .services.errors import ServiceError


def error_body(status, message, errors=None):
    body = {"code": status, "status": HTTP_STATUS_CODES.get(status, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    return body


def register(app):
    """Install the error handlers."""

    @app.errorhandler(ServiceError)
    def service_error(exc):
        db.session.rollback()
        return jsonify(error_body(exc.status, exc.message, exc.errors)), exc.status

    @app.teardown_request
    def _rollback_unfinished(exc):
        if exc is not None:
            db.session.rollback()
