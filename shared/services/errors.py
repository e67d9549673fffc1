"""Errors a service raises for a person to read (one clear line, never a traceback)."""


class ServiceError(Exception):
    """Base: a request that cannot be carried out, with a message for the user."""


class NotFound(ServiceError):
    pass


class Forbidden(ServiceError):
    pass


class Invalid(ServiceError):
    pass
