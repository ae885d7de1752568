"""Token offsets from the spaCy tokenizer, fast enough to stream an export.

Exports carry token offsets (``token_start``/``token_end``, Prodigy's inclusive
convention) next to character offsets. They must be exactly what
``spacy.blank("en").tokenizer`` produces, because training pipelines rebuild their
``Doc`` objects with that tokenizer and look spans up by token index.

Why not just call the tokenizer on every text: on news text it runs at about
1.3 MB/s, and nearly all of that is its special-case ``PhraseMatcher`` pass over the
whole ``Doc`` (a tokenizer without special cases runs at ~50 MB/s). An export must
stream at 20 MB/s. spaCy's tokenizer works chunk by chunk: it splits the text into
runs of whitespace and non-whitespace, drops one ``" "`` after a word (it becomes that
token's trailing space), and tokenizes each remaining chunk on its own. ``TokenIndex``
does the same split with a regular expression and asks the real tokenizer for each
*distinct* chunk once, caching its token boundaries.

The one way the whole-text result can differ: the special-case matcher also finds
matches that straddle a single space between two chunks. Such a match never changes
tokens itself (its text, with the space, is no rule), but it can pre-empt an
overlapping in-chunk match that would have re-tokenized something (``"):)"`` next to
``": "``). That needs (a) a chunk where a special case whose matcher pass changes
tokens sits on its pattern's tokens ("sensitive": ``Mr.`` seen as ``Mr`` + ``.``,
emoticons) and (b) tokens at that chunk's boundary that can sit inside a multi-token
special-case pattern. Texts with such a boundary are tokenized whole (news text
almost never has one); the tests compare both paths on news text and on fuzzed
emoticon soup.

The chunk cache and spaCy's own vocabulary grow with the number of distinct words
seen; after ``cache_limit`` new chunks both are renewed (keeping the chunks still in
use), so memory stays flat however large the corpus is.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

LANG = "en"
CACHE_LIMIT = 20_000  # chunks per generation (two are kept); a new generation costs ~0.1 s
_CHUNK = re.compile(r"\S+|\s+")
_REST_OF_CHUNK = re.compile(r"\S*\s*\S*")
# One flag byte per chunk: a possible last token of it is the left member of an
# adjacent pair inside a multi-token special-case pattern (1), a possible first token
# the right member (2), it is sensitive (8); a chunk of exactly one space is 0x10. A
# boundary needs a closer look when 1 meets 2 across one space and a side is sensitive.
_CANDIDATE = re.compile(rb"[\x09\x0b]\x10[\x02\x03\x0a\x0b]|[\x01\x03]\x10[\x0a\x0b]")
_SENSITIVE = 8


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A chunk's token boundaries (relative to the chunk) and what its edges risk."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    flag: int = 0
    firsts: frozenset[str] = frozenset()  # tokens the matcher may see first
    lasts: frozenset[str] = frozenset()  # tokens the matcher may see last


_SINGLE_SPACE = _Chunk((), (), 0x10)
_FLAG = attrgetter("flag")
_END = itemgetter(1)
_EMPTY = _Chunk((), ())


def _blank_tokenizer() -> Any:
    """``spacy.blank("en")``'s tokenizer, on a vocabulary without lexical attribute
    getters: tokenization never reads them, and computing them for every new word
    was most of the cost of a cache miss."""
    import spacy

    nlp = spacy.blank(LANG)
    nlp.vocab.lex_attr_getters = {}
    return nlp.tokenizer


@dataclass(frozen=True)
class _Risks:
    """What can make a chunk boundary interact with the special-case matcher."""

    affix_only: Any  # the tokenizer's affix rules without special cases
    pairs: frozenset[tuple[str, str]]  # adjacent tokens inside a multi-token pattern
    ends: frozenset[str]  # left members of those pairs
    starts: frozenset[str]  # right members
    # first two chars -> (special case the matcher changes, its affix-only token offsets)
    sensitive: dict[str, tuple[tuple[str, tuple[tuple[int, int], ...]], ...]]


def _special_case_risks(tokenizer: Any) -> _Risks:
    """Collect the risks from the tokenizer's own rules.

    A special case goes to the matcher when the affix rules would split it (spaCy's
    ``faster_heuristics``); the matcher looks for the tokens its string gets from the
    affix rules alone, so every adjacent pair inside such a token sequence could
    straddle a space. A special case is *sensitive* when applying it changes tokens
    (its affix-only tokens differ from the rule's). Over-approximating only sends more
    texts the slow way; it never yields a wrong offset.
    """
    from spacy.attrs import ORTH
    from spacy.tokenizer import Tokenizer

    affix_only = Tokenizer(
        tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
        token_match=tokenizer.token_match, url_match=tokenizer.url_match,
    )
    pairs: set[tuple[str, str]] = set()
    sensitive: dict[str, list[tuple[str, tuple[tuple[int, int], ...]]]] = {}
    for string, substrings in tokenizer.rules.items():
        in_matcher = (not tokenizer.faster_heuristics or " " in string
                      or tokenizer.find_prefix(string) or tokenizer.find_infix(string)
                      or tokenizer.find_suffix(string))
        if not in_matcher:
            continue
        tokens = affix_only(string)
        pieces = [t.text for t in tokens]
        pairs.update(zip(pieces, pieces[1:], strict=False))
        if pieces != [sub[ORTH] for sub in substrings]:
            # (a one-character rule cannot be split, so these have two or more)
            offsets = tuple((t.idx, t.idx + len(t)) for t in tokens)
            sensitive.setdefault(string[:2], []).append((string, offsets))
    return _Risks(
        affix_only, frozenset(pairs), frozenset(p[0] for p in pairs),
        frozenset(p[1] for p in pairs), {k: tuple(v) for k, v in sensitive.items()},
    )


class _ChunkCounts(dict[str, int]):
    """Chunk -> number of tokens; a miss computes (and stores) the chunk's entry.

    Lookups go through ``map(counts.__getitem__, chunks)``, so a hit never leaves C;
    ``__missing__`` runs only for chunks not seen in this generation.
    """

    def __init__(self, compute: Callable[[str], _Chunk]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, chunk: str) -> int:
        value = self[chunk] = len(self._compute(chunk).starts)
        return value


class TokenIndex:
    """Maps character offsets to spaCy token indices, one text at a time.

    Not thread-safe (it owns a cache); make one per worker thread.
    """

    def __init__(self, cache_limit: int = CACHE_LIMIT) -> None:
        self._cache_limit = cache_limit
        self._tokenizer = _blank_tokenizer()
        self._risks = _special_case_risks(self._tokenizer)
        self._cache: dict[str, _Chunk] = {}  # chunk -> boundaries (mid-text form)
        self._counts = _ChunkCounts(self._entry)  # the lookup that fills _cache
        self._previous: dict[str, _Chunk] = {}  # the generation before (see _reset)
        self._sensitive_chunks: set[str] = set()
        self.fallbacks = 0  # texts tokenized whole (for tests and the benchmark)

    # -- exact token boundaries ----------------------------------------------------
    def bounds(self, text: str) -> tuple[list[int], list[int]]:
        """(starts, ends) of every token, exactly as ``tokenizer(text)`` gives them."""
        layout = self._layout(text)
        if layout is None:
            return self._whole(text)
        chunks, first, chunk_ends, _ = layout
        entries = list(map(self._cache.__getitem__, chunks))
        if first is not None:
            entries[0] = first
        starts: list[int] = []
        ends: list[int] = []
        for chunk, entry, chunk_end in zip(chunks, entries, chunk_ends, strict=True):
            base = chunk_end - len(chunk)
            starts.extend(base + s for s in entry.starts)
            ends.extend(base + e for e in entry.ends)
        return starts, ends

    def span_tokens(
        self, text: str, spans: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Inclusive (token_start, token_end) for each ``[start, end)`` character span.

        A span that does not sit on token boundaries is widened to the tokens it
        overlaps (spaCy's ``alignment_mode="expand"``): ``token_start`` is the first
        token ending after ``start``, ``token_end`` the last token starting before
        ``end``.
        """
        if not spans:
            return []
        # Tokens after the last span change no index before it, so stop one chunk
        # after it (that chunk's boundary still takes part in the risk check).
        last_end = max(spans, key=_END)[1]
        cut = _REST_OF_CHUNK.match(text, min(last_end, len(text))).end()
        layout = self._layout(text, cut)
        if layout is None:
            starts, ends = self._whole(text)
            return [(bisect_right(ends, s), bisect_left(starts, e) - 1) for s, e in spans]
        chunks, first_entry, chunk_ends, cum = layout
        cache = self._cache

        def entry(i: int) -> _Chunk:
            return first_entry if i == 0 and first_entry is not None else cache[chunks[i]]

        result = []
        for start, end in spans:
            # Chunk holding character ``start``; then the first token ending after it.
            i = bisect_right(chunk_ends, start)
            if i >= len(chunks):
                first = cum[-1] if cum else 0
            else:
                rel = start - (chunk_ends[i] - len(chunks[i]))
                first = (cum[i - 1] if i else 0) + bisect_right(entry(i).ends, rel)
            # Chunk holding character ``end - 1``; then the last token starting before end.
            j = min(bisect_left(chunk_ends, end), len(chunks) - 1)
            rel = end - (chunk_ends[j] - len(chunks[j]))
            last = (cum[j - 1] if j else 0) + bisect_left(entry(j).starts, rel) - 1
            result.append((first, last))
        return result

    def make_doc(self, text: str) -> Doc:
        """A real spaCy ``Doc`` (for DocBin and Prodigy token lists)."""
        return self._tokenizer(text)

    @property
    def vocab(self) -> Any:
        return self._tokenizer.vocab

    # -- internals -----------------------------------------------------------------
    def _whole(self, text: str) -> tuple[list[int], list[int]]:
        self.fallbacks += 1
        doc = self._tokenizer(text)
        starts = [t.idx for t in doc]
        return starts, [s + len(t) for s, t in zip(starts, doc, strict=True)]

    def _layout(
        self, text: str, end: int | None = None
    ) -> tuple[list[str], _Chunk | None, list[int], list[int]] | None:
        """Chunks, the entry of a leading whitespace chunk (else ``None``), chunk end
        offsets and cumulative token counts; ``None`` when the text must be tokenized
        whole. Only ``text[:end]`` is read (``end`` must close a chunk). Every chunk's
        entry is in ``self._cache`` afterwards."""
        if len(self._counts) > self._cache_limit:
            self._reset()
        chunks = _CHUNK.findall(text, 0, len(text) if end is None else end)
        if not chunks:
            return [], None, [], []
        cum = list(accumulate(map(self._counts.__getitem__, chunks)))  # fills the cache
        first = None
        if chunks[0][0].isspace():
            # At the very start no word precedes, so no leading space is dropped.
            first = self._tokenize(chunks[0], 0)
            shift = len(first.starts) - self._counts[chunks[0]]
            if shift:
                cum = [n + shift for n in cum]
        # A risky boundary needs a sensitive chunk; most texts have none (the set
        # lookups reuse the string hashes the count lookups just computed).
        if not self._sensitive_chunks.isdisjoint(chunks):
            entries = list(map(self._cache.__getitem__, chunks))
            flags = bytes(map(_FLAG, entries))
            match = _CANDIDATE.search(flags)
            while match is not None:
                left, right = entries[match.start()], entries[match.start() + 2]
                pairs = self._risks.pairs
                if any((a, b) in pairs for a in left.lasts for b in right.firsts):
                    return None
                match = _CANDIDATE.search(flags, match.start() + 1)
        chunk_ends = list(accumulate(map(len, chunks)))
        return chunks, first, chunk_ends, cum

    def _entry(self, chunk: str) -> _Chunk:
        """A chunk missing from this generation (called by the cache on a miss):
        promoted from the previous generation, or tokenized."""
        entry = self._previous.get(chunk)
        if entry is not None:
            pass
        elif chunk == " ":
            entry = _SINGLE_SPACE
        elif chunk[0].isspace():
            # After a word, one leading " " is that word's trailing space.
            entry = self._tokenize(chunk, 1 if chunk[0] == " " else 0)
        else:
            entry = self._tokenize(chunk, 0)
        self._cache[chunk] = entry
        if entry.flag & _SENSITIVE:
            self._sensitive_chunks.add(chunk)
        return entry

    def _tokenize(self, chunk: str, skip: int) -> _Chunk:
        body = chunk[skip:]
        if not body:
            return _EMPTY
        doc = self._tokenizer(body)
        starts = tuple(skip + t.idx for t in doc)
        ends = tuple(s + len(t) for s, t in zip(starts, doc, strict=True))
        if chunk[0].isspace():
            return _Chunk(starts, ends)
        risks = self._risks
        firsts = {doc[0].text}
        lasts = {doc[-1].text}
        flag = 0
        if self._is_sensitive(chunk, starts, ends):
            # The matcher may see the affix-only tokens at the edges too.
            affix = risks.affix_only(chunk)
            firsts.add(affix[0].text)
            lasts.add(affix[-1].text)
            flag = _SENSITIVE
        if not lasts.isdisjoint(risks.ends):
            flag |= 1
        if not firsts.isdisjoint(risks.starts):
            flag |= 2
        if not flag:
            return _Chunk(starts, ends)  # the edge sets are only read for risky chunks
        return _Chunk(starts, ends, flag, frozenset(firsts), frozenset(lasts))

    def _is_sensitive(self, chunk: str, starts: tuple[int, ...], ends: tuple[int, ...]) -> bool:
        """Could the matcher change tokens in this chunk?

        Only if a sensitive special case occurs with its pattern tokens present. The
        matcher sees tokens between the affix-only and the final tokenization, so a
        pattern token found in either counts.
        """
        index = self._risks.sensitive
        found = [
            (pos, offsets)
            for pos in range(len(chunk) - 1)
            for string, offsets in index.get(chunk[pos : pos + 2], ())
            if chunk.startswith(string, pos)
        ]
        if not found:
            return False
        tokens = set(zip(starts, ends, strict=True))
        tokens.update((t.idx, t.idx + len(t)) for t in self._risks.affix_only(chunk))
        return any(
            all((pos + a, pos + b) in tokens for a, b in offsets) for pos, offsets in found
        )

    def _reset(self) -> None:
        """Start a new cache generation with a fresh tokenizer (and vocabulary).

        The full generation becomes the previous one, from which chunks still in use
        are promoted without tokenizing them again; anything older is dropped. So
        frequent words survive and memory is bounded by two generations.
        """
        self._previous = self._cache
        self._cache = {}
        self._counts = _ChunkCounts(self._entry)
        self._sensitive_chunks = set()
        self._tokenizer = _blank_tokenizer()
        self._risks = _special_case_risks(self._tokenizer)


def record_to_doc(
    index: TokenIndex,
    record: Mapping[str, Any],
    *,
    cats: Mapping[str, Sequence[str]] | None = None,
    unlabelled_block: str | None = None,
    entities: Sequence[tuple[int, int, str]] = (),
) -> Doc:
    """A training ``Doc`` from an export record, for a ``DocBin``.

    - ``doc.spans["sc"]``: the record's spans (spaCy's span categorizer key), built
      from the record's own token offsets, so JSONL and DocBin cannot disagree.
    - ``doc.spans["blocks"]``: every block; an unlabelled block gets
      ``unlabelled_block`` (the project's default content label) because a span group
      cannot hold an unlabelled span and content is what an annotator leaves alone.
    - ``doc.cats``: for each document label in ``cats`` (name -> its values) that the
      record sets, one-hot over the values: the sourcing rating for a text classifier.
    - ``doc.ents``: only the entity suggestions passed in (left out unless asked for);
      overlapping ones are resolved longest-first, as spaCy requires.
    - ``doc.user_data``: id, annotator, status, and relations (as character offsets
      and labels), which spaCy has no standard place for.
    """
    from spacy.tokens import Span
    from spacy.util import filter_spans

    doc = index.make_doc(record["text"])
    spans = []
    by_id: dict[str, Any] = {}
    for span in record["spans"]:
        if span["token_start"] <= span["token_end"]:
            made = Span(doc, span["token_start"], span["token_end"] + 1, label=span["label"])
            spans.append(made)
            by_id[span["id"]] = span
    doc.spans["sc"] = spans
    blocks = []
    for block in record["blocks"]:
        label = block["label"] or unlabelled_block
        made = doc.char_span(block["start"], block["end"], label=label or "",
                             alignment_mode="expand")
        if label and made is not None:
            blocks.append(made)
    doc.spans["blocks"] = blocks
    for name, values in (cats or {}).items():
        chosen = record["doc_labels"].get(name)
        if chosen is not None:
            doc.cats.update({value: 1.0 if value == chosen else 0.0 for value in values})
    if entities:
        ents = [doc.char_span(s, e, label=label, alignment_mode="expand")
                for s, e, label in entities]
        doc.ents = filter_spans([ent for ent in ents if ent is not None])
    doc.user_data.update({
        "id": record["id"], "annotator": record["annotator"], "status": record["status"],
        "relations": [
            {"label": r["label"], "head": _char_range(by_id, r["head"]),
             "child": _char_range(by_id, r["child"]), "cue": _char_range(by_id, r["cue"])}
            for r in record["relations"]
        ],
    })
    return doc


def _char_range(spans: Mapping[str, Any], uid: str | None) -> list[int] | None:
    if uid is None or uid not in spans:
        return None
    return [spans[uid]["start"], spans[uid]["end"]]
