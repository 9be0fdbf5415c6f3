"""`flask users add|list`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .models import User
from .roles import ROLES
from .services.errors import ServiceError
from .services.users import create_user

users_group = AppGroup("users", help="Officials and their roles.")


@users_group.command("add")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(list(ROLES)))
@click.option("--district", default=None, help="district code, for district roles")
@click.option("--department", default=None, help="department code, for joint review")
@click.option("--name", "display_name", default="", help="display name")
@click.option("--email", default=None)
def add(username, password, role, district, department, display_name, email):
    """Add an official."""
    try:
        user = create_user(username, password, role, district, department, display_name, email)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in (exc.errors or {}).items())
        raise click.ClickException(f"{exc.message}: {problems}")
    click.echo(f"added {user.username} ({user.role})")


@users_group.command("list")
def list_users():
    """List officials."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        click.echo(f"{user.username:28} {user.role:20} {user.district or '(city)':10} "
                   f"{user.department or '':20} {'active' if user.active else 'disabled'}")
