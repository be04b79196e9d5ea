# Production image: gunicorn (web), celery worker and celery beat all run from it (see docker-compose.yml).

# Front-end libraries from the npm registry, pinned by package-lock.json (the bureau's network has no CDN).
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
COPY scripts/vendor-assets.sh scripts/
RUN npm ci --no-audit --no-fund && bash scripts/vendor-assets.sh

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=qianjiang_hrss.settings.production

WORKDIR /app

# pg_dump/pg_restore for `manage.py backup_portal` / `restore_portal` (the compose "backup" service):
# bookworm's client is PostgreSQL 15, the major version of the compose "postgres" service.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first so code changes do not invalidate this layer (psycopg2-binary needs no compiler).
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --system --create-home --uid 10001 app
COPY . .
COPY --from=assets /assets/vendor /app/vendor
# Code stays root-owned (read-only for the app); only collectstatic output and uploads are writable.
# collectstatic runs at container start, because production settings refuse to load without real secrets.
RUN mkdir -p /app/staticfiles /app/media && chown app:app /app/staticfiles /app/media

USER app
EXPOSE 8000
CMD ["gunicorn", "qianjiang_hrss.wsgi:application", "-b", "0.0.0.0:8000", "-w", "3"]
