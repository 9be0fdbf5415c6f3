"""Monthly district progress reports and title-certificate deadlines."""
from flask import g
from flask_smorest import Blueprint

from ..services.deadlines import certificates, reports
from .deadline_schemas import CertificateDoneSchema, CertificateSchema, ReportQuerySchema, \
    ReportSchema
from .security import BEARER, auth_required

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports and certificates")


@blp.route("/reports/monthly", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ReportQuerySchema(), location="query")
@blp.response(200, ReportSchema(many=True))
def monthly(query):
    """Filed monthly progress reports, newest first."""
    return reports.list_reports(g.user, **query)


@blp.route("/reports/monthly/<int:report_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, ReportSchema)
def monthly_one(report_id):
    """One filed report."""
    return reports.get_report(g.user, report_id)


@blp.route("/title-certificates", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, CertificateSchema(many=True))
def title_certificates():
    """Pending title-certificate deadlines the caller may see."""
    return certificates.list_certificates(g.user)


@blp.route("/title-certificates/<int:certificate_id>/done", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CertificateDoneSchema())
@blp.response(200, CertificateSchema)
def title_certificate_done(body, certificate_id):
    """Mark a project's title certificates issued (stops and clears its deadline)."""
    return certificates.mark_done(g.user, certificate_id, body["note"])
