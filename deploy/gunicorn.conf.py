"""gunicorn's settings for factcheck: ``gunicorn -c deploy/gunicorn.conf.py``.

Each value comes from the environment (the systemd unit's EnvironmentFile), with a default
for one machine behind nginx on the same host.
"""

import multiprocessing
import os

wsgi_app = "factcheck.wsgi:application"
# A loopback port (nginx in front) or a socket: unix:/run/factcheck/web.sock.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a request waits on the database, not on the CPU, so twice the cores, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a big export takes its time
graceful_timeout = 30
# A worker is replaced after this many requests, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# Whose X-Forwarded-* headers gunicorn trusts: the TLS proxy's address (Django also needs
# DJANGO_BEHIND_PROXY=true). "*" only when nothing but the proxy can reach the port.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Both logs to standard output and error: journald (or the CI's log file) keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client address as the proxy saw it; response time in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
proc_name = "factcheck-web"
