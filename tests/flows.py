"""Helpers for tests of process definitions: walking the statutory process, deploying."""
import json
from io import BytesIO
from pathlib import Path

from housing_helpers import reserve_housing

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
STATUTORY = (ROOT / "workflows" / "statutory_approval.bpmn").read_text(encoding="utf-8")

# (who completes it, form data) for each step of the statutory process, on the approve path.
STEP_DATA = {
    "submit_plan": ("jingkou_office", {
        "name": "西津渡棚改", "households": 10, "in_kind_households": 6,
        "monetary_households": 4, "survey_summary": "调查摸底完成"}),
    "city_review": ("city_review", {
        "necessity_ok": True, "urgency_ok": True, "feasibility_ok": True,
        "departments": ["housing", "finance"], "decision": "approve"}),
    "file_compensation_plan": ("jingkou_office", {
        "compensation_budget": 100000000, "in_kind_households": 6, "monetary_households": 4,
        "comment_start": "2026-10-01",
        "comment_end": "2026-10-31"}),
    "approve_compensation_plan": ("jingkou_gov", {"decision": "approve",
                                                  "approval_doc_no": "京政复〔2026〕1号"}),
    "consent_compensation_plan": ("city_review", {"decision": "approve"}),
    "check_funds": ("city_finance", {"funds_required": 100000000, "funds_deposited": 100000000,
                                     "special_account": "6222 0001"}),
    "handover": ("jingkou_office", {"agreements_signed": 10, "households_handed_over": 10,
                                    "allocation_date": "2026-12-01",
                                    "archive_handed_over": True}),
}
SIGNOFF = {"housing": "dept_housing", "finance": "dept_finance"}


def complete_step(as_user, project_id, step, data=None):
    """Complete the one open task of `step` as the official who does it."""
    username, default = STEP_DATA[step]
    if step == "file_compensation_plan":
        reserve_housing(as_user, project_id, (data or default).get("in_kind_households", 0),
                        username)
    return as_user(username).complete(project_id, step, data or default)


def sign_off(as_user, project_id, step="joint_signoff"):
    """Every department approves the joint sign-off."""
    for username in SIGNOFF.values():
        as_user(username).complete(project_id, step, {"decision": "approve"})


def project(as_user, project_id):
    response = as_user("jingkou_office").get(f"/api/v1/projects/{project_id}")
    assert response.status_code == 200, response.json
    return response.json


def upload(caller, xml, forms=None, note="", **query):
    """POST a diagram (multipart `file`, forms as a JSON file part)."""
    data = {"file": (BytesIO(xml.encode("utf-8")), "process.bpmn"), "note": note}
    if forms is not None:
        data["forms"] = (BytesIO(json.dumps(forms, ensure_ascii=False).encode("utf-8")),
                         "forms.json")
    return caller.post("/api/v1/process-definitions", data=data,
                       content_type="multipart/form-data", query_string=query)


def definitions(caller, key="statutory_approval"):
    response = caller.get("/api/v1/process-definitions", query_string={"key": key})
    assert response.status_code == 200, response.json
    return response.json
