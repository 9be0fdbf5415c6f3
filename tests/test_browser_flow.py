"""A real browser takes one project from submission to handover, office by office."""
import io
import zipfile

from housing_helpers import reserve_housing
from deskflow import PDF

PROJECT = "大西路棚户区改造"


def open_task(page, step_title):
    """From the queue: claim the project's task from the list, then open it."""
    page.goto("/desk/queue")
    row = page.locator("tr", has_text=PROJECT).filter(has_text=step_title)
    row.get_by_role("button", name="签收").click()
    page.locator(".flash", has_text="已签收").wait_for()
    page.get_by_role("link", name="我已签收").click()
    page.locator("tr", has_text=PROJECT).get_by_role("link", name=step_title).click()
    page.get_by_role("heading", level=1, name=step_title).wait_for()


def complete(page, expect_next):
    page.get_by_role("button", name="提交办结").click()
    page.wait_for_url("**/done")
    assert expect_next in page.locator(".outcome").inner_text()


def fill(page, values):
    for name, value in values.items():
        page.fill(f"#f-{name}", value)


def test_project_from_submission_to_handover(browser_session, tmp_path, as_user):
    # 1. The district office starts the project and submits it (validation error, upload).
    office = browser_session("jingkou_office")
    office.get_by_role("link", name="新建项目").click()
    office.fill("#f-name", PROJECT)
    office.get_by_role("button", name="发起").click()
    office.get_by_role("heading", level=1, name="项目申报").wait_for()
    fill(office, {"area_m2": "15000", "households": "121", "building_area_m2": "9800",
                  "in_kind_households": "80", "monetary_households": "40", "plan_year": "2026",
                  "willingness_rate": "95", "survey_summary": "入户调查摸底已完成"})
    office.check("input[name=housing_quality][value=poor]")
    office.get_by_role("button", name="提交办结").click()
    error = office.locator("[data-field=in_kind_households] .field-error")
    assert error.is_visible() and error.inner_text()
    assert office.input_value("#f-households") == "121"  # what was typed is kept
    office.fill("#f-households", "120")
    ledger = tmp_path / "调查摸底台账.pdf"
    ledger.write_bytes(PDF)
    office.set_input_files("input[name=upload_survey_ledger]", str(ledger))
    office.locator("[data-field=survey_ledger]").get_by_role("button", name="上传").click()
    office.locator(".flash", has_text="文件已上传").wait_for()
    assert office.is_checked("[data-field=survey_ledger] input[type=checkbox]")
    assert office.input_value("#f-households") == "120"  # kept as a draft across the upload
    complete(office, "市级审核")

    # 2. The city office returns it with a reason: one way back, the decision 退回修改.
    city = browser_session("city_review")
    open_task(city, "市级审核")
    assert city.locator(".return-box").count() == 0
    city.check("#f-decision input[value=return]")
    city.get_by_role("button", name="提交办结").click()
    assert "必须填写审核意见" in city.locator("form.taskform").inner_text()
    city.check("#f-decision input[value=return]")
    city.fill("#f-opinion", "建筑面积与台账不一致，请核实")
    complete(city, "项目申报")

    # 3. The office sees the reason, corrects and resubmits (its earlier values come back).
    open_task(office, "项目申报")
    assert "建筑面积与台账不一致" in office.locator("#previous-step").inner_text()
    assert office.input_value("#f-households") == "120"
    office.fill("#f-building_area_m2", "9650")
    complete(office, "市级审核")

    # 4. The city office approves, with one joint-review department.
    open_task(city, "市级审核")
    for name in ("necessity_ok", "urgency_ok", "feasibility_ok"):
        city.check(f"#f-{name}")
    for box in city.locator("input[name=departments]").all():
        box.uncheck()
    city.check("input[name=departments][value=housing]")
    city.check("input[name=decision][value=approve]")
    city.fill("#f-opinion", "同意立项")
    complete(city, "补偿安置方案报备")

    # 5. The office files the compensation plan.
    # Its housing is in place first: 80 units reserved in the pool (units_reserved is counted
    # from the ledger and shown on the page, not typed).
    (listed,) = as_user("jingkou_office").get("/api/v1/projects").json
    reserve_housing(as_user, listed["id"], 80)
    open_task(office, "补偿安置方案报备")
    assert "80" in office.locator("section.facts").inner_text()
    fill(office, {"compensation_budget": "52000000.00", "comment_start": "2026-12-01",
                  "comment_end": "2027-01-08"})
    complete(office, "区政府批复")

    # 6. The district government approves.
    government = browser_session("jingkou_gov")
    open_task(government, "区政府批复")
    government.check("input[name=decision][value=approve]")
    government.fill("#f-approval_doc_no", "京政复〔2026〕8号")
    complete(government, "市征收办报备同意")

    # 7. The city office consents to the filing.
    open_task(city, "市征收办报备同意")
    city.check("input[name=decision][value=approve]")
    complete(city, "前置资金核查")

    # 8. Finance checks the pre-deposited funds.
    finance = browser_session("jingkou_finance")
    open_task(finance, "前置资金核查")
    assert finance.input_value("#f-funds_required") == "52,000,000.00"
    fill(finance, {"funds_required": "52000000", "funds_deposited": "52000000",
                   "special_account": "3210-0188-0001"})
    complete(finance, "联审会签")

    # 9. The joint-review department signs off.
    housing = browser_session("dept_housing")
    open_task(housing, "联审会签")
    housing.check("input[name=decision][value=approve]")
    complete(housing, "签约交房")

    # 10. The office hands over; the process ends.
    open_task(office, "签约交房")
    fill(office, {"agreements_signed": "120", "households_handed_over": "118",
                  "allocation_date": "2027-03-01"})
    office.check("#f-archive_handed_over")
    complete(office, "流程已结束")

    # 11. The project page: diagram with marks, timeline, attachment download, archive export.
    office.goto("/desk/projects")
    office.get_by_role("link", name=PROJECT).click()
    office.locator("#diagram[data-rendered=true]").wait_for()
    assert office.locator(".djs-element.done").count() >= 8
    assert office.locator(".djs-connection.returned").count() >= 1
    assert "已办结" in office.locator(".meta").inner_text()
    assert "建筑面积与台账不一致" in office.locator("#timeline").inner_text()
    with office.expect_download() as download:
        office.locator("#attachments a", has_text="调查摸底台账.pdf").click()
    assert open(download.value.path(), "rb").read() == PDF
    with office.expect_download() as download:
        office.click("#archive-export")
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    names = archive.namelist()
    assert "project.json" in names and "timeline.csv" in names
    assert any(n.endswith("调查摸底台账.pdf") for n in names)
    assert any(n.startswith("process/") and n.endswith(".bpmn") for n in names)
    assert "forms/submit_plan.json" in names

    # 12. English on the switch.
    office.get_by_role("link", name="English").click()
    office.get_by_role("heading", name="Timeline").wait_for()
