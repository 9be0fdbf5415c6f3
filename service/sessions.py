"""Cookie sessions for the web pages only."""
from flask.sessions import SecureCookieSessionInterface

API_PREFIX = "/api/"


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
