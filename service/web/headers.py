"""Security headers on every answer (flask-talisman): Content-Security-Policy with a nonce for
the pages' one inline script, frame-ancestors 'none', nosniff, Referrer-Policy; HSTS only
when the request came over HTTPS (directly or through the trusted proxy)."""
from flask_talisman import Talisman

SELF = "'self'"
CSP = {
    "default-src": SELF,
    # Scripts: the service's own files, and inline ones only with the page's nonce.
    "script-src": SELF,
    # The diagram libraries (bpmn-js) write style attributes into the SVG they draw, and the
    # statistics bars are sized by style attributes; styles cannot run code, scripts can.
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": SELF,
    "object-src": "'none'",
    "base-uri": SELF,
    "form-action": SELF,
    "frame-ancestors": "'none'",
}

talisman = Talisman()


def register(app):
    """Install the headers. HTTPS redirects and the Secure cookie are the proxy's and the
    session settings' business (SESSION_COOKIE_SECURE, TRUSTED_PROXIES), not Talisman's."""
    talisman.init_app(
        app, force_https=False, session_cookie_secure=False,
        content_security_policy=CSP, content_security_policy_nonce_in=["script-src"],
        frame_options="DENY", referrer_policy="strict-origin-when-cross-origin",
        strict_transport_security=True, strict_transport_security_max_age=31536000,
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"})
