#!/usr/bin/env bash
# Smoke check of a production-like deployment: gunicorn (deploy/gunicorn.conf.py) and a worker
# (manage.py run_worker) with DJANGO_DEBUG=false against a fresh PostgreSQL database, checked
# over HTTP by deploy/smoke_check.py (login page, a sign-in, a task the worker runs). Stops both
# processes and drops the database however it ends. .ci/run calls it last; alone:
#   PYTHON=/path/to/venv/bin/python deploy/smoke_check.sh
# PYTHON defaults to .venv/bin/python; SMOKE_ADMIN_URL names a PostgreSQL server and a role
# that may create databases (default postgresql://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
PYTHON=${PYTHON:-.venv/bin/python}
admin_url=${SMOKE_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
db="factcheck_smoke_$(date +%s)_$$"
work=$(mktemp -d -t factcheck-smoke.XXXXXX)
web_pid="" worker_pid=""

sql() { "$PYTHON" -c "import psycopg,sys; psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])" "$admin_url" "$1"; }

stop() {  # SIGTERM, then SIGKILL after 30 s
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "smoke: $pid did not stop on SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  stop "$web_pid"; stop "$worker_pid"
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    for log in "$work"/gunicorn.log "$work"/worker.log; do
      [ -f "$log" ] && { echo "--- last lines of $(basename "$log")" >&2; tail -n 40 "$log" >&2; }
    done
  fi
  sql "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || echo "smoke: could not drop $db" >&2
  rm -rf "$work"
  echo "=== Smoke check $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - started)) s"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$("$PYTHON" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
password="smoke-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
# Production settings, but plain HTTP on loopback (DJANGO_HTTPS=false: no redirect, no secure
# cookies) and no second factor for the smoke user (FACTCHECK_REQUIRE_2FA=false), so a script
# can sign in; everything else as deploy/factcheck.env.example has it.
export DJANGO_SETTINGS_MODULE=factcheck.settings
export DJANGO_DEBUG=false DJANGO_HTTPS=false FACTCHECK_REQUIRE_2FA=false
export SECRET_KEY="smoke-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1 CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$port"
export FACTCHECK_SITE_URL="http://127.0.0.1:$port"
export DATABASE_URL="postgres://${admin_url#postgresql://}" && DATABASE_URL="${DATABASE_URL%/*}/$db"
export TASKS_URL=database CACHE_URL=database EMAIL_URL="file://$work/mail"
export STATIC_ROOT="$work/static" AUDIT_CHECKPOINT_DIR="$work/checkpoints"
export GUNICORN_BIND="127.0.0.1:$port" GUNICORN_WORKERS=2

echo "=== Smoke check: database $db, gunicorn on 127.0.0.1:$port"
sql "CREATE DATABASE \"$db\""
"$PYTHON" manage.py migrate --no-input -v 0
"$PYTHON" manage.py collectstatic --no-input -v 0
SMOKE_PASSWORD="$password" "$PYTHON" manage.py shell -v 0 -c "
import os
from django.contrib.auth.models import Group, User
from claims.permissions import EDITORS_GROUP
user = User.objects.create_user('smoke', 'smoke@example.org', os.environ['SMOKE_PASSWORD'])
user.groups.add(Group.objects.get(name=EDITORS_GROUP))
"

"$PYTHON" -m gunicorn -c deploy/gunicorn.conf.py >"$work/gunicorn.log" 2>&1 &
web_pid=$!
"$PYTHON" manage.py run_worker >"$work/worker.log" 2>&1 &
worker_pid=$!

timeout 180 "$PYTHON" deploy/smoke_check.py --url "http://127.0.0.1:$port" \
  --username smoke --password "$password" --email smoke@example.org --mail-dir "$work/mail"
for name in web worker; do
  pid_var="${name}_pid"
  kill -0 "${!pid_var}" 2>/dev/null || { echo "smoke: the $name process died" >&2; exit 1; }
done
