"""Thin tasks. Beat runs the purge hourly (qianjiang_hrss/celery.py); safe to run twice."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from .drafts import report_drafts_purge


@shared_task(name="reporting.tasks.purge_report_drafts", acks_late=True)
def purge_report_drafts() -> dict[str, int]:
    """Previews never confirmed, and upload files no row points at, past REPORT_DRAFT_RETENTION_HOURS."""
    return asdict(report_drafts_purge())
