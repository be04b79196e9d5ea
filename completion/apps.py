from django.apps import AppConfig


class CompletionConfig(AppConfig):
    name = "completion"
    verbose_name = "指标完成情况"

    def ready(self) -> None:
        from indicators.signals import figures_changed
        from orgs.signals import org_tree_changed

        from . import tasks  # noqa: F401 (registers the tasks services queues by name, in every process)
        from .services import completion_request_all_years, completion_request_recompute

        def _queue(sender, years, indicators=None, org_units=None, **kwargs):
            for year in years:
                completion_request_recompute(year=year, indicators=indicators, org_units=org_units)

        def _tree_changed(sender, **kwargs):
            completion_request_all_years()

        figures_changed.connect(_queue, weak=False, dispatch_uid="completion-recompute-on-change")
        org_tree_changed.connect(_tree_changed, weak=False, dispatch_uid="completion-recompute-on-tree")
