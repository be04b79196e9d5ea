"""Django's password rules, saying so in Chinese whatever language the browser asks for: Django 5.2's
Chinese catalogue lacks the new wording of the length rule, and the portal speaks Chinese to everyone."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短,至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"密码至少{self.min_length}个字符。"


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    # Django fills %(verbose_name)s with the field's name (用户名, 名字, 电子邮件地址…).
    def get_error_message(self) -> str:
        return "密码与您的%(verbose_name)s太相似,请换一个。"

    def get_help_text(self) -> str:
        return "密码不能与用户名、姓名、电子邮箱等个人信息太相似。"


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "这个密码太常见,容易被猜中,请换一个。"

    def get_help_text(self) -> str:
        return "不能使用常见密码(如 password、12345678)。"


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字。"

    def get_help_text(self) -> str:
        return "密码不能全是数字。"
