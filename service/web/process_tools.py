"""Policy staff pages beside the modeler: the form editor and the migration of projects."""
import json

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms import form_problems
from ..forms.definitions import NAME
from ..services.policy import definitions, drafts, migration, versions
from ..services.approval.projects import open_tasks
from ..services.errors import ServiceError
from .processes import _locale, _problems, rule_editor_required

bp = Blueprint("process_tools", __name__, url_prefix="/desk/processes")


@bp.route("/<int:definition_id>/forms/<key>", methods=["GET", "POST"])
@rule_editor_required
def form_editor(definition_id, key):
    """Edit one form as JSON with live checks and a preview; deploy it with the diagram."""
    definition = definitions.get_definition(definition_id)
    text = request.form.get("form_json")
    problems = None
    if request.method == "POST":
        try:
            form = json.loads(text or "")
            found = form_problems(form)
            if found:
                raise ServiceError(_("The form has problems."),
                                   errors={key: found})
            if form.get("key") != key:
                raise ServiceError(_("The form's key must stay %(key)s.", key=key),
                                   errors={"key": [_("The form's key must stay %(key)s.",
                                                     key=key)]})
            new, created = definitions.deploy_upload(
                current_user, definition.bpmn_xml, {key: form},
                request.form.get("note", ""), False, _locale())
        except ValueError as exc:
            problems = [{"element": key, "message": _("Not valid JSON: %(e)s", e=str(exc))}]
        except ServiceError as exc:
            problems = _problems(exc)
        else:
            flash(_("Deployed as version %(n)s.", n=new.version) if created
                  else _("Nothing changed: version %(n)s is identical.", n=new.version))
            return redirect(url_for("processes.version", definition_id=new.id))
    draft = drafts.get_draft(current_user, request.args.get("draft", type=int)) \
        if request.args.get("draft") else None
    form = (draft.forms or {}).get(key) if draft else None
    form = form or (definition.forms or {}).get(key) or definitions.form_set(
        definition.bpmn_xml).get(key) or {
            "key": key, "title": {"zh": "", "en": ""}, "fields": [], "rules": []}
    text = text or json.dumps(form, ensure_ascii=False, indent=2)
    used = any(t["form"] == key for t in definition.meta["user_tasks"].values())
    listed = [d for d in drafts.list_drafts(current_user, definition.key)
              if key in (d.forms or {}) or (draft and d.id == draft.id)]
    return render_template("processes/form_editor.html", d=definition, key=key, text=text,
                           form=form, problems=problems, used=used, draft=draft,
                           drafts=listed, form_key=key), 422 if problems else 200


@bp.route("/<int:definition_id>/forms", methods=["POST"])
@rule_editor_required
def new_form(definition_id):
    """Start a new form: the editor opens on an empty form with the key given."""
    key = (request.form.get("key") or "").strip()
    if not NAME.match(key):
        flash(_("A form key is lower-case letters, digits and _ (e.g. hearing_record)."), "error")
        return redirect(url_for("processes.version", definition_id=definition_id))
    return redirect(url_for(".form_editor", definition_id=definition_id, key=key))


@bp.route("/forms/check", methods=["POST"])
@rule_editor_required
def form_check():
    """Live check of a form definition (JSON): problems and the rendered preview."""
    body = request.get_json(silent=True) or {}
    try:
        form = json.loads(body.get("text") or "")
    except ValueError as exc:
        return jsonify({"problems": [_("Not valid JSON: %(e)s", e=str(exc))], "preview": ""})
    found = form_problems(form)
    preview = "" if found else render_template("processes/_form_preview.html", form=form)
    return jsonify({"problems": found, "preview": preview})


def _mapping(values):
    return {k[len("map__"):]: v.strip() for k, v in values.items()
            if k.startswith("map__") and v.strip()}


@bp.route("/<int:definition_id>/migrate", methods=["GET", "POST"])
@rule_editor_required
def migrate(definition_id):
    """Choose projects, map renamed steps, dry run, then migrate (one transaction each)."""
    definition = definitions.get_definition(definition_id)
    diff = versions.compare(definition_id)
    chosen = [int(i) for i in request.form.getlist("project_ids") if i.isdigit()]
    mapping = _mapping(request.form) if request.method == "POST" else diff["suggested_mapping"]
    reports, executed = None, False
    if request.method == "POST":
        run = migration.migrate if request.form.get("action") == "migrate" else migration.dry_run
        try:
            reports = run(current_user, definition_id, chosen, None, mapping, _locale())
            executed = run is migration.migrate
        except ServiceError as exc:
            flash(exc.message + " " + " ".join(
                p["message"] if isinstance(p, dict) else str(p) for p in _problems(exc)),
                "error")
    candidates = migration.candidates(current_user, definition_id)
    steps = sorted({t.step for p in candidates for t in open_tasks(p)}
                   - set(definition.meta["user_tasks"]))
    return render_template("processes/migrate.html", d=definition, candidates=candidates,
                           chosen=set(chosen), mapping=mapping, steps=steps,
                           targets=sorted(definition.meta["user_tasks"]),
                           reports=reports, executed=executed)

