"""What the article view draws over the canonical text, computed without Qt.

Every layer keeps a channel of its own so that none hides another where they overlap:

* boilerplate blocks grey the *text colour* of the whole block (``grey`` for a label
  the annotator gave, ``greyish`` for a pending boilerplate suggestion),
* the annotator's spans are a *background wash* (blended where spans overlap; stronger
  for spans linked to, or picked with, what is selected),
* named entities are a coloured *underline*,
* machine suggestions, picked spans and relations are painted on top by the view
  (outlines and arrows), so they never take a character format away from the others.

``sweep`` turns the format layers into non-overlapping runs, each with one ``Look``
that combines everything covering it; touching runs never share a look (they are
merged), so a run boundary always means a visible change.

``display_text`` is the copy of the text the view lays out: hard line breaks inside a
block become spaces, so wire copy flows as paragraphs. It has exactly the length of
the canonical text, so every offset means the same character in both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GREY = "grey"
GREYISH = "greyish"
SPAN = "span"
ENTITY = "entity"

# How a span is drawn: plain, linked to what is selected, or picked itself.
PLAIN, LINKED, PICKED = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Layer:
    """One thing drawn as a character format, in code points (end exclusive)."""

    start: int
    end: int
    kind: str  # GREY | GREYISH | SPAN | ENTITY
    label: str
    uid: str = ""  # spans only


@dataclass(frozen=True, slots=True)
class Look:
    """Everything that covers one stretch of text."""

    grey: str = ""  # "" | GREY | GREYISH
    spans: tuple[tuple[str, int], ...] = ()  # (label, PLAIN/LINKED/PICKED), sorted
    entity: str = ""

    @property
    def empty(self) -> bool:
        return not (self.grey or self.spans or self.entity)


@dataclass(frozen=True, slots=True)
class Run:
    start: int
    end: int
    look: Look


def look_of(active: Iterable[Layer], picked: set[str], linked: set[str]) -> Look:
    grey = ""
    spans: list[tuple[str, int]] = []
    entity = ""
    for layer in active:
        if layer.kind == GREY:
            grey = GREY
        elif layer.kind == GREYISH and grey != GREY:
            grey = GREYISH
        elif layer.kind == SPAN:
            strength = PICKED if layer.uid in picked else LINKED if layer.uid in linked else PLAIN
            spans.append((layer.label, strength))
        elif layer.kind == ENTITY:
            # Nested entities: the shorter (inner) one wins; ties keep the first.
            entity = entity or layer.label
    return Look(grey, tuple(sorted(spans)), entity)


def sweep(layers: Sequence[Layer], lo: int, hi: int, picked: set[str] | None = None,
          linked: set[str] | None = None) -> list[Run]:
    """Non-overlapping runs of ``[lo, hi)`` with their looks, in text order.

    Stretches that nothing covers are left out; touching runs with the same look are
    merged into one.
    """
    picked = picked or set()
    linked = linked or set()
    starts: dict[int, list[Layer]] = {}
    ends: dict[int, list[Layer]] = {}
    for layer in layers:
        s, e = max(layer.start, lo), min(layer.end, hi)
        if s >= e:
            continue
        starts.setdefault(s, []).append(layer)
        ends.setdefault(e, []).append(layer)
    points = sorted(starts.keys() | ends.keys())
    active: dict[int, Layer] = {}
    runs: list[Run] = []
    looks: dict[frozenset[int], Look] = {}
    for k, point in enumerate(points[:-1]):
        for layer in ends.get(point, ()):
            active.pop(id(layer), None)
        for layer in starts.get(point, ()):
            active[id(layer)] = layer
        if not active:
            continue
        key = frozenset(active)
        look = looks.get(key)
        if look is None:
            ordered = sorted(active.values(), key=lambda x: (x.end - x.start, x.start))
            look = looks[key] = look_of(ordered, picked, linked)
        if look.empty:
            continue
        nxt = points[k + 1]
        if runs and runs[-1].end == point and runs[-1].look == look:
            runs[-1] = Run(runs[-1].start, nxt, look)
        else:
            runs.append(Run(point, nxt, look))
    return runs


def display_text(text: str, blocks: Iterable[tuple[int, int]]) -> str:
    """``text`` with each line break inside a block shown as a space (same length)."""
    chars: list[str] | None = None
    for start, end in blocks:
        at = text.find("\n", start, end)
        while at != -1:
            if at + 1 < end:  # a break that ends the block separates it from the next
                if chars is None:
                    chars = list(text)
                chars[at] = " "
            at = text.find("\n", at + 1, end)
    return text if chars is None else "".join(chars)
