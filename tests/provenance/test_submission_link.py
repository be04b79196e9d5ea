"""A figure's history names the township report its approval came from (FigureChange.submission_pk),
written by the approval itself; history recorded before is linked once from its note."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from indicators.models import Channel, FigureChange
from tests.provenance.conftest import JOBS


def test_an_approved_report_names_itself_in_the_history_of_each_figure_it_set(reported):
    change = FigureChange.objects.get(indicator__code=JOBS, month=11, channel=Channel.UPLOAD)
    assert change.submission_pk == reported["approved"].pk
    assert change.new_value == 120


def test_figures_from_other_doors_name_no_report(jobs):
    assert FigureChange.objects.exists()
    assert not FigureChange.objects.filter(submission_pk__isnull=False).exists()


def test_history_written_before_the_link_is_linked_from_its_note_once(reported):
    FigureChange.objects.update(submission_pk=None)
    orphan = FigureChange.objects.create(
        subject="value", indicator=reported["approved"].values.first().indicator, org_unit=reported["approved"].township,
        year=2024, month=10, channel=Channel.UPLOAD, note="月报第1版(提交#999999)",
    )  # fmt: skip
    migration = importlib.import_module("reporting.migrations.0008_figurechange_submission")
    migration._link_approved_changes(apps, None)
    change = FigureChange.objects.get(indicator__code=JOBS, month=11, channel=Channel.UPLOAD)
    assert change.submission_pk == reported["approved"].pk
    orphan.refresh_from_db()
    assert orphan.submission_pk is None  # no such report: left unlinked


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the foreign key is PostgreSQL's")
def test_on_postgresql_a_history_row_cannot_name_a_report_that_does_not_exist(reported):
    change = FigureChange.objects.get(indicator__code=JOBS, month=11, channel=Channel.UPLOAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureChange.objects.filter(pk=change.pk).update(submission_pk=999999)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
