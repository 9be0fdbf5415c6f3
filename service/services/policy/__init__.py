"""Policy: deployed process versions, drafts, comparisons and migration of running projects."""
