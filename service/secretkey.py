"""The key that signs sessions and API tokens when SECRET_KEY is not set.

A key published with the code would let anyone who reads it sign a token for any user: when
the environment gives none, each installation makes its own, random, once, and keeps it in a
file only the service's account can read, so every process of the installation (web workers,
the scheduler, CLI commands) signs with the same key.
"""
import os
import secrets
from pathlib import Path


def installation_key(path):
    """The key stored at `path`, made by the first process that needs it."""
    path = Path(path)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_urlsafe(48))
    try:
        # A hard link appears whole or not at all, and not over a key another process made
        # first: then that one is the installation's key.
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    return _read(path)


def _read(path):
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"the secret key file {path} is empty: delete it or set SECRET_KEY")
    return key
