"""The incident state machine: every legal and every illegal transition."""

from __future__ import annotations

import itertools

import pytest

from ioc.lifecycle import TRANSITIONS, IllegalTransition, Status, check_transition, is_open

LEGAL = {
    ("new", "routed"), ("new", "rejected"), ("new", "duplicate"),
    ("routed", "routed"), ("routed", "acknowledged"), ("routed", "rejected"),
    ("routed", "duplicate"),
    ("acknowledged", "routed"), ("acknowledged", "in_progress"), ("acknowledged", "resolved"),
    ("acknowledged", "rejected"), ("acknowledged", "duplicate"),
    ("in_progress", "routed"), ("in_progress", "resolved"), ("in_progress", "rejected"),
    ("in_progress", "duplicate"),
    ("resolved", "closed"), ("resolved", "reopened"),
    ("closed", "reopened"),
    ("reopened", "routed"), ("reopened", "acknowledged"), ("reopened", "in_progress"),
    ("reopened", "resolved"), ("reopened", "rejected"),
    ("rejected", "reopened"),
    ("duplicate", "reopened"),
}
ALL_PAIRS = list(itertools.product([s.value for s in Status], repeat=2))


def test_table_matches_the_documented_lifecycle() -> None:
    table = {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == LEGAL


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_legal_transition_is_allowed(current: str, target: str) -> None:
    assert check_transition(current, target) == Status(target)


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in LEGAL])
def test_illegal_transition_is_refused_with_a_clear_error(current: str, target: str) -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition(current, target)
    message = str(info.value)
    assert f"'{current}'" in message and f"'{target}'" in message and "allowed" in message


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown status 'done'"):
        check_transition("routed", "done")


def test_open_statuses() -> None:
    assert is_open("routed") and is_open("reopened") and is_open("new")
    assert not is_open("resolved") and not is_open("closed") and not is_open("duplicate")
