"""Valid form data for each step and a driver that takes a project through the process."""
from housing_helpers import reserve_housing

DEPARTMENTS = ["housing", "natural_resources", "finance", "audit", "development_reform"]

PLAN = {"name": "西津渡棚户区改造", "area_m2": 12500.5, "households": 120,
        "building_area_m2": 9800, "in_kind_households": 70, "monetary_households": 50,
        "plan_year": 2026, "property_rights": "产权清晰", "housing_quality": "poor",
        "willingness_rate": 96.5, "survey_summary": "入户调查完成，台账已建立"}
APPROVE_REVIEW = {"necessity_ok": True, "urgency_ok": True, "feasibility_ok": True,
                  "decision": "approve", "opinion": "", "departments": DEPARTMENTS}
COMPENSATION = {"compensation_budget": "86000000.00", "in_kind_households": 70,
                "monetary_households": 50,
                "comment_start": "2026-12-01", "comment_end": "2026-12-30",
                "hearing_held": False}
DISTRICT_APPROVAL = {"decision": "approve", "approval_doc_no": "京政复〔2026〕18号"}
CITY_CONSENT = {"decision": "approve"}
FUNDS_OK = {"funds_required": "86000000.00", "funds_deposited": "86000000.00",
            "special_account": "3201 0000 8888 0001"}
SIGN = {"decision": "approve", "opinion": "同意"}
HANDOVER = {"agreements_signed": 120, "households_handed_over": 118,
            "allocation_date": "2027-06-30", "archive_handed_over": True}

# (step, username, data) for the straight path of a 京口区 project.
STRAIGHT = [
    ("submit_plan", "jingkou_office", PLAN),
    ("city_review", "city_review", APPROVE_REVIEW),
    ("file_compensation_plan", "jingkou_office", COMPENSATION),
    ("approve_compensation_plan", "jingkou_gov", DISTRICT_APPROVAL),
    ("consent_compensation_plan", "city_review", CITY_CONSENT),
    ("check_funds", "jingkou_finance", FUNDS_OK),
]


def start(as_user, name="西津渡棚户区改造", office="jingkou_office"):
    response = as_user(office).post("/api/v1/projects", json={"name": name})
    assert response.status_code == 201, response.json
    return response.json["id"]


def sign_off_all(as_user, project_id, departments=DEPARTMENTS, objections=None):
    """Every department signs; those in `objections` (dept -> opinion) object."""
    objections = objections or {}
    for department in departments:
        data = {"decision": "object", "opinion": objections[department]} \
            if department in objections else SIGN
        as_user(f"dept_{department}").complete(project_id, "joint_signoff", data)


def run_straight(as_user, project_id, until=None, start_at="submit_plan"):
    """Complete the straight-path steps in order from `start_at`, stopping before `until`."""
    steps = [s for s, _, _ in STRAIGHT]
    for step, username, data in STRAIGHT[steps.index(start_at):]:
        if step == until:
            return
        if step == "file_compensation_plan":
            reserve_housing(as_user, project_id, data["in_kind_households"], username)
        as_user(username).complete(project_id, step, data)


def project(as_user, project_id, username="city_supervisor"):
    response = as_user(username).get(f"/api/v1/projects/{project_id}")
    assert response.status_code == 200, response.json
    return response.json


def open_steps(as_user, project_id):
    return sorted(t["step"] for t in project(as_user, project_id)["current_steps"])
