FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MONITOR_DB=/data/monitor.sqlite3 \
    MONITOR_CONFIG=/app/feeds.yaml

WORKDIR /app
COPY pyproject.toml README.md ./
COPY db ./db
COPY monitor ./monitor
COPY feeds.yaml facts.yaml ./
RUN pip install . \
    && useradd --create-home --uid 10001 monitor \
    && mkdir -p /data \
    && chown monitor:monitor /data

USER monitor
VOLUME ["/data"]
# Relative paths of feeds.yaml (the digest folder) land on the volume.
WORKDIR /data
HEALTHCHECK --interval=5m --timeout=30s --start-period=20m CMD ["monitor", "health", "--max-age", "15m"]
CMD ["monitor", "daemon"]
