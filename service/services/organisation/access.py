"""Who may manage the organisation and its officials: one check, so new roles slot in here."""

#: Roles that manage districts, streets, departments and officials. Separated administrator
#: roles (三员分立, e.g. a system administrator) are added to this tuple.
ORGANISATION_ROLES = ("admin", "system_admin")


def may_manage_organisation(user):
    """Whether `user` may change the organisation and officials (pages, API)."""
    return user is not None and getattr(user, "role", None) in ORGANISATION_ROLES
