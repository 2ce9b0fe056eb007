# The image of our own services (Python 3.10, requirements/actions.lock.txt): the action
# server, the local progress service, the console and the reminder notifier; the command picks one:
#   docker build -f deploy/docker/app.Dockerfile -t yuban-app .
#   docker run yuban-app python -m tooling.prod.launch actions|progress|console|reminders --host 0.0.0.0
FROM python:3.10-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app YUBAN_LISTEN_HOST=0.0.0.0
WORKDIR /app
COPY requirements/actions.lock.txt requirements/actions.lock.txt
RUN pip install --no-cache-dir -r requirements/actions.lock.txt
# What the entry points import (tests/tooling/test_docker_images.py checks it); bot/ for the
# sealing key check of the production settings.
COPY core/ core/
COPY monitoring/ monitoring/
COPY tooling/ tooling/
COPY actions/ actions/
COPY answers/ answers/
COPY progress_api/ progress_api/
COPY bot/ bot/
COPY console/ console/
COPY knowledge/ knowledge/
COPY progress_service/ progress_service/
COPY reminders/ reminders/
COPY data/catalog/ data/catalog/
COPY docs/progress-api.yaml docs/progress-api.yaml
COPY deploy/ deploy/
USER 1000:1000
EXPOSE 5055 8100 8000 8200
CMD ["python", "-m", "tooling.prod.launch", "actions", "--host", "0.0.0.0"]
