"""The project's Celery app for the tests that kill a worker mid-task (test_real_worker.py).

`celery -A tests.flags.slow_worker worker` runs the project's own tasks, but holds each flags task for a
minute before it starts, so that a test can kill the worker while the task is taken and not yet
acknowledged. Production code knows nothing of it.
"""

import time

from celery.signals import task_prerun

from crps_tracker.celery import app

HOLD_SECONDS = 60
HELD = {"flags.tasks.evaluate_patient", "flags.tasks.evaluate_chunk"}


@task_prerun.connect
def hold(sender=None, **kwargs) -> None:
    if sender is not None and sender.name in HELD:
        time.sleep(HOLD_SECONDS)


__all__ = ["app"]
