"""Role keys (a contract with outside clients) and who may act on what."""
ROLES = {
    "district_office": {"zh": "区征收办", "en": "District office", "district": True},
    "city_review": {"zh": "市征收办", "en": "City review", "district": False},
    "district_government": {"zh": "区政府", "en": "District government", "district": True},
    "finance": {"zh": "财政局", "en": "Finance", "district": False},
    "joint_review": {"zh": "联审部门", "en": "Joint review department", "district": False},
    "supervisor": {"zh": "督查室", "en": "Supervisor", "district": False},
    "leading_group": {"zh": "领导小组办公室", "en": "Leading-group office", "district": False},
    "policy_staff": {"zh": "政策科", "en": "Policy staff", "district": False},
    # 三员分立: `admin` (the key clients know) is the system administrator, as is
    # `system_admin`; the security and audit administrators are separate accounts.
    "admin": {"zh": "系统管理员", "en": "Administrator", "district": False},
    "system_admin": {"zh": "系统管理员", "en": "System administrator", "district": False},
    "security_admin": {"zh": "安全管理员", "en": "Security administrator", "district": False},
    "audit_admin": {"zh": "审计管理员", "en": "Audit administrator", "district": False},
}
#: officials, districts, calendar, outbox
SYSTEM_ADMIN_ROLES = ("admin", "system_admin")
#: roles, lockouts, second factors, password and session policies
SECURITY_ADMIN_ROLES = ("security_admin",)
#: reads the audit trail and its verification; changes nothing
AUDIT_ADMIN_ROLES = ("audit_admin",)
#: the three administrators' roles: only the security administrator gives or takes them
ADMINISTRATOR_ROLES = SYSTEM_ADMIN_ROLES + SECURITY_ADMIN_ROLES + AUDIT_ADMIN_ROLES
LANE_ROLES = ("district_office", "city_review", "district_government", "finance", "joint_review")
DISTRICT_ROLES = tuple(k for k, v in ROLES.items() if v["district"])
RULE_EDITOR_ROLES = ("policy_staff", "admin")
#: who works the supervisors' desk (escalations, statistics, reports, exports)
SUPERVISING_ROLES = ("supervisor", "leading_group")


def may_see_district(user, district):
    """City-level users see every district; district users only their own."""
    return user.district is None or user.district == district


def may_act_on(user, task):
    """Whether a user may claim or complete a task row: role, district and department."""
    return (user.role == task.role and may_see_district(user, task.district)
            and (task.department is None or task.department == user.department))


def may_change_rules(user):
    """Only policy staff and administrators edit, deploy, roll back or migrate processes."""
    return user is not None and user.role in RULE_EDITOR_ROLES
