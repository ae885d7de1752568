import io

import pytest

from annotator.core.errors import InputError
from annotator.core.formats import read_jsonl
from annotator.core.text import MAX_BYTES, decode, normalise_newlines, sha256


def test_bom_dropped_and_crlf_normalised() -> None:
    data = "\ufeffLine one\r\nLine two\rLine three\n".encode()
    assert decode(data, where="a.txt") == "Line one\nLine two\nLine three\n"


def test_nothing_else_changes() -> None:
    text = "  Tabs\tand  spaces  \n\n\n😀 مرحبا e\u0301\n"
    assert decode(text.encode(), where="a.txt") == text


def test_invalid_utf8_names_file_and_line() -> None:
    with pytest.raises(InputError, match=r"^bad\.txt: not valid UTF-8 \(line 2, byte 6\)"):
        decode(b"hello\n\xff\xfe world", where="bad.txt")


def test_explicit_encoding_reads_latin1() -> None:
    assert decode("café".encode("latin-1"), where="a.txt", encoding="latin-1") == "café"


def test_unknown_encoding_is_input_error() -> None:
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"abc", where="a.txt", encoding="nope-8")


def test_binary_refused() -> None:
    with pytest.raises(InputError, match="binary file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", where="img.txt")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t"])
def test_empty_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty file"):
        decode(data, where="e.txt")


def test_too_large_refused() -> None:
    with pytest.raises(InputError, match="over the 20 MB limit"):
        decode(b"a" * (MAX_BYTES + 1), where="big.txt")


def test_sha256_is_of_canonical_utf8() -> None:
    assert sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert normalise_newlines("a\r\nb") == "a\nb"


AGAIN = "pass --encoding to read it in another encoding"


@pytest.mark.parametrize(
    ("data", "encoding", "whole", "streamed"),
    [
        (b'{"text": "a"}\n{"text": "\xff"}\n', None,
         "not valid UTF-8 (line 2, byte 24); " + AGAIN,
         "not valid UTF-8 (line 2, byte 10 of the line); " + AGAIN),
        (b'{"text": "a"}\n{"text": "\xff"}\n', "ascii",
         "cannot be decoded as ascii (byte 24)",
         "cannot be decoded as ascii (line 2, byte 10 of the line)"),
        (b'{"text": "a\x00"}\n', None, "binary file (contains NUL bytes), not text", None),
        (b'{"text": "a\x00"}\n', "latin-1", "binary file (contains NUL characters), not text",
         None),
        (b'{"text": "a"}\n', "nope-8", "unknown encoding 'nope-8'", None),
    ],
)
def test_a_streamed_jsonl_file_is_refused_as_the_whole_file_would_be(
    data: bytes, encoding: str | None, whole: str, streamed: str | None
) -> None:
    """The same reasons in the same words; a streamed line's error names its line."""
    with pytest.raises(InputError) as whole_error:
        decode(data, where="in.jsonl", encoding=encoding)
    with pytest.raises(InputError) as streamed_error:
        list(read_jsonl(io.BytesIO(data), "in.jsonl", encoding))
    assert str(whole_error.value) == f"in.jsonl: {whole}"
    assert str(streamed_error.value) == f"in.jsonl: {streamed or whole}"


def test_a_bom_is_dropped_from_the_first_line_of_a_stream_only() -> None:
    data = b'\xef\xbb\xbf{"text": "one"}\n\xef\xbb\xbf{"text": "two"}\n'
    with pytest.raises(InputError, match=r"^in\.jsonl:2: not valid JSON"):
        list(read_jsonl(io.BytesIO(data), "in.jsonl"))
    assert [d.text for d in read_jsonl(io.BytesIO(data[:19]), "in.jsonl")] == ["one"]
