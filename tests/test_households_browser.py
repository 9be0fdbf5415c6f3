"""A district office works through its household list in a real browser: filters, a bulk
signing for the selected households with one date, and one household's file."""
from test_households import households, ready_project, row


def test_household_list_filters_and_records_signing_for_the_selected_households(
        browser_session, as_user):
    project_id = ready_project(as_user, [row(1), row(2), row(3), row(4, 楼栋="2")])
    office = browser_session("jingkou_office")
    office.get_by_role("link", name="征收户台账").click()
    office.get_by_role("heading", level=1, name="征收户台账").wait_for()
    office.select_option("select[name=project]", str(project_id))
    office.fill("input[name=building]", "1")
    office.get_by_role("button", name="筛选").click()
    rows = office.locator("tr[data-household]")
    assert rows.count() == 3  # building 2 filtered out
    # personal data is masked in lists, even for the district office
    assert "**********" in rows.first.inner_text()
    office.check("tr[data-household]:has-text('1-101') input[type=checkbox]")
    office.check("tr[data-household]:has-text('1-102') input[type=checkbox]")
    office.select_option("select[name=action]", "sign")
    office.fill("input[name=date]", "2026-11-27")
    office.get_by_role("button", name="为所选户登记").click()
    assert "2" in office.locator("#bulk-result").inner_text()
    listed = {h["number"]: h for h in households(as_user("jingkou_office"), project_id)}
    assert (listed["1-101"]["status"], listed["1-101"]["signed_on"]) == ("signed", "2026-11-27")
    assert listed["1-102"]["status"] == "signed"
    assert listed["1-103"]["status"] == "registered"
    # the list shows the new status; the household's file shows who did the step and when
    assert "已签约" in office.locator("tr[data-household]:has-text('1-101')").inner_text()
    office.get_by_role("link", name="1-101").click()
    office.get_by_role("heading", level=1, name="1-101").wait_for()
    step = office.locator("#household-steps tr[data-step=sign_agreement]")
    assert "京口区征收办" in step.inner_text() and "签约日期: 2026-11-27" in step.inner_text()
    # the district office of the district sees the ID number in full on the household page
    assert "*" not in office.locator("#household-id-number").inner_text()
    city = browser_session("city_review")
    city.goto(f"/desk/households/{listed['1-101']['id']}")
    assert "**********" in city.locator("#household-id-number").inner_text()
