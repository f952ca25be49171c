"""The kit's internal modules this package needs, imported here and nowhere else.

Everything else comes through ``import crkit``. When the kit's modules move, only the two
import lines below change.
"""

from __future__ import annotations

from crkit.i18n import LANGUAGES, check_language, messages, t
from crkit.storage import write_atomic

__all__ = ["LANGUAGES", "check_language", "messages", "t", "write_atomic"]
