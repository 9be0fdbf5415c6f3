"""Server-rendered pages for officials (Jinja templates, Flask blueprints)."""


def register(app):
    """Register the page blueprints, sign-in handling and template helpers."""
    from . import auth, desk, helpers, process_tools, processes
    app.register_blueprint(auth.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(processes.bp)
    app.register_blueprint(process_tools.bp)
    entry = ("processes.index", "Processes", ("policy_staff", "admin"))
    if entry not in helpers.NAV:
        helpers.NAV.append(entry)
    helpers.register(app)
