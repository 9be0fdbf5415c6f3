"""Server-rendered pages for officials (Jinja templates, Flask blueprints)."""


def register(app):
    """Register the page blueprints, sign-in handling and template helpers."""
    from . import auth, desk, helpers
    from . import calendar_admin, deadlines_nav, inbox, supervision, supervision_reports  # noqa
    app.register_blueprint(auth.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(supervision.bp)
    app.register_blueprint(calendar_admin.bp)
    deadlines_nav.register(app)
    helpers.register(app)
