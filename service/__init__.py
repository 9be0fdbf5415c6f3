"""Approval service for shantytown-renovation and expropriation-resettlement projects."""
from flask import Flask

from .config import Config


def create_app(config=Config, clock=None):
    """Application factory: bind extensions, register blueprints, errors and commands."""
    app = Flask(__name__, instance_relative_config=False)
    from .converters import BoundedInt
    app.url_map.converters["int"] = BoundedInt  # before any route is added
    app.config.from_object(config)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops, x_prefix=hops)
    if not app.config.get("SECRET_KEY"):
        from .secretkey import installation_key
        app.config["SECRET_KEY"] = installation_key(app.config["SECRET_KEY_FILE"])
    from .sessions import PageSessionInterface
    app.session_interface = PageSessionInterface()

    from .extensions import api, babel, csrf, db, login_manager, migrate
    from . import database
    database.engine_options(app)
    db.init_app(app)
    from .migrations_support import MIGRATIONS_DIR
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    login_manager.init_app(app)
    from .api.errordocs import ErrorResponses
    api.init_app(app, spec_kwargs={"extra_plugins": [ErrorResponses()]})
    csrf.init_app(app)
    from .i18n import babel_locale
    babel.init_app(app, locale_selector=babel_locale, default_timezone="Asia/Shanghai")

    database.configure(app)

    from .services.runtime import Runtime
    from .services.deadlines.calendar import calendar_revision, load_overrides
    app.extensions["approval"] = Runtime(
        clock=clock, calendar_loader=load_overrides, calendar_revision=calendar_revision,
        calendar_check_seconds=app.config["CALENDAR_CHECK_SECONDS"],
        check_dumps=app.config.get("ENGINE_CHECK_DUMPS", False))

    from . import api as api_package, errors, cli, inputguard, web
    from .services.deadlines import deadlines  # noqa: F401 - connects the deadline signal receivers
    from .services.notices import work  # noqa: F401 - new and returned tasks notify their office
    api_package.register(api, csrf)
    web.register(app)
    errors.register(app)
    inputguard.register(app)
    cli.register(app)
    from .observability import init_logging, init_metrics
    init_logging(app)
    init_metrics(app)
    _configure_mappers()
    from .scheduler import start_embedded
    start_embedded(app)
    return app


def _configure_mappers():
    """Configure every ORM mapper now, not at the first ORM query: code that builds mapped
    objects without a query (a row adopted into the session) would otherwise meet
    unconfigured mappers on a freshly started or respawned worker and fail."""
    from sqlalchemy.orm import configure_mappers
    from . import models  # noqa: F401 - every model is mapped before they are configured
    configure_mappers()

