"""Flask commands: init-db, seed-demo, users, deploy, definitions."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .extensions import db
from .forms import load_forms
from .services.policy import definitions
from .services.errors import ServiceError


def deploy_file(path, note=""):
    """Deploy one BPMN file with the forms in FORMS_DIR; returns (definition, created)."""
    forms = load_forms(current_app.config["FORMS_DIR"])
    definition, created = definitions.deploy(Path(path).read_text(encoding="utf-8"), forms,
                                             note=note or f"deployed from {Path(path).name}")
    db.session.commit()
    return definition, created


def init_database(use_migrations=True):
    """Create or upgrade the schema and deploy every workflows/*.bpmn. No organisation: an
    installation loads its own (`flask org load`), `seed-demo` the demo one."""
    from .migrations_support import upgrade_schema
    upgrade_schema(use_migrations)
    db.session.commit()
    results = []
    # The statutory approval first: it is the installation's process (version ids 1, 2, … on
    # a fresh database, as clients and the suite know them); the households' process after.
    files = sorted(Path(current_app.config["WORKFLOWS_DIR"]).glob("*.bpmn"),
                   key=lambda path: (path.name != "statutory_approval.bpmn", path.name))
    for path in files:
        results.append((path, *deploy_file(path)))
    return results


def _fail(exc):
    lines = [exc.message]
    for field, problems in (exc.errors or {}).items():
        for problem in problems:
            text = problem if isinstance(problem, str) else \
                f"{problem.get('element') or '-'}: {problem.get('message')}"
            lines.append(f"  {field}: {text}")
    raise click.ClickException("\n".join(lines))


def register(app):
    """Attach the commands to the app."""

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database and deploy the BPMN files in workflows/."""
        try:
            for path, definition, created in init_database():
                state = "deployed" if created else "unchanged"
                click.echo(f"{path.name}: {definition.key} v{definition.version} {state}")
        except ServiceError as exc:
            _fail(exc)

    @app.cli.command("seed-demo")
    def seed_demo():
        """Create districts, departments and one demo official per role per district."""
        from . import seed
        created = seed.seed_demo()
        click.echo(f"{len(created)} users created; password for every demo user: "
                   f"{seed.DEMO_PASSWORD}")
        for username, role, district, department, display in seed.demo_users():
            click.echo(f"  {username:28} {role:20} {district or '(city)':10} "
                       f"{department or '':20} {display}")

    @app.cli.command("deploy")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--note", default="", help="change note recorded with the version")
    def deploy(file, note):
        """Deploy FILE.bpmn (with the forms in forms/) as a new version if it changed."""
        try:
            definition, created = deploy_file(file, note)
        except ServiceError as exc:
            _fail(exc)
        state = "deployed as" if created else "unchanged, still"
        click.echo(f"{definition.key} {state} version {definition.version} "
                   f"(sha256 {definition.sha256[:12]})")

    definitions_group = AppGroup("definitions", help="Deployed process definitions.")

    @definitions_group.command("list")
    def definitions_list():
        """List every deployed version."""
        for d in definitions.all_definitions():
            who = d.deployed_by.username if d.deployed_by else "cli"
            click.echo(f"{d.key:24} v{d.version:<4} {d.sha256[:12]} {d.deployed_at:%Y-%m-%d %H:%M} "
                       f"{who:12} {d.change_note}")

    @definitions_group.command("validate")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
    def definitions_validate(file, lang):
        """Check FILE.bpmn with the forms in forms/ without deploying it."""
        forms = load_forms(current_app.config["FORMS_DIR"])
        result = definitions.check_diagram(Path(file).read_text(encoding="utf-8"), forms)
        for problem in definitions.localized(result.problems, lang):
            click.echo(f"{problem['element'] or '-'}: {problem['message']}")
        if not result.ok:
            raise click.ClickException(f"{len(result.problems)} problem(s)")
        click.echo(f"{result.process_id}: ok, forms {', '.join(sorted(result.forms))}")

    @definitions_group.command("diff")
    @click.argument("definition_id", type=int)
    @click.option("--against", type=int, default=None, help="version id (default: previous)")
    def definitions_diff(definition_id, against):
        """Show what changed in a version (JSON)."""
        import json
        from .services.policy.versions import compare
        try:
            click.echo(json.dumps(compare(definition_id, against), ensure_ascii=False, indent=2))
        except ServiceError as exc:
            _fail(exc)

    from . import cli_definitions
    cli_definitions.register(definitions_group)
    app.cli.add_command(definitions_group)

    from .cli_users import users_group
    app.cli.add_command(users_group)

    from .cli_audit import audit_group
    app.cli.add_command(audit_group)
    from .cli_security import security_group
    app.cli.add_command(security_group)
    from . import cli_ops, cli_org
    cli_org.register(app)
    cli_ops.register(app)

    from . import cli_deadlines
    cli_deadlines.register(app)

    from .seed_households import register_cli as register_household_demo
    register_household_demo(app)
