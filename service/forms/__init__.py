"""Task form definitions: loading, checking, and server-side validation."""
from .definitions import form_problems, form_shape_problems, load_forms, output_names
from .messages import message, pick
from .schema import FormInvalid, schema_for, validate_submission

__all__ = ["form_problems", "form_shape_problems", "load_forms", "output_names", "message",
           "pick", "FormInvalid", "schema_for", "validate_submission"]
