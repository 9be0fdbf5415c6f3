"""Reference data (districts, departments) and the demo officials."""
from sqlalchemy import select

from .extensions import db
from .models import Department, District, User
from .services.people.users import create_user

DISTRICTS = [("jingkou", "京口区", "Jingkou District"), ("runzhou", "润州区", "Runzhou District"),
             ("xinqu", "镇江新区", "Zhenjiang New Area")]
DEPARTMENTS = [
    ("housing", "住房和城乡建设局", "Housing and Urban-Rural Development"),
    ("natural_resources", "自然资源和规划局", "Natural Resources and Planning"),
    ("finance", "财政局", "Finance Bureau"), ("audit", "审计局", "Audit Bureau"),
    ("development_reform", "发展和改革委员会", "Development and Reform Commission"),
    ("ecology_environment", "生态环境局", "Ecology and Environment"),
    ("urban_management", "城市管理局", "Urban Management"),
]
DEMO_PASSWORD = "demo-pass-2026"
DEMO_MAIL_DOMAIN = "zj.example.gov.cn"


def demo_users():
    """(username, role, district, department, display name) of every demo official."""
    users = []
    for code, name, _ in DISTRICTS:
        users += [(f"{code}_office", "district_office", code, None, f"{name}征收办"),
                  (f"{code}_gov", "district_government", code, None, f"{name}政府"),
                  (f"{code}_finance", "finance", code, None, f"{name}财政局"),
                  (f"{code}_supervisor", "supervisor", code, None, f"{name}督查")]
    users += [("city_review", "city_review", None, None, "市征收办"),
              ("city_finance", "finance", None, None, "市财政局"),
              ("city_supervisor", "supervisor", None, None, "市政府督查室"),
              ("leading_group_office", "leading_group", None, None, "棚改领导小组办公室"),
              ("policy", "policy_staff", None, None, "市征收办政策科"),
              ("admin", "admin", None, None, "系统管理员"),
              ("security_admin", "security_admin", None, None, "安全管理员"),
              ("audit_admin", "audit_admin", None, None, "审计管理员")]
    users += [(f"dept_{code}", "joint_review", None, code, name) for code, name, _ in DEPARTMENTS]
    return users


def ensure_reference_data():
    """Create the districts and departments that do not exist yet."""
    for model, rows in ((District, DISTRICTS), (Department, DEPARTMENTS)):
        for code, zh, en in rows:
            if db.session.get(model, code) is None:
                db.session.add(model(code=code, name_zh=zh, name_en=en))
    db.session.flush()


def seed_demo():
    """Reference data plus one official per role per district; returns the users created."""
    ensure_reference_data()
    created = []
    for username, role, district, department, display in demo_users():
        if db.session.scalar(select(User.id).where(User.username == username)):
            continue
        created.append(create_user(username, DEMO_PASSWORD, role, district, department,
                                   display_name=display, email=f"{username}@{DEMO_MAIL_DOMAIN}",
                                   demo=True))
    db.session.commit()
    return created
