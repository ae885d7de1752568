"""The report's SVG charts: a legend only where it tells series apart, round ticks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from annotator.core.report_render import axis_ticks, bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[tuple[float, float, str]]:
    root = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    return [(float(t.get("x", 0)), float(t.get("y", 0)), t.text or "")
            for t in root.iter(f"{SVG}text")]


def _bars(svg: str) -> list[tuple[float, float, float, float]]:
    """The bars: rectangles that carry a tooltip (legend swatches have none)."""
    root = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    return [tuple(float(r.get(k, 0)) for k in ("x", "y", "width", "height"))  # type: ignore[misc]
            for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def test_single_series_draws_no_legend_over_the_first_bar() -> None:
    svg = bar_chart_svg("Blocks: α per label", ["caption", "navigation"],
                        {"value": [0.8, 0.4]}, [10, 12])
    texts = _texts(svg)
    assert "value" not in [text for _, _, text in texts]
    assert svg.count("<rect") == len(_bars(svg)) == 2  # no legend swatch
    first_bar_top = min(y for _, y, _, _ in _bars(svg))
    # Only the title sits above the first bar; its value label is beside it, alone.
    above = [text for _, y, text in texts if y < first_bar_top]
    assert above == ["Blocks: α per label"]
    beside = [text for _, y, text in texts if first_bar_top <= y <= first_bar_top + 14]
    assert "0.800" in beside and "value" not in beside


def test_two_series_keep_their_legend_above_the_bars() -> None:
    svg = bar_chart_svg("Spans", ["CLAIM"], {"F1 exact": [0.5], "F1 overlap": [0.7]}, [4])
    legend_y = max(y for _, y, text in _texts(svg) if text in ("F1 exact", "F1 overlap"))
    assert legend_y < min(y for _, y, _, _ in _bars(svg))


def test_axis_ticks_are_round_numbers() -> None:
    assert axis_ticks(0.3) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert axis_ticks(-0.112146) == [-0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
    assert axis_ticks(-0.5) == [-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
    assert axis_ticks(-0.61) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert axis_ticks(-3.0) == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_a_negative_value_gives_short_tick_labels() -> None:
    svg = bar_chart_svg("Overall", ["blocks α"], {"value": [-0.112146]}, [7])
    ticks = [text for _, y, text in _texts(svg) if re.fullmatch(r"-?[\d.]+", text)
             and text not in ("-0.112",)]
    assert "-0.112146" not in svg
    assert ticks == ["-0.25", "0", "0.25", "0.5", "0.75", "1"]
