"""`flask definitions rollback|migrate`: the policy staff actions, run as a named official."""
import json

import click
from sqlalchemy import select

from .extensions import db
from .models import User
from .services.policy import migration, versions
from .services.errors import ServiceError


def _official(username):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no official {username!r}")
    return user


def _mapping(pairs):
    mapping = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old or not new:
            raise click.ClickException(f"--map takes OLD=NEW, not {pair!r}")
        mapping[old] = new
    return mapping


def register(group):
    """Attach rollback and migrate to the `definitions` command group."""

    @group.command("rollback")
    @click.argument("definition_id", type=int)
    @click.option("--as", "username", required=True, help="policy staff or administrator")
    @click.option("--note", default="", help="why")
    def rollback(definition_id, username, note):
        """Make version DEFINITION_ID what new projects get, as a new version."""
        try:
            new = versions.rollback(_official(username), definition_id, note, "en")
        except ServiceError as exc:
            raise click.ClickException(exc.message)
        click.echo(f"{new.key} rolled back: version {new.version} ({new.change_note})")

    @group.command("migrate")
    @click.argument("target_id", type=int)
    @click.option("--as", "username", required=True, help="policy staff or administrator")
    @click.option("--projects", default="", help="project ids, comma-separated")
    @click.option("--from", "source_id", type=int, help="every project in progress on this version")
    @click.option("--map", "pairs", multiple=True, help="OLD_STEP=NEW_STEP for renamed steps")
    @click.option("--dry-run", is_flag=True, help="only say what would happen")
    def migrate(target_id, username, projects, source_id, pairs, dry_run):
        """Move running projects to version TARGET_ID (JSON report per project)."""
        ids = [int(i) for i in projects.split(",") if i.strip()]
        run = migration.dry_run if dry_run else migration.migrate
        try:
            reports = run(_official(username), target_id, ids, source_id, _mapping(pairs), "en")
        except ServiceError as exc:
            raise click.ClickException(f"{exc.message} {exc.errors or ''}")
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
