"""SQLAlchemy 2 models of the catalog database.

Items carry the 三级四同 elements; implementations carry what differs per region.
Lists that are only ever read whole (conditions, topics, scope) are JSON columns;
what is edited on its own or queried (aliases, materials, windows) has its own table.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class RegionRow(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[str] = mapped_column(String(16))  # city | district | zone | township
    parent_code: Mapped[str | None] = mapped_column(String(12), nullable=True)


class ItemRow(Base):
    __tablename__ = "items"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    power_type: Mapped[str | None] = mapped_column(String(16))
    department: Mapped[str | None] = mapped_column(String(100), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[list] = mapped_column(JSON, default=list)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    legal_basis: Mapped[list] = mapped_column(JSON, default=list)
    statutory_limit: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[str | None] = mapped_column(Text)
    demonstration: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())

    aliases: Mapped[list[AliasRow]] = relationship(cascade="all, delete-orphan", order_by="AliasRow.position")
    materials: Mapped[list[MaterialRow]] = relationship(cascade="all, delete-orphan", order_by="MaterialRow.position")
    flow: Mapped[list[FlowStepRow]] = relationship(cascade="all, delete-orphan", order_by="FlowStepRow.position")
    faq: Mapped[list[FaqRow]] = relationship(cascade="all, delete-orphan", order_by="FaqRow.position")
    implementations: Mapped[list[ImplementationRow]] = relationship(
        cascade="all, delete-orphan", order_by="ImplementationRow.region_code")


class AliasRow(Base):
    __tablename__ = "item_aliases"
    __table_args__ = (UniqueConstraint("item_code", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("items.code", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)


class MaterialRow(Base):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("items.code", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    condition: Mapped[str | None] = mapped_column(Text)
    form: Mapped[str | None] = mapped_column(String(16))
    copies: Mapped[int | None] = mapped_column(Integer)
    medium: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(100))
    waived: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)


class FlowStepRow(Base):
    __tablename__ = "flow_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("items.code", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    time_limit: Mapped[str | None] = mapped_column(String(100))


class FaqRow(Base):
    __tablename__ = "faqs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("items.code", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)


class ImplementationRow(Base):
    __tablename__ = "implementations"
    __table_args__ = (UniqueConstraint("item_code", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("items.code", ondelete="CASCADE"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    code: Mapped[str | None] = mapped_column(String(120))
    body: Mapped[str | None] = mapped_column(String(200))
    promised_limit: Mapped[str | None] = mapped_column(String(100))
    fee: Mapped[str | None] = mapped_column(String(8))
    fee_detail: Mapped[str | None] = mapped_column(Text)
    fee_basis: Mapped[str | None] = mapped_column(Text)
    consult_phone: Mapped[str | None] = mapped_column(String(100))
    supervision_phone: Mapped[str | None] = mapped_column(String(100))
    online_depth: Mapped[str | None] = mapped_column(String(8))
    online_url: Mapped[str | None] = mapped_column(String(500))
    trips: Mapped[int | None] = mapped_column(Integer)
    express: Mapped[bool | None] = mapped_column(Boolean)
    appointment: Mapped[bool | None] = mapped_column(Boolean)
    scope: Mapped[list] = mapped_column(JSON, default=list)
    verified: Mapped[date | None] = mapped_column(Date)
    local_name: Mapped[str | None] = mapped_column(String(200))
    local_power_type: Mapped[str | None] = mapped_column(String(16))
    local_materials: Mapped[list | None] = mapped_column(JSON)

    windows: Mapped[list[WindowRow]] = relationship(cascade="all, delete-orphan", order_by="WindowRow.position")


class WindowRow(Base):
    __tablename__ = "windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    implementation_id: Mapped[int] = mapped_column(ForeignKey("implementations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    directions: Mapped[str | None] = mapped_column(Text)


class BundleRow(Base):
    """A life-event bundle (一件事一次办); its steps point at items by code, without a
    foreign key, so republishing an item keeps the bundle and `check` reports dangling steps."""

    __tablename__ = "bundles"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    lead_department: Mapped[str | None] = mapped_column(String(100))
    window: Mapped[str | None] = mapped_column(String(300))
    city_window: Mapped[str | None] = mapped_column(String(300))
    form: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    promised_limit: Mapped[str | None] = mapped_column(String(100))
    verified: Mapped[date | None] = mapped_column(Date)
    demonstration: Mapped[bool] = mapped_column(Boolean, default=False)

    aliases: Mapped[list[BundleAliasRow]] = relationship(cascade="all, delete-orphan", order_by="BundleAliasRow.position")
    steps: Mapped[list[BundleStepRow]] = relationship(cascade="all, delete-orphan", order_by="BundleStepRow.position")


class BundleAliasRow(Base):
    __tablename__ = "bundle_aliases"
    __table_args__ = (UniqueConstraint("bundle_code", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_code: Mapped[str] = mapped_column(ForeignKey("bundles.code", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)


class BundleStepRow(Base):
    __tablename__ = "bundle_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_code: Mapped[str] = mapped_column(ForeignKey("bundles.code", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(40), index=True)
    optional: Mapped[bool] = mapped_column(Boolean, default=False)
    condition: Mapped[str | None] = mapped_column(Text)


class CatalogStateRow(Base):
    """A single row whose version grows with every published change, so search can reload."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class FeedbackRow(Base):
    """A usefulness vote (有用/没用) on an answer; the sender is stored only as a hash."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    sender_hash: Mapped[str] = mapped_column(String(64))
    item_code: Mapped[str | None] = mapped_column(String(40), index=True)
    aspect: Mapped[str | None] = mapped_column(String(20))
    useful: Mapped[bool] = mapped_column(Boolean)
