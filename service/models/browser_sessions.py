"""Signed-in browser sessions, kept on the server so that one can end before its cookie does."""
import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class BrowserSession(db.Model):
    """One sign-in at the desk. The signed cookie carries only `id`; the cookie alone opens
    nothing once the row is ended (logout), the official's token_version has moved on (a
    password change or reset, disabling) or the session is older than its lifetime."""
    __tablename__ = "browser_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_version: Mapped[int]
    created_at: Mapped[dt.datetime]
    # Set at sign-in; an idle timeout can move it on with each request.
    last_seen_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
