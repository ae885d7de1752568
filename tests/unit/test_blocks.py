from pathlib import Path

from annotator.core.blocks import segment
from annotator.core.text import decode

WIRE = """\
BAGHDAD, Jan 25 (Wire) - Iraq and the United States will begin talks on the
future of the U.S.-led coalition in Iraq, the two governments said on
Thursday, in a move that could lead to a withdrawal of foreign troops.
The talks are expected to take months, officials said, and no timetable has
been agreed.
"We are committed to a stable and secure Iraq," a State Department
spokesman told reporters, adding that no date had been set for the first
meeting of the commission.
Iraq's government says the coalition's mission is over.
Reporting by Jane Doe; Editing by John Smith
"""


def texts(text: str) -> list[str]:
    return [text[b.start : b.end] for b in segment(text)]


def test_wire_copy_one_block_per_paragraph() -> None:
    got = texts(WIRE)
    assert len(got) == 5
    assert got[0].startswith("BAGHDAD, Jan 25") and got[0].endswith("foreign troops.")
    assert got[1].endswith("no timetable has\nbeen agreed.")
    assert got[2].startswith('"We are committed') and got[2].endswith("commission.")
    assert got[3] == "Iraq's government says the coalition's mission is over."
    assert got[4] == "Reporting by Jane Doe; Editing by John Smith"


def test_blank_lines_separate_and_short_lines_stand_alone() -> None:
    text = "Opinion\nEditorial\nChina security ties\nUpdated 14 Nov, 2024\n\nA paragraph here."
    assert texts(text) == ["Opinion", "Editorial", "China security ties",
                           "Updated 14 Nov, 2024", "A paragraph here."]


def test_list_items_are_their_own_blocks() -> None:
    text = "  • English\n  • Arabic\n- Home\n- World news and analysis from our correspondents\n"
    assert texts(text) == ["• English", "• Arabic", "- Home",
                           "- World news and analysis from our correspondents"]


def test_repeated_long_captions_are_not_joined() -> None:
    caption = ("Talks between American and Iraqi officials will reportedly focus on the next "
               "phase of the US-led anti-ISIS coalition. AFP")
    assert texts("\n".join([caption] * 3)) == [caption] * 3


def test_blocks_are_ordered_disjoint_and_trimmed(samples: list[Path]) -> None:
    for path in samples:
        text = decode(path.read_bytes(), where=str(path))
        blocks = segment(text)
        assert blocks, path
        previous_end = 0
        for i, block in enumerate(blocks):
            assert block.index == i
            assert previous_end <= block.start < block.end <= len(text)
            piece = text[block.start : block.end]
            assert piece == piece.strip()
            previous_end = block.end
        # No non-space text is left outside a block.
        covered = "".join(text[b.start : b.end] for b in blocks)
        assert len("".join(covered.split())) == len("".join(text.split()))


def test_samples_headings_and_captions_are_separate(samples: list[Path]) -> None:
    national = next(p for p in samples if "national" in p.name)
    got = texts(decode(national.read_bytes(), where="n"))
    assert got[4] == "Talks set to end anti-ISIS coalition in Iraq but security concerns linger"
    assert got[5:8] == ["• English", "• Arabic",
                        "Live updates: Follow the latest news on Israel-Gaza"]
    assert got[0] == got[1] == got[2] == got[3]
    dawn = next(p for p in samples if "dawn" in p.name)
    got = texts(decode(dawn.read_bytes(), where="d"))
    assert "Published in Dawn, January 26th, 2024" in got
    assert got[0].startswith("BAGHDAD: ") and got[0].endswith("foreign ministry said.")


def test_crlf_wire_copy_after_normalisation() -> None:
    text = decode(WIRE.replace("\n", "\r\n").encode(), where="w")
    assert len(segment(text)) == 5
