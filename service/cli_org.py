"""`flask org …`: the organisation (districts, towns and streets, departments) from the command
line, and `flask users change|import`. Districts and departments are named by code or
Chinese name."""
import json

import click
from flask.cli import AppGroup

from .cli_users import _committed, users_group
from .services.organisation import officials, orgfile, places

org_group = AppGroup("org", help="Districts, towns and streets, departments.")


@org_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def load(file):
    """Add or rename the districts, streets and departments in FILE (.json or .xlsx)."""
    counts = _committed(lambda: orgfile.load(orgfile.read_file(file)))
    click.echo(f"{counts['added']} added, {counts['renamed']} renamed")


@org_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="print the organisation as org.json")
def list_org(as_json):
    """Print districts with their towns and streets, and departments."""
    districts, departments = places.list_districts(), places.list_departments()
    if as_json:
        click.echo(json.dumps({
            "districts": [dict({k: d[k] for k in ("code", "name_zh", "name_en")}, streets=[
                {"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en, "kind": s.kind}
                for s in d["streets"]]) for d in districts],
            "departments": [{"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en}
                            for d in departments]}, ensure_ascii=False, indent=2))
        return
    for district in districts:
        click.echo(f"{district['code']:24} {district['name_zh']}")
        for street in district["streets"]:
            click.echo(f"  {street.code:22} {street.name_zh} ({street.kind})")
    for department in departments:
        click.echo(f"{department.code:24} {department.name_zh} (department)")


@org_group.command("add-district")
@click.argument("code")
@click.argument("name_zh")
@click.option("--en", "name_en", default="", help="English name")
def add_district(code, name_zh, name_en):
    """Add a district: CODE (e.g. dantu) and its Chinese name."""
    _committed(lambda: places.add_district(code, name_zh, name_en))
    click.echo(f"added district {code} {name_zh}")


@org_group.command("add-street")
@click.argument("district")
@click.argument("code")
@click.argument("name_zh")
@click.option("--kind", type=click.Choice(places.KINDS), default="street",
              help="town (镇) or street office (街道)")
@click.option("--en", "name_en", default="", help="English name")
def add_street(district, code, name_zh, kind, name_en):
    """Add a town or street office under DISTRICT (code or Chinese name)."""
    street = _committed(lambda: places.add_street(district, code, name_zh, name_en, kind))
    click.echo(f"added {street.kind} {code} {name_zh} in {street.district}")


@org_group.command("add-department")
@click.argument("code")
@click.argument("name_zh")
@click.option("--en", "name_en", default="", help="English name")
def add_department(code, name_zh, name_en):
    """Add a joint-review department."""
    _committed(lambda: places.add_department(code, name_zh, name_en))
    click.echo(f"added department {code} {name_zh}")


@org_group.command("rename")
@click.argument("kind", type=click.Choice(["district", "street", "department"]))
@click.argument("code")
@click.argument("name_zh")
@click.option("--en", "name_en", default="", help="English name")
def rename(kind, code, name_zh, name_en):
    """Give a district, street or department new names (its code stays)."""
    action = {"district": places.rename_district, "street": places.rename_street,
              "department": places.rename_department}[kind]
    _committed(lambda: action(code, name_zh, name_en))
    click.echo(f"renamed {kind} {code} to {name_zh}")


@users_group.command("change")
@click.argument("username")
@click.option("--role", default=None)
@click.option("--district", default=None, help="code or Chinese name; '' for none")
@click.option("--department", default=None, help="code or Chinese name; '' for none")
@click.option("--street", default=None, help="town/street code or Chinese name; '' for none")
@click.option("--name", "display_name", default=None)
@click.option("--email", default=None)
@click.option("--dry-run", is_flag=True, help="only show the tasks that would be released")
def change(username, dry_run, **given):
    """Change an official's role or office; claimed tasks they can no longer act on go back
    to their office's queue."""
    values = {k: v for k, v in given.items() if v is not None}
    if dry_run:
        preview = _committed(lambda: officials.preview_change(username, values))
        click.echo(f"would release: {', '.join(str(t.id) for t in preview['released']) or 'none'}")
        return
    result = _committed(lambda: officials.change_official(username, values))
    user = result["official"]
    click.echo(f"changed {username}: {user.role} {user.district or '(city)'} "
               f"{user.department or ''} {user.street or ''}; tasks back in the queue: "
               f"{', '.join(str(t.id) for t in result['released']) or 'none'}")


@users_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_users(file):
    """Add the officials of an XLSX sheet (username, name, role, district, department,
    street, email, password), all or none."""
    with open(file, "rb") as handle:
        created = _committed(lambda: officials.import_officials(handle))
    click.echo(f"{len(created)} officials added")


def register(app):
    """Attach `flask org`."""
    app.cli.add_command(org_group)
