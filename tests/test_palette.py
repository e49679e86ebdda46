"""The shared colour scheme: stable, distinct, total."""

from __future__ import annotations

import math
import re

import pytest

from orgmap.palette import (
    BASE_COLORS,
    EDGE_COLORS,
    KIND_COLORS,
    MISSING_COLOR,
    VIRIDIS,
    category_colors,
    metric_color,
    node_size,
    text_color_on,
)

HEX = re.compile(r"^#[0-9A-F]{6}$")


def test_category_colors_do_not_depend_on_arrival_order() -> None:
    a = category_colors(["Platform", "Data", "Mobile", "Data"])
    b = category_colors(["Mobile", "Platform", "Data"])
    assert a == b
    assert list(a) == ["Data", "Mobile", "Platform"]
    assert len(set(a.values())) == 3


def test_many_categories_stay_distinct_and_valid() -> None:
    values = [f"Team {i}" for i in range(200)]
    colors = category_colors(values)
    assert all(HEX.match(c) for c in colors.values())
    # the base palette cycles with lighter/darker variants: 200 teams, 200 colours
    assert len(set(colors.values())) == 200
    first = sorted(values, key=str.casefold)[: len(BASE_COLORS)]
    assert [colors[v] for v in first] == [c.upper() for c in BASE_COLORS]


def test_missing_category_is_grey() -> None:
    colors = category_colors(["A", None, ""])
    assert colors[None] == MISSING_COLOR
    assert colors[""] == MISSING_COLOR
    assert colors["A"] == BASE_COLORS[0]


def test_metric_color_ramp_ends_and_clamping() -> None:
    assert metric_color(0, 0, 10) == VIRIDIS[0]
    assert metric_color(10, 0, 10) == VIRIDIS[-1]
    assert metric_color(-5, 0, 10) == VIRIDIS[0]
    assert metric_color(99, 0, 10) == VIRIDIS[-1]
    assert metric_color(5, 0, 10) == VIRIDIS[4]
    assert metric_color(3, 3, 3) == VIRIDIS[4]  # flat range: middle of the ramp


@pytest.mark.parametrize("bad", [None, "n/a", math.nan, math.inf])
def test_metric_color_of_missing_value_is_grey(bad: object) -> None:
    assert metric_color(bad, 0, 1) == MISSING_COLOR


def test_node_size_grows_by_area() -> None:
    assert node_size(0, 0, 100) == 14
    assert node_size(100, 0, 100) == 48
    mid = node_size(50, 0, 100)
    assert mid**2 == pytest.approx((14**2 + 48**2) / 2)
    assert node_size(None, 0, 1) == 14
    assert node_size(5, 5, 5) == pytest.approx(math.sqrt((14**2 + 48**2) / 2))
    assert node_size(1, 0, 1, min_size=2, max_size=4) == 4


def test_every_edge_and_node_kind_has_a_colour() -> None:
    for kind in (
        "reports_to",
        "dotted_line",
        "works_on",
        "mentors",
        "tie",
        "collaboration",
        "member_of",
        "part_of",
    ):
        assert HEX.match(EDGE_COLORS[kind].upper())
    for kind in ("person", "team", "department", "project"):
        assert HEX.match(KIND_COLORS[kind].upper())


def test_label_text_colour_contrasts() -> None:
    assert text_color_on("#FFFFFF") == "#000000"
    assert text_color_on("#440154") == "#FFFFFF"
