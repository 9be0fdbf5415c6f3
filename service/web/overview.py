"""The leaders' overview page (项目总览) with drill-down links to the lists behind each figure."""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from ..services.approval.overview import OVERVIEW_ROLES, overview
from ..services.errors import Forbidden
from .helpers import NAV

bp = Blueprint("overview", __name__, url_prefix="/desk/overview")
NAV.append(("overview.index", "Overview", OVERVIEW_ROLES))


@bp.route("/")
@login_required
def index():
    """Projects by district and stage, lateness, funds and households, each figure a link."""
    try:
        figures = overview(current_user)
    except Forbidden:
        abort(403)
    return render_template("desk/overview.html", **figures)
