from django.core.management.base import BaseCommand, CommandError

from common.errors import PortalError
from completion.models import CompletionRun
from completion.services import completion_recompute


class Command(BaseCommand):
    help = "重新计算指标完成率(全年或某一月)。Recompute completion for a year or one month."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int)

    def handle(self, *args, year: int, month: int | None, **options):
        try:
            run = completion_recompute(year=year, month=month, trigger=CompletionRun.Trigger.COMMAND)
        except PortalError as exc:
            raise CommandError(exc.message) from exc
        seconds = (run.finished_at - run.started_at).total_seconds()
        scope = f"{year}年{month}月" if month else f"{year}年"
        self.stdout.write(f"{scope}:计算 {run.rows} 格,变化 {run.rows_changed} 格,用时 {seconds:.3f} 秒。")
