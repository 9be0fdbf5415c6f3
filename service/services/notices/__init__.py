"""Notices: inbox notices, the e-mail outbox and its mailer."""
