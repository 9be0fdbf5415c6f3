"""The project record reads step by step, every round kept; the revision after a joint sign-off
shows each objection; the approval form (审批表) PDF and the archive say the same in Chinese."""
import csv
import io
import zipfile

from pypdf import PdfReader

from flow import APPROVE_REVIEW, FUNDS_OK, PLAN, run_straight, sign_off_all, start

RETURN_REVIEW = {**APPROVE_REVIEW, "decision": "return", "opinion": "请补充入户调查台账。"}
CITY_OPINION = "项目必要、紧迫、可行，同意。"
FUNDS_OPINION = "资金已足额到位。"
AUDIT_OBJECTION = "补偿预算需复核，请说明测算依据。"


def objected_project(as_user):
    """A project returned once by the city, then through funds to a joint sign-off the audit
    bureau objects to: the district office now holds the revision."""
    pid = start(as_user)
    office = as_user("jingkou_office")
    office.complete(pid, "submit_plan", PLAN)
    as_user("city_review").complete(pid, "city_review", RETURN_REVIEW)
    office.complete(pid, "submit_plan", PLAN)
    as_user("city_review").complete(pid, "city_review", {**APPROVE_REVIEW,
                                                         "opinion": CITY_OPINION})
    run_straight(as_user, pid, until="check_funds", start_at="file_compensation_plan")
    as_user("jingkou_finance").complete(pid, "check_funds", {**FUNDS_OK, "opinion": FUNDS_OPINION})
    sign_off_all(as_user, pid, objections={"audit": AUDIT_OBJECTION})
    return pid


def test_record_by_step_keeps_every_round_and_the_objection(as_user, client, web_login):
    pid = objected_project(as_user)
    web_login("city_review")
    page = client.get(f"/desk/projects/{pid}").text
    record = page[page.index('id="record"'):page.index('id="attachments"')]
    steps = [chunk.split('"')[0] for chunk in record.split('data-step="')[1:]]
    assert steps == ["submit_plan", "city_review", "file_compensation_plan",
                     "approve_compensation_plan", "consent_compensation_plan", "check_funds",
                     "joint_signoff", "revise_after_signoff"]
    review = record[record.index('data-step="city_review"'):
                    record.index('data-step="file_compensation_plan"')]
    # both rounds of the city's review, each with its own opinion; finance's stays with finance
    assert "第 1 轮" in review and "请补充入户调查台账。" in review and CITY_OPINION in review
    assert FUNDS_OPINION not in review
    signoff = record[record.index('data-step="joint_signoff"'):]
    objection = signoff[signoff.index('record-entry objection'):]
    assert "审计局" in objection[:400] and AUDIT_OBJECTION in objection[:600]
    # the timeline names where the objection sent the project
    timeline = page[page.index('id="timeline"'):]
    assert "退回至 根据会签意见修改" in timeline


def test_revision_shows_every_objecting_department(as_user, client, web_login):
    pid = objected_project(as_user)
    task = as_user("jingkou_office").task_for(pid, "revise_after_signoff")
    web_login("jingkou_office")
    page = client.get(f"/desk/tasks/{task['id']}").text
    section = page[page.index('id="objections"'):]
    assert "需答复的异议 (1)" in section and "审计局" in section and AUDIT_OBJECTION in section
    assert "jingkou_office" not in page and "dept_audit" not in page


def test_approval_form_pdf_text(as_user, client, web_login):
    pid = objected_project(as_user)
    web_login("city_review")
    response = client.get(f"/desk/projects/{pid}/approval-form.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    flat = "".join(text.split())
    for expected in ("征收安置项目审批表", "西津渡棚户区改造", "京口区", "项目申报", "市级审核（第2轮）",
                     "市征收办", "办理结论", "退回修改", "请补充入户调查台账。", CITY_OPINION,
                     FUNDS_OPINION, "审计局", AUDIT_OBJECTION, "经办人签字", "单位盖章",
                     f"/desk/projects/{pid}", "校验码"):
        assert "".join(expected.split()) in flat, expected
    assert "city_review" not in text and "submit_plan" not in text
    # someone from another district can neither see the project nor print its form
    web_login("runzhou_office")
    assert client.get(f"/desk/projects/{pid}/approval-form.pdf").status_code == 404


def test_archive_holds_the_form_and_a_readable_timeline(as_user, client, web_login):
    pid = objected_project(as_user)
    web_login("city_review")
    response = client.get(f"/desk/projects/{pid}/archive")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert f"project-{pid}-approval-form.pdf" in archive.namelist()
    rows = list(csv.reader(io.StringIO(archive.read("timeline.csv").decode("utf-8-sig"))))
    assert rows[0] == ["序号", "时间", "事项", "办理人", "环节", "办理结论", "说明"]
    assert not any("{" in cell for row in rows for cell in row)
    returned = [r for r in rows if r[4] == "市级审核" and r[5] == "退回修改"]
    assert returned and "意见：请补充入户调查台账。" in returned[0][6]
    objection = [r for r in rows if r[5] == "有异议"]
    assert objection and AUDIT_OBJECTION in objection[0][6]
