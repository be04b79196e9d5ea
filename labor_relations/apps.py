from registers.apps import RegisterAppConfig


class LaborRelationsConfig(RegisterAppConfig):
    default = True
    name = "labor_relations"
    verbose_name = "劳动关系"
