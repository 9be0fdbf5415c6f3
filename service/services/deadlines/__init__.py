"""Deadlines: working-day calendar, due dates, sweeps, escalations, certificates, reports."""
