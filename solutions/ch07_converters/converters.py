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

    Rules:
    - [matches-the-pattern] /index/888-999 answers {"nid": "888-999"} (also `1-2`, `0012-34`).
    - [non-matching-404] `888`, `888-`, `-999`, `a-b`, `888-999-1`, `888_999` are a 404.
    - [url-for] `url_for("index", nid="888-999")` builds /index/888-999.
    - [pattern-from-the-rule] the pattern is the one written in the rule: the grader's
      `<regex("[a-z]{3}"):word>` matches `abc`, not `abcd`.
    - [slash-spans-segments] a pattern that can match `/` (`\\w+/\\w+`) matches across segments.
    - [never-500] no nid makes it answer 500; every error is the JSON error body.
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

    Rules:
    - [sums] /sum/10,-4,0 answers {"nums": [10, -4, 0], "sum": 6}.
    - [non-integers-404] `1,x,3`, `a`, `1,,2`, `1,2,`, `,1`, `1.5,2`, `1;2` are a 404.
    - [max-item-digits] an item of more than MAX_ITEM_DIGITS (4,000) digits, the minus sign
      not counted, is a 404 for every method the rule allows, never a crash; items of
      4,000 digits are summed.
    - [url-for] `url_for("sum_numbers", nums=[4, 5])` builds /sum/4,5.
    - [never-500] no list makes it answer 500; every error is the JSON error body.
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

    Rules:
    - [real-dates] /archive/2024-02-29 answers {"day": "2024-02-29", "weekday": "Thursday"}.
    - [not-a-date-404] no such day (`2023-02-29`, `2024-04-31`, `0000-01-01`) or another shape
      (`2024-2-9`, `20240229`, `2024-02-29T00:00`, `yesterday`) is a 404.
    - [url-for] `url_for("archive", day=<a date>)` builds /archive/YYYY-MM-DD.
    - [never-500] no day makes it answer 500; every error is the JSON error body.
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
