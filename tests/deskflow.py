"""Form data that takes a project through the statutory approval (used by API, page and browser tests)."""
from flow import start  # noqa: F401  (re-exported for the desk tests)
SUBMIT = {"name": "西津渡棚改", "area_m2": "12000", "households": "120", "building_area_m2": "9000",
          "in_kind_households": "80", "monetary_households": "40", "plan_year": "2026",
          "housing_quality": "poor", "willingness_rate": "92.5",
          "survey_summary": "调查摸底完成，产权清晰"}
CITY_APPROVE = {"necessity_ok": True, "urgency_ok": True, "feasibility_ok": True,
                "departments": ["housing"], "decision": "approve", "opinion": "同意立项"}
FILE_PLAN = {"compensation_budget": "50000000.00", "in_kind_households": "80",
             "monetary_households": "40",
             "comment_start": "2026-12-01", "comment_end": "2027-01-05", "hearing_held": False}
GOV_APPROVE = {"decision": "approve", "approval_doc_no": "京政复〔2026〕1号"}
CONSENT = {"decision": "approve"}
FUNDS = {"funds_required": "50000000.00", "funds_deposited": "50000000.00",
         "special_account": "6222-0001-0002"}
SIGNOFF = {"decision": "approve"}
HANDOVER = {"agreements_signed": "120", "households_handed_over": "120",
            "allocation_date": "2027-03-01", "archive_handed_over": True}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def to_city_review(as_user, name="西津渡棚改"):
    """A project submitted and waiting for the city review; returns its id."""
    project_id = start(as_user, name)
    as_user("jingkou_office").complete(project_id, "submit_plan", {**SUBMIT, "name": name})
    return project_id
