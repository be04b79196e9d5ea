from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def lockout_wait(delta: timedelta) -> str:
    """30分钟, 1小时, 1小时30分钟: how long a locked-out person waits, as people say it."""
    minutes = max(1, round(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    return (f"{hours}小时" if hours else "") + (f"{minutes}分钟" if minutes else "")
