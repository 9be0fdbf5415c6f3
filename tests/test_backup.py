"""flask backup / flask restore: a backup, the data destroyed, a restore checked before it
reports success, and the restored service carrying the project on."""
import hashlib
import io
import tarfile

import pytest

from conftest import ApiUser, reset_database
from deskflow import PDF, PNG, SUBMIT, start
from flow import APPROVE_REVIEW


@pytest.fixture
def installation(app, tmp_path):
    """The test app with its own secret key file (never the repository's instance/)."""
    key = tmp_path / "secret" / "secret_key"
    key.parent.mkdir()
    key.write_text("installation-key")
    app.config["SECRET_KEY_FILE"] = key
    return app


def _upload(user, task_id, name, content, field=None):
    data = {"file": (io.BytesIO(content), name), **({"field": field} if field else {})}
    response = user.post(f"/api/v1/tasks/{task_id}/attachments",
                         content_type="multipart/form-data", data=data)
    assert response.status_code == 201, response.json
    return response.json


def _backup(runner, tmp_path):
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    archives = list((tmp_path / "backups").glob("resettlement-backup-*.tar.gz"))
    assert len(archives) == 1
    return archives[0]


def test_backup_destroy_restore_and_the_project_goes_on(installation, runner, as_user,
                                                        tmp_path, client):
    app = installation
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(project_id, "submit_plan")["id"]
    ledger = _upload(office, task, "调查摸底台账.pdf", PDF, "survey_ledger")
    photo = _upload(office, task, "现场照片.png", PNG)
    ids = [ledger["id"], photo["id"]]
    data = {**SUBMIT, "survey_ledger": [ledger["id"]]}
    assert office.post(f"/api/v1/tasks/{task}/complete", json={"data": data}).status_code == 200
    archive = _backup(runner, tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "secret_key" in names
    assert any(n.startswith("database.") for n in names)
    assert sum(n.startswith("uploads/") for n in names) == len(ids)

    # The data is destroyed: every table, the uploaded files, the key file.
    with app.app_context():
        reset_database()
    uploads = app.config["UPLOAD_DIR"]
    for path in sorted(uploads.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    app.config["SECRET_KEY_FILE"].unlink()
    assert not any(uploads.rglob("*.*")) and not app.config["SECRET_KEY_FILE"].exists()

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"{len(ids)} attachments match their sha256" in result.output
    assert app.config["SECRET_KEY_FILE"].read_text() == "installation-key"

    # The restored service carries the project on, every attachment intact.
    # New tokens: the ones issued before were signed with the same key and still work, but
    # a fresh sign-in shows the restored accounts and passwords are there.
    city = ApiUser(client, "city_review")
    office = ApiUser(client, "jingkou_office")
    for attachment_id, content in zip(ids, (PDF, PNG)):
        download = office.get(f"/api/v1/attachments/{attachment_id}")
        assert download.status_code == 200 and download.data == content
    city.complete(project_id, "city_review", APPROVE_REVIEW)
    assert office.task_for(project_id, "file_compensation_plan")


def test_a_damaged_archive_or_attachment_is_refused(installation, runner, as_user, tmp_path):
    app = installation
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(project_id, "submit_plan")["id"]
    _upload(office, task, "台账.pdf", PDF, "survey_ledger")
    archive = _backup(runner, tmp_path)

    # An archive whose file does not match its manifest: nothing is restored.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                content = content.replace(b"%PDF", b"%XDF")
            target.addfile(member, io.BytesIO(content))
    result = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code != 0
    assert "does not match its sha256 in the manifest" in result.output
    assert office.get(f"/api/v1/projects/{project_id}").status_code == 200

    # A file that changed on disk before the backup: the archive matches its manifest, but the
    # restored attachment does not match the sha256 recorded at upload: no success reported.
    stored = next(p for p in app.config["UPLOAD_DIR"].rglob("*") if p.is_file())
    stored.write_bytes(PDF + b"% changed on disk\n")
    second = _backup_again(runner, tmp_path)
    result = runner.invoke(args=["restore", str(second), "--yes"])
    assert result.exit_code != 0 and "sha256 differs" in result.output


def _backup_again(runner, tmp_path):
    for old in (tmp_path / "backups").glob("*.tar.gz"):
        old.unlink()
    return _backup(runner, tmp_path)
