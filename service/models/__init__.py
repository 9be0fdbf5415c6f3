"""Database models, one module per concern."""
from .attachments import Attachment
from .audit import AuditEvent
from .definitions import ProcessDefinition
from .people import Department, District, User
from .projects import Project, ProjectState
from .tasks import Task

__all__ = ["Attachment", "AuditEvent", "ProcessDefinition", "Department", "District", "User", "Project",
           "ProjectState", "Task"]
