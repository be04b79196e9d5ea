from registers.apps import RegisterAppConfig


class SocialInsuranceConfig(RegisterAppConfig):
    default = True
    name = "social_insurance"
    verbose_name = "社会保险"
