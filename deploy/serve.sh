#!/bin/sh
# The production server in one command: the scheduler as a process of its own and gunicorn
# with several workers (GUNICORN_WORKERS, default 2 x cores + 1) on the same database.
#
#   DATABASE_URL=postgresql://approval@db/approval SECRET_KEY_FILE=/var/lib/approval/secret_key \
#   UPLOAD_DIR=/var/lib/approval/uploads PROMETHEUS_MULTIPROC_DIR=/run/approval/metrics \
#   TRUSTED_PROXIES=1 deploy/serve.sh
#
# Run `flask --app service init-db` once before (and after every upgrade). Stopping this script
# (Ctrl-C, SIGTERM from systemd or docker) stops both processes.
set -eu
cd "$(dirname "$0")/.."
FLASK="${FLASK:-flask}"
GUNICORN="${GUNICORN:-gunicorn}"
export SCHEDULER_ENABLED=0  # the web workers leave the jobs to the scheduler process below
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then mkdir -p "$PROMETHEUS_MULTIPROC_DIR"; fi

# Not in the metrics directory: gunicorn empties it at its start, under the scheduler's feet.
env -u PROMETHEUS_MULTIPROC_DIR "$FLASK" --app service scheduler run &
scheduler=$!
trap 'kill -TERM "$scheduler" 2>/dev/null; wait "$scheduler" 2>/dev/null' EXIT INT TERM

"$GUNICORN" -c gunicorn.conf.py &
web=$!
trap 'kill -TERM "$web" "$scheduler" 2>/dev/null; wait "$web" "$scheduler" 2>/dev/null' EXIT INT TERM
# Either process ending ends the service, so a supervisor (systemd, docker) restarts it whole.
while kill -0 "$web" 2>/dev/null && kill -0 "$scheduler" 2>/dev/null; do sleep 5; done
exit 1
