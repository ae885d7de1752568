"""The export's summary line: counts, where, and a size a person can read."""

from __future__ import annotations

from annotator.services.export import ExportSummary, human_size


def test_sizes_read_naturally() -> None:
    assert human_size(0) == "0 bytes"
    assert human_size(1) == "1 byte"
    assert human_size(812) == "812 bytes"
    assert human_size(12_345) == "12 KB"
    assert human_size(1_500) == "1.5 KB"
    assert human_size(3_400_000) == "3.4 MB"
    assert human_size(2_000_000_000_000) == "2000 GB"


def test_one_file_line_has_no_bare_numbers() -> None:
    summary = ExportSummary(records=5, documents=2, bytes=12_345, seconds=0.25,
                            files={"out.jsonl": 5})
    line = summary.line()
    assert line.startswith("5 records of 2 documents exported to out.jsonl (12 KB in 0.2 s)")
    assert "(5)" not in line and "0.0 MB" not in line and "MB/s" not in line
    assert "unmarked block is labelled content" in line


def test_split_names_each_file_with_its_records() -> None:
    summary = ExportSummary(records=3, documents=3, bytes=4_000_000, seconds=2.0,
                            files={"train.jsonl": 2, "dev.jsonl": 1}, format="spacy")
    assert summary.line() == ("3 records of 3 documents exported to train.jsonl (2 records), "
                              "dev.jsonl (1 record) (4.0 MB in 2.0 s, 2.0 MB/s)")


def test_cancelled_says_nothing_was_written() -> None:
    summary = ExportSummary(records=1, documents=1, bytes=10, seconds=0.1,
                            files={"out.jsonl": 1}, cancelled=True)
    assert summary.line().endswith(", cancelled: no file written")
