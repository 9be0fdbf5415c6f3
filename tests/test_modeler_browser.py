"""In a real browser: change a time limit in the properties panel, deploy, see the new due date."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from flows import ROOT

playwright_api = pytest.importorskip("playwright.sync_api")
ASSETS = ROOT / "service" / "static" / "dist" / "modeler.js"


def _chromium():
    """A Chromium for Playwright: PLAYWRIGHT_CHROMIUM, the system one, or Playwright's own."""
    given = os.environ.get("PLAYWRIGHT_CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    return {"executable_path": given, "args": ["--no-sandbox"]} if given else {}


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    if not ASSETS.exists():
        pytest.skip("browser assets not built (make assets)")
    with playwright_api.sync_playwright() as p:
        try:
            instance = p.chromium.launch(**_chromium())
        except Exception as exc:  # no browser on this machine
            pytest.skip(f"no Chromium for Playwright: {exc}")
        yield instance
        instance.close()


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/queue")


def test_time_limit_changed_in_properties_panel_gives_new_due_date(live_server, browser,
                                                                   as_user, tmp_path):
    page = browser.new_page()
    page.on("pageerror", lambda exc: print("page error:", exc))
    sign_in(page, live_server, "policy")
    page.goto(f"{live_server}/desk/processes/1/edit")
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
    page.wait_for_url(f"{live_server}/desk/processes/2")
    assert "项目申报时限改为3个工作日" in page.content()

    project = as_user("jingkou_office").post("/api/v1/projects", json={"name": "新规则项目"}).json
    [task] = project["current_steps"]
    assert (task["step"], task["time_limit_days"], task["due_date"]) == (
        "submit_plan", 3, "2026-11-26")  # Monday 23 Nov + 3 working days

    office = browser.new_page()
    sign_in(office, live_server, "jingkou_office")
    row = office.locator("table.grid tr", has_text="新规则项目")
    assert "2026-11-26" in row.inner_text()
    page.screenshot(path=str(Path(tmp_path) / "modeler.png"))


def test_new_form_drafted_in_the_editor_is_chosen_in_the_modeler_and_deployed(
        live_server, browser, as_user):
    import json
    page = browser.new_page()
    sign_in(page, live_server, "policy")
    page.goto(f"{live_server}/desk/processes/1")
    page.fill("input[name=key]", "hearing_record")
    page.click('form[action$="/forms"] button[type=submit]')
    page.wait_for_url(f"{live_server}/desk/processes/1/forms/hearing_record")
    form = {"key": "hearing_record", "title": {"zh": "听证记录", "en": "Hearing record"},
            "fields": [{"name": "hearing_date", "type": "date", "required": True,
                        "label": {"zh": "听证日期", "en": "Hearing date"}}]}
    page.fill("#form-json", json.dumps(form, ensure_ascii=False))
    page.wait_for_selector("#form-preview >> text=/听证日期|Hearing date/")  # live preview
    page.click("#save-form-draft")

    page.goto(f"{live_server}/desk/processes/1/edit")
    page.click('.djs-element[data-element-id="top_up_funds"]')
    page.select_option("#bio-properties-panel-approval-form", "hearing_record")
    page.fill("#note", "补足资金改用听证记录表")
    page.click("#deploy")
    page.wait_for_url(f"{live_server}/desk/processes/2")

    deployed = as_user("policy").get("/api/v1/process-definitions/2").json
    tasks = {t["id"]: t for t in deployed["user_tasks"]}
    assert tasks["top_up_funds"]["form"] == "hearing_record"
    assert deployed["forms"]["hearing_record"]["fields"][0]["name"] == "hearing_date"
