"""Errors are data: a code, a message in Chinese and English, and the field it concerns."""

from __future__ import annotations

from typing import Any, ClassVar

from yiwang.kit.i18n import N_, both, gettext


class AppError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    default_message: ClassVar[str] = N_("The request could not be handled.")

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        error_code: str | None = None,
        **params: Any,
    ) -> None:
        self.msgid = message or self.default_message
        self.field = field
        self.params = params
        if error_code:
            self.code = error_code  # type: ignore[misc]
        super().__init__(self.msgid)

    def text(self) -> str:
        return gettext(self.msgid, **self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": both(self.msgid, **self.params), "field": self.field}


class Invalid(AppError):
    status = 422
    code = "invalid"
    default_message = N_("The value is not valid.")


class Unauthenticated(AppError):
    status = 401
    code = "login_required"
    default_message = N_("Please log in first.")


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    default_message = N_("You do not have permission to do this.")


class NotFound(AppError):
    status = 404
    code = "not_found"
    default_message = N_("The page or record was not found.")


class Conflict(AppError):
    status = 409
    code = "conflict"
    default_message = N_("This conflicts with the current state.")


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"
    default_message = N_("Too many attempts. Please wait {minutes} minutes and try again.")


class InvalidMany(Invalid):
    """Several field errors at once, as a form submission produces."""

    def __init__(self, errors: list[AppError]) -> None:
        first = errors[0]
        super().__init__(first.msgid, field=first.field, error_code=first.code, **first.params)
        self.errors = errors

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["errors"] = [e.to_dict() for e in self.errors]
        return data
