"""More values a form's rules and computed fields may read, by form key (a registry, so the
approval code need not know who provides them: the housing ledger gives the compensation plan
its units reserved)."""

#: form key -> functions(project) -> dict of names
PROVIDERS = {}


def provide(form_key):
    """Decorator: register a function(project) -> dict for a form key."""
    def register(function):
        PROVIDERS.setdefault(form_key, []).append(function)
        return function
    return register


def extra_context(form_key, project):
    """The registered values for a form on a project (later providers win)."""
    values = {}
    for function in PROVIDERS.get(form_key, ()):
        values.update(function(project))
    return values
