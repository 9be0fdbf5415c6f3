"""/healthz (the process answers) and /readyz (database, schema, scheduler), without signing
in; the answers say ok or not per check and nothing else about the installation."""
from flask import Blueprint, jsonify

from ..services.operations.health import readiness

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """200 while the process answers requests."""
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    """200 when the database answers, its schema is current and a scheduler beat recently;
    503 naming the checks that failed otherwise."""
    checks = readiness()
    ready = all(checks.values())
    return jsonify(status="ok" if ready else "unavailable",
                   checks={k: "ok" if v else "fail" for k, v in checks.items()}), \
        200 if ready else 503
