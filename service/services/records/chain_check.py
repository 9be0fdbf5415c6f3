"""Verifying the audit hash chain, and exporting its head so a cut-off tail shows too."""
import json
import logging
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from ...extensions import db
from ...models.audit import AuditEvent
from ..runtime import runtime
from .chain import head, row_hash

log = logging.getLogger("service.audit")

MESSAGES = {
    "missing": "row {seq} of the chain is missing (deleted)",
    "relinked": "row {seq} (id {id}) does not follow the row before it",
    "changed": "row {seq} (id {id}) was changed after it was written",
    "tail_cut": "the chain ends at row {last} but {source} records row {seq}: rows were cut off",
    "head_differs": "row {seq} differs from the head {source} records",
}


def _break(problem, **params):
    return {"problem": problem, "message": MESSAGES[problem].format(**params), **params}


def _rows(first, last):
    query = select(AuditEvent.__table__).where(AuditEvent.seq >= first)
    if last is not None:
        query = query.where(AuditEvent.seq <= last)
    return db.session.execute(query.order_by(AuditEvent.seq)
                              .execution_options(yield_per=2000)).mappings()


def verify(first=1, last=None, heads=()):
    """Walk the chain from row `first` (to `last`, default the end) and report the first row
    where it breaks. `heads` are (seq, hash) pairs exported earlier: each must still be there.
    Returns {ok, checked, last, head, first_break (None or problem, message, seq, id)}."""
    expected = {int(seq): value for seq, value in heads}
    whole = first == 1 and last is None
    prev = "" if first <= 1 else (db.session.scalar(
        select(AuditEvent.hash).where(AuditEvent.seq == first - 1)) or None)
    found, checked, seq, problem = {}, 0, first - 1, None
    if prev is None:
        problem = _break("missing", seq=first - 1)
    for row in () if problem else _rows(first, last):
        seq += 1
        if row["seq"] != seq:
            problem = _break("missing", seq=seq)
            break
        if row["prev_hash"] != prev:
            problem = _break("relinked", seq=seq, id=row["id"])
            break
        if row_hash(row, prev) != row["hash"]:
            problem = _break("changed", seq=seq, id=row["id"])
            break
        prev, checked = row["hash"], checked + 1
        if seq in expected:
            found[seq] = prev
    head_seq, head_hash = head()
    if problem is None and whole:
        sources = [("the chain head", head_seq, head_hash)] + \
            [("an exported head", s, h) for s, h in sorted(expected.items())]
        for source, s, h in sources:
            if s > seq:
                problem = _break("tail_cut", last=seq, seq=s, source=source)
            elif s and (found.get(s) if s != seq else prev) != h:
                problem = _break("head_differs", seq=s, source=source)
            if problem:
                break
    return {"ok": problem is None, "checked": checked, "last": seq,
            "head": {"seq": head_seq, "hash": head_hash}, "first_break": problem}


def project_segment(project_id):
    """The project's audit rows' chain entries and the check of the stretch of chain they span
    (from the row before its first to the row after its last, so a deleted row shows)."""
    low, high = db.session.execute(
        select(func.min(AuditEvent.seq), func.max(AuditEvent.seq))
        .where(AuditEvent.project_id == project_id)).one()
    if low is None:
        return {"rows": [], "verification": verify(1, 0)}
    result = verify(low, high + 1 if high < head()[0] else high)
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
        .where(AuditEvent.project_id == project_id).order_by(AuditEvent.seq)).mappings()
    return {"rows": [dict(r) for r in rows], "verification": result}


def heads_file():
    """Where exported heads are appended (AUDIT_HEAD_FILE), or None."""
    path = current_app.config.get("AUDIT_HEAD_FILE")
    return Path(path) if path else None


def read_heads(path):
    """(seq, hash) pairs from a heads file (one JSON object a line); none when it is absent."""
    if path is None or not Path(path).exists():
        return []
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            pairs.append((int(item["seq"]), item["hash"]))
    return pairs


def export_head():
    """Log the chain head and append it to the heads file: a later verify against it catches
    rows cut off the end even if the head row in the database was rewound too."""
    seq, value = head()
    item = {"seq": seq, "hash": value, "at": runtime().clock.now().isoformat()}
    log.info("audit chain head seq=%s hash=%s", seq, value)
    path = heads_file()
    if path is not None and seq:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(item) + "\n")
    return item


def audited_segment(project_id):
    """The project's chain segment for its archive; Conflict (409) naming the first broken row
    when the trail no longer verifies, so no archive vouches for altered records."""
    from ..errors import Conflict
    segment = project_segment(project_id)
    problem = segment["verification"]["first_break"]
    if problem is not None:
        raise Conflict(f"the audit trail is broken, the archive cannot vouch for it: "
                       f"{problem['message']}", errors={"audit": [problem["message"]]})
    return segment
