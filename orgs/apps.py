from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "组织机构(区划)"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import OrgUnit
        from .selectors import org_cache_clear

        # The readers' short-lived cache of org units (selectors.org_by_code) forgets on any change.
        post_save.connect(org_cache_clear, sender=OrgUnit, dispatch_uid="org-cache-clear-save")
        post_delete.connect(org_cache_clear, sender=OrgUnit, dispatch_uid="org-cache-clear-delete")
