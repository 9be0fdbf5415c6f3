"""In a real browser: a notice leads to its task, each role lands on its page, the overview's
figures drill down, search finds a project, the record keeps an objection, and the modeler
shows policy staff only what they set, in Chinese."""
from flow import PLAN, run_straight, sign_off_all, start

OBJECTION = "审计意见：补偿预算需复核。"


def test_notice_leads_to_its_task(browser_session, as_user):
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    page = browser_session("city_review")
    badge = page.locator('[data-badge="inbox"] .badge')
    assert badge.inner_text() == "1"
    assert page.locator('[data-badge="queue"] .badge').inner_text() == "1"
    page.click('[data-badge="inbox"]')
    page.click("text=去办理")
    page.wait_for_url("**/desk/tasks/*")
    assert page.locator("h1").inner_text() == "市级审核"
    assert "西津渡棚户区改造" in page.locator(".crumbs").inner_text()


def test_each_role_lands_on_its_page(browser_session):
    landings = {"jingkou_office": "/desk/queue", "city_supervisor": "/supervision/",
                "leading_group_office": "/supervision/", "policy": "/desk/processes",
                "admin": "/admin/users", "security_admin": "/admin/security",
                "audit_admin": "/admin/audit"}
    for username, path in landings.items():
        page = browser_session(username)
        assert page.url.split("127.0.0.1")[1].split(":", 1)[1].split("/", 1)[1].startswith(
            path.lstrip("/")), (username, page.url)


def test_overview_drill_down_and_search(browser_session, as_user):
    first = start(as_user, name="西津渡棚户区改造")
    run_straight(as_user, first)
    start(as_user, name="南山片区征收")
    page = browser_session("city_review")
    page.click("nav.mainnav >> text=项目总览")
    row = page.locator('#by-stage tr[data-district="jingkou"]')
    row.locator('a[data-step="joint_signoff"]').click()
    page.wait_for_url("**/desk/projects?*")
    rows = page.locator("tr[data-project]")
    assert rows.count() == 1 and "西津渡棚户区改造" in rows.first.inner_text()
    page.goto("/desk/projects")
    page.fill('input[name="q"]', "南山")
    page.click("form.filters button[type=submit]")
    assert page.locator("tr[data-project]").count() == 1
    assert "南山片区征收" in page.locator("tr[data-project]").first.inner_text()


def test_record_by_step_keeps_the_objection(browser_session, as_user):
    pid = start(as_user)
    run_straight(as_user, pid)
    sign_off_all(as_user, pid, objections={"audit": OBJECTION})
    page = browser_session("jingkou_office")
    page.goto(f"/desk/projects/{pid}")
    objection = page.locator('[data-step="joint_signoff"] .record-entry.objection')
    assert objection.count() == 1 and OBJECTION in objection.inner_text()
    assert "审计局" in objection.inner_text()
    color = objection.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert color == "rgb(198, 40, 40)"  # highlighted in red
    task = as_user("jingkou_office").task_for(pid, "revise_after_signoff")
    page.goto(f"/desk/tasks/{task['id']}")
    assert OBJECTION in page.locator("#objections").inner_text()


def test_modeler_shows_policy_staff_only_what_they_set(browser_session, as_user):
    [version] = as_user("policy").get("/api/v1/process-definitions",
                                      query_string={"key": "statutory_approval"}).json
    page = browser_session("policy")
    page.goto(f"/desk/processes/{version['id']}/edit")
    page.click('.djs-element[data-element-id="submit_plan"]')
    groups = page.locator("[data-group-id]")
    page.wait_for_selector('[data-group-id="group-approval"]')
    ids = sorted(groups.evaluate_all("els => els.map(e => e.dataset.groupId)"))
    assert ids == ["group-approval", "group-general"]
    page.click('[data-group-id="group-general"] .bio-properties-panel-group-header')
    panel = page.locator("#properties").inner_text()
    assert "名称" in panel and "常规" in panel and "人工环节" in panel
    for hidden in ("Listeners", "Asynchronous", "Input", "Output", "监听"):
        assert hidden not in panel
    options = page.locator("#bio-properties-panel-approval-role option").all_inner_texts()
    assert "区征收办" in options and not any("district_office" in o for o in options)
