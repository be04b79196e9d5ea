from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "通知与催报"

    def ready(self) -> None:
        # A report's confirm / return / approval tells the township or the bureau (reporting.events).
        from reporting.events import submission_events_subscribe

        from . import tasks  # noqa: F401 (registers the delivery task services queues by name)
        from .services import submission_event_notify

        submission_events_subscribe(submission_event_notify)
