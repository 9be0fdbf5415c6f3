"""Administrator corrections to the working-day calendar (filled in by the deadlines work)."""


def load_overrides():
    """Corrections as {date: is_working_day}."""
    return {}
