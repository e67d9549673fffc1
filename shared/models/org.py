"""Org units (a tree with materialised paths), users, roles, teams."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced

LEVELS = ("hq", "province", "prefecture", "county")

ROLES: dict[str, tuple[str, str]] = {
    "service_desk": ("服务台坐席(一线)", "Service desk agent (tier 1)"),
    "desktop_ops": ("二线桌面运维", "Desktop support (tier 2)"),
    "sysadmin": ("三线系统管理员", "System administrator (tier 3)"),
    "vendor": ("厂商工程师", "Vendor engineer"),
    "inspector": ("机房巡检员", "Machine-room inspector"),
    "dispatcher": ("调度员", "Dispatcher"),
    "duty_lead": ("值班长", "Duty lead"),
    "change_manager": ("变更经理", "Change manager"),
    "approver": ("审批人", "Approver"),
    "service_manager": ("服务经理", "Service manager"),
    "admin": ("管理员", "Administrator"),
}


class OrgUnit(Synced, Base):
    """One office of the tree. ``path`` is ``/HQ/GD/SZ/LH/``; ``code`` is the last segment."""

    __tablename__ = "org_units"
    __sync_scope__: ClassVar[str] = "global"

    path: Mapped[str] = mapped_column(String(255), unique=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    level: Mapped[str] = mapped_column(String(16))
    parent_path: Mapped[str | None] = mapped_column(String(255), nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class User(Synced, Base):
    """A person. The password hash is a local credential cache: it never syncs."""

    __tablename__ = "users"
    __sync_local_only__: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    org_path: Mapped[str] = mapped_column(String(255), index=True)
    roles: Mapped[list] = mapped_column(default=list)
    phone: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)


class Team(Synced, Base):
    """A support group on one of the three lines (1 service desk, 2 desktop ops, 3 sysadmins/vendors)."""

    __tablename__ = "teams"

    name: Mapped[str] = mapped_column(String(120))
    line: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")


class TeamMember(Synced, Base):
    """Membership edge; id is uuid5(team, user) so two offline adds converge to one row."""

    __tablename__ = "team_members"

    team_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
