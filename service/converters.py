"""URL converters: ids in paths stay within the database's 64-bit integers."""
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2 ** 63 - 1


class BoundedInt(IntegerConverter):
    """`<int:…>` limited to 64-bit values: a larger id matches no route (404) instead of
    overflowing the database driver (a 500 before)."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)
