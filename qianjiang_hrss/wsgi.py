import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_hrss.settings.production")

django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the app: settings are loaded by now)

from common.uploads import too_large_message  # noqa: E402
from common.wsgi import BodyLimit  # noqa: E402

application = BodyLimit(
    django_application, limit=settings.REQUEST_MAX_BODY_BYTES, message=too_large_message()
)
