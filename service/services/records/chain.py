"""The audit trail's hash chain: appending in the committing transaction, and verifying it.

Audit rows are buffered on the session (`buffer`) and appended just before the transaction
commits: the chain head's row lock is then taken last and held only for the commit, so it
never stands between two transactions' other locks (no deadlock) and parallel commits cannot
fork the chain. The buffer follows savepoints: rows recorded inside one that rolls back are
dropped with it, and rows are appended only when the outermost transaction commits.
"""
import datetime as dt
import hashlib
import json

from sqlalchemy import event as sa_event, insert, select, update
from sqlalchemy.orm import Session

from ...extensions import db
from ...models.audit import AuditChainHead, AuditEvent

_PENDING = "audit_pending"
_MARKS = "audit_savepoint_marks"
HEAD = AuditChainHead.__table__
HASHED = ("seq", "action", "actor_id", "project_id", "task_id", "at", "detail")


def _when(value):
    return value.isoformat(timespec="microseconds") if isinstance(value, dt.datetime) else value


def canonical(row):
    """The bytes a row's hash covers: its chain position and content as sorted JSON. The detail
    goes through one JSON round trip first, so it hashes as it reads back from the database."""
    content = {k: row[k] for k in HASHED}
    content["at"] = _when(content["at"])
    content["detail"] = json.loads(json.dumps(content["detail"] or {}, default=str))
    return json.dumps(content, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def row_hash(row, prev_hash):
    """SHA-256 (hex) over the previous row's hash and this row's canonical content."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(row)).hexdigest()


def buffer(session, rows):
    """Keep audit rows to append when the session's transaction commits."""
    session.info.setdefault(_PENDING, []).extend(rows)


def pending(session):
    """Audit rows recorded in the current transaction and not yet appended."""
    return list(session.info.get(_PENDING, ()))


def append(session, rows):
    """Append rows to the chain now: lock the head, hash each row after the one before, insert
    them and move the head, all in the session's transaction."""
    # Core statements on the session's connection: no ORM work on every commit's path.
    conn = session.connection()
    head = conn.execute(
        update(HEAD).where(HEAD.c.id == 1).values(seq=HEAD.c.seq + len(rows))
        .returning(HEAD.c.seq, HEAD.c.hash)).one()
    seq, prev = head.seq - len(rows), head.hash
    chained = []
    for row in rows:
        seq += 1
        row = {**row, "seq": seq, "prev_hash": prev}
        row["hash"] = prev = row_hash(row, row["prev_hash"])
        chained.append(row)
    conn.execute(insert(AuditEvent.__table__), chained)
    conn.execute(update(HEAD).where(HEAD.c.id == 1).values(hash=prev))


@sa_event.listens_for(Session, "before_commit")
def _append_pending(session):
    if session.get_nested_transaction() is not None:
        # A savepoint released (this fires for those too): its rows wait for the outermost
        # commit, or a later rollback of an enclosing savepoint would take rows recorded
        # before that savepoint with it.
        return
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.flush()  # rows they refer to (projects, tasks) exist first
        append(session, rows)


@sa_event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session, transaction):
    # How many rows were buffered when a savepoint began: if it rolls back, the rows recorded
    # inside it describe work that did not happen, and the buffer is cut back to this length.
    if transaction.nested:
        session.info.setdefault(_MARKS, {})[transaction] = len(session.info.get(_PENDING, ()))


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_savepoint_rows(session, transaction):
    # Fired for every rollback, a savepoint's included (also when its `with` block raises),
    # after the transaction ended: so the marks are kept until the outermost one ends.
    mark = session.info.get(_MARKS, {}).pop(transaction, None)
    if mark is not None and _PENDING in session.info:
        del session.info[_PENDING][mark:]


@sa_event.listens_for(Session, "after_transaction_end")
def _drop_pending(session, transaction):
    # A rolled-back transaction's audit rows go with it (a committed one has none left); a
    # released savepoint's rows stay for its outer transaction.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_MARKS, None)


def head():
    """(seq, hash) of the chain's last row as the head row records it."""
    row = db.session.get(AuditChainHead, 1)
    return (row.seq, row.hash) if row is not None else (0, "")
