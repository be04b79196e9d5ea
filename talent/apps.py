from registers.apps import RegisterAppConfig


class TalentConfig(RegisterAppConfig):
    default = True
    name = "talent"
    verbose_name = "人才人事"
