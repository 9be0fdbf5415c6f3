"""POST /api/v1/auth/token."""
from flask_smorest import Blueprint

from ..services.people import users
from .schemas import TokenRequestSchema, TokenSchema

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1/auth", description="Sign in for a token")


@blp.route("/token", methods=["POST"])
@blp.arguments(TokenRequestSchema())
@blp.response(200, TokenSchema)
def token(body):
    """Exchange username and password for a bearer token."""
    return {"token": users.issue_token(body["username"], body["password"])}
