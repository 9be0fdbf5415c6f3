"""`flask audit verify|export-head`: check the tamper-evident audit trail."""
import click
from flask.cli import AppGroup

from .services.records.chain_check import export_head, heads_file, read_heads, verify

audit_group = AppGroup("audit", help="The audit trail and its hash chain.")


@audit_group.command("verify")
@click.option("--heads", "heads_path", type=click.Path(dir_okay=False), default=None,
              help="file of exported heads (default AUDIT_HEAD_FILE)")
def verify_command(heads_path):
    """Walk the whole chain; report the first row where it breaks (exit status 1)."""
    heads = read_heads(heads_path or heads_file())
    result = verify(heads=heads)
    if result["ok"]:
        click.echo(f"audit chain intact: {result['checked']} rows, head {result['last']} "
                   f"{result['head']['hash'][:16]}, {len(heads)} exported head(s) matched")
        return
    problem = result["first_break"]
    raise click.ClickException(f"audit chain broken: {problem['message']} "
                               f"({result['checked']} rows verified before it)")


@audit_group.command("export-head")
def export_head_command():
    """Log the chain head and append it to AUDIT_HEAD_FILE (the scheduler does this hourly)."""
    item = export_head()
    click.echo(f"audit chain head {item['seq']} {item['hash']}")
