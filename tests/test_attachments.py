"""Attachments through the API: allow-list, signature and size checks, references, downloads."""
import hashlib
import io
import zipfile

from deskflow import PDF, PNG, SUBMIT, start


def _submit_task(as_user, project_id):
    return as_user("jingkou_office").task_for(project_id, "submit_plan")["id"]


def _upload(user, task_id, name, content, field=None):
    data = {"file": (io.BytesIO(content), name)}
    if field:
        data["field"] = field
    return user.post(f"/api/v1/tasks/{task_id}/attachments", data=data,
                     content_type="multipart/form-data")


def test_upload_download_and_reference(as_user, app):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = _submit_task(as_user, project_id)
    response = _upload(office, task_id, "调查摸底台账.pdf", PDF, field="survey_ledger")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["filename"] == "调查摸底台账.pdf" and body["size"] == len(PDF)
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["uploaded_by"] == "jingkou_office"
    download = office.get(f"/api/v1/attachments/{body['id']}")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    # the attachment field takes the id; the completed step keeps it
    done = office.post(f"/api/v1/tasks/{task_id}/complete",
                       json={"data": {**SUBMIT, "survey_ledger": [body["id"]]}})
    assert done.status_code == 200, done.json
    listed = office.get(f"/api/v1/projects/{project_id}/attachments").json
    assert [a["id"] for a in listed] == [body["id"]]
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]
    assert any(e["action"] == "attach" and e["detail"]["attachment_id"] == body["id"]
               for e in history)


def test_refused_types_and_disguised_files_change_nothing(as_user, app):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = _submit_task(as_user, project_id)
    exe = _upload(office, task_id, "setup.exe", b"MZ\x90\x00" + b"\x00" * 60)
    assert exe.status_code == 422
    assert "不允许的文件类型" in exe.json["errors"]["file"][0]
    disguised = _upload(office, task_id, "ledger.pdf", b"MZ\x90\x00 not a pdf at all")
    assert disguised.status_code == 422 and "文件内容与扩展名" in disguised.json["errors"]["file"][0]
    fake_docx = _upload(office, task_id, "plan.docx", _zip({"a.txt": b"x"}))
    assert fake_docx.status_code == 422
    empty = _upload(office, task_id, "empty.pdf", b"")
    assert empty.status_code == 422
    assert office.get(f"/api/v1/projects/{project_id}/attachments").json == []


def test_office_documents_images_and_zip_are_accepted(as_user, app):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = _submit_task(as_user, project_id)
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    for name, content in (("photo.png", PNG), ("plan.docx", docx),
                          ("bundle.zip", _zip({"a.txt": b"x"})),
                          ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)):
        response = _upload(office, task_id, name, content)
        assert response.status_code == 201, (name, response.json)


def test_size_limit(as_user, app):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    project_id = start(as_user)
    office = as_user("jingkou_office")
    response = _upload(office, _submit_task(as_user, project_id), "big.pdf", PDF + b"0" * 2000)
    assert response.status_code == 422
    assert "文件过大" in response.json["errors"]["file"][0]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    huge = _upload(office, _submit_task(as_user, project_id), "huge.pdf", PDF + b"0" * 9000)
    assert huge.status_code == 413 and "file" in huge.json["errors"]


def test_download_only_for_those_who_may_see_the_project(as_user, app):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    attachment = _upload(office, _submit_task(as_user, project_id), "台账.pdf", PDF).json
    url = f"/api/v1/attachments/{attachment['id']}"
    assert as_user("runzhou_office").get(url).status_code == 404
    assert as_user("runzhou_gov").get(url).status_code == 404
    assert as_user("city_review").get(url).status_code == 200
    assert as_user("jingkou_gov").get(url).status_code == 200
    assert office.client.get(url).status_code == 401


def test_upload_only_by_who_may_act_and_references_must_be_this_projects(as_user, app):
    first, second = start(as_user, "甲项目"), start(as_user, "乙项目")
    office = as_user("jingkou_office")
    foreign = _upload(office, _submit_task(as_user, first), "a.pdf", PDF).json["id"]
    assert _upload(as_user("runzhou_office"), _submit_task(as_user, second), "b.pdf",
                   PDF).status_code == 404
    assert _upload(as_user("city_review"), _submit_task(as_user, second), "b.pdf",
                   PDF).status_code == 403
    task_id = _submit_task(as_user, second)
    response = office.post(f"/api/v1/tasks/{task_id}/complete",
                           json={"data": {**SUBMIT, "survey_ledger": [foreign]}})
    assert response.status_code == 422
    assert "不属于本项目" in response.json["errors"]["survey_ledger"][0]
    assert office.task_for(second, "submit_plan")["status"] == "open"


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_file_name_with_control_characters_is_cleaned_not_refused(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    response = _upload(office, _submit_task(as_user, project_id), "台账\x07\x00.pdf", PDF)
    assert response.status_code == 201, response.json
    assert response.json["filename"] == "台账__.pdf"
    refused = _upload(office, _submit_task(as_user, project_id), "台账.pdf", PDF,
                      field="survey\x00ledger")
    assert refused.status_code == 422 and "field" in refused.json["errors"]["form"]


def test_a_stored_file_missing_or_altered_is_reported_not_a_server_error(as_user, app,
                                                                        client, web_login):
    from service.services.records.attachments import file_path
    from service.models import Attachment
    from service.extensions import db
    project_id = start(as_user)
    office = as_user("jingkou_office")
    first = _upload(office, _submit_task(as_user, project_id), "台账.pdf", PDF).json["id"]
    second = _upload(office, _submit_task(as_user, project_id), "照片.png", PNG).json["id"]
    with app.app_context():
        file_path(db.session.get(Attachment, first)).unlink()
        file_path(db.session.get(Attachment, second)).write_bytes(PNG + b"changed")
    missing = office.get(f"/api/v1/attachments/{first}")
    assert missing.status_code == 410
    assert missing.json["errors"] == {"attachment": [f"{first} (台账.pdf): missing"]}
    archive = office.get(f"/api/v1/projects/{project_id}/archive")
    assert archive.status_code == 410 and "missing" in archive.json["errors"]["attachment"][0]
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]
    assert "export" not in [e["action"] for e in history]  # nothing handed out, nothing logged
    web_login("jingkou_office")
    page = client.get(f"/desk/attachments/{first}")
    assert page.status_code == 410 and "请联系系统管理员从备份恢复" in page.text
    with app.app_context():
        file_path(db.session.get(Attachment, first)).write_bytes(PDF)
    altered = office.get(f"/api/v1/projects/{project_id}/archive")
    assert altered.status_code == 410
    assert altered.json["errors"] == {"attachment": [f"{second} (照片.png): altered"]}
