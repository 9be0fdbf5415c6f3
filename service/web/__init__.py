"""Server-rendered pages for officials (Jinja templates, Flask blueprints)."""


def register(app):
    """Register the page blueprints, sign-in handling and template helpers."""
    from . import auth, desk, helpers, labels, projectpages, taskpages
    for module in (auth, desk, taskpages, projectpages):
        app.register_blueprint(module.bp)
    helpers.register(app)
    labels.register(app)
