"""Helpers for the deadline tests: moving the clock, running the sweep, reading inboxes."""
import datetime as dt

from service.clock import SHANGHAI

SUBMIT_PLAN = {"name": "西津渡棚改", "households": 120, "in_kind_households": 70,
               "monetary_households": 50, "survey_summary": "调查摸底完成"}


def at(clock, *parts):
    clock.set(dt.datetime(*parts, tzinfo=SHANGHAI))


def sweep(runner):
    """Run one sweep through the CLI; returns {level: count} it printed."""
    result = runner.invoke(args=["escalations", "sweep"])
    assert result.exit_code == 0, result.output
    return dict(part.split("=") for part in result.output.split()) and \
        {k: int(v) for k, v in (p.split("=") for p in result.output.split())}


def inbox(user, kind=None):
    response = user.get("/api/v1/inbox", query_string={"page_size": 100})
    assert response.status_code == 200, response.json
    return [n for n in response.json if kind is None or n["kind"] == kind]


def start(as_user, name="西津渡棚改", office="jingkou_office"):
    response = as_user(office).post("/api/v1/projects", json={"name": name})
    assert response.status_code == 201, response.json
    return response.json
