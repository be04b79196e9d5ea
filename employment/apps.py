from registers.apps import RegisterAppConfig


class EmploymentConfig(RegisterAppConfig):
    default = True
    name = "employment"
    verbose_name = "就业"
