from django.core.management.base import BaseCommand

from orgs.services import org_units_load_reference


class Command(BaseCommand):
    help = "载入潜江市及23个区镇街道的区划代码(可重复运行)。"

    def handle(self, *args, **options):
        city, townships = org_units_load_reference()
        self.stdout.write(f"{city.name}及 {len(townships)} 个区镇街道已就绪。")
