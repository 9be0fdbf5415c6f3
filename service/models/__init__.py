"""Database models, one module per concern."""
from .audit import AuditEvent
from .definitions import ProcessDefinition
from .people import Department, District, User
from .projects import Project, ProjectState
from .tasks import Task

__all__ = ["AuditEvent", "ProcessDefinition", "Department", "District", "User", "Project",
           "ProjectState", "Task"]
