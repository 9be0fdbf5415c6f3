"""Three sweeper processes on one PostgreSQL database send each of 1,000 reminders once."""
import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, insert, select

from service.extensions import db
from service.models import AuditEvent, Escalation, Notification, Task, User

from helpers_deadlines import start

URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not URL.startswith("postgres"),
    reason="needs PostgreSQL (TEST_DATABASE_URL): SQLite has no row locks, and concurrent "
           "writers there are serialised by the file lock, so the race this test checks cannot "
           "happen")


def _due_tasks(project_id, user_id, count, now):
    return [dict(project_id=project_id, spiff_id=f"bulk-{i}", step="submit_plan",
                 name="项目申报 Submit project plan", role="district_office", district="jingkou",
                 status="open", claimed_by_id=user_id, created_at=now - dt.timedelta(days=20),
                 time_limit_days=10, yellow_days=2, level2_days=5,
                 due_date=(now + dt.timedelta(days=1)).date(), due_at=now + dt.timedelta(days=1),
                 yellow_at=now - dt.timedelta(minutes=1 + i % 50),
                 red_at=now + dt.timedelta(days=2), level2_at=now + dt.timedelta(days=9),
                 next_alert_at=now - dt.timedelta(minutes=1 + i % 50)) for i in range(count)]


def test_three_processes_send_each_reminder_once(app, as_user, clock):
    project = start(as_user)
    with app.app_context():
        office = db.session.scalar(select(User).where(User.username == "jingkou_office"))
        now = clock.now_naive()
        db.session.execute(insert(Task), _due_tasks(project["id"], office.id, 1000, now))
        db.session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMTP")}
    env.update(DATABASE_URL=URL, SCHEDULER_ENABLED="0", FLASK_APP="service")
    moment = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")
    processes = [subprocess.Popen([sys.executable, "-m", "flask", "escalations", "sweep",
                                   "--at", moment, "--batch", "25"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    fired = [int(out.split()[0].split("=")[1]) for out, _ in outputs]
    assert sum(fired) == 1000, fired
    with app.app_context():
        assert db.session.scalar(select(func.count(Escalation.id))) == 1000
        assert db.session.scalar(select(func.count(func.distinct(Escalation.task_id)))) == 1000
        notices = db.session.scalar(select(func.count(Notification.id))
                                    .where(Notification.kind == "yellow"))
        distinct = db.session.scalar(select(func.count(func.distinct(Notification.task_id)))
                                     .where(Notification.kind == "yellow"))
        assert notices == distinct == 1000
        audits = db.session.scalar(select(func.count(AuditEvent.id))
                                   .where(AuditEvent.action == "escalation"))
        assert audits == 1000
        assert db.session.scalar(select(func.count(Task.id)).where(
            Task.next_alert_at <= clock.now_naive())) == 0
    print("fired per process:", fired)
