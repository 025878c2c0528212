"""The generation oracles say what the standards say, checked on hand-made cases (and the
placeholder renderer against the emulator's independent formatter)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.placeholders import format_placeholders
from strategies import placeholder_text
from strategies.generation_oracles import (
    PatchTestFailed,
    add_duration,
    agrees,
    apply_patch,
    render,
    rendered_between,
)

MOMENT = datetime(2026, 3, 5, 14, 7, 9, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%Y-%m-%d", "2026-03-05"),
        ("%H:%M:%S.%L", "14:07:09.123"),
        ("%I %l %k %p", "02 2 14 pm"),
        ("%B %b %h %A %a", "March Mar Mar Thursday Thu"),
        ("%C %y %j %e", "20 26 064 5"),
        ("%R|%T|%r", "14:07|14:07:09|02:07:09 PM"),
        ("%D %F", "03/05/26 2026-03-05"),
        ("%c", "Thu Mar 05 14:07:09 UTC 2026"),
        ("%N %z %Z", "123456000 +0000 UTC"),
        ("%s %Q", "1772719629 1772719629123"),
        ("100%% on %d", "100% on 05"),
    ],
)
def test_render_follows_java_util_formatter(text: str, expected: str) -> None:
    assert render(text, MOMENT) == expected


@given(
    placeholder_text(),
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
)
def test_render_agrees_with_the_emulators_own_formatter(text: str, moment: datetime) -> None:
    assert render(text, moment) == format_placeholders(text, moment)


@given(st.integers(0, 5000))
def test_rendered_between_accepts_any_instant_in_the_window_and_no_raw_placeholder(ms) -> None:
    text = "run %Y-%m-%d %H:%M:%S.%L %s"
    after = MOMENT + timedelta(seconds=5)
    pattern = rendered_between(text, MOMENT, after)
    assert pattern.fullmatch(render(text, MOMENT + timedelta(milliseconds=ms)))
    assert not pattern.fullmatch(text)
    assert not pattern.fullmatch(render(text, MOMENT + timedelta(days=1)))


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        ("P2W", datetime(2026, 3, 19, 14, 7, 9, 123456, tzinfo=UTC)),
        ("PT36H", datetime(2026, 3, 7, 2, 7, 9, 123456, tzinfo=UTC)),
        ("P1Y2M3DT4H5M6S", datetime(2027, 5, 8, 18, 12, 15, 123456, tzinfo=UTC)),
    ],
)
def test_add_duration(duration: str, expected: datetime) -> None:
    assert add_duration(MOMENT, duration) == expected


def test_months_clip_to_the_last_day_and_bad_durations_are_refused() -> None:
    assert add_duration(datetime(2026, 1, 31, tzinfo=UTC), "P1M") == datetime(
        2026, 2, 28, tzinfo=UTC
    )
    with pytest.raises(ValueError):
        add_duration(MOMENT, "2W")


def test_apply_patch_follows_rfc_6902() -> None:
    document = {"name": "a", "campaign": {"name": "c", "flag": True}}
    patch = [
        {"op": "replace", "path": "/name", "value": "b"},
        {"op": "test", "path": "/name", "value": "b"},
        {"op": "add", "path": "/campaign/description", "value": "d"},
        {"op": "copy", "from": "/name", "path": "/description"},
        {"op": "remove", "path": "/campaign/flag"},
        {"op": "move", "from": "/campaign/name", "path": "/title"},
    ]
    assert apply_patch(document, patch) == {
        "name": "b",
        "description": "b",
        "title": "c",
        "campaign": {"description": "d"},
    }
    assert document["name"] == "a"  # the input is left alone
    with pytest.raises(PatchTestFailed):
        apply_patch(document, [{"op": "test", "path": "/name", "value": "z"}])


def test_agrees_judges_what_was_asked_for() -> None:
    assert agrees(
        {"a": 1, "when": "2026-03-05T14:07:09Z"},
        {"a": 1, "when": "2026-03-05T14:07:09.000+00:00", "b": 2},
    )
    assert not agrees({"a": 1}, {"a": 2})
    assert agrees(None, "a default the server filled in")
