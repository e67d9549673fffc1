"""In-app notifications of the signed-in person (made by the province server, synced down)."""

from desktop.notifications.panel import NotificationsPanel

__all__ = ["NotificationsPanel"]
