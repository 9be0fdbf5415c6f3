"""The printable approval form (审批表) of a project: a PDF with, for each step in process order,
the office, official, date, decision and opinion, room for signature and seal, and a QR code
leading to the project's record. Chinese text needs a CJK font from the system's packages."""
import datetime as dt
import hashlib
import io
from pathlib import Path

import segno
from fpdf import FPDF

from ...clock import SHANGHAI
from ...models import Attachment, Department, District
from ...extensions import db
from ...roles import ROLES
from ..approval.projects import get_project
from ..approval.record import project_record
from ..errors import ServiceError
from ..runtime import runtime
from .audit import record as audit

#: CJK fonts from Debian's packages (fonts-wqy-zenhei, fonts-noto-cjk), first found is used.
FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
STATUS = {"in_progress": "办理中", "completed": "已办结", "rejected": "不予通过"}
WIDTH = 180  # mm inside the A4 margins


class FontMissing(ServiceError):
    """No Chinese font is installed: the server's set-up is incomplete, not the caller's fault."""
    status = 503


def _font():
    for path in FONTS:
        if Path(path).exists():
            return path
    raise FontMissing("no Chinese font installed (apt-get install fonts-wqy-zenhei)")


def _local(moment, fmt="%Y-%m-%d %H:%M"):
    if moment is None:
        return ""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI).strftime(fmt)


def _name(model, code):
    row = db.session.get(model, code) if code else None
    return row.name_zh if row is not None else (code or "")


def _office(task):
    if task.department:
        return _name(Department, task.department)
    return ROLES.get(task.role, {}).get("zh", task.role)


def _zh(label):
    return label.get("zh", "") if isinstance(label, dict) else str(label or "")


def _value(spec, value):
    """A stored value as Chinese text (money in yuan, choices by label, files by name)."""
    kind = spec.get("type")
    if value is None or value == "" or value == []:
        return "—"
    if kind == "boolean":
        return "是" if value else "否"
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return f"{value // 100:,}.{value % 100:02d} {spec.get('unit', '元')}"
    if kind in ("choice", "multichoice"):
        labels = {o["value"]: _zh(o["label"]) for o in spec.get("options", [])}
        items = value if isinstance(value, list) else [value]
        return "、".join(labels.get(v, _department_or(v)) for v in items)
    if kind == "attachment":
        rows = [db.session.get(Attachment, i) for i in value if isinstance(i, int)]
        return "、".join(r.filename for r in rows if r is not None) or "—"
    unit = spec.get("unit")
    return f"{value} {unit}" if unit else str(value)


def _department_or(code):
    return _name(Department, code) if isinstance(code, str) else str(code)


class _Form(FPDF):
    def __init__(self, font):
        super().__init__(format="A4")
        self.add_font("cjk", "", font)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, 18)
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 6, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def build_form(user, project_id, record_url):
    """(file name, PDF bytes) of the project's approval form; the print is audited."""
    project = get_project(user, project_id)
    content, code = render_form(project, record_url)
    audit("print_form", user, project, revision=project.revision, code=code)
    db.session.commit()
    return form_name(project), content


def form_name(project):
    """The approval form's file name."""
    return f"project-{project.id}-approval-form.pdf"


def render_form(project, record_url):
    """(PDF bytes, verification code) of a project's approval form."""
    font = _font()
    record = project_record(project)
    pdf = _Form(font)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, "征收安置项目审批表", align="C", new_x="LMARGIN", new_y="NEXT")
    qr = io.BytesIO()
    segno.make(record_url, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    pdf.image(qr, x=165, y=12, w=28, h=28)
    definition = project.definition
    digest = hashlib.sha256(f"{project.id}|{project.revision}|{record_url}".encode()).hexdigest()
    pdf.set_font("cjk", size=10)
    heading = [("项目名称", project.name), ("所属区", _name(District, project.district)),
               ("项目状态", STATUS.get(project.status, project.status)),
               ("审批流程", f"{(definition.name or '征收安置法定审批').split(' ')[0]}（第 {definition.version} 版）"),
               ("申报时间", _local(project.created_at)),
               ("打印时间", _local(runtime().clock.now_naive()))]
    pdf.set_x(15)
    for label, text in heading:
        pdf.set_x(15)
        pdf.cell(24, 6.5, label + "：")
        pdf.cell(120, 6.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    number = 0
    for item in record:
        for index, entries in enumerate(item["rounds"], start=1):
            done = [e for e in entries if not e.get("open")]
            if not done:
                continue
            number += 1
            title = _zh(item["title"])
            if len(item["rounds"]) > 1:
                title += f"（第 {index} 轮）"
            if pdf.get_y() > 240:
                pdf.add_page()
            pdf.set_font("cjk", size=12)
            pdf.set_fill_color(238, 241, 244)
            pdf.cell(WIDTH, 8, f"{number}. {title}", border=1, fill=True,
                     new_x="LMARGIN", new_y="NEXT")
            for entry in done:
                _entry(pdf, entry)
    pdf.ln(3)
    pdf.set_font("cjk", size=9)
    pdf.multi_cell(WIDTH, 5, f"扫描右上角二维码查验本项目办理记录：{record_url}\n"
                             f"校验码：{digest[:16].upper()}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output()), digest[:16].upper()


def _entry(pdf, entry):
    task = entry["task"]
    official = entry["official"].display_name if entry["official"] else ""
    decision = _zh(entry["decision_label"]) if entry["decision_label"] else "办结"
    if entry["objecting"]:
        decision = f"【{decision}】"
    rows = [("办理单位", _office(task)), ("经办人", official),
            ("办理日期", _local(entry["completed_at"])), ("办理结论", decision),
            ("办理意见", entry["opinion"] or "—")]
    for spec, value in entry["fields"]:
        if spec.get("type") in ("textarea",) or spec["name"] in ("departments",):
            rows.append((_zh(spec.get("label")), _value(spec, value)))
        elif spec["name"].endswith("_doc_no") or spec.get("type") == "attachment":
            rows.append((_zh(spec.get("label")), _value(spec, value)))
    pdf.set_font("cjk", size=10)
    with pdf.table(col_widths=(30, 150), text_align=("CENTER", "LEFT"), line_height=6.5,
                   first_row_as_headings=False, width=WIDTH) as table:
        for label, text in rows:
            row = table.row()
            row.cell(label)
            row.cell(text or "—")
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.set_font("cjk", size=10)
    pdf.cell(90, 16, "经办人签字：", border=1)
    pdf.cell(90, 16, "单位盖章：", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
