# The service as a container: the same gunicorn command and gunicorn.conf.py as deploy/serve.sh
# and the tests. compose.yaml runs it as `web` and `scheduler` next to PostgreSQL.

# 1. The bpmn-js bundle (service/static/dist).
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY assets ./assets
RUN npm run build

# 2. The wheel: catalogues compiled, bundle included (setup.py refuses to build without it).
FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY . .
COPY --from=assets /src/service/static/dist ./service/static/dist
RUN pip install --no-cache-dir "setuptools>=70.1" "Babel>=2.12" \
 && pip wheel --no-cache-dir --no-build-isolation --no-deps -w /wheels .

# 3. The service.
FROM python:3.11-slim-bookworm
# Chinese font for the PDF forms; pg_dump/pg_restore for `flask backup` / `flask restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-zenhei postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/approval --create-home approval
WORKDIR /app
COPY constraints.txt gunicorn.conf.py ./
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir -c constraints.txt /wheels/*.whl && rm -rf /wheels
ENV DATABASE_URL=postgresql://approval@db/approval \
    SECRET_KEY_FILE=/var/lib/approval/secret_key \
    UPLOAD_DIR=/var/lib/approval/uploads \
    AUDIT_HEAD_FILE=/var/lib/approval/audit-heads.jsonl \
    PROMETHEUS_MULTIPROC_DIR=/tmp/metrics \
    SCHEDULER_ENABLED=0 \
    GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_ACCESS_LOG= \
    LOG_FORMAT=json \
    PYTHONUNBUFFERED=1
USER approval
VOLUME /var/lib/approval
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "-c", "/app/gunicorn.conf.py"]
