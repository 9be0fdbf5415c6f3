"""Server-rendered pages for officials (Jinja templates, Flask blueprints)."""


def register(app):
    """Register the page blueprints, sign-in handling and template helpers."""
    from . import auth, desk, helpers
    app.register_blueprint(auth.bp)
    app.register_blueprint(desk.bp)
    helpers.register(app)
