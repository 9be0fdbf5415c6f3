"""Bulk completion: many tasks with one set of values, each its own checked, audited transaction."""
from ...extensions import db
from ..approval import tasks
from ..errors import ServiceError
from . import process  # noqa: F401 (registers the household completion)

MAX_TASKS = 1000


def bulk_complete(user, task_ids, data, locale="zh"):
    """Complete each task on its own checks; [{task_id, completed, status, message, errors}]."""
    results = []
    for task_id in dict.fromkeys(task_ids):  # each once, in the order given
        try:
            tasks.complete(user, task_id, dict(data), locale)
        except ServiceError as exc:
            db.session.rollback()
            results.append({"task_id": task_id, "completed": False, "status": exc.status,
                            "message": exc.message, "errors": exc.errors})
        else:
            results.append({"task_id": task_id, "completed": True, "status": 200,
                            "message": None, "errors": None})
    return results
