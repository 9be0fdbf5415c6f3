"""Service functions: one per user action, each one database transaction."""
