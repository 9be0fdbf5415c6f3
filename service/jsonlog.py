"""Log lines as JSON objects, for the service's loggers and gunicorn's (gunicorn.conf.py):
one format for everything the city's log collector reads. Imports nothing of the app."""
import json
import logging


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, official."""

    def format(self, record):
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                "logger": record.name, "message": record.getMessage(), "pid": record.process}
        for key in ("request_id", "user", "method", "path", "status", "duration_ms"):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def gunicorn_logging(level, access):
    """gunicorn's `logconfig_dict` for JSON lines: its error log on standard error, its access
    log (when `access`) on standard output; the root logger is left to the app, which adds its
    own JSON handler (service.observability), so no line is written twice."""
    def stream(name):
        return {"class": "logging.StreamHandler", "formatter": "json", "stream": name}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": "service.jsonlog.JsonLines"}},
        "handlers": {"error": stream("ext://sys.stderr"), "access": stream("ext://sys.stdout")},
        "root": {"level": "WARNING", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": ["error"],
                               "propagate": False, "qualname": "gunicorn.error"},
            # gunicorn builds access lines whenever a logging dict is given; with the access
            # log off, the logger drops them.
            "gunicorn.access": {"level": "INFO" if access else "CRITICAL",
                                "handlers": ["access"] if access else [],
                                "propagate": False, "qualname": "gunicorn.access"}},
    }
