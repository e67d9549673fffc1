"""All mapped models; importing this package registers every table on ``Base.metadata``."""

from __future__ import annotations

from shared.db.base import Base, Synced
from shared.models.attachments import Attachment, Blob
from shared.models.audit import AuditChain, AuditEvent, LoginAttempt
from shared.models.catalog import CatalogEntry, Measurement
from shared.models.cmdb import CIClassDef, CIRelation, ConfigItem, LifecycleRecord, RackUnit
from shared.models.forms import Facility, FormRecord, FormTemplate, MachineRoom, Plan, Rack, RoomLog
from shared.models.integrations import (
    AlertState,
    DirectoryAccount,
    Document,
    DocumentRead,
    EventApiKey,
    IntegrationSetting,
    MonitoringEvent,
    Notification,
    NotificationDelivery,
    NotificationPref,
    SyslogExport,
)
from shared.models.org import OrgUnit, Team, TeamMember, User
from shared.models.saved_filters import SavedFilter
from shared.models.sync import (
    ChangeLogEntry,
    Conflict,
    NodeState,
    NumberCounter,
    OutboxEntry,
    PushLog,
    SyncNode,
    SyncPeer,
)
from shared.models.tickets import Ticket, TicketEntry
from shared.models.work import KpiEntry, Report, SecurityEvent, Task, TaskAssignment, WorkEntry

# Synced entities by table name, in the canonical export / apply order (parents first).
SYNCED: dict[str, type[Synced]] = {
    cls.__tablename__: cls  # type: ignore[attr-defined]
    for cls in (OrgUnit, User, Team, TeamMember, CatalogEntry, CIClassDef, ConfigItem, CIRelation, RackUnit,
                LifecycleRecord, MachineRoom, Rack, Facility, RoomLog, FormTemplate, Plan,
                Ticket, TicketEntry, FormRecord, Measurement, Blob, Attachment, Conflict, AuditEvent,
                Task, TaskAssignment, WorkEntry, Report, SecurityEvent, KpiEntry,
                MonitoringEvent, Notification, NotificationPref, Document, DocumentRead, SavedFilter)
}


def entity_class(name: str) -> type[Synced]:
    try:
        return SYNCED[name]
    except KeyError:
        raise KeyError(f"unknown entity {name!r}") from None


__all__ = [
    "SYNCED",
    "AlertState",
    "Attachment",
    "AuditChain",
    "AuditEvent",
    "Base",
    "Blob",
    "CIRelation",
    "CatalogEntry",
    "ChangeLogEntry",
    "ConfigItem",
    "Conflict",
    "DirectoryAccount",
    "Document",
    "DocumentRead",
    "EventApiKey",
    "Facility",
    "FormRecord",
    "FormTemplate",
    "IntegrationSetting",
    "KpiEntry",
    "LoginAttempt",
    "MachineRoom",
    "Measurement",
    "MonitoringEvent",
    "NodeState",
    "Notification",
    "NotificationDelivery",
    "NotificationPref",
    "NumberCounter",
    "OrgUnit",
    "OutboxEntry",
    "Plan",
    "PushLog",
    "Rack",
    "Report",
    "RoomLog",
    "SecurityEvent",
    "SyncNode",
    "SyncPeer",
    "Synced",
    "SyslogExport",
    "Task",
    "TaskAssignment",
    "Team",
    "TeamMember",
    "Ticket",
    "TicketEntry",
    "User",
    "WorkEntry",
    "entity_class",
]
