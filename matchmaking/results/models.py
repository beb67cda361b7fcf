"""What the funded companies became: follow-up reports and the requests for them.

A funded round's company is asked every six months after ``funded_on``
(``ReportRequest``, one row per proposal and period, so the request command
sends each once); the founder (or an organiser on the founder's behalf,
``on_behalf``) files a ``ResultReport``; the founder or an organiser may
correct it later (``changed_by``, ``changed_at``), an organiser delete it. The jobs given at submission
(``Proposal.jobs_now`` and ``jobs_in_3_years``) are the baseline.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import User
from matchmaking.extensions import UTCDateTime, db, utcnow
from matchmaking.proposals.models import Proposal


class ReportRequest(db.Model):  # type: ignore[name-defined,misc]
    """The n-th six-monthly request for a report (``period`` 1 = six months after funding)."""

    __tablename__ = "report_request"
    __table_args__ = (UniqueConstraint("proposal_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    period: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship()


class ResultReport(db.Model):  # type: ignore[name-defined,misc]
    """One follow-up report: the company as of ``as_of``."""

    __tablename__ = "result_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("report_request.id"))
    as_of: Mapped[date] = mapped_column(Date)
    # Full-time equivalents employed now (one decimal, e.g. 2.5).
    employees: Mapped[float] = mapped_column(Float)
    revenue_12m: Mapped[int] = mapped_column(BigInteger)
    capital_since: Mapped[int] = mapped_column(BigInteger, default=0)
    words: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Entered by an organiser for the founder (shown as such).
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who last corrected it and when (empty until someone does).
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship()
    request: Mapped[ReportRequest | None] = relationship()
    entered_by: Mapped[User] = relationship(foreign_keys=[entered_by_id])
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])
