"""Backups that restore: the database (SQLite's online backup API, or pg_dump/pg_restore for
PostgreSQL), the uploaded files and the secret key file in one dated .tar.gz with a manifest
of sha256 sums. A restore checks the manifest first, puts everything back, then checks every
attachment's recorded sha256 and the audit hash chain before it reports success.

Only `service/database.py`-style dialect knowledge lives here: the two ways to copy a database.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Attachment
from ..errors import Invalid
from ..runtime import runtime

MANIFEST = "manifest.json"
FORMAT = 1


class RestoreFailed(Exception):
    """The archive or the restored data failed a check; the message says which."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _kind():
    return db.engine.url.get_backend_name()


def _libpq_url():
    """The database URL as pg_dump/pg_restore take it (no SQLAlchemy driver part)."""
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _dump_database(target):
    """Copy the database into `target` (a consistent snapshot while the service runs)."""
    if _kind() == "sqlite":
        source = sqlite3.connect(db.engine.url.database)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # the online backup API: readers and writers may go on
        finally:
            copy.close()
            source.close()
        return "database.sqlite"
    if _kind() == "postgresql":
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target),
                        "--dbname", _libpq_url()], check=True, capture_output=True, timeout=3600)
        return "database.pgdump"
    raise Invalid(f"backups of {_kind()} databases are not supported",
                  errors={"database": ["SQLite or PostgreSQL (pg_dump)"]})


def backup(directory):
    """Write a dated archive into `directory`; returns (path, manifest)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = runtime().clock.now_naive()
    stamp = f"{now:%Y%m%d-%H%M%S}"
    with tempfile.TemporaryDirectory(dir=directory) as staging:
        staging = Path(staging)
        members = {}
        name = _dump_database(staging / "db")
        (staging / "db").rename(staging / name)
        members[name] = staging / name
        uploads = Path(current_app.config["UPLOAD_DIR"])
        if uploads.is_dir():
            for path in sorted(p for p in uploads.rglob("*") if p.is_file()):
                members[f"uploads/{path.relative_to(uploads).as_posix()}"] = path
        key_file = Path(current_app.config["SECRET_KEY_FILE"])
        if key_file.is_file():
            members["secret_key"] = key_file
        manifest = {"format": FORMAT, "created_at": now.isoformat() + "Z", "database": name,
                    "files": {member: _sha256(path) for member, path in members.items()}}
        archive = directory / f"resettlement-backup-{stamp}.tar.gz"
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            for member, path in members.items():
                tar.add(path, arcname=member, recursive=False)
        os.chmod(partial, 0o600)  # it holds the secret key and personal data
        partial.rename(archive)  # a half-written archive never carries the final name
    return archive, manifest


def _unpack(archive, into):
    """Extract and check every member against the manifest; returns the manifest."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise RestoreFailed(f"not a backup archive: {exc}") from None
    with tar:
        names = tar.getnames()
        if MANIFEST not in names:
            raise RestoreFailed("the archive has no manifest")
        manifest = json.load(tar.extractfile(MANIFEST))
        listed = set(manifest.get("files", {}))
        extra = set(names) - listed - {MANIFEST}
        if extra:
            raise RestoreFailed(f"files not in the manifest: {', '.join(sorted(extra))}")
        for member in tar.getmembers():
            target = (into / member.name).resolve()
            if not member.isfile() or into.resolve() not in target.parents:
                raise RestoreFailed(f"unsafe member {member.name!r}")
        tar.extractall(into, filter="data")
    for member, expected in manifest["files"].items():
        path = into / member
        if not path.is_file():
            raise RestoreFailed(f"{member} is listed in the manifest but missing")
        if _sha256(path) != expected:
            raise RestoreFailed(f"{member} does not match its sha256 in the manifest")
    return manifest


def _load_database(path, name):
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old data open
    if name == "database.sqlite" and _kind() == "sqlite":
        source, live = sqlite3.connect(path), sqlite3.connect(db.engine.url.database)
        try:
            with live:
                source.backup(live)  # page by page into the live file, under its lock
        finally:
            live.close()
            source.close()
    elif name == "database.pgdump" and _kind() == "postgresql":
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--dbname", _libpq_url(), str(path)], check=True, capture_output=True,
                       timeout=3600)
    else:
        raise RestoreFailed(f"{name} cannot be restored into a {_kind()} database")


def _replace_directory(source, target):
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True)


def check_restored():
    """Every attachment's file against its recorded sha256, and the audit chain; a list of
    problems (empty when all is well) and the counts checked."""
    from ..records.attachments import file_path
    problems, count = [], 0
    for row in db.session.scalars(select(Attachment).order_by(Attachment.id)):
        count += 1
        path = file_path(row)
        if not path.is_file():
            problems.append(f"attachment {row.id} ({row.filename}): file missing")
        elif _sha256(path) != row.sha256:
            problems.append(f"attachment {row.id} ({row.filename}): sha256 differs")
    chain = _verify_audit()
    if chain is not None and not chain["ok"]:
        problems.append(f"audit trail: {chain['first_break']['message']}")
    return problems, {"attachments": count, "audit_rows": (chain or {}).get("checked")}


def _verify_audit():
    try:
        from ..records.chain_check import verify
    except ImportError:  # an installation without the hash chain: nothing more to check
        return None
    return verify()


def restore(archive):
    """Check `archive`, put back the database, uploads and secret key, check the result;
    RestoreFailed names the first problem. Returns the manifest and the counts checked."""
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        manifest = _unpack(archive, workdir)
        _load_database(workdir / manifest["database"], manifest["database"])
        _replace_directory(workdir / "uploads", current_app.config["UPLOAD_DIR"])
        if (workdir / "secret_key").is_file():
            key_file = Path(current_app.config["SECRET_KEY_FILE"])
            key_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(workdir / "secret_key", key_file)
            os.chmod(key_file, 0o600)
    problems, counts = check_restored()
    if problems:
        raise RestoreFailed("; ".join(problems))
    return manifest, counts
