"""`flask users add|list`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .models import User
from .roles import ROLES
from .services.errors import ServiceError
from .services.people.accounts import disable_user, enable_user, set_password

users_group = AppGroup("users", help="Officials and their roles.")


def _committed(action):
    """Run `action`, commit, or roll back and exit with the service's message."""
    try:
        result = action()
        db.session.commit()
        return result
    except ServiceError as exc:
        db.session.rollback()
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in (exc.errors or {}).items())
        raise click.ClickException(f"{exc.message}: {problems}" if problems else exc.message)


@users_group.command("add")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(list(ROLES)))
@click.option("--district", default=None, help="district code or Chinese name (district roles)")
@click.option("--department", default=None, help="department code or Chinese name (joint review)")
@click.option("--street", default=None, help="town or street office, code or Chinese name")
@click.option("--name", "display_name", default="", help="display name")
@click.option("--email", default=None)
def add(username, password, role, district, department, street, display_name, email):
    """Add an official."""
    from .services.organisation.officials import add_official
    user = _committed(lambda: add_official(dict(
        username=username, password=password, role=role, district=district,
        department=department, street=street, display_name=display_name, email=email)))
    click.echo(f"added {user.username} ({user.role})")


@users_group.command("disable")
@click.argument("username")
@click.option("--reason", required=True, help="why, for the audit trail (e.g. 调离)")
def disable(username, reason):
    """Disable an official who has left: sign-in and API tokens stop at once, and the open
    tasks they had claimed go back to their office's queue."""
    released = _committed(lambda: disable_user(username, reason))
    click.echo(f"disabled {username}; tasks back in the queue: "
               f"{', '.join(str(t.id) for t in released) or 'none'}")


@users_group.command("enable")
@click.argument("username")
def enable(username):
    """Let a disabled official sign in again."""
    _committed(lambda: enable_user(username))
    click.echo(f"enabled {username}")


@users_group.command("set-password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="the new password (asked for when not given)")
def set_password_command(username, password):
    """Give an official a new password; API tokens issued before it stop working."""
    _committed(lambda: set_password(username, password))
    click.echo(f"password set for {username}")


@users_group.command("list")
def list_users():
    """List officials."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        click.echo(f"{user.username:28} {user.role:20} {user.district or '(city)':10} "
                   f"{user.department or '':20} {'active' if user.active else 'disabled'}")


@users_group.command("unlock")
@click.argument("username")
def unlock_command(username):
    """Lift an account's sign-in lock (audited; the security administrator's page does the same)."""
    from .services.people.security_admin import unlock
    _committed(lambda: unlock(username))
    click.echo(f"{username} can sign in again")


@users_group.command("reset-totp")
@click.argument("username")
def reset_totp_command(username):
    """Remove an official's authenticator (lost phone); they enrol again at the next sign-in."""
    from .services.people.security_admin import reset_totp
    _committed(lambda: reset_totp(username))
    click.echo(f"{username} enrols a new authenticator at the next sign-in")
