"""The twin's refusal: :class:`TwinError` (a :class:`~lotone.errors.LotoneError`)."""

from __future__ import annotations

from lotone.errors import LotoneError

__all__ = ["TwinError"]


class TwinError(LotoneError):
    """A twin model, scenario or run is malformed; the message names the thing and the fix."""
