"""Server-rendered pages for officials (Jinja templates, Flask blueprints)."""


def register(app):
    """Register the page blueprints, sign-in handling and template helpers."""
    from . import auth, desk, helpers, labels, projectpages, taskpages
    from . import calendar_admin, deadlines_nav, inbox, supervision, supervision_reports  # noqa
    for module in (auth, desk, taskpages, projectpages, supervision, calendar_admin):
        app.register_blueprint(module.bp)
    deadlines_nav.register(app)
    helpers.register(app)
    labels.register(app)
