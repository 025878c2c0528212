"""ISO-8601 durations, as a template's deadlineDuration (P2W, P14D, P1M, PT36H, ...)."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def durations(draw) -> str:
    """A valid, non-zero ISO-8601 duration with whole-number components."""
    if draw(st.booleans()):
        return f"P{draw(st.integers(1, 52))}W"
    date = "".join(f"{draw(st.integers(1, 30))}{unit}" for unit in "YMD" if draw(st.booleans()))
    time = "".join(f"{draw(st.integers(1, 48))}{unit}" for unit in "HMS" if draw(st.booleans()))
    if not date and not time:
        date = f"{draw(st.integers(1, 60))}D"
    return "P" + date + (f"T{time}" if time else "")


def invalid_durations() -> st.SearchStrategy[str]:
    """Text that is not an ISO-8601 duration."""
    return st.sampled_from(
        ["", "P", "PT", "2W", "p2w", "P-1D", "P1.5D", "two weeks", "P1DT", "PT1D"]
    )
