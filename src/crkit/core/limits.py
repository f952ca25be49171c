"""The sizes the kit accepts from a file or a form, each set once here.

They are far above any real canvas or case (a canvas has a handful of segments and a few
kilobytes of text) and far below anything that could hold ``crkit score``, a notebook
cell or the canvas builder for more than a moment: the largest canvas they allow (100
segments, 200 relationships, long channel lists; about 190 KB) scores in under a second,
measured with ``benchmarks/core.py``. Every limit has a message that names it.
"""

from __future__ import annotations

#: the largest file the kit reads, in bytes
MAX_BYTES = 1_000_000
#: how deeply lists and mappings may nest
MAX_DEPTH = 50
#: digits in a whole number (a canvas counts customers and money; 10^15 is plenty)
MAX_DIGITS = 15
#: the largest amount a canvas field holds (customers, money per customer)
MAX_NUMBER = 1e15
#: characters in one text value (a title, a name, a note)
MAX_TEXT = 5_000
#: how many items each list of a canvas may hold
MAX_ITEMS = {
    "value_propositions": 100,
    "segments": 100,
    "channels": 100,
    "relationships": 200,
}
#: how many entries a list inside one item may hold (metrics, stages, channels...)
MAX_LIST = 60
#: how many items of a long list a message shows before "and N more"
SHOWN_ITEMS = 12
#: how many problems the kit collects in one file before it stops reading
MAX_PROBLEMS = 1_000
#: how many problems ``crkit validate --all`` and the builder list before "and N more"
SHOWN_PROBLEMS = 30
#: the longest one-line message, in characters
MAX_MESSAGE = 1_000
