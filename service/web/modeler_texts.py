"""Chinese for the texts the bpmn-js modeler and its properties panel show (they pass each
through `translate`); only what policy staff see once the panel shows names, approval settings
and flow conditions."""
ZH = {
    # properties panel
    "General": "常规", "Name": "名称", "ID": "编号", "Condition": "条件",
    "Condition type": "条件类型", "Expression": "表达式", "Script": "脚本", "Format": "格式",
    "Type": "类型", "Inline script": "内联脚本", "External resource": "外部资源",
    "Resource": "资源", "<none>": "（无）", "Condition Expression": "条件表达式",
    "Select an element to edit its properties.": "选择一个元素以编辑其属性。",
    "Multiple elements are selected. Select a single one to edit its properties.":
        "选中了多个元素，请只选择一个以编辑其属性。",
    "Process": "流程", "User task": "人工环节", "Sequence flow": "连线",
    "Exclusive gateway": "排他网关", "Start event": "开始事件", "End event": "结束事件",
    "Parallel gateway": "并行网关", "Script task": "脚本任务", "Lane": "泳道",
    "Participant": "参与者", "Task": "任务", "User Task": "人工环节", "Sequence Flow": "连线",
    "Exclusive Gateway": "排他网关", "Parallel Gateway": "并行网关", "Start Event": "开始事件",
    "End Event": "结束事件", "Script Task": "脚本任务", "Service Task": "服务任务",
    "Call Activity": "调用活动", "Sub Process": "子流程", "Inclusive Gateway": "包容网关",
    "Boundary Event": "边界事件", "Intermediate Catch Event": "中间捕获事件",
    "Intermediate Throw Event": "中间抛出事件", "Text Annotation": "注释",
    # palette and context pad
    "Activate hand tool": "抓手工具", "Activate lasso tool": "套索工具",
    "Activate create/remove space tool": "插入/删除空间工具",
    "Activate global connect tool": "连线工具", "Create start event": "新建开始事件",
    "Create intermediate/boundary event": "新建中间/边界事件", "Create end event": "新建结束事件",
    "Create gateway": "新建网关", "Create task": "新建任务",
    "Create data object reference": "新建数据对象", "Create data store reference": "新建数据存储",
    "Create expanded sub-process": "新建子流程", "Create pool/participant": "新建泳池/参与者",
    "Create group": "新建分组", "Append end event": "追加结束事件", "Append gateway": "追加网关",
    "Append task": "追加任务", "Append intermediate/boundary event": "追加中间事件",
    "Append text annotation": "追加注释", "Change element": "更改类型", "Delete": "删除",
    "Connect to other element": "连接到其他元素", "Connect using sequence/message flow or association":
        "用连线连接", "Add lane above": "在上方添加泳道", "Add lane below": "在下方添加泳道",
    "Divide into two lanes": "分为两条泳道", "Divide into three lanes": "分为三条泳道",
    "Search in diagram": "在图中查找", "Change color": "更改颜色",
}


def modeler_texts(lang):
    """The translations the modeler gets for the page language (English is its own)."""
    return ZH if lang == "zh" else {}
