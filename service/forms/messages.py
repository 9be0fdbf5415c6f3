"""Validation messages in Chinese and English."""
MESSAGES = {
    "required": {"zh": "此项为必填项。", "en": "This field is required."},
    "unknown": {"zh": "未知字段。", "en": "Unknown field."},
    "computed": {"zh": "此项由系统计算，不能填写。", "en": "This value is computed; it cannot be given."},
    "range": {"zh": "取值应在 {min} 至 {max} 之间。", "en": "Must be between {min} and {max}."},
    "at_least": {"zh": "不能小于 {min}。", "en": "Must be at least {min}."},
    "at_most": {"zh": "不能大于 {max}。", "en": "Must be at most {max}."},
    "too_large": {"zh": "数值过大。", "en": "The number is too large."},
    "one_line": {"zh": "应为一行文字，不能换行。", "en": "Must be a single line."},
    "too_long": {"zh": "不能超过 {max} 个字符。", "en": "At most {max} characters."},
    "choice": {"zh": "不是有效的选项。", "en": "Not a valid choice."},
    "duplicate": {"zh": "选项重复。", "en": "Options must not repeat."},
    "invalid_text": {"zh": "应为文本。", "en": "Must be text."},
    "invalid_textarea": {"zh": "应为文本。", "en": "Must be text."},
    "invalid_integer": {"zh": "应为整数。", "en": "Must be a whole number."},
    "invalid_number": {"zh": "请填写数字，如 12000。",
                       "en": "Enter a number in figures, e.g. 12000."},
    "invalid_money": {"zh": "金额格式不正确（整数分，或以元为单位、最多两位小数）。",
                      "en": "Not a valid amount (integer fen, or yuan with at most two decimals)."},
    "invalid_date": {"zh": "日期格式应为 YYYY-MM-DD。", "en": "Must be a date (YYYY-MM-DD)."},
    "invalid_choice": {"zh": "不是有效的选项。", "en": "Not a valid choice."},
    "invalid_multichoice": {"zh": "应为选项列表。", "en": "Must be a list of choices."},
    "invalid_boolean": {"zh": "应为是或否。", "en": "Must be yes or no."},
    "invalid_attachment": {"zh": "附件编号不正确。", "en": "Not a valid attachment reference."},
    "not_object": {"zh": "表单数据应为对象。", "en": "Form data must be an object."},
    "item": {"zh": "第 {n} 项：{text}", "en": "Item {n}: {text}"},
    "rule_failed": {"zh": "校验未通过。", "en": "This check failed."},
    "not_computable": {"zh": "无法根据所填内容计算“{label}”：{reason}。",
                       "en": "\"{label}\" cannot be computed from the values given: {reason}."},
    "attachment_foreign": {"zh": "附件 {ids} 不属于本项目。",
                           "en": "Attachment {ids} does not belong to this project."},
    "not_attachment_field": {"zh": "该字段不是附件字段，不能上传文件。",
                             "en": "This field does not take files."},
    "file_missing": {"zh": "请选择要上传的文件。", "en": "Choose a file to upload."},
    "file_empty": {"zh": "文件为空。", "en": "The file is empty."},
    "body_too_large": {"zh": "请求内容过大（上限约 {max_mb} MB）。",
                       "en": "The request is too large (about {max_mb} MB at most)."},
    "file_too_large": {"zh": "文件过大：单个文件不能超过 {max_mb} MB。",
                       "en": "The file is too large: at most {max_mb} MB per file."},
    "file_type": {"zh": "不允许的文件类型“{ext}”。允许：{allowed}。",
                  "en": "File type \"{ext}\" is not allowed. Allowed: {allowed}."},
    "file_signature": {"zh": "文件内容与扩展名“{ext}”不符，已拒收。",
                       "en": "The file's content does not match its extension \"{ext}\"; refused."},
    "reason_required": {"zh": "请填写退回理由。", "en": "Give a reason for returning."},
    "no_return": {"zh": "此环节不能退回。", "en": "This step cannot be returned."},
    "transfer_target": {"zh": "请选择同一科室的其他人员。",
                        "en": "Choose another official of the same office."},
    "release_reason": {"zh": "请填写收回理由。", "en": "Give a reason for releasing the task."},
    "transfer_reason": {"zh": "请填写转办理由。", "en": "Give a reason for the transfer."},
    "bad_characters": {"zh": "含有无法保存或显示的字符（控制字符或不成对的代理字符），请删除后重试。",
                       "en": "Contains characters that cannot be stored or shown (control "
                             "characters or unpaired surrogates); remove them and try again."},
    "not_finite": {"zh": "JSON 中不能使用 NaN 或 Infinity，数值应为有限数。",
                   "en": "NaN and Infinity are not JSON; numbers must be finite."},
    "too_deep": {"zh": "JSON 嵌套层数过多（最多 32 层）。",
                 "en": "The JSON nests too deeply (at most 32 levels)."},
    "long_number": {"zh": "JSON 中的整数位数过多（最多 4300 位）。",
                    "en": "A whole number in the JSON has too many digits (at most 4300)."},
    "draft_value": {"zh": "草稿内容格式不正确或过长。", "en": "This draft value is malformed or too long."},
}


def message(key, locale, **values):
    """The message `key` in `locale` (zh or en), formatted with `values`."""
    text = MESSAGES[key]
    return text.get(locale, text["zh"]).format(**values)


def pick(label, locale):
    """The `locale` text of a {"zh": …, "en": …} label (or the label itself if plain)."""
    if isinstance(label, dict):
        return label.get(locale) or label.get("zh") or label.get("en") or ""
    return label or ""
