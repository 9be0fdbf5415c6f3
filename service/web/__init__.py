"""Server-rendered pages for officials (Jinja templates, Flask blueprints)."""


def register(app):
    """Register the page blueprints, sign-in handling and template helpers."""
    from . import auth, desk, helpers, labels, process_drafts, process_tools, processes, \
        projectpages, taskpages
    from . import calendar_admin, deadlines_nav, desk_home, inbox, outbox_admin, supervision, \
        supervision_reports  # noqa
    from . import overview
    for module in (auth, desk, taskpages, projectpages, supervision, calendar_admin, processes,
                   process_tools, process_drafts, outbox_admin, overview):
        app.register_blueprint(module.bp)
    entry = ("processes.index", "Processes", ("policy_staff", "admin"))
    if entry not in helpers.NAV:
        helpers.NAV.append(entry)
    deadlines_nav.register(app)
    from . import account, admin_org, health
    account.register(app)
    admin_org.register(app)
    app.register_blueprint(health.bp)
    desk_home.register(app)
    from . import headers, security_pages, session_policy
    security_pages.register(app)
    session_policy.register(app)
    headers.register(app)
    from . import householdpages
    householdpages.register(app)
    from . import housingpages
    housingpages.register(app)
    helpers.register(app)
    labels.register(app)
