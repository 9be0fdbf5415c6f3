"""Audit events as Chinese text for documents (archive timeline, printed forms): the event's
name and a readable account of its details, never a JSON dump or an internal key."""
from ...models import Department
from ...extensions import db
from ...roles import ROLES

ACTIONS = {
    "start": "项目启动", "claim": "签收", "unclaim": "退回待签收", "complete": "办结",
    "return": "退回", "cancel": "取消", "reject": "不予通过", "finish": "项目办结",
    "draft": "保存草稿", "attach": "上传附件", "transfer": "转办", "export": "导出档案",
    "deploy": "部署流程", "escalate": "督办", "remind": "发送提醒", "release": "收回至待签收",
    "urge": "催办", "escalation_closed": "销号", "print_form": "打印审批表",
    "due_recomputed": "期限重算", "migrate": "迁移流程版本", "escalation": "督办",
    "escalation_cleared": "督办解除", "certificate_tracked": "开始跟踪权证办理",
    "certificate_done": "权证办理完成", "timer": "定时触发", "timer_failed": "定时触发失败",
    "households_start": "启动一户一档流程", "households_import": "导入征收户台账",
    "household_edit": "修改征收户信息", "personal_data_view": "查看个人信息",
    "housing_reserve": "备选房源", "housing_release": "释放房源", "housing_allocate": "分配房源",
    "housing_unallocate": "撤销分房", "overdue_resettlement": "逾期未安置",
    "overdue_classify": "逾期分类", "overdue_close": "逾期销号", "draft_saved": "保存草稿",
}
DECISIONS = {"approve": "同意", "return": "退回修改", "reject": "不予通过", "object": "有异议"}
HEADINGS = ["序号", "时间", "事项", "办理人", "环节", "办理结论", "说明"]


def action_text(action):
    """The event's name in Chinese (an unknown action keeps its key)."""
    return ACTIONS.get(action, action)


def _department(code):
    row = db.session.get(Department, code) if code else None
    return row.name_zh if row is not None else code


def detail_text(event, step_name):
    """(decision, account) of an event's details in words; `step_name(step)` names a step."""
    detail = event.detail or {}
    data = detail.get("data") if isinstance(detail.get("data"), dict) else {}
    decision = DECISIONS.get(data.get("decision"), "") if data.get("decision") else ""
    parts = []
    if data.get("opinion"):
        parts.append(f"意见：{data['opinion']}")
    for key in ("reason", "note"):
        if detail.get(key):
            parts.append(f"理由：{detail[key]}" if key == "reason" else f"说明：{detail[key]}")
    if detail.get("filename"):
        parts.append(f"文件：{detail['filename']}")
    if detail.get("to"):
        parts.append(f"转给：{detail['to']}")
    targets = detail.get("to_steps") or detail.get("next") or detail.get("opened") or []
    if targets and isinstance(targets, list):
        names = "、".join(step_name(s) for s in targets)
        parts.append(("退回至：" if event.action == "return" or decision in ("有异议", "退回修改")
                      else "转入：") + names)
    if detail.get("department"):
        parts.append(f"部门：{_department(detail['department'])}")
    if detail.get("role") in ROLES:
        parts.append(f"单位：{ROLES[detail['role']]['zh']}")
    return decision, "；".join(parts)
