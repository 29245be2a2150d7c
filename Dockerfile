# The dashboard as a container: slim Python 3.11, runtime dependencies only, run as a non-root user.
# Build:  docker build -t khwaste-dashboard .
# Run:    docker run --rm -p 8501:8501 khwaste-dashboard      (then open http://localhost:8501)
# Chromium, pytest and the other dev tools are NOT installed: tests and benchmarks run outside the image.
FROM python:3.11-slim

# No .pyc files in the image, unbuffered logs (docker logs shows them at once), no pip version check, no file
# watcher (the image's code never changes; a watcher only costs CPU and inotify handles).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

# A fixed, unprivileged user; the app never needs root.
RUN groupadd --system --gid 10001 app && \
    useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so that a code or data change does not reinstall them (layer cache).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# Only the app's own files (see .dockerignore: no tests/, bench/, .git, data/_build, artifacts).
COPY .streamlit/ .streamlit/
COPY dashboard.py ./
COPY app_pages/ app_pages/
COPY components/ components/
COPY core/ core/
COPY locales/ locales/
COPY static/ static/
COPY data/ data/

# Files stay owned by root and read-only for the app user. data/_build is the one writable place: the loader
# writes its Parquet copies there when it can and carries on without them when it cannot (e.g. a read-only
# root filesystem in Kubernetes).
RUN mkdir -p data/_build && chown app:app data/_build && chmod -R a+rX /app

USER app

EXPOSE 8501

# curl is not in slim images; Python's urllib is. /_stcore/health answers 200 "ok" once the server is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4).status == 200 else 1)"

# 0.0.0.0 inside the container only; what is reachable from outside is decided by `-p` or the orchestrator.
CMD ["streamlit", "run", "dashboard.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
