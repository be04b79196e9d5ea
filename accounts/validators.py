"""Django's password rules, saying so in Chinese whatever language the browser asks for: Django 5.2's
Chinese catalogue lacks the new wording of the length rule, and the portal speaks Chinese to everyone.
And the portal's own two (等保 身份鉴别: 口令复杂度, 不得重复使用): character classes, and none of the
last few passwords again."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


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


CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class CharacterClassesValidator:
    """At least `min_classes` of 大写字母, 小写字母, 数字, 符号 (a Chinese character counts as none of
    the letters' cases: it is alphanumeric to Python, so it adds no class)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = [name for name, test in CLASSES if any(test(c) and c.isascii() for c in password)]
        if len(found) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类"
                f"(现在只有{len(found)}类{':' + '、'.join(found) if found else ''})。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。"


class PasswordHistoryValidator:
    """Not the current password, nor any of the last `count` (accounts.PasswordHistory keeps their
    hashes: User.save writes one whenever a password is set)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None or self.count <= 0:
            return
        hashes = list(user.password_history.values_list("password", flat=True)[: self.count])
        if any(check_password(password, h) for h in [user.password, *hashes] if h):
            raise ValidationError(
                f"不能使用最近{self.count}次用过的密码,请换一个新密码。", code="password_reused"
            )

    def get_help_text(self) -> str:
        return f"不能与最近{self.count}次用过的密码相同。"
