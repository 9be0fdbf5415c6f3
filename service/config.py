"""Configuration read from the environment; tests subclass Config."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url(url):
    """Use psycopg 3 for PostgreSQL URLs given in the common short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    # Unset: a random key made once per installation in SECRET_KEY_FILE (service.secretkey).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE", ROOT / "instance" / "secret_key"))
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'service.db'}"))
    # Per-database engine defaults are added by service.database.engine_options.
    SQLALCHEMY_ENGINE_OPTIONS = {}
    WORKFLOWS_DIR = Path(os.environ.get("WORKFLOWS_DIR", ROOT / "workflows"))
    FORMS_DIR = Path(os.environ.get("FORMS_DIR", ROOT / "forms"))
    UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", ROOT / "instance" / "uploads"))
    ATTACHMENT_MAX_BYTES = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
    # The request may carry the form fields and multipart framing around the largest file.
    MAX_CONTENT_LENGTH = ATTACHMENT_MAX_BYTES + 1024 * 1024
    TOKEN_MAX_AGE = int(os.environ.get("TOKEN_MAX_AGE", str(12 * 3600)))
    TIMEZONE = "Asia/Shanghai"
    DEFAULT_YELLOW_DAYS = int(os.environ.get("DEFAULT_YELLOW_DAYS", "2"))
    # How soon a calendar correction made by another process reaches this one's due dates.
    CALENDAR_CHECK_SECONDS = float(os.environ.get("CALENDAR_CHECK_SECONDS", "1"))
    LEVEL2_AFTER_DAYS = int(os.environ.get("LEVEL2_AFTER_DAYS", "5"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "zh"
    API_TITLE = "Expropriation & resettlement approval API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    # SQLite: checkpoint the write-ahead log on a background thread this often (0: inside
    # commits, SQLite's default).
    SQLITE_CHECKPOINT_SECONDS = float(os.environ.get("SQLITE_CHECKPOINT_SECONDS", "0.2"))
    # Exclude start-up objects from garbage collection (gc.freeze); see create_app.
    GC_FREEZE_AT_START = os.environ.get("GC_FREEZE_AT_START", "1") == "1"
    SCHEDULER_ENABLED = os.environ.get("SCHEDULER_ENABLED", "1") == "1"
    # Also write every instance state the slow reference way and fail on any difference.
    ENGINE_CHECK_DUMPS = os.environ.get("ENGINE_CHECK_DUMPS", "0") == "1"
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_TLS = os.environ.get("SMTP_TLS", "0") == "1"
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_SENDER = os.environ.get("SMTP_SENDER", "noreply@example.gov.cn")
