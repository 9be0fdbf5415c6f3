"""A sheet of signing results (户号, 签约日期, 协议类型, 协议金额): each row completes that
household's signing step on its own checks, in its own transaction, audited."""
import datetime as dt

from sqlalchemy import select

from ...extensions import db
from ...models import Household, Task
from ...textcheck import bad_text, shown
from ..errors import Invalid
from .access import project_for_office
from .bulk import bulk_complete
from .register import _sheet_rows, _text

COLUMNS = (("number", "户号"), ("signed_on", "签约日期"), ("agreement_type", "协议类型"),
           ("agreement_amount", "协议金额"))
AGREEMENT_TYPES = {"产权调换协议": "exchange", "产权调换": "exchange", "货币补偿协议": "monetary",
                   "货币补偿": "monetary", "exchange": "exchange", "monetary": "monetary"}
SIGN_STEP = "sign_agreement"


def _value(key, cell):
    if key == "signed_on" and isinstance(cell, (dt.date, dt.datetime)):
        return (cell.date() if isinstance(cell, dt.datetime) else cell).isoformat()
    text = _text(cell)
    if bad_text(text):
        return shown(text)  # refused by the step's own checks, shown escaped in the answer
    if key == "agreement_type":
        return AGREEMENT_TYPES.get(text, text) or None
    return text or None


def import_signing_results(user, project_id, content, locale="zh"):
    """[{row, number, task_id, completed, status, message, errors}] for each row of the sheet."""
    project = project_for_office(user, project_id)
    rows = _sheet_rows(content)
    header = [str(c or "").strip() for c in (rows[0] if rows else ())]
    keys = [next((k for k, h in COLUMNS if text in (h, k)), None) for text in header]
    if "number" not in keys or "signed_on" not in keys:
        raise Invalid("the sheet lacks required columns",
                      errors={"file": ["columns 户号 and 签约日期 are required"]})
    wanted = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {k: _value(k, cells[i]) for i, k in enumerate(keys) if k and i < len(cells)}
        if any(v for v in values.values()):
            wanted.append((number, values))
    found = dict(db.session.execute(select(Household.number, Task.id).join(
        Task, Task.household_id == Household.id).where(
        Household.project_id == project.id, Task.step == SIGN_STEP, Task.status == "open",
        Household.number.in_([v.get("number") for _, v in wanted]))).all())
    results = []
    for number, values in wanted:
        task_id = found.get(values.get("number"))
        base = {"row": number, "number": values.get("number"), "task_id": task_id}
        if task_id is None:
            results.append({**base, "completed": False, "status": 404, "errors": None,
                            "message": "no household with this number is waiting to sign"})
            continue
        data = {k: v for k, v in values.items() if k != "number" and v is not None}
        [result] = bulk_complete(user, [task_id], data, locale)
        results.append({**base, **{k: v for k, v in result.items() if k != "task_id"}})
    return results
