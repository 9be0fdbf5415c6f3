"""Texts of notices (Chinese and English), one entry per kind; `{…}` names come from params."""

TEXTS = {
    "yellow": {
        "subject": ("【临期提醒】{project}：{step}", "Due soon: {project} - {step}"),
        "body": ("{project}（{district}）的“{step}”将于 {due_date} 到期，剩余不超过 {days} 个工作日，请抓紧办理。",
                 "The step \"{step}\" of {project} ({district}) is due on {due_date}; no more "
                 "than {days} working days remain."),
    },
    "red": {
        "subject": ("【超期督办】{project}：{step}", "Overdue: {project} - {step}"),
        "body": ("{project}（{district}）的“{step}”已于 {due_date} 到期未办结，已转督查室督办。",
                 "The step \"{step}\" of {project} ({district}) was due on {due_date} and is "
                 "overdue; it has been escalated to the supervision office."),
    },
    "level2": {
        "subject": ("【二级督办】{project}：{step}", "Escalated to the leading group: {project} - {step}"),
        "body": ("{project}（{district}）的“{step}”已于 {due_date} 到期，逾期超过 {days} 个工作日仍未办结，"
                 "已报领导小组办公室。",
                 "The step \"{step}\" of {project} ({district}) was due on {due_date} and is "
                 "still open more than {days} working days later; it has been reported to the "
                 "leading-group office."),
    },
    "urge": {
        "subject": ("【催办】{project}：{step}", "Urged: {project} - {step}"),
        "body": ("督查部门催办：{project}（{district}）的“{step}”（期限 {due_date}）请尽快办结。{note}",
                 "The supervisors urge you to finish \"{step}\" of {project} ({district}), due "
                 "{due_date}. {note}"),
    },
    "task_new": {
        "subject": ("【待办】{project}：{step}", "New task: {project} - {step}"),
        "body": ("{project}的“{step}”已转到本单位办理，办理期限 {due_date}。",
                 "The step \"{step}\" of {project} has come to your office; due {due_date}."),
    },
    "task_returned": {
        "subject": ("【退回重办】{project}：{step}", "Returned: {project} - {step}"),
        "body": ("{project}的“{step}”已退回本单位重新办理，办理期限 {due_date}。请查看退回意见。",
                 "The step \"{step}\" of {project} has been sent back to your office; due "
                 "{due_date}. Please read the reasons given."),
    },
    "report_reminder": {
        "subject": ("【月报提醒】请于 25 日前报送 {month} 月度进展", "Monthly report for {month} due by the 25th"),
        "body": ("请于本月 25 日前核实 {district} 的棚改项目进展（签约、交房、超期事项），系统将于 25 日自动汇总报送。",
                 "Please check the progress of {district}'s projects (agreements, handovers, "
                 "overdue items) before the 25th; the report is compiled and filed on the 25th."),
    },
    "report_filed": {
        "subject": ("【月报】{district} {month} 进展报告已报送", "Monthly report: {district} {month} filed"),
        "body": ("{district} {month} 月度进展：项目 {projects} 个，办结环节 {steps_done} 个，超期事项 {overdue} 个，"
                 "签约 {signed} 户，交房 {handed_over} 户。",
                 "{district} progress for {month}: {projects} projects, {steps_done} steps done, "
                 "{overdue} overdue items, {signed} households signed, {handed_over} handed over."),
    },
}
# Title-certificate deadlines reuse the level texts with their own step name.
CERTIFICATE_STEP = ("权证办理", "Title certificates")


def render(kind, params):
    """(subject_zh, subject_en, body_zh, body_en) for a notice kind."""
    text = TEXTS[kind]
    zh = {k: (v[0] if isinstance(v, tuple) else v) for k, v in params.items()}
    en = {k: (v[1] if isinstance(v, tuple) else v) for k, v in params.items()}
    return (_one_line(text["subject"][0].format(**zh)),
            _one_line(text["subject"][1].format(**en)),
            text["body"][0].format(**zh).strip(), text["body"][1].format(**en).strip())


def _one_line(subject):
    # A project or step name may hold a line break (typed, or a diagram's wrapped label); an
    # e-mail header may not, and the mail would fail at every attempt.
    return " ".join(subject.split())


def split_name(name):
    """A (zh, en) pair from a name like '市级审核 City review', or the name for both."""
    if isinstance(name, tuple):
        return name
    zh, _, en = name.partition(" ")
    return (zh, en) if en and not zh.isascii() else (name, name)
