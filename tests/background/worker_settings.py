"""Settings of the worker processes that tests start: the test settings, plus the periodic jobs
that TEST_PERIODIC_JOBS gives as JSON (FACTCHECK_PERIODIC_JOBS is code, not environment)."""

import json
import os

from tests.settings import *  # noqa: F403

FACTCHECK_PERIODIC_JOBS = json.loads(os.environ.get("TEST_PERIODIC_JOBS", "{}"))
