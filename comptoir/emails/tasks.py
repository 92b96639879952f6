"""Background work for the outbox, run by `manage.py db_worker`."""

from django_tasks import task


@task()
def send_outbound_email(email_id: int) -> str:
    """Deliver one stored message; safe to run any number of times."""
    from .services import deliver_email

    return deliver_email(email_id=email_id)
