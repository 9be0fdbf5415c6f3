"""Records: the audit trail, attachments, the archive export and list exports."""
