"""`flask security set-role|policy|set-policy`: the security administrator's work from the
console (the operator, actor None: for bootstrapping an installation)."""
import click
from flask.cli import AppGroup

from .cli_users import _committed
from .roles import ROLES
from .services.people.policy import POLICIES, policy, set_policy
from .services.people.roles_admin import assign_role

security_group = AppGroup("security", help="Roles and the password and session policies.")


@security_group.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(list(ROLES)))
@click.option("--district", default=None, help="code or Chinese name; '' for none")
@click.option("--department", default=None, help="code or Chinese name; '' for none")
def set_role(username, role, district, department):
    """Give an official a role; claimed tasks it cannot act on go back to the queue."""
    given = {k: v for k, v in (("district", district), ("department", department))
             if v is not None}
    result = _committed(lambda: assign_role(username, role, given))
    user = result["official"]
    click.echo(f"{username}: {user.role} {user.district or '(city)'} {user.department or ''}; "
               f"tasks back in the queue: "
               f"{', '.join(str(t.id) for t in result['released']) or 'none'}")


@security_group.command("policy")
def show_policy():
    """The password and session policies in force and where each comes from."""
    for item in policy():
        click.echo(f"{item['name']:34} {item['value']!s:8} {item['source']:8} "
                   f"(default {item['default']})")


@security_group.command("set-policy")
@click.argument("name", type=click.Choice(list(POLICIES)))
@click.argument("value")
def set_policy_command(name, value):
    """Set one policy (a whole number; yes/no for totp_required; 'default' to go back)."""
    if value == "default":
        parsed = None
    elif POLICIES[name].flag:
        parsed = value.lower() in ("yes", "true", "1", "on")
    else:
        try:
            parsed = int(value)
        except ValueError:
            raise click.BadParameter("a whole number, or 'default'") from None
    _committed(lambda: set_policy({name: parsed}))
    click.echo(f"{name} set to {value}")
