"""Cookie sessions for the web pages only."""
from flask import request
from flask.sessions import SecureCookieSessionInterface

API_PREFIX = "/api/"
# The cookie's key for the server-side session row (services/people/browser_sessions.py).
SESSION_ID = "sid"


class PageSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session of the pages; the JSON API gets none.

    API calls authenticate with a bearer token and must not depend on a cookie (that is what
    keeps them free of CSRF), so their session is the read-only null session: no cookie is
    read or set, and no serializer is built per call.
    """

    def open_session(self, app, request):
        if request.path.startswith(API_PREFIX):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def get_cookie_secure(self, app):
        # Secure whenever the page was served over HTTPS, directly or (with TRUSTED_PROXIES)
        # behind a proxy that says so in X-Forwarded-Proto; always, with SESSION_COOKIE_SECURE.
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)
