"""Database models, one module per concern."""
from .attachments import Attachment
from .audit import AuditEvent
from .browser_sessions import BrowserSession
from .calendar import CalendarDay
from .definitions import ProcessDefinition
from .drafts import ProcessDraft
from .escalations import Escalation, TitleCertificate
from .housing import HousingUnit, OverdueCase
from .households import Household
from .notifications import Notification, OutboxEmail
from .operations import SchedulerHeartbeat
from .people import Department, District, Street, User
from .projects import Project
from .reports import JobRun, MonthlyReport
from .security import AccountSecurity, SecuritySetting, SigninThrottle
from .tasks import Task

__all__ = ["Attachment", "AuditEvent", "BrowserSession", "ProcessDefinition", "ProcessDraft", "Department", "District", "Street", "User",
           "Project", "Task", "CalendarDay", "Escalation", "TitleCertificate",
           "Notification", "OutboxEmail", "JobRun", "MonthlyReport", "HousingUnit", "OverdueCase",
           "Household", "SchedulerHeartbeat",
           "AccountSecurity", "SecuritySetting", "SigninThrottle"]
