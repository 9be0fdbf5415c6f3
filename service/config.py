"""Configuration read from the environment; tests subclass Config."""
import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An installed wheel carries workflows/, forms/ and migrations/ inside the package (setup.py).
SHIPPED = Path(__file__).resolve().parent / "shipped"


def shipped(name):
    """The repository's `name` directory, or the copy an installed package carries."""
    return ROOT / name if (ROOT / name).is_dir() or not (SHIPPED / name).is_dir() \
        else SHIPPED / name


def database_url(url):
    """Use psycopg 3 for PostgreSQL URLs given in the common short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class ConfigError(ValueError):
    """An environment variable the service cannot use; the message names it."""


_FLAGS = {"1": True, "true": True, "yes": True, "on": True,
          "0": False, "false": False, "no": False, "off": False}


def flag(name, default):
    """A yes/no setting: 1/0, true/false, yes/no or on/off. Anything else is refused rather
    than read as "off": SCHEDULER_ENABLED=True must not silently stop every reminder."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return _FLAGS[raw.strip().lower()]
    except KeyError:
        raise ConfigError(f"{name}={raw!r}: use 1 or 0 (true/false, yes/no, on/off)") from None


def number(name, default, kind=int, minimum=0):
    """A numeric setting of `kind`, at least `minimum`."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name}={raw!r}: must be {what}") from None
    if not value >= minimum:  # also refuses NaN
        raise ConfigError(f"{name}={raw!r}: must be at least {minimum}")
    return value


class Config:
    # Unset: a random key made once per installation in SECRET_KEY_FILE (service.secretkey).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE", ROOT / "instance" / "secret_key"))
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'service.db'}"))
    # Per-database engine defaults are added by service.database.engine_options.
    SQLALCHEMY_ENGINE_OPTIONS = {}
    WORKFLOWS_DIR = Path(os.environ.get("WORKFLOWS_DIR", shipped("workflows")))
    FORMS_DIR = Path(os.environ.get("FORMS_DIR", shipped("forms")))
    UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", ROOT / "instance" / "uploads"))
    ATTACHMENT_MAX_BYTES = number("MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
    # The request may carry the form fields and multipart framing around the largest file.
    MAX_CONTENT_LENGTH = ATTACHMENT_MAX_BYTES + 1024 * 1024
    TOKEN_MAX_AGE = number("TOKEN_MAX_AGE", 12 * 3600, minimum=60)
    TIMEZONE = "Asia/Shanghai"
    DEFAULT_YELLOW_DAYS = number("DEFAULT_YELLOW_DAYS", 2)
    # How soon a calendar correction made by another process reaches this one's due dates.
    CALENDAR_CHECK_SECONDS = number("CALENDAR_CHECK_SECONDS", 1.0, float)
    LEVEL2_AFTER_DAYS = number("LEVEL2_AFTER_DAYS", 5)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A desk sign-in lasts this long (a working day), then the official signs in again.
    PERMANENT_SESSION_LIFETIME = dt.timedelta(
        hours=number("SESSION_LIFETIME_HOURS", 8.0, float, minimum=0.05))
    # Force the Secure flag even on plain HTTP (otherwise set whenever the request is HTTPS).
    SESSION_COOKIE_SECURE = flag("SESSION_COOKIE_SECURE", False)
    # Reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host/-Port/-Prefix
    # headers are believed (werkzeug ProxyFix); 0: none, the headers are ignored.
    TRUSTED_PROXIES = number("TRUSTED_PROXIES", 0)
    BABEL_DEFAULT_LOCALE = "zh"
    API_TITLE = "Expropriation & resettlement approval API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    SCHEDULER_ENABLED = flag("SCHEDULER_ENABLED", True)
    # Also write every instance state the slow reference way and fail on any difference.
    ENGINE_CHECK_DUMPS = flag("ENGINE_CHECK_DUMPS", False)
    # Sign-in policy (等保 2.0 level 3): an account locks after SIGNIN_MAX_FAILURES wrong
    # passwords for SIGNIN_LOCK_MINUTES; an address past SIGNIN_ADDRESS_FREE_FAILURES
    # failures in 15 minutes waits 2, 4, 8 … seconds (at most the maximum) between tries.
    SIGNIN_MAX_FAILURES = number("SIGNIN_MAX_FAILURES", 5, minimum=1)
    SIGNIN_LOCK_MINUTES = number("SIGNIN_LOCK_MINUTES", 15, minimum=1)
    SIGNIN_ADDRESS_FREE_FAILURES = number("SIGNIN_ADDRESS_FREE_FAILURES", 10, minimum=1)
    SIGNIN_ADDRESS_MAX_DELAY_SECONDS = number("SIGNIN_ADDRESS_MAX_DELAY_SECONDS", 300, minimum=1)
    PASSWORD_MAX_AGE_DAYS = number("PASSWORD_MAX_AGE_DAYS", 90)  # 0: passwords never expire
    SESSION_IDLE_MINUTES = number("SESSION_IDLE_MINUTES", 15, minimum=1)
    # Administrators (all three) and policy staff sign in with an authenticator code.
    TOTP_REQUIRED = flag("TOTP_REQUIRED", False)
    # The scheduler appends the audit chain's head here (and logs it) every hour; keep the
    # file away from the database server so a cut-off tail of the trail still shows.
    AUDIT_HEAD_FILE = os.environ.get("AUDIT_HEAD_FILE", str(ROOT / "instance" / "audit-heads.jsonl"))
    # Logs: "json" (one object per line, with request id and official) or "text".
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # SpiffWorkflow's own loggers (spiff.*): a line per task state change at INFO.
    SPIFF_LOG_LEVEL = os.environ.get("SPIFF_LOG_LEVEL", "WARNING")
    # /readyz fails when no scheduler process beat (every 30 s) for this many seconds.
    READY_HEARTBEAT_SECONDS = number("READY_HEARTBEAT_SECONDS", 180, minimum=31)
    METRICS_ENABLED = flag("METRICS_ENABLED", True)
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = number("SMTP_PORT", 25, minimum=1)
    SMTP_TLS = flag("SMTP_TLS", False)
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_SENDER = os.environ.get("SMTP_SENDER", "noreply@example.gov.cn")
