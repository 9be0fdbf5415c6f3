"""The overdue-resettlement ledger (逾期未安置台账) as XLSX, with the columns of 003 四(一):
project, households not resettled, agreements signed, resettlement area, type and cause."""
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

from ...extensions import db
from ...models import District, Household, OverdueCase, Project, User
from ..records.audit import record
from .overdue import case_query

TYPE_LABELS = {
    "litigation": "涉法涉诉",
    "under_construction": "已开工在建",
    "not_started": "因征收、规划调整尚未开工",
    "return_demanded": "要求原地回迁、暂无法建设",
    "infrastructure": "主体建成、配套设施不完善",
    "funds_short": "资金短缺停工",
    "not_accepted": "已建成未竣工验收",
    "developer_default": "开发企业不兑现安置协议",
    "deadlock": "“死结”项目",
    "developer_abandoned": "开发企业放弃或主体灭失",
    "other": "其他（待分类）",
}
TYPE_LABELS_EN = {
    "litigation": "In litigation", "under_construction": "Under construction",
    "not_started": "Not started (expropriation or planning changes)",
    "return_demanded": "Residents insist on return to the site; cannot be built yet",
    "infrastructure": "Built, infrastructure missing", "funds_short": "Stopped for lack of funds",
    "not_accepted": "Built, not yet accepted", "developer_default": "Developer not honouring "
    "the agreements", "deadlock": "Unsolvable (死结) case",
    "developer_abandoned": "Developer gave up or ceased to exist", "other": "Other (to classify)",
}
PROJECT_HEADINGS = ("区 District", "项目 Project", "逾期未安置户数 Households not resettled",
                    "已签协议户数 Agreements signed", "安置面积(m²) Resettlement area",
                    "逾期类型 Types of delay", "逾期原因 Causes")
CASE_HEADINGS = ("编号 Case", "区 District", "项目 Project", "户号 Household",
                 "承诺安置日期 Promised", "列入台账 Opened", "协议签订 Signed on",
                 "面积(m²) Area", "逾期类型 Type", "逾期原因 Cause", "解决方案 Plan",
                 "状态 Status", "销号日期 Closed", "销号说明 Note", "销号人 Closed by")


def ledger_rows(user, status="open", **filters):
    """(case, household, project) rows of the ledger the user may see, by project."""
    cases = case_query(user, status=status, **filters).subquery()
    query = (select(OverdueCase, Household, Project)
             .join(cases, cases.c.id == OverdueCase.id)
             .join(Household, Household.id == OverdueCase.household_id)
             .join(Project, Project.id == OverdueCase.project_id)
             .order_by(OverdueCase.district, Project.id, Household.number, OverdueCase.id))
    return db.session.execute(query).all()


def build_ledger(user, status="open", **filters):
    """(file name, XLSX bytes) of the ledger; the export is audited (personal data leaves)."""
    rows = ledger_rows(user, status=status, **filters)
    names = dict(db.session.execute(select(District.code, District.name_zh)).all())
    closers = {u.id: u.username for u in db.session.scalars(select(User).where(
        User.id.in_({c.closed_by_id for c, _, _ in rows if c.closed_by_id})))}
    book = Workbook()
    summary = book.active
    summary.title = "项目台账"
    summary.append(PROJECT_HEADINGS)
    by_project = {}
    for case, household, project in rows:
        by_project.setdefault(project.id, (project, []))[1].append((case, household))
    for project, items in by_project.values():
        types = {}
        for case, _ in items:
            types[case.type] = types.get(case.type, 0) + 1
        causes = "；".join(dict.fromkeys(c.cause for c, _ in items if c.cause))
        summary.append((names.get(project.district, project.district), project.name, len(items),
                        sum(1 for _, h in items if h.signed_on),
                        round(sum(h.legal_area or 0 for _, h in items), 2),
                        "；".join(f"{TYPE_LABELS.get(k, k)} {n} 户"
                                 for k, n in sorted(types.items())),
                        causes))
    cases = book.create_sheet("逐户明细")
    cases.append(CASE_HEADINGS)
    for case, household, project in rows:
        cases.append((case.id, names.get(case.district, case.district), project.name,
                      household.number, _date(case.promised_on), _date(case.opened_on),
                      _date(household.signed_on), household.legal_area,
                      TYPE_LABELS.get(case.type, case.type), case.cause, case.plan,
                      "已销号" if case.closed_on else "未销号", _date(case.closed_on),
                      case.close_note or "", closers.get(case.closed_by_id, "")))
    for sheet in (summary, cases):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    record("overdue_ledger_export", user, status=status, rows=len(rows))
    db.session.commit()
    return "逾期未安置台账.xlsx", out.getvalue()


def _date(value):
    return value.isoformat() if value else ""
