"""Which language to answer in.

Pages are Chinese unless the official switched to English; API clients may also ask with
Accept-Language.
"""
from flask import request, session
from flask_login import current_user

LANGUAGES = ("zh", "en")


def select_locale(user=None, honour_browser=True):
    """zh or en for the current request."""
    chosen = request.args.get("lang") or session.get("lang") or getattr(user, "locale", None)
    if chosen in LANGUAGES:
        return chosen
    if honour_browser:
        return request.accept_languages.best_match(LANGUAGES) or "zh"
    return "zh"


def babel_locale():
    """Flask-Babel's locale selector: the signed-in user's choice counts."""
    user = current_user if current_user and current_user.is_authenticated else None
    return select_locale(user, honour_browser=request.path.startswith("/api/"))
