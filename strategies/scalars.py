"""The scalar values every body is made of: ids, printable text, names, future date-times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

MAX_NAME_LENGTH = 128
_MS = timedelta(milliseconds=1)

# Letters, marks, digits, punctuation, symbols and the space: what `str.isprintable` accepts.
# Controls, format characters, surrogates, private-use and unassigned code points are left
# out, and so are the other separators (no-break and ideographic spaces, line breaks).
PRINTABLE = st.characters(categories=("L", "M", "N", "P", "S"), include_characters=" ")


def ids() -> st.SearchStrategy[str]:
    """Object ids shaped like the API's: 32 lower-case hexadecimal digits."""
    return st.text("0123456789abcdef", min_size=32, max_size=32)


def printable_text(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text for which `str.isprintable()` holds: no controls, line breaks or surrogates."""
    return st.text(PRINTABLE, min_size=min_size, max_size=max_size)


def non_blank_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Printable text with at least one character that is not white space."""
    return printable_text(min_size=1, max_size=max_size).filter(str.strip)


def names(prefix: str = "", max_size: int = MAX_NAME_LENGTH) -> st.SearchStrategy[str]:
    """Non-blank printable names of at most `max_size` characters that start with `prefix`.

    `prefix` (e.g. a run id) lets a caller find, and clean up, what a run created; it must
    leave room for at least one more character.
    """
    if len(prefix) >= max_size:
        raise ValueError(f"name prefix {prefix!r} leaves no room in {max_size} characters")
    rest = printable_text(min_size=0 if prefix.strip() else 1, max_size=max_size - len(prefix))
    return rest.map(lambda text: prefix + text).filter(str.strip)


def descriptions() -> st.SearchStrategy[str | None]:
    """A campaign description: printable text (possibly empty) or null."""
    return st.none() | printable_text()


def format_date_time(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as the documents write it: 2020-03-15T10:00:01.456Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@st.composite
def future_date_times(
    draw: st.DrawFn,
    now: datetime | None = None,
    min_delay: timedelta = timedelta(days=2),
    max_delay: timedelta = timedelta(days=365),
) -> str:
    """RFC 3339 UTC date-times between `min_delay` and `max_delay` after `now`.

    `now` must be timezone-aware; when it is None the wall clock is read at draw time, so a
    strategy built at import still makes future values later. The default two-day minimum
    keeps the value from being "today" in any time zone (the documents refuse to activate a
    campaign whose deadline is today).
    """
    if now is not None and now.utcoffset() is None:
        raise ValueError("future_date_times needs a timezone-aware `now`")
    if not timedelta(0) < min_delay <= max_delay:
        raise ValueError("need 0 < min_delay <= max_delay")
    delay_ms = draw(st.integers(min_delay // _MS, max_delay // _MS))
    start = now if now is not None else datetime.now(UTC)
    return format_date_time(start + delay_ms * _MS)
