"""ISO-8601 UTC offsets, as ActivateCampaignOptions.timeZone takes them (`Z`, `-05:00`, ...)."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def time_zones(draw: st.DrawFn) -> str:
    """`Z`, `±hh`, `±hh:mm` or `±hhmm`, hours 00..14 and minutes 00..59.

    Invariant: matches the spec's ActivateCampaignOptions.timeZone pattern. Minutes lean to
    the ones real zones use (00, 30, 45).
    """
    if draw(st.integers(0, 4)) == 0:
        return "Z"
    sign = draw(st.sampled_from("+-"))
    hours = f"{draw(st.integers(0, 14)):02d}"
    minutes = f"{draw(st.one_of(st.sampled_from([0, 30, 45]), st.integers(0, 59))):02d}"
    return sign + draw(st.sampled_from([hours, f"{hours}:{minutes}", hours + minutes]))


_FIXED = (
    "",
    "z",
    "UTC",
    "GMT",
    "EST",
    "America/New_York",
    "+5",
    "+5:30",
    "05:00",
    "Z+01",
    "+05:",
    "+05:3",
    "+05:30:00",
    "−05:00",  # U+2212 MINUS SIGN, not the ASCII hyphen-minus
    " +05:00",
)


@st.composite
def _out_of_range(draw: st.DrawFn) -> str:
    sign = draw(st.sampled_from("+-"))
    if draw(st.booleans()):
        return f"{sign}{draw(st.integers(15, 99)):02d}:00"
    return f"{sign}{draw(st.integers(0, 14)):02d}:{draw(st.integers(60, 99)):02d}"


def invalid_time_zones() -> st.SearchStrategy[str]:
    """Text that is not a UTC offset: zone names, missing sign or digits, hours above 14,
    minutes above 59, stray characters. None matches the spec's timeZone pattern."""
    return st.one_of(st.sampled_from(_FIXED), _out_of_range())
