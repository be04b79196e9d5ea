from importlib import import_module
from pathlib import Path

from django.apps import AppConfig


class RegistersConfig(AppConfig):
    # This module holds two configs: Django takes the one marked default.
    default = True
    name = "registers"
    verbose_name = "业务台账(公共)"


class RegisterAppConfig(AppConfig):
    """A domain app of registers (employment, social insurance, talent, labour relations). On start it
    declares its indicators (the table indicators.tsv: indicators.catalog.specs_from_table) and then
    the feeds that produce them from its registers (its feeds.py, FEEDS): the feeds name indicators
    declared first. A subclass is marked
    `default = True`: its apps.py holds this class too, and Django takes the config marked default."""

    def ready(self) -> None:
        from indicators.catalog import register, specs_from_table
        from indicators.feeds import feed

        register(*specs_from_table(Path(self.path) / "indicators.tsv"))
        feed(*import_module(f"{self.name}.feeds").FEEDS)
