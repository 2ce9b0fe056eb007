# The Rasa server image (Python 3.10, requirements/rasa.lock.txt): `rasa run` with the
# production endpoints and channels. Build from the repository root after `./yuban train`:
#   docker build -f deploy/docker/rasa.Dockerfile -t yuban-rasa .
FROM python:3.10-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 YUBAN_LISTEN_HOST=0.0.0.0
WORKDIR /app
COPY requirements/rasa.lock.txt requirements/rasa.lock.txt
RUN pip install --no-cache-dir -r requirements/rasa.lock.txt
# Only what the Rasa process imports or reads (tests/tooling/test_docker_images.py checks it):
# custom NLU component and stores (bot/), channels, the shared core and monitoring, the
# text normalizer the NLU component uses (not the rest of knowledge/), the launcher
# (tooling/), its configuration and the trained model.
COPY core/ core/
COPY monitoring/ monitoring/
COPY bot/ bot/
COPY channels/ channels/
COPY knowledge/__init__.py knowledge/normalize.py knowledge/
COPY reminders/__init__.py reminders/settings.py reminders/
COPY tooling/ tooling/
COPY config.yml ./
COPY deploy/ deploy/
COPY models/yuban.tar.gz models/yuban.tar.gz
USER 1000:1000
EXPOSE 5005
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/webhooks/ops/ready', timeout=4)"
# One Rasa server per container; scale with replicas (docker-compose.yml, k8s.yaml).
CMD ["python", "-m", "tooling.prod.launch", "rasa", "--host", "0.0.0.0"]
