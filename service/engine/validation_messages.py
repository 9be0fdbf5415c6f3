"""Deployment problems in Chinese and English: each names the element and what to fix."""
MESSAGES = {
    "not_xml": ("文件不是格式正确的 XML：{detail}。请上传建模工具导出的 .bpmn 文件。",
                "The file is not well-formed XML: {detail}. Upload the .bpmn file your modeler "
                "exports."),
    "unsafe_xml": ("文件含有 DOCTYPE 或实体声明（可被用于攻击），不予接受。请删除 <!DOCTYPE …> 和 "
                   "<!ENTITY …> 声明。",
                   "The file declares a DOCTYPE or entities, which can be used for attacks. "
                   "Remove the <!DOCTYPE …> and <!ENTITY …> declarations."),
    "too_large": ("文件过大（上限 {limit} KiB）。", "The file is too large (limit {limit} KiB)."),
    "not_bpmn": ("不是有效的 BPMN 2.0 文档（第 {line} 行）：{detail}",
                 "Not a valid BPMN 2.0 document (line {line}): {detail}"),
    "no_process": ("文件中没有可执行的流程（bpmn:process，isExecutable=\"true\"）。",
                   "The file contains no executable process (bpmn:process with "
                   "isExecutable=\"true\")."),
    "no_start": ("流程 {element} 没有开始事件。请添加一个开始事件。",
                 "Process {element} has no start event. Add a start event."),
    "no_end": ("流程 {element} 没有结束事件。请添加一个结束事件。",
               "Process {element} has no end event. Add an end event."),
    "unsupported": ("元素 {element} 的类型 {tag} 本系统不能执行。请改用用户任务、脚本任务、网关或事件。",
                    "Element {element} is a {tag}, which this service cannot run. Use a user "
                    "task, script task, gateway or event instead."),
    "no_role": ("用户任务 {element} 没有指定办理角色。请设置候选组（candidateGroups）或把它放入角色泳道。",
                "User task {element} has no role. Set its candidate group (candidateGroups) "
                "or put it in a role's lane."),
    "unknown_role": ("用户任务 {element} 的角色 “{role}” 不存在。可用角色：{roles}。",
                     "User task {element} names the role '{role}', which does not exist. "
                     "Roles: {roles}."),
    "no_form": ("用户任务 {element} 没有指定表单。请设置表单（formKey）。",
                "User task {element} has no form. Set its form (formKey)."),
    "unknown_form": ("用户任务 {element} 的表单 “{form}” 不存在。请先提交该表单定义，或改用已有表单。",
                     "User task {element} names the form '{form}', which does not exist. "
                     "Supply that form definition or choose an existing form."),
    "bad_form": ("用户任务 {element} 的表单 “{form}” 有误：{detail}",
                 "The form '{form}' of user task {element} is wrong: {detail}"),
    "no_time_limit": ("用户任务 {element} 没有办理时限。请设置时限（工作日，time_limit_days，或 "
                      "camunda:dueDate 如 P10D）。",
                      "User task {element} has no time limit. Set one in working days "
                      "(time_limit_days, or camunda:dueDate such as P10D)."),
    "days_too_many": ("用户任务 {element} 的 {name} 为 {value}，应在 0 至 {most} 个工作日之间。",
                      "{name} of user task {element} is {value}; it must be 0 to {most} "
                      "working days."),
    "bad_time_limit": ("用户任务 {element} 的时限 “{value}” 无法识别。请填写正整数工作日，或 ISO-8601 "
                       "期间如 P10D、P2W。",
                       "The time limit '{value}' of user task {element} is not understood. Use "
                       "a whole number of working days, or an ISO-8601 duration such as P10D "
                       "or P2W."),
    "no_condition": ("网关 {gateway} 的出口连线 {element} 没有条件，也不是默认连线。请为它设置条件，"
                     "或把它设为网关的默认连线。",
                     "Flow {element} leaving gateway {gateway} has neither a condition nor is "
                     "it the gateway's default. Give it a condition or make it the default."),
    "bad_expression": ("{element} 的{kind}表达式 “{source}” 不被接受：{detail}",
                       "The {kind_en} expression '{source}' on {element} is not accepted: "
                       "{detail}"),
    "juel": ("{element} 的表达式 “{source}” 是不受支持的 JUEL 写法。请写成简单表达式，如 "
             "${{decision == 'approve'}} 或 decision == 'approve'（用 and/or/not，不用 && || !）。",
             "The expression '{source}' on {element} uses JUEL that is not supported. Write a "
             "simple expression such as ${{decision == 'approve'}} or decision == 'approve' "
             "(and/or/not rather than && || !)."),
    "unknown_name": ("{element} 的表达式 “{source}” 使用了 “{name}”，但没有任何表单字段、脚本或多实例"
                     "变量定义它。请检查拼写，或在前面的表单中添加该字段。",
                     "The expression '{source}' on {element} uses '{name}', which no form "
                     "field, script or multi-instance item defines. Check the spelling or add "
                     "the field to an earlier form."),
    "timer_literal": ("{element} 的定时器 “{source}” 应写成带引号的文本，如 'P10D'。",
                      "The timer '{source}' on {element} must be quoted text, such as 'P10D'."),
    "bad_script": ("脚本任务 {element} 的脚本不被接受：{detail}。脚本只能是 “名称 = 表达式” 形式的赋值。",
                   "The script of script task {element} is not accepted: {detail}. A script may "
                   "only contain 'name = expression' assignments."),
    "over_budget": ("{element} 的{kind}表达式超出系统允许的计算量（{detail}）。请简化它：不要对很大的列表"
                    "重复或嵌套循环。",
                    "The {kind_en} expression on {element} would compute more than the service "
                    "allows ({detail}). Simplify it: avoid repeating or looping over very large "
                    "lists."),
    "no_collection": ("会签（多实例）任务 {element} 没有指定要逐一办理的集合。请在“多实例”中填写集合"
                      "（Collection，如 departments）和元素变量（Element variable，如 department）。",
                      "Multi-instance task {element} does not say which collection it runs over. "
                      "Set its collection (e.g. departments) and element variable (e.g. "
                      "department) under multi-instance."),
    "unreachable": ("{element} 从开始事件无法到达。请用连线把它接入流程，或删除它。",
                    "{element} cannot be reached from a start event. Connect it with a flow "
                    "or delete it."),
    "dead_end": ("从 {element} 出发无法到达结束事件。请从它连一条线通向结束事件。",
                 "No path from {element} reaches an end event. Connect it onward to an end "
                 "event."),
    "engine": ("流程引擎无法解析该流程：{detail}", "The engine cannot parse the process: {detail}"),
}
KINDS = {"condition": ("条件", "condition"), "timer": ("定时器", "timer"),
         "collection": ("多实例集合", "multi-instance collection"),
         "cardinality": ("多实例次数", "multi-instance cardinality"),
         "completion": ("多实例完成条件", "multi-instance completion"),
         "rule": ("表单校验规则", "form rule"), "computed": ("表单计算字段", "computed field"),
         "script": ("脚本", "script")}


def problem(code, element=None, **params):
    """One problem: element id, code and the message in both languages."""
    zh, en = MESSAGES[code]
    kind = KINDS.get(params.get("kind"), ("", ""))
    values = {"element": element or "-", **params, "kind": kind[0], "kind_en": kind[1]}
    return {"element": element, "code": code,
            "message": {"zh": zh.format(**values), "en": en.format(**values)}}
