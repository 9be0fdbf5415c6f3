"""Approval: projects, their workflow instances and the tasks officials claim and complete."""
