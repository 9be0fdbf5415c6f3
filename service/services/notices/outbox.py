"""The e-mail outbox as administrators see it: mails that keep failing, retry now, give up."""
from sqlalchemy import func, select

from ...extensions import db
from ...models import OutboxEmail
from ...roles import SYSTEM_ADMIN_ROLES
from ..records.audit import record
from ..errors import Conflict, Forbidden, NotFound
from ..paging import page_of
from ..runtime import runtime

#: what each list shows: failing = still waiting after at least one failed attempt
SCOPES = {
    "failing": (OutboxEmail.status == "pending") & (OutboxEmail.attempts > 0),
    "pending": OutboxEmail.status == "pending",
    "sent": OutboxEmail.status == "sent",
    "abandoned": OutboxEmail.status == "abandoned",
}


def _require_admin(actor):
    if actor is None or actor.role not in SYSTEM_ADMIN_ROLES:
        raise Forbidden("only an administrator can see and act on the e-mail outbox")


def list_mails(actor, scope="failing", page=1, per_page=50, cursor=None):
    """A page of outbox mails in a scope (failing, pending, sent, abandoned), newest first."""
    _require_admin(actor)
    return page_of(select(OutboxEmail).where(SCOPES[scope]),
                   (OutboxEmail.id.desc(),), page, per_page, cursor)


def counts(actor):
    """How many mails each scope holds."""
    _require_admin(actor)
    found = db.session.execute(select(*[func.count().filter(condition)
                                        for condition in SCOPES.values()])
                               .select_from(OutboxEmail)).one()
    return dict(zip(SCOPES, found))


def _pending(mail_id):
    mail = db.session.get(OutboxEmail, mail_id, with_for_update=True)
    if mail is None:
        raise NotFound("no such mail in the outbox")
    if mail.status != "pending":
        raise Conflict("this mail is no longer waiting to be sent")
    return mail


def retry(actor, mail_id):
    """Send a waiting mail at the next outbox run instead of after its back-off (audited)."""
    _require_admin(actor)
    mail = _pending(mail_id)
    mail.next_attempt_at = runtime().clock.now_naive()
    record("outbox_retry", actor, mail_id=mail.id, to=mail.to_addr, attempts=mail.attempts)
    db.session.commit()
    return mail


def abandon(actor, mail_id, reason):
    """Stop trying to send a mail (e.g. a dead address); the notice stays in the inbox."""
    _require_admin(actor)
    mail = _pending(mail_id)
    mail.status = "abandoned"
    record("outbox_abandon", actor, mail_id=mail.id, to=mail.to_addr, attempts=mail.attempts,
           last_error=mail.last_error, reason=reason)
    db.session.commit()
    return mail
