"""Errors the use cases raise; the API layer maps each type to one HTTP status."""


class ApplicationError(Exception):
    """A request the application cannot fulfil; `code` is the stable error code clients see."""

    code = "APPLICATION_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(ApplicationError):
    code = "NOT_FOUND"


class ConflictError(ApplicationError):
    """The change would break a uniqueness rule."""

    code = "CONFLICT"


class PreconditionFailedError(ApplicationError):
    """The caller's copy is stale: the stored version differs from the one it expected."""

    code = "PRECONDITION_FAILED"


class ServiceUnavailableError(ApplicationError):
    """A dependency (the database, a cache, a broker) cannot be reached; retrying later may work."""

    code = "SERVICE_UNAVAILABLE"
