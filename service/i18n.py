"""Which language to answer in: the user's choice, else the browser's, else Chinese."""
from flask import request, session
from flask_login import current_user

LANGUAGES = ("zh", "en")


def select_locale(user=None):
    """zh or en for the current request."""
    chosen = request.args.get("lang") or session.get("lang") or getattr(user, "locale", None)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "zh"


def babel_locale():
    """Flask-Babel's locale selector: the signed-in user's choice counts."""
    user = current_user if current_user and current_user.is_authenticated else None
    return select_locale(user)
