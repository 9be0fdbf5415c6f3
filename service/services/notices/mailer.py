"""Delivering the e-mail outbox over SMTP; a failed send waits and is retried, never lost."""
import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select

from ...database import LOCK_ON_WRITE, transaction_mode
from ...extensions import db
from ...models import OutboxEmail
from ..runtime import runtime

BATCH = 50
MAX_BACKOFF_MINUTES = 60
SMTP_TIMEOUT = 10


def backoff(attempts):
    """Minutes to wait after `attempts` failed sends: 1, 2, 4 … up to an hour."""
    return min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES)


def _message(row, sender):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, row.to_addr, row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{row.id}")
    message.set_content(row.body, charset="utf-8")
    return message


def _connect(config):
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT)
    if config.get("SMTP_TLS"):
        smtp.starttls()
    if config.get("SMTP_USER"):
        smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
    return smtp


def deliver_outbox(now=None, batch=BATCH):
    """Send pending e-mails that are due; returns (sent, failed). Off when SMTP_HOST is unset."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return 0, 0
    # On SQLite, the write lock is taken when the results are written, not for as long as the
    # SMTP server takes: officials' completions do not wait on it.
    with transaction_mode(LOCK_ON_WRITE):
        return _deliver(config, now, batch)


def _deliver(config, now, batch):
    now = now or runtime().clock.now_naive()
    rows = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.status == "pending",
                                  OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.id).limit(batch).with_for_update(skip_locked=True)).all()
    if not rows:
        db.session.rollback()
        return 0, 0
    sent = failed = 0
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            _failed(row, now, exc)
        db.session.commit()
        return 0, len(rows)
    try:
        for row in rows:
            try:
                smtp.send_message(_message(row, config["SMTP_SENDER"]))
            # ValueError: an address the e-mail package will not put in a header (a line
            # break). That row fails on its own; before, it stopped the batch at every run.
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                _failed(row, now, exc)
                failed += 1
            else:
                row.status, row.sent_at, row.attempts = "sent", now, row.attempts + 1
                sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        db.session.commit()
    return sent, failed


def _failed(row, now, exc):
    row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    row.next_attempt_at = now + dt.timedelta(minutes=backoff(row.attempts))
