"""Attachments: upload to a task (checked type, size and signature), read back, and reference."""
import errno
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...forms import message
from ...models import Attachment, Household, Task
from ...roles import may_act_on, may_see_district
from .audit import record
from ..policy.definitions import version_info
from ..errors import Conflict, Forbidden, Gone, Invalid, NotFound, StorageFull
from .filetypes import FILE_TYPES, extension, matches
from ..approval.projects import may_see_project
from ..runtime import runtime

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def clean_filename(name):
    """The file's own name without any path, control characters or excess length."""
    name = _UNSAFE.sub("_", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if len(name) > 200:
        stem, _, ext = name.rpartition(".")
        name = stem[:190] + "." + ext[:9] if stem else name[:200]
    return name or "file"


def file_problems(filename, data, locale):
    """Messages for a file that is missing, empty, too large, of a refused type or disguised."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    ext = extension(filename)
    if not filename:
        return [message("file_missing", locale)]
    if not data:
        return [message("file_empty", locale)]
    if len(data) > limit:
        return [message("file_too_large", locale, max_mb=round(limit / 1048576, 1))]
    if ext not in FILE_TYPES:
        return [message("file_type", locale, ext=ext or "-",
                        allowed=", ".join(sorted(FILE_TYPES)))]
    if not matches(ext, data):
        return [message("file_signature", locale, ext=ext)]
    return []


def _store(project_id, sha, data):
    """(path, whether this call created it): the file stored under its SHA-256."""
    folder = Path(current_app.config["UPLOAD_DIR"]) / str(project_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sha
    if target.exists():
        return target, False
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        # A partial file left behind would keep the disk full.
        Path(tmp).unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise StorageFull("the server's disk is full; the file was not stored") from None
        raise
    return target, True


def _task_for_upload(user, task_id):
    task = db.session.get(Task, task_id)
    if task is None or not may_see_district(user, task.district):
        raise NotFound("task not found")
    if not may_act_on(user, task):
        raise Forbidden("this task is not yours to act on")
    if task.status != "open":
        raise Conflict("this task is no longer open")
    if task.claimed_by_id not in (None, user.id):
        raise Conflict("another official has claimed this task")
    return task


def upload(user, task_id, filename, data, field=None, locale="zh"):
    """Store a file for an open task the user may act on; Invalid (per field) when refused."""
    row = add_file(user, _task_for_upload(user, task_id), filename, data, field, locale)
    try:
        db.session.commit()
    except Exception:
        discard_new_file(row)
        raise
    return row


def discard_new_file(row):
    """Remove the file a row's upload created, when the row is not saved after all."""
    # A full database, say: a file only this row referred to would stay on the full disk.
    if row.new_file is not None:
        row.new_file.unlink(missing_ok=True)


def add_file(user, task, filename, data, field=None, locale="zh"):
    """Check and store a file for `task` and add its row and audit event (caller commits)."""
    filename = clean_filename(filename)
    problems = file_problems(filename, data, locale)
    if problems:
        raise Invalid("the file was refused", errors={"file": problems})
    form_fields = {f["name"]: f["type"] for f in _form(task)["fields"]}
    if field and form_fields.get(field) != "attachment":
        key = "not_attachment_field" if field in form_fields else "unknown"
        raise Invalid("the file was refused", errors={"field": [message(key, locale)]})
    sha = hashlib.sha256(data).hexdigest()
    target, created = _store(task.project_id, sha, data)
    ext = extension(filename)
    row = Attachment(project_id=task.project_id, task_id=task.id, field=field or None,
                     filename=filename, kind=ext, content_type=FILE_TYPES[ext][0],
                     size=len(data), sha256=sha, uploaded_by_id=user.id,
                     uploaded_at=runtime().clock.now_naive())
    row.new_file = target if created else None  # not a column: what to remove on failure
    db.session.add(row)
    try:
        db.session.flush()
    except Exception:
        discard_new_file(row)
        raise
    record("attach", user, task.project, task, step=task.step, attachment_id=row.id,
           filename=filename, sha256=sha, size=len(data), field=field or None)
    return row


def get_attachment(user, attachment_id):
    """An attachment of a project the user may see, or NotFound."""
    row = db.session.get(Attachment, attachment_id)
    if row is None or not may_see_project(user, row.project):
        raise NotFound("attachment not found")
    return row


def file_path(row):
    """Where the attachment's bytes are on disk."""
    return Path(current_app.config["UPLOAD_DIR"]) / str(row.project_id) / row.sha256


def stored_file(row):
    """The path of the attachment's bytes, or Gone (logged) when the file is not there."""
    path = file_path(row)
    if not path.is_file():
        _storage_fault(row, path, "missing")
    return path


def stored_bytes(row):
    """The attachment's bytes, checked against the SHA-256 recorded at upload, or Gone."""
    data = stored_file(row).read_bytes()
    if hashlib.sha256(data).hexdigest() != row.sha256:
        _storage_fault(row, file_path(row), "altered")
    return data


def _storage_fault(row, path, what):
    # The official cannot fix this; the administrator restores the file from backup.
    log.error("attachment %s (%s) of project %s: stored file %s is %s",
              row.id, row.filename, row.project_id, path, what)
    raise Gone("a stored file is missing or altered; ask the administrator to restore it "
               "from backup", errors={"attachment": [f"{row.id} ({row.filename}): {what}"]})


def project_attachments(project_id):
    """Every attachment of a project, oldest first."""
    return db.session.scalars(select(Attachment).where(Attachment.project_id == project_id)
                              .order_by(Attachment.id)).all()


def _form(task):
    # A household's task (issue 16) runs on its household's process version.
    definition_id = (db.session.get(Household, task.household_id).definition_id
                     if task.household_id is not None else task.project.definition_id)
    return version_info(definition_id).forms.get(task.form) or {"fields": []}


def reference_problems(task, values, locale):
    """Per-field messages for attachment ids that are not this project's."""
    wanted = {f["name"]: values.get(f["name"]) or [] for f in _form(task)["fields"]
              if f["type"] == "attachment"}
    ids = {i for refs in wanted.values() for i in refs}
    if not ids:
        return {}
    known = set(db.session.scalars(select(Attachment.id).where(
        Attachment.project_id == task.project_id, Attachment.id.in_(ids))))
    errors = {}
    for name, refs in wanted.items():
        foreign = [str(i) for i in refs if i not in known]
        if foreign:
            errors[name] = [message("attachment_foreign", locale, ids=", ".join(foreign))]
    return errors
