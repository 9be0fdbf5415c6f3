"""OpenAPI: the error answers each operation can give, documented where they apply (an
apispec plugin, so no operation has to list them by hand)."""
from apispec import BasePlugin

ERRORS = {
    "401": ("UNAUTHORIZED", "No bearer token, or a wrong or expired one"),
    "403": ("FORBIDDEN", "The caller may see this but not do it (role, office)"),
    "404": ("NOT_FOUND", "No such row, or not one the caller may see (other district or "
                         "department)"),
    "409": ("CONFLICT", "The row changed since it was read: the task was completed, claimed "
                        "or moved by someone else"),
}
# Operations that change a task row under the conditional UPDATE, which answers 409.
CONFLICTING = ("/claim", "/unclaim", "/complete", "/transfer", "/release", "/return")


def register_components(spec):
    """The shared error responses, in the API's one error shape (the Error schema)."""
    for name, description in ERRORS.values():
        spec.components.response(name, {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})


class ErrorResponses(BasePlugin):
    """Adds 401 to operations needing a token (and to the token call), 404 to those on a row
    named in the path, and 403 and 409 to the task actions."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict):
                continue
            codes = []
            if operation.get("security") or (path or "").endswith("/auth/token"):
                codes.append("401")
            if "{" in (path or ""):
                codes.append("404")
            if method == "post" and (path or "").endswith(CONFLICTING):
                codes += ["403", "409"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, ERRORS[code][0])
