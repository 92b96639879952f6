"""Refusals the orders services raise: what the user caused, in their words."""

from collections.abc import Sequence
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

# A problem names the form field or line it concerns ("email",
# "shipping_method", "line:12", ...), or None for the order as a whole.
Problem = tuple[str | None, str]


class OrderError(Exception):
    """A refusal the user caused; nothing was written.

    `messages` holds one translated sentence per problem, `field` names the
    field of the first problem, and `problems` pairs each message with its
    field so a form can show every one next to where it belongs.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        found: list[Problem] = []
        if message is not None:
            found.append((field, str(message)))
        found.extend((name, str(text)) for name, text in problems)
        if not found:
            raise ValueError("An OrderError needs at least one message.")
        self.problems: list[Problem] = found
        self.messages: list[str] = [text for _name, text in found]
        self.field: str | None = found[0][0]
        super().__init__(" ".join(self.messages))

    def for_field(self, name: str | None) -> list[str]:
        """Return the messages about `name` (None: about the whole order)."""
        return [text for field, text in self.problems if field == name]


class StaleOrderError(OrderError):
    """Someone else changed the order since the user's page was drawn."""

    def __init__(self, *, changed_by: str, changed_at: datetime | None) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        when = (
            formats.date_format(timezone.localtime(changed_at), "SHORT_DATETIME_FORMAT")
            if changed_at is not None
            else ""
        )
        super().__init__(
            _("This order was changed by %(name)s at %(time)s.")
            % {"name": changed_by, "time": when}
            + " "
            + _("Reload the page to see the changes, then try again.")
        )
