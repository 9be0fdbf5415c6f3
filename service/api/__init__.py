"""The JSON API under /api/v1, documented by OpenAPI at /api/v1/openapi.json."""


def register(api, csrf):
    """Register the API blueprints (bearer tokens, so exempt from CSRF) and security scheme."""
    from . import attachments, auth, calendar, definitions, escalations, inbox, outbox, \
        process_drafts, projects, reports, taskactions, tasks
    from . import housing, resettlement
    from . import households
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer",
                       "description": "token from POST /api/v1/auth/token"})
    from .errordocs import register_components
    register_components(api.spec)
    for module in (auth, projects, tasks, taskactions, attachments, calendar, escalations, inbox,
                   reports, definitions, process_drafts, outbox, housing, resettlement,
                   households):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
    from . import organisation
    csrf.exempt(organisation.blp)
    api.register_blueprint(organisation.blp)
    from . import security_audit
    csrf.exempt(security_audit.blp)
    api.register_blueprint(security_audit.blp)
    from . import account_totp
    csrf.exempt(account_totp.blp)
    api.register_blueprint(account_totp.blp)
    from . import security_policy
    csrf.exempt(security_policy.blp)
    api.register_blueprint(security_policy.blp)
