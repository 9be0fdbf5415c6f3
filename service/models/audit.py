"""Append-only audit trail: who did what, when, with which data; each row chained to the one
before it by a SHA-256 hash (services/records/chain.py), so a changed or missing row shows."""
import datetime as dt

from sqlalchemy import DDL, JSON, BigInteger, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        # The audit list (records/audit_list.py), newest first by chain position, filtered by
        # action, official or project: each filter's rows in seq order (the unfiltered list
        # reads the unique index on seq). A project's own reads use the project index too.
        Index("ix_audit_action_seq", "action", "seq"),
        Index("ix_audit_actor_seq", "actor_id", "seq"),
        Index("ix_audit_project_seq", "project_id", "seq"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    # Position in the hash chain (1, 2, …: a gap is a deleted row), the previous row's hash and
    # this row's hash over its content and prev_hash.
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    actor = relationship("User")
    task = relationship("Task")


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    raise ValueError("audit events are append-only")


class AuditChainHead(db.Model):
    """The one row (id 1) holding the chain's last position and hash. Every transaction that
    appends audit rows updates it first, so parallel appends queue on its row lock (on SQLite,
    on the database's write lock) instead of forking the chain."""
    __tablename__ = "audit_chain_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")


# The chain starts empty; the head row exists from the moment the table does (create_all in
# tests, and the migration for installations).
event.listen(AuditChainHead.__table__, "after_create",
             DDL("INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '')"))

#: PostgreSQL: the table itself refuses UPDATE, DELETE and TRUNCATE for every database role
#: the service uses, not only the ORM (the migration creates the same trigger).
PG_REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger AS $$
BEGIN
    -- no percent sign: the text also passes through DDL/paramstyle formatting
    RAISE EXCEPTION USING MESSAGE = 'audit_events is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
PG_REFUSE_TRIGGERS = (
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()",
)
for _statement in (PG_REFUSE_FUNCTION, *PG_REFUSE_TRIGGERS):
    event.listen(AuditEvent.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
