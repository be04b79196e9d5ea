"""Changing one's own password, in Chinese."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class PortalPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_incorrect": "原密码不正确,请重新输入。连续输错会像登录输错密码一样被暂时锁定。",
        "password_mismatch": "两次输入的新密码不一致。",
        "password_unchanged": "新密码不能与原密码相同。",
    }

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password2"].help_text = "请再输入一次新密码,以免输错。"
        for field in self.fields.values():
            field.error_messages["required"] = "请填写此项。"

    def clean(self) -> dict:
        cleaned = super().clean()
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            self.add_error(
                "new_password1",
                forms.ValidationError(self.error_messages["password_unchanged"], code="password_unchanged"),
            )
        return cleaned

    def wrong_old_password(self) -> bool:
        return self.has_error("old_password", "password_incorrect")
