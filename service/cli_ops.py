"""`flask backup` and `flask restore`: one dated archive, checked before it is trusted."""
import click

from .services.operations import backup as backups


def register(app):
    """Attach the commands."""

    @app.cli.command("backup")
    @click.option("--to", "directory", default="backups", show_default=True,
                  type=click.Path(file_okay=False), help="directory for the archive")
    def backup_command(directory):
        """Write the database, uploaded files and secret key into a dated archive with a
        manifest of sha256 sums."""
        try:
            archive, manifest = backups.backup(directory)
        except Exception as exc:  # noqa: BLE001 - the operator needs the reason, not a trace
            raise click.ClickException(f"backup failed: {exc}") from None
        click.echo(f"{archive}: {manifest['database']}, {len(manifest['files']) - 1} other "
                   f"files, manifest with sha256 sums")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="replace this installation's data without asking")
    def restore_command(archive, yes):
        """Replace the database, uploaded files and secret key with ARCHIVE's, after checking
        its manifest; then check every attachment and the audit trail. Stop the web server
        and the scheduler first."""
        if not yes:
            click.confirm("This replaces the database, the uploaded files and the secret key. "
                          "Go on?", abort=True)
        try:
            manifest, counts = backups.restore(archive)
        except backups.RestoreFailed as exc:
            raise click.ClickException(f"restore failed: {exc}") from None
        audit = counts["audit_rows"]
        click.echo(f"restored the backup of {manifest['created_at']}: {counts['attachments']} "
                   f"attachments match their sha256"
                   + (f", audit chain intact ({audit} rows)" if audit is not None else ""))
