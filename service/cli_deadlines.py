"""`flask calendar …`, `flask escalations preview|sweep`, `flask scheduler run|tick`,
`flask reports monthly`."""
import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from .clock import SHANGHAI, FrozenClock
from .services.deadlines import calendar, sweep
from .services.errors import ServiceError
from .services.runtime import runtime

calendar_group = AppGroup("calendar", help="Working-day calendar corrections.")
escalations_group = AppGroup("escalations", help="Deadline reminders and escalations.")
scheduler_group = AppGroup("scheduler", help="The background jobs.")
reports_group = AppGroup("reports", help="Monthly progress reports.")


def _fail(exc):
    problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in (exc.errors or {}).items())
    raise click.ClickException(exc.message + (f" ({problems})" if problems else ""))


@calendar_group.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--workday/--holiday", "is_workday", required=True,
              help="the date is a working day (e.g. a make-up Saturday) or a day off")
@click.option("--note", default="", help="why, e.g. the State Council notice")
def calendar_set(day, is_workday, note):
    """Correct DAY (YYYY-MM-DD); due dates of open tasks are recomputed."""
    try:
        row = calendar.set_day(day.date(), is_workday, note)
    except ServiceError as exc:
        _fail(exc)
    kind = "working day" if row.is_workday else "day off"
    click.echo(f"{row.date}: {kind}; {row.changed_tasks} open task(s) got a new due date")


@calendar_group.command("list")
def calendar_list():
    """List the corrections."""
    for row in calendar.list_days():
        kind = "workday" if row.is_workday else "holiday"
        who = row.by.username if row.by else "cli"
        click.echo(f"{row.date}  {kind:8} {who:12} {row.note}")


@calendar_group.command("clear")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
def calendar_clear(day):
    """Remove the correction of DAY; due dates of open tasks are recomputed."""
    try:
        changed = calendar.clear_day(day.date())
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"{day.date()}: correction removed; {changed} open task(s) got a new due date")


def _moment(value):
    return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value


@escalations_group.command("preview")
@click.option("--at", "at", required=True, type=click.DateTime(
    formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
    help="moment in Asia/Shanghai time, e.g. 2026-12-31T09:00")
@click.option("--district", default=None)
def preview(at, district):
    """What will be yellow, red and level 2 at a moment; changes nothing."""
    result = sweep.forecast(_moment(at), district)
    counts = result["counts"]
    click.echo(f"at {_moment(at):%Y-%m-%d %H:%M} Asia/Shanghai: {counts['yellow']} yellow, "
               f"{counts['red']} red, {counts['level2']} level 2")
    for item in result["items"]:
        due = item["due_at"].replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI) \
            if item["due_at"] else None
        new = "new" if item["fires_new"] else "   "
        click.echo(f"  {item['level']:7} {new} {item['district']:10} {item['office']:18} "
                   f"{item['step']:26} due {due:%Y-%m-%d}  #{item['project_id']} "
                   f"{item['project_name']}")


@escalations_group.command("sweep")
@click.option("--at", "at", default=None, type=click.DateTime(
    formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    help="run as if it were this moment (Asia/Shanghai); default now")
@click.option("--batch", default=sweep.BATCH, show_default=True)
def run_sweep(at, batch):
    """Run one reminder/escalation sweep now."""
    if at is not None:
        runtime().clock = FrozenClock(_moment(at))
    fired = sweep.sweep(batch=batch)
    click.echo(" ".join(f"{name}={count}" for name, count in fired.items()))


@escalations_group.command("backfill")
def backfill():
    """Give open tasks opened before this feature their yellow/red/level-2 thresholds."""
    from .services.deadlines.deadlines import backfill_thresholds
    click.echo(f"{backfill_thresholds()} open task(s) got deadline thresholds")


@scheduler_group.command("run")
def scheduler_run():
    """Run the scheduler in the foreground (for deployments with several web processes)."""
    from .scheduler import build
    click.echo("scheduler running: sweep, timers, outbox every minute; monthly reports hourly")
    build(current_app._get_current_object(), blocking=True).start()


@scheduler_group.command("tick")
def scheduler_tick():
    """Run every job once and exit."""
    from .scheduler import tick
    for name, result in tick(current_app._get_current_object()).items():
        click.echo(f"{name}: {result}")


@reports_group.command("monthly")
def reports_monthly():
    """Run the monthly jobs due today (reminder from the 20th, report from the 25th)."""
    from .services.deadlines.reports import run_monthly
    click.echo(", ".join(run_monthly()) or "nothing due")


def register(app):
    """Attach the command groups."""
    for group in (calendar_group, escalations_group, scheduler_group, reports_group):
        app.cli.add_command(group)
