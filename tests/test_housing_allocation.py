"""Reservations racing for the same unit; a reserved unit allocated to a household through its
own process; the pool's figures follow."""
import threading

from flow import start
from test_housing_pool import add_units
from test_households import complete, household_tasks, households, ready_project, row


def test_two_projects_racing_for_the_same_units_one_wins_each(as_user):
    office, city = as_user("jingkou_office"), as_user("city_review")
    first, second = start(as_user, "一号地块"), start(as_user, "二号地块")
    units = add_units(office, 5, stock=True)
    for unit in units:
        barrier, answers = threading.Barrier(2), [None, None]

        def reserve(i, caller, project):
            barrier.wait()
            answers[i] = caller.post(f"/api/v1/projects/{project}/housing-reservations",
                                     json={"unit_ids": [unit]})
        threads = [threading.Thread(target=reserve, args=(0, office, first)),
                   threading.Thread(target=reserve, args=(1, city, second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(a.status_code for a in answers) == [200, 409], [a.json for a in answers]
        loser = next(a for a in answers if a.status_code == 409)
        assert f"{unit} (金山花园" in loser.json["message"]
        winner = 0 if answers[0].status_code == 200 else 1
        held = office.get(f"/api/v1/housing-units/{unit}").json
        assert held["reserved_project_id"] == (first, second)[winner]
        assert held["times_offered"] == 1
    reserved = [office.get(f"/api/v1/projects/{p}/housing-reservations").json["units_reserved"]
                for p in (first, second)]
    assert sum(reserved) == 5


def test_a_reserved_unit_allocated_to_a_household_leaves_the_pool(as_user):
    project_id = ready_project(as_user, [row(1), row(2)])
    office = as_user("jingkou_office")
    first, second = households(office, project_id)
    ids = office.get("/api/v1/housing-units", query_string={"project_id": project_id,
                                                             "page_size": 100}).json
    unit = ids[0]["id"]
    for household in (first, second):
        complete(office, household_tasks(office, household["id"])["sign_agreement"]["id"],
                 {"agreement_type": "exchange", "signed_on": "2026-11-24"})
        complete(office, household_tasks(office, household["id"])["hand_over"]["id"],
                 {"handed_over_on": "2026-11-25"})
        complete(office, household_tasks(office, household["id"])["transition"]["id"],
                 {"transition_allowance": "1500.00", "promised_on": "2027-06-30"})
    done = complete(office, household_tasks(office, first["id"])["allocate_unit"]["id"],
                    {"unit_id": unit, "allocated_on": "2026-12-01"})
    assert done["next_steps"][0]["step"] == "move_in"
    shown = office.get(f"/api/v1/housing-units/{unit}").json
    assert (shown["status"], shown["household_id"], shown["reserved_project_id"]) == (
        "allocated", first["id"], project_id)
    # The same unit for the other household: refused, that household's step stays open.
    taken = complete(office, household_tasks(office, second["id"])["allocate_unit"]["id"],
                     {"unit_id": unit, "allocated_on": "2026-12-01"}, expect=409)
    assert "already allocated" in taken["message"]
    assert "allocate_unit" in household_tasks(office, second["id"])
    summary = as_user("city_review").get("/api/v1/housing-units/summary",
                                         query_string={"by": "district"}).json
    (jingkou,) = [s for s in summary if s["district"] == "jingkou"]
    assert jingkou["allocated"] == 1 and jingkou["reserved"] == len(ids) - 1
    # The project's reservation still counts the allocated unit (its housing is in place).
    assert office.get(f"/api/v1/projects/{project_id}/housing-reservations").json[
        "units_reserved"] == len(ids)
