"""Calendar dates as the data writes them: `1904`, `1945-08` or `1945-08-09`.

Dates are plain calendar days. Nothing here (or in the pages) ever uses a clock or a time zone, so the same day
shows everywhere in the world, and years before 1970 are ordinary years.
"""
import calendar
import datetime as dt
import re

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class DateError(ValueError):
    """A date string that is not an ISO calendar date of year, month or day precision."""


def parse(text, *, last=False):
    """The first (or with last=True the last) day that an ISO date of any precision covers."""
    match = _PARTIAL.match(text) if isinstance(text, str) else None
    if not match:
        raise DateError(f"{text!r} is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    year = int(year)
    try:
        if month is None:
            return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)
        month = int(month)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return dt.date(year, month, int(day))
    except ValueError:
        raise DateError(f"{text!r} is not a calendar date; expected YYYY, YYYY-MM or YYYY-MM-DD") from None


def precision(text):
    """'year', 'month' or 'day': how much of the date the source gives."""
    return {4: "year", 7: "month"}.get(len(text), "day")


def days(first, last):
    """Every day from first to last inclusive, as ISO strings."""
    count = (last - first).days
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(count + 1)]


def vertex_days(point_dates):
    """An axis's point_dates with each route vertex (null: on the way, its day unknown) given the date of the next
    dated vertex, with which the map draws it; the first and last vertex always carry a date (schema.py)."""
    out, following = [], None
    for day in reversed(point_dates):
        following = day if day is not None else following
        out.append(following)
    return out[::-1]


def next_day(day):
    """The day after an ISO day, as an ISO string."""
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def previous_day(day):
    """The day before an ISO day, as an ISO string."""
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def readable(text):
    """A date as people write it: '9 August 1945', 'August 1945', '1904'."""
    first = parse(text)
    kind = precision(text)
    if kind == "year":
        return str(first.year)
    if kind == "month":
        return f"{MONTHS[first.month - 1]} {first.year}"
    return f"{first.day} {MONTHS[first.month - 1]} {first.year}"


def readable_range(start, end):
    """A date range as people write it: '29 July - 11 August 1938', or one date when start and end agree."""
    return joined_range(readable(start), readable(end))


def joined_range(first, last):
    """Two readable dates as one range, their shared ending written once: '8-9 February 1904', '29 July -
    11 August 1938', 'August - September 1945', '26 December 1904 - 2 January 1905'. atlas.js's `when` does the
    same in the page."""
    if first == last:
        return first
    a, b = first.split(" "), last.split(" ")
    shared = 0
    while shared < min(len(a), len(b)) - 1 and a[-1 - shared] == b[-1 - shared]:
        shared += 1
    head_a, head_b, tail = a[:len(a) - shared], b[:len(b) - shared], a[len(a) - shared:]
    if shared == 0 or len(head_a) != len(head_b):  # '9 August 1945 - August 1945' stays whole
        return f"{first} - {last}"
    dash = "-" if len(head_a) == 1 and head_a[0].isdigit() and head_b[0].isdigit() else " - "  # '8-9 February'
    return f"{' '.join(head_a)}{dash}{' '.join(head_b)} {' '.join(tail)}"
