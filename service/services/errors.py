"""Errors the service layer raises; the app turns each into one JSON (or page) error shape."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


class StorageFull(ServiceError):
    """The server's disk (or database) is full: nothing was saved (RFC 4918's 507)."""
    status = 507


class Gone(ServiceError):
    """A record whose stored bytes are missing or altered (a storage fault, not the caller's)."""
    status = 410
