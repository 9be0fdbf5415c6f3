"""Operations: readiness checks, the scheduler heartbeat, figures for /metrics."""
