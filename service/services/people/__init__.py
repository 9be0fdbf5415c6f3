"""People: officials, sign-in and account changes."""
