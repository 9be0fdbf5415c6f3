"""Pages where policy staff change the rules: versions, modeler, upload, forms, migration."""
import json
from functools import wraps

from flask import (Blueprint, abort, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from lxml import etree
from flask_login import current_user, login_required

from ..engine.compat import for_modeler
from ..errors import error_body
from ..extensions import db
from ..engine.xmlsafe import parse_xml
from ..forms import pick
from ..i18n import select_locale
from ..roles import ROLES, may_change_rules
from ..services.policy import definitions, drafts, versions
from ..services.errors import ServiceError
from .modeler_texts import modeler_texts

bp = Blueprint("processes", __name__, url_prefix="/desk/processes")


def rule_editor_required(view):
    """Signed in as policy staff or an administrator, else 403."""
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not may_change_rules(current_user):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _locale():
    """The page language (Chinese unless the official switched), for validation messages."""
    return select_locale(current_user, honour_browser=False)


def _problems(exc):
    """The problems of a refusal as a flat list of {element, message}."""
    found = []
    for field, items in (exc.errors or {}).items():
        for item in items if isinstance(items, list) else [items]:
            found.append(item if isinstance(item, dict) else {"element": field, "message": item})
    return found or [{"element": None, "message": exc.message}]


def modeler_xml(xml):
    """The diagram with its multi-instance references in the form bpmn-js keeps."""
    tree = for_modeler(parse_xml(xml))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8").decode("utf-8")


@bp.route("")
@rule_editor_required
def index():
    """Every process with its versions, and the upload of a .bpmn file."""
    rows = definitions.mark_latest(definitions.all_definitions())
    return render_template("processes/index.html", rows=rows, problems=None)


@bp.route("/upload", methods=["POST"])
@rule_editor_required
def upload():
    """Validate or deploy a .bpmn file (with optional form definitions) from disk."""
    check_only = request.form.get("action") == "validate"
    try:
        file = request.files.get("file")
        if not file or not file.filename:
            raise ServiceError(_("Choose a .bpmn file."))
        xml = file.read().decode("utf-8-sig")
        forms_file = request.files.get("forms")
        forms = _form_set(json.loads(forms_file.read().decode("utf-8"))) \
            if forms_file and forms_file.filename else {}
        result, created = definitions.deploy_upload(
            current_user, xml, forms, request.form.get("note", ""), check_only, _locale())
    except (UnicodeDecodeError, ValueError):
        flash(_("The file is not UTF-8 text or the forms are not valid JSON."), "error")
        return redirect(url_for(".index"))
    except ServiceError as exc:
        rows = definitions.mark_latest(definitions.all_definitions())
        return render_template("processes/index.html", rows=rows,
                               problems=_problems(exc)), exc.status
    if check_only:
        flash(_("The diagram passed every check; nothing was deployed."))
        return redirect(url_for(".index"))
    flash(_("Deployed as version %(n)s.", n=result.version) if created
          else _("Nothing changed: version %(n)s is identical.", n=result.version))
    return redirect(url_for(".version", definition_id=result.id))


def _form_set(data):
    items = data if isinstance(data, list) else list(data.values())
    return {f["key"]: f for f in items if isinstance(f, dict) and f.get("key")}


@bp.route("/<int:definition_id>")
@rule_editor_required
def version(definition_id):
    """One version: who, when, why, what changed from the previous one, and its diagram."""
    definition = definitions.mark_latest([definitions.get_definition(definition_id)])[0]
    history = definitions.mark_latest(definitions.all_definitions(definition.key))
    return render_template("processes/version.html", d=definition, history=history,
                           diff=versions.compare(definition_id),
                           drafts=drafts.list_drafts(current_user, definition.key))


@bp.route("/<int:definition_id>/edit")
@rule_editor_required
def edit(definition_id):
    """The modeler, opened on this version (or on a draft saved on the server)."""
    definition = definitions.get_definition(definition_id)
    draft = drafts.get_draft(current_user, request.args.get("draft", type=int)) \
        if request.args.get("draft") else None
    lang = _locale()
    forms = definitions.form_set(definition.bpmn_xml)
    new_forms = drafts.new_forms(current_user, definition.key, forms)
    forms.update(new_forms)
    config = {
        "key": definition.key, "version": definition.version, "definition_id": definition.id,
        "xml": modeler_xml(draft.bpmn_xml if draft else definition.bpmn_xml),
        "check_url": url_for(".check"), "deploy_url": url_for(".deploy"),
        "drafts_url": url_for("process_draft_pages.create"), "new_forms": new_forms,
        "draft": {"id": draft.id, "title": draft.title, "note": draft.note,
                  "forms": draft.forms or {}, "revision": draft.revision} if draft else None,
        "approval": {
            "translations": modeler_texts(lang),
            "roles": [{"value": k, "label": pick(v, lang)} for k, v in ROLES.items()],
            "forms": [{"value": k, "label": f"{pick(f.get('title'), lang) or k}"
                       + (f" · {_('draft form')}" if k in new_forms else "")}
                      for k, f in sorted(forms.items())],
            "labels": {"group": _("Approval settings"), "role": _("Role"), "form": _("Form"),
                       "timeLimit": _("Time limit (working days)"),
                       "yellow": _("Yellow warning (working days before due)"),
                       "wholeDays": _("A whole number of working days"), "none": "—"}},
    }
    return render_template("processes/edit.html", d=definition, config=config, draft=draft,
                           drafts=drafts.list_drafts(current_user, definition.key))


def json_refusal(exc):
    """A refusal answered to the modeler's script in the API's error shape."""
    db.session.rollback()
    return jsonify(error_body(exc.status, exc.message, exc.errors)), exc.status


@bp.route("/check", methods=["POST"])
@rule_editor_required
def check():
    """Validate the modeler's diagram (JSON); problems come back as 422 with `errors.file`."""
    body = request.get_json(silent=True) or {}
    try:
        result, _created = definitions.deploy_upload(current_user, body.get("xml") or "",
                                                     _form_set(body.get("forms") or []), "",
                                                     True, _locale())
    except ServiceError as exc:
        return json_refusal(exc)
    return jsonify({"ok": True, **result})


@bp.route("/deploy", methods=["POST"])
@rule_editor_required
def deploy():
    """Deploy the modeler's diagram with a change note (JSON)."""
    body = request.get_json(silent=True) or {}
    note = (body.get("note") or "").strip()
    if not note:
        return jsonify({"ok": False, "errors": {"note": [_("Write a change note.")]}}), 422
    try:
        definition, created = definitions.deploy_upload(
            current_user, body.get("xml") or "", _form_set(body.get("forms") or []),
            note[:2000], False, _locale())
    except ServiceError as exc:
        return json_refusal(exc)
    return jsonify({"ok": True, "created": created, "version": definition.version,
                    "forms": sorted(definition.forms or {}),
                    "url": url_for(".version", definition_id=definition.id)})


@bp.route("/<int:definition_id>/rollback", methods=["POST"])
@rule_editor_required
def rollback(definition_id):
    """Make this version what new projects get, as a new version."""
    try:
        new = versions.rollback(current_user, definition_id, request.form.get("note", ""),
                                _locale())
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".version", definition_id=definition_id))
    flash(_("Rolled back: version %(n)s is now what new projects get.", n=new.version))
    return redirect(url_for(".version", definition_id=new.id))

