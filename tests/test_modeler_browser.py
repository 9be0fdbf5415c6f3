"""In a real browser: change a time limit in the properties panel, deploy, see the new due date;
draft a new form and use it in the modeler."""
import json
import re

import pytest

from flows import ROOT

ASSETS = ROOT / "service" / "static" / "dist" / "modeler.js"


@pytest.fixture(autouse=True)
def built_assets():
    if not ASSETS.exists():
        pytest.fail("browser assets are not built: run `make install` (npm ci && npm run build)")


def test_time_limit_changed_in_properties_panel_gives_new_due_date(browser_session, as_user):
    page = browser_session("policy")
    page.goto("/desk/processes/1/edit")
    page.click('.djs-element[data-element-id="submit_plan"]')
    field = page.locator("#bio-properties-panel-approval-timeLimit")
    if not field.is_visible():
        page.click('[data-group-id="group-approval"] .bio-properties-panel-group-header')
    assert field.input_value() == "10"
    field.fill("3")
    field.press("Tab")
    page.wait_for_timeout(600)  # the panel writes after its input debounce
    page.fill("#note", "项目申报时限改为3个工作日")
    page.click("#deploy")
    page.wait_for_url("**/desk/processes/3")
    assert "项目申报时限改为3个工作日" in page.content()

    project = as_user("jingkou_office").post("/api/v1/projects", json={"name": "新规则项目"}).json
    [task] = project["current_steps"]
    assert (task["step"], task["time_limit_days"], task["due_date"]) == (
        "submit_plan", 3, "2026-11-26")  # Monday 23 Nov + 3 working days

    office = browser_session("jingkou_office")
    office.goto("/desk/queue")
    row = office.locator("tr", has_text="新规则项目")
    assert "2026-11-26" in row.inner_text()


def test_new_form_drafted_in_the_editor_is_chosen_in_the_modeler_and_deployed(
        browser_session, as_user):
    page = browser_session("policy")
    page.goto("/desk/processes/1")
    page.fill("input[name=key]", "hearing_record")
    page.click('form[action$="/forms"] button[type=submit]')
    page.wait_for_url("**/desk/processes/1/forms/hearing_record")
    page.fill("#form-json", json.dumps({"key": "hearing_record", "fields": [],
                                        "title": {"zh": "听证记录", "en": "Hearing record"}}))
    page.click("#add-field")  # the field table writes the JSON
    row = page.locator("#field-table tbody tr").first
    cells = row.locator("td")
    cells.nth(0).locator("input").fill("hearing_date")
    cells.nth(1).locator("select").select_option("date")
    cells.nth(2).locator("input").check()
    cells.nth(5).locator("input").fill("听证日期")
    cells.nth(6).locator("input").fill("Hearing date")
    cells.nth(6).locator("input").press("Tab")
    page.wait_for_selector("#form-preview >> text=/听证日期|Hearing date/")  # live preview
    form = json.loads(page.input_value("#form-json"))
    assert form["fields"] == [{"name": "hearing_date", "type": "date", "required": True,
                               "label": {"zh": "听证日期", "en": "Hearing date"}}]
    page.click("#save-form-draft")
    # The save is a fetch: leaving the page before it answers would lose it (the editor puts
    # the new draft's id in the address once saved).
    # Not wait_for_function("…"): a string predicate is eval'd in the page, which the
    # Content-Security-Policy (no 'unsafe-eval') refuses, as it should.
    page.wait_for_url(re.compile(r"[?&]draft="))

    page.goto("/desk/processes/1/edit")
    page.click('.djs-element[data-element-id="top_up_funds"]')
    page.select_option("#bio-properties-panel-approval-form", "hearing_record")
    page.fill("#note", "补足资金改用听证记录表")
    page.click("#deploy")
    page.wait_for_url("**/desk/processes/3")

    deployed = as_user("policy").get("/api/v1/process-definitions/3").json
    tasks = {t["id"]: t for t in deployed["user_tasks"]}
    assert tasks["top_up_funds"]["form"] == "hearing_record"
    assert deployed["forms"]["hearing_record"]["fields"][0]["name"] == "hearing_date"


def test_draft_saved_in_the_modeler_is_reopened_from_the_server(browser_session, as_user):
    page = browser_session("policy")
    page.goto("/desk/processes/1/edit")
    page.click('.djs-element[data-element-id="submit_plan"]')
    field = page.locator("#bio-properties-panel-approval-timeLimit")
    if not field.is_visible():
        page.click('[data-group-id="group-approval"] .bio-properties-panel-group-header')
    field.fill("4")
    field.press("Tab")
    page.wait_for_timeout(600)  # the panel writes after its input debounce
    page.fill("#draft-title", "申报时限改4天")
    page.fill("#note", "项目申报时限改为4个工作日")
    page.click("#save-draft")
    page.wait_for_selector("#status >> text=服务器")
    assert "draft=" in page.url

    [draft] = as_user("policy").get("/api/v1/process-drafts").json
    assert (draft["title"], draft["saved_by"], draft["based_on_version"]) == (
        "申报时限改4天", "policy", 1)

    page.evaluate("localStorage.clear()")  # a cleared browser: the draft is on the server
    page.goto("/desk/processes/1/edit")
    row = page.locator("#server-drafts tr", has_text="申报时限改4天")
    assert "市征收办政策科" in row.inner_text()  # who saved it
    row.locator("a.open-draft-link").click()
    page.wait_for_selector("#open-draft-banner")
    page.click('.djs-element[data-element-id="submit_plan"]')
    field = page.locator("#bio-properties-panel-approval-timeLimit")
    if not field.is_visible():
        page.click('[data-group-id="group-approval"] .bio-properties-panel-group-header')
    assert field.input_value() == "4"
    assert page.input_value("#note") == "项目申报时限改为4个工作日"

    colleague = browser_session("admin")  # another official, another browser
    colleague.goto("/desk/processes/1")
    assert "申报时限改4天" in colleague.locator("#server-drafts").inner_text()
    # The colleague saves the draft meanwhile: this page's next save is refused, not lost.
    changed = as_user("admin").put(f"/api/v1/process-drafts/{draft['id']}", json={
        "revision": draft["revision"], "title": "申报时限改4天（复核）"})
    assert changed.status_code == 200, changed.json
    page.click("#save-draft")
    page.wait_for_selector("#status >> text=同事")
    kept = as_user("policy").get(f"/api/v1/process-drafts/{draft['id']}").json
    assert (kept["title"], kept["updated_by"]) == ("申报时限改4天（复核）", "admin")
    page.reload()  # reopened: the colleague's version, and a save made on it is taken
    page.wait_for_selector("#open-draft-banner")
    assert page.input_value("#draft-title") == "申报时限改4天（复核）"

    page.click("#deploy")
    page.wait_for_url("**/desk/processes/3")
    assert "项目申报时限改为4个工作日" in page.content()
    assert "申报时限改4天（复核）" not in page.locator("#server-drafts").inner_text()
    kept = as_user("policy").get(f"/api/v1/process-drafts/{draft['id']}").json
    assert kept["deployed_definition_id"] == 3
