"""Who may see and change a household, and personal data masked for everyone else (PIPL)."""
from ...extensions import db
from ...models import Household
from ..approval.projects import get_project
from ..errors import Forbidden, NotFound
from ..records.audit import record


def project_for_office(user, project_id):
    """The project, if the user is the district office of its district (who keep the register)."""
    project = get_project(user, project_id)
    if user.role != "district_office" or user.district != project.district:
        raise Forbidden("only the district office of the project's district keeps its register")
    return project


def get_household(user, household_id):
    """A household of a project the user may see, or NotFound."""
    household = db.session.get(Household, household_id)
    if household is None:
        raise NotFound("household not found")
    try:
        get_project(user, household.project_id)
    except NotFound:
        raise NotFound("household not found") from None
    return household


def sees_personal_data(user, household):
    """Only the district office of the household's district sees ID numbers and phones in full."""
    return user.role == "district_office" and user.district == household.project.district


def mask_id(value):
    """`3211**********123X`: the first four and last four characters of an ID number."""
    return value[:4] + "*" * max(len(value) - 8, 0) + value[-4:] if len(value) > 8 else "****"


def mask_phone(value):
    """`138****0000`: the first three and last four digits of a phone number."""
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:] if len(value) > 7 else (
        "****" if value else "")


def personal(household, full):
    """{id_number, phone, masked} as the caller may see them."""
    if full:
        return {"id_number": household.id_number, "phone": household.phone, "masked": False}
    return {"id_number": mask_id(household.id_number), "phone": mask_phone(household.phone),
            "masked": True}


def audit_full_view(user, household, where):
    """Every view of unmasked personal data is audited (who, which household, where)."""
    record("personal_data_view", user, household.project, household_id=household.id,
           fields=["id_number", "phone"], where=where)


def require_editor(user, household):
    """Forbidden unless the user keeps this household's register."""
    if not sees_personal_data(user, household):
        raise Forbidden("only the district office of the project's district edits households")
