"""Bearer-token authentication for the JSON API (no cookies, so no CSRF exposure)."""
from functools import wraps

from flask import g, request

from ..services.errors import Unauthorized
from ..services.people.users import user_from_token

BEARER = [{"bearerAuth": []}]


def current_api_user():
    """The user of the bearer token on this request, or Unauthorized."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_from_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise Unauthorized("a valid bearer token is required")
    return user


def auth_required(view):
    """Require a bearer token; the user is in flask.g.user."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.user = current_api_user()
        return view(*args, **kwargs)
    return wrapper
