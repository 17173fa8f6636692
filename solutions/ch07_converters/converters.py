"""Custom URL converters: a converter's `regex` decides what the rule matches, `to_python`
turns the matched text into the view's argument, `to_url` turns a value back into URL text
for `url_for`. Raising `ValidationError` in `to_python` means "no match here": a 404."""
from datetime import date

from werkzeug.routing import BaseConverter, Map, ValidationError

# int() and str() refuse integers past 4,300 digits; items of at most 4,000 digits leave room
# for the sum of more items than any URL can carry.
MAX_ITEM_DIGITS = 4000


class RegexConverter(BaseConverter):
    """Exercise `regex`: `<regex("\\d+-\\d+"):nid>` matches what the pattern in the rule matches.

    The argument written in the rule reaches `__init__` after the map. The pattern becomes
    this converter's `regex`; `to_python` and `to_url` keep the text as it is (the defaults).
    """

    def __init__(self, url_map: Map, regex: str) -> None:
        super().__init__(url_map)
        # SOLUTION regex
        self.regex = regex
        # A pattern that can match "/" must not be matched one path segment at a time.
        self.part_isolating = "/" not in regex
        # STUB
        # # TODO(regex): use the pattern from the rule (`regex`) as this converter's regex
        # END SOLUTION


class ListConverter(BaseConverter):
    """Exercise `list`: `<list:nums>` matches comma-separated integers such as `1,2,-3`.

    `to_python("1,2,3")` is `[1, 2, 3]`; `to_url([4, 5])` is `"4,5"`. Anything else
    (`1,x,3`, `1,,2`, a trailing comma, an item of more than MAX_ITEM_DIGITS digits) does
    not match the rule: 404.
    """

    # SOLUTION list
    regex = r"-?\d+(?:,-?\d+)*"
    # STUB
    # # TODO(list): a class attribute `regex` that matches comma-separated integers only
    # END SOLUTION

    def to_python(self, value: str) -> list[int]:
        # SOLUTION list
        items = value.split(",")
        # The length before int(): a ValueError here would be a 500, ValidationError is a 404.
        if any(len(item.lstrip("-")) > MAX_ITEM_DIGITS for item in items):
            raise ValidationError()
        return [int(item) for item in items]
        # END SOLUTION

    def to_url(self, value: list[int]) -> str:
        # SOLUTION list
        return ",".join(str(int(item)) for item in value)
        # END SOLUTION


class DateConverter(BaseConverter):
    """Exercise `date`: `<date:day>` matches a real calendar date written `YYYY-MM-DD`.

    The regex accepts the shape (`2024-2-9` does not match); `to_python` makes a
    `datetime.date` and raises `ValidationError` when there is no such day (`2023-02-29`),
    which Werkzeug turns into "this rule does not match": 404. `to_url` writes ISO format.
    """

    # SOLUTION date
    regex = r"\d{4}-\d{2}-\d{2}"
    # STUB
    # # TODO(date): a class attribute `regex` for the YYYY-MM-DD shape
    # END SOLUTION

    def to_python(self, value: str) -> date:
        # SOLUTION date
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None
        # END SOLUTION

    def to_url(self, value: date) -> str:
        # SOLUTION date
        return value.isoformat()
        # END SOLUTION
