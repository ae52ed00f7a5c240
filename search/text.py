"""Chinese-aware text processing shared by every search backend.

PostgreSQL's parser and SQLite's unicode61 tokenizer do not split Chinese, so words are cut with jieba
*before* they reach the index: every backend stores space-separated terms and matches whole terms.
Titles also get single-character terms (so 牛 finds 牛羊养殖) and pinyin: each word's full pinyin, its
syllables and initials, and the whole title's pinyin and initials, so ``niu``, ``yangzhi`` and ``nyyz``
all find 牛羊养殖. Terms are ``\\w+`` only, lower-case, so no backend re-tokenises them differently.

Queries are cut the same way into clauses (all must match); a clause is a Chinese word *or* the
sub-words jieba finds inside it; a Latin/pinyin clause also matches as a prefix, since learners on a
phone stop typing early.
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(logging.WARNING)

_TERM = re.compile(r"[^\W_]+", re.UNICODE)  # no underscore: PostgreSQL's parser splits on it
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII_WORD = re.compile(r"^[0-9a-z_]+$")
MAX_BODY_CHARS = 20_000
MAX_QUERY_CHARS = 100
MAX_CLAUSES = 8


def _clean(tokens) -> list[str]:
    out = []
    for token in tokens:
        out.extend(match.lower() for match in _TERM.findall(token))
    return out


def segment(text: str) -> list[str]:
    """Search-granularity terms of ``text`` (jieba's cut_for_search), lower-case, punctuation dropped."""
    return _clean(jieba.cut_for_search(text or ""))


def title_terms(title: str) -> str:
    terms = segment(title)
    terms += [char for char in title if _HAN.match(char)]
    return " ".join(dict.fromkeys(terms))


def body_terms(*texts: str) -> str:
    terms: list[str] = []
    for text in texts:
        terms += segment((text or "")[:MAX_BODY_CHARS])
    return " ".join(terms)


def _pinyin(word: str) -> tuple[list[str], list[str]]:
    syllables = [s for s in lazy_pinyin(word, errors="ignore") if s.isascii()]
    initials = [s for s in lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore") if s.isascii()]
    return syllables, initials


def pinyin_terms(*texts: str) -> str:
    """Pinyin terms for the Chinese in ``texts`` (used for titles and short keyword lists)."""
    terms: list[str] = []
    for text in texts:
        words = [w for w in jieba.cut(text or "") if _HAN.search(w)]
        all_syllables, all_initials = [], []
        for word in words:
            syllables, initials = _pinyin(word)
            if not syllables:
                continue
            terms += ["".join(syllables), "".join(initials), *syllables]
            all_syllables += syllables
            all_initials += initials
        if len(words) > 1:
            terms += ["".join(all_syllables), "".join(all_initials)]
    return " ".join(dict.fromkeys(t.lower() for t in terms if t))


@dataclass(frozen=True)
class Clause:
    """One thing the user typed. Matches if any alternative matches; an alternative is a conjunction."""

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False


def parse_query(query: str) -> list[Clause]:
    """Clauses of ``query``; all must match. Over-long input is cut, never an error."""
    query = (query or "")[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    seen = set()
    for token in jieba.cut(query):
        for word in _clean([token]):
            if word in seen:
                continue
            seen.add(word)
            if _ASCII_WORD.match(word):
                clauses.append(Clause(word, ((word,),), prefix=True))
                continue
            alternatives = [(word,)]
            parts = tuple(w for w in segment(word) if w != word)
            if parts:
                alternatives.append(parts)
            if len(word) > 1 and _HAN.search(word):
                chars = tuple(c for c in word if _HAN.match(c))
                if chars and chars not in alternatives:
                    alternatives.append(chars)
            clauses.append(Clause(word, tuple(alternatives)))
    return clauses[:MAX_CLAUSES]


# ---- highlighting (shared, so every backend marks the same words) ----

@lru_cache(maxsize=4096)
def _word_pinyin(word: str) -> tuple[str, str]:
    syllables, initials = _pinyin(word)
    return "".join(syllables), "".join(initials)


@lru_cache(maxsize=65536)  # a pure function of its arguments; a page of hits repeats most words
def _matches(word: str, clauses: tuple[Clause, ...]) -> bool:
    low = word.lower()
    for clause in clauses:
        if clause.prefix:
            if low.startswith(clause.text):
                return True
            if _HAN.search(word):
                full, initials = _word_pinyin(word)
                if clause.text in full or initials.startswith(clause.text):
                    return True
        else:
            for alternative in clause.alternatives:
                if any(term in low for term in alternative if len(term) > 1 or len(alternative) == 1):
                    return True
            if len(clause.text) == 1 and clause.text in low:
                return True
    return False


def _marked(words, clauses: tuple[Clause, ...]) -> str:
    out = []
    for word in words:
        escaped = html.escape(word)
        out.append(f"<mark>{escaped}</mark>" if word.strip() and _matches(word, clauses) else escaped)
    return "".join(out).replace("</mark><mark>", "")


def highlight(text: str, clauses: list[Clause]) -> str:
    """``text`` HTML-escaped with the matched words wrapped in ``<mark>``."""
    return _marked(jieba.cut(text or ""), tuple(clauses))


def snippet(text: str, clauses: list[Clause], *, length: int = 120) -> str:
    """A window of ``text`` around the first matched word, highlighted; the start if nothing matches."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    clauses = tuple(clauses)
    words = jieba.cut(text[:MAX_BODY_CHARS])  # lazily: a long body is cut only up to its first match
    whole = len(text) <= length
    if whole:  # the window may be the whole text: keep its words rather than cutting it twice
        words = list(words)
    position, offset = 0, 0
    for word in words:
        if word.strip() and _matches(word, clauses):
            position = offset
            break
        offset += len(word)
    start = max(0, position - length // 4)
    if whole and start == 0:
        return _marked(words, clauses)
    window = text[start:start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return prefix + highlight(window, clauses) + suffix
