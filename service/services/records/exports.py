"""Export of the escalation list and the ledger (台账) as CSV or XLSX."""
import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from ...clock import SHANGHAI
from ...extensions import db
from ...models import Escalation
from ..deadlines.escalations import describe, escalation_query

LEVEL_LABELS = {"yellow": "临期 yellow", "red": "超期 red", "level2": "二级督办 level 2"}
STATUS_LABELS = {"open": "未销号 open", "cleared": "已办结 cleared", "closed": "已销号 closed"}


def _time(value):
    if value is None:
        return ""
    return value.replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


COLUMNS = [
    ("编号 ID", lambda r: r.id),
    ("区 District", lambda r: r.district),
    ("项目 Project", lambda r: r.project_name),
    ("环节 Step", lambda r: r.step_name),
    ("责任单位 Office", lambda r: r.office),
    ("级别 Level", lambda r: LEVEL_LABELS[r.level_name]),
    ("期限 Due", lambda r: _time(r.due_at - dt.timedelta(seconds=1)) if r.due_at else ""),
    ("触发 Fired", lambda r: _time(r.fired_at)),
    ("超期工作日 Working days overdue", lambda r: r.overdue_days if r.overdue_days else 0),
    ("催办次数 Urged", lambda r: r.urge_count),
    ("状态 Status", lambda r: STATUS_LABELS[r.status]),
]
LEDGER_COLUMNS = COLUMNS + [
    ("办结时间 Cleared", lambda r: _time(r.cleared_at)),
    ("销号时间 Closed", lambda r: _time(r.closed_at)),
    ("销号人 Closed by", lambda r: r.closed_by.username if r.closed_by else ""),
    ("销号说明 Note", lambda r: r.close_note or ""),
]


def rows_for(user, ledger=False, **filters):
    """Described escalation rows: the current list, or every level ever fired (ledger)."""
    filters["status"] = filters.get("status") or ("all" if ledger else "open")
    if ledger:
        filters["current"] = False
    query = escalation_query(user, **filters)
    rows = db.session.scalars(query.order_by(Escalation.district, Escalation.fired_at,
                                             Escalation.id)).all()
    return [describe(row) for row in rows], LEDGER_COLUMNS if ledger else COLUMNS


# A cell a spreadsheet program would run as a formula. Project names, notes and reasons are
# typed by officials; one like =HYPERLINK(…) must reach the supervisor as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A CSV cell value that spreadsheet programs show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows, columns):
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _ in columns])
    for row in rows:
        writer.writerow([inert(value(row)) for _, value in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows, columns, title):
    """An XLSX workbook with one sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([value(row) for _, value in columns])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl makes a formula of any text starting "="
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", lambda rows, cols, title: to_csv(rows, cols)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}


def export(user, table, fmt, **filters):
    """(bytes, mimetype, filename) of the list or the ledger in a format."""
    # `table`, not `kind`: the filters carry a `kind` of their own (step, title_certificate).
    rows, columns = rows_for(user, ledger=table == "ledger", **filters)
    mimetype, render = FORMATS[fmt]
    title = "ledger" if table == "ledger" else "escalations"
    return render(rows, columns, title), mimetype, f"{title}.{fmt}"
