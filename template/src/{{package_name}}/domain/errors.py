"""Errors raised when a business rule is broken."""


class DomainError(Exception):
    """A broken business rule; `code` is the stable error code clients see."""

    code = "DOMAIN_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValueError(DomainError):
    """A value that an entity's invariants refuse."""

    code = "VALIDATION_ERROR"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.field = field
        self.reason = message
