"""Form fields on pages: a widget per field type, readers of posted values, value display."""
from flask_babel import gettext as _, lazy_gettext as L

from ..forms.fields import DATE_MAX, DATE_MIN

#: field type -> macro name in templates/desk/_widgets.html
WIDGETS = {"text": "text", "textarea": "textarea", "integer": "number", "number": "number",
           "money": "money", "date": "date", "choice": "choice", "multichoice": "multichoice",
           "boolean": "boolean", "attachment": "attachment"}


def date_bounds(spec):
    """(min, max) ISO dates a date field accepts, for the date picker; the server checks too."""
    return spec.get("min", DATE_MIN), spec.get("max", DATE_MAX)


def _one(form, name):
    return form.get(name, "")


#: field type -> how its value is read from a posted form (a werkzeug MultiDict)
READERS = {
    "multichoice": lambda form, name: form.getlist(name),
    "attachment": lambda form, name: [v for v in form.getlist(name) if v],
    "boolean": lambda form, name: form.get(name) == "1",
}


def read_form(form_definition, posted):
    """Raw values of the form's (non-computed) fields as typed; the service validates them."""
    return {f["name"]: READERS.get(f["type"], _one)(posted, f["name"])
            for f in form_definition["fields"] if not f.get("computed")}


#: units forms give in Chinese, named in the page language (a unit may also be a {zh, en} pair)
UNITS = {"户": L("households"), "元": L("yuan"), "套": L("units"), "年": L("year"),
         "个": L("items"), "人": L("people")}


def unit_label(unit):
    """A form field's unit in the page language."""
    if isinstance(unit, dict):
        from flask_babel import get_locale
        return unit.get(str(get_locale() or "zh")) or unit.get("zh", "")
    return str(UNITS[unit]) if unit in UNITS else (unit or "")


def money_text(value):
    """Integer fen as yuan text (1234.56); typed text is kept as it was typed."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value is None else str(value)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100:,}.{abs(value) % 100:02d}"


def _choice_label(spec, value, pick):
    for option in spec.get("options", []):
        if option["value"] == value:
            return pick(option["label"])
    return str(value)


#: field type -> display text of a stored value (attachments are shown as links instead)
DISPLAY = {
    "money": lambda spec, value, pick: f"{money_text(value)} {unit_label(spec.get('unit', '元'))}",
    "boolean": lambda spec, value, pick: _("Yes") if value else _("No"),
    "choice": _choice_label,
    "multichoice": lambda spec, value, pick: "、".join(
        _choice_label(spec, v, pick) for v in (value or [])),
}


def display(spec, value, pick):
    """A stored value as text for the page, by its field type."""
    if value is None or value == "":
        return "—"
    if spec is None:
        return str(value)
    shown = DISPLAY.get(spec["type"])
    if shown:
        return shown(spec, value, pick)
    unit = unit_label(spec.get("unit"))
    return f"{value} {unit}" if unit else str(value)


def field_index(definition):
    """Field specs of every form of a definition by data name (first form wins)."""
    from ..services.policy.definitions import version_info
    found = {}
    for form in version_info(definition.id).forms.values():
        for field in form.get("fields", []):
            found.setdefault(field["name"], field)
    return found


def input_value(spec, value):
    """A value as the text an input shows."""
    if spec["type"] == "money":
        return money_text(value)
    if value is None:
        return ""
    return str(value)
