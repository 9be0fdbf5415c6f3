"""The project archive (档案): one ZIP with data, timeline, attachments, process and forms."""
import csv
import hashlib
import io
import json
import tempfile
import zipfile

from ...clock import SHANGHAI
from ...extensions import db
from ...models.timestamps import as_aware
from .attachments import project_attachments, stored_bytes
from .exports import inert
from .audit import record
from .chain_check import audited_segment
from .approval_form import form_name, render_form
from .wording import HEADINGS, action_text, detail_text
from ..notices.notices import split_name
from ..policy.definitions import version_info
from ..approval.projectview import project_page


def _when(value, fmt=None):
    if not value:
        return None
    moment = as_aware(value).astimezone(SHANGHAI)
    return moment.strftime(fmt) if fmt else moment.isoformat()


def _task_dict(task):
    return {"id": task.id, "step": task.step, "name": task.name, "form": task.form,
            "role": task.role, "district": task.district, "department": task.department,
            "status": task.status, "created_at": _when(task.created_at),
            "due_date": task.due_date.isoformat() if task.due_date else None,
            "claimed_by": task.claimed_by.username if task.claimed_by else None,
            "completed_by": task.completed_by.username if task.completed_by else None,
            "completed_at": _when(task.completed_at), "outcome": task.outcome,
            "data": task.data, "facts": task.facts}


def _attachment_dict(row):
    return {"id": row.id, "filename": row.filename, "content_type": row.content_type,
            "size": row.size, "sha256": row.sha256, "task_id": row.task_id, "field": row.field,
            "uploaded_by": row.uploaded_by.username if row.uploaded_by else None,
            "uploaded_at": _when(row.uploaded_at), "path": f"attachments/{_member(row)}"}


def _member(row):
    return f"{row.id}-{row.filename}"


def _timeline_csv(events, step_name):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for number, e in enumerate(events, start=1):
        step = e.detail.get("step") or e.detail.get("from_step") or ""
        decision, account = detail_text(e, step_name)
        writer.writerow([inert(v) for v in (
            number, _when(e.at, "%Y-%m-%d %H:%M"), action_text(e.action),
            e.actor.display_name if e.actor else "系统", step_name(step) if step else "",
            decision, account)])
    return "\ufeff" + out.getvalue()  # BOM so spreadsheet programs read the Chinese text


#: functions(project) -> {member name: bytes} other concerns add to a project's archive
#: (issue 16: the household register, with the reasons of households not settled)
EXTRA_MEMBERS = []


def build_archive(user, project_id, record_url=None):
    """(file name, seekable ZIP file) of a project the user may see, with its approval form
    (审批表) when `record_url` (the project page its QR code leads to) is given; audited."""
    view = project_page(user, project_id)
    project, definition = view["project"], view["project"].definition
    chain = audited_segment(project.id)
    attachments = project_attachments(project.id)
    data = {"id": project.id, "name": project.name, "district": project.district,
            "status": project.status, "plan_year": project.plan_year,
            "created_by": project.created_by.username if project.created_by else None,
            "created_at": _when(project.created_at), "updated_at": _when(project.updated_at),
            "completed_at": _when(project.completed_at),
            "process": {"key": definition.key, "version": definition.version,
                        "sha256": definition.sha256},
            "data": project.data, "tasks": [_task_dict(t) for t in view["tasks"]],
            "attachments": [_attachment_dict(a) for a in attachments]}
    members = {"project.json": json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
               "timeline.csv": _timeline_csv(view["events"], _step_names(project)).encode("utf-8"),
               f"process/{definition.key}-v{definition.version}.bpmn":
                   definition.bpmn_xml.encode("utf-8")}
    if record_url:
        members[form_name(project)] = render_form(project, record_url)[0]
    members["audit-chain.json"] = json.dumps(chain, ensure_ascii=False, indent=2).encode()
    for provide in EXTRA_MEMBERS:
        members.update(provide(project))
    for key, form in sorted(definition.forms.items()):
        members[f"forms/{key}.json"] = json.dumps(form, ensure_ascii=False, indent=2).encode()
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    manifest = {}
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
            manifest[name] = hashlib.sha256(content).hexdigest()
        for row in attachments:
            # Checked against the hash recorded at upload: the manifest vouches for it.
            archive.writestr(f"attachments/{_member(row)}", stored_bytes(row))
            manifest[f"attachments/{_member(row)}"] = row.sha256
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
    spool.seek(0)
    record("export", user, project, files=len(manifest), attachments=len(attachments))
    db.session.commit()
    return f"project-{project.id}-archive.zip", spool


def _step_names(project):
    """step key -> the step's Chinese name (its form title, else the diagram's name)."""
    info = version_info(project.definition_id)

    def name(step):
        meta = info.meta["user_tasks"].get(step) or {}
        form = info.forms.get(meta.get("form") or "") or {}
        if form.get("title"):
            return form["title"].get("zh", step)
        return split_name(" ".join((meta.get("name") or step).split()))[0]
    return name
