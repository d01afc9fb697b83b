"""Trigger prefilter: where can a rule possibly match, found cheaply.

Python's ``re`` is a backtracking engine without multi-pattern optimisation: an alternation of
a hundred rules is tried alternative by alternative at every position, so folding all rules into
one regex was measured *slower* than running them one by one (0.01 vs 0.08 MB/s on native
English news). What makes a pass over the text cheap is a per-rule **trigger**: a short run of
literal characters and character classes that every match must contain (the "factors" RE2 and
Hyperscan prefilter on), computed once from the regex's parse tree. At check time each distinct
trigger is searched once — triggers that expand to a few hundred literal strings all at once in
one Aho-Corasick pass, the others as small regexes that start with a literal or a class —; a
rule whose trigger is absent costs nothing, and a rule whose trigger occurs is run only from
just before each occurrence (``lead`` = the most characters a match can have before it).

Triggers are a sound over-approximation: a rule is never skipped where it could match. Rules
whose parse tree yields no selective trigger are run over the whole text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import import_module
from typing import Any

# The stdlib's own regex parser and its opcodes (private but stable across 3.11-3.13; typeshed
# does not describe them, hence Any).
P: Any = import_module("re._parser")
C: Any = import_module("re._constants")

_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}
MIN_SCORE = 1.0  # below this a trigger matches almost everywhere and is not worth it


@dataclass(frozen=True, slots=True)
class Trigger:
    source: str
    #: Most characters a match can have before the trigger starts; None = unbounded.
    lead: int | None
    score: float
    #: The trigger as plain lower-case strings (whitespace as " "), when it can be written so:
    #: then the engine finds them with one Aho-Corasick pass over the folded text.
    literals: frozenset[str] | None = None
    #: Whether ``literals`` are lower-cased (search the folded text) or case-exact.
    folded: bool = True
    #: A doubled word (``(?P<w>…) (?P=w)`` between word boundaries): the engine looks for
    #: two equal words in a row in the document's word list instead of a string. ``literals``
    #: are then the words the group can be (None: any), ``shortest`` its fewest characters,
    #: ``letters`` whether it has letters only.
    repeat: bool = False
    shortest: int = 1
    letters: bool = False


@dataclass(frozen=True, slots=True)
class _Run:
    source: str
    score: float
    lead: int | None


def to_json(found: Trigger | None) -> dict[str, object] | None:
    if found is None:
        return None
    return {"source": found.source, "lead": found.lead, "score": round(found.score, 3),
            "literals": sorted(found.literals) if found.literals is not None else None,
            "folded": found.folded, "repeat": found.repeat, "shortest": found.shortest,
            "letters": found.letters}


def from_json(data: dict[str, Any] | None) -> Trigger | None:
    if data is None:
        return None
    literals = data["literals"]
    return Trigger(str(data["source"]), data["lead"], float(data["score"]),
                   frozenset(literals) if literals is not None else None, bool(data["folded"]),
                   bool(data.get("repeat", False)), int(data.get("shortest", 1)),
                   bool(data.get("letters", False)))


def source_key(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]  # a cache key, not security


def trigger(source: str, flags: int = 0) -> Trigger | None:
    try:
        tree = P.parse(source, flags | re.MULTILINE)
    except re.error:
        return None
    group = _doubled_word(list(tree))
    if group is not None:
        forms = _forms(group, True)
        words = frozenset(forms) if forms is not None and len(forms) <= _MAX_FORMS else None
        shortest = P.SubPattern(P.State(), group).getwidth()[0]
        letters = _word_chars(group, letters=True)
        kind = "letters" if letters else "word characters"
        listed = f", {len(words)} words {source_key(' '.join(sorted(words)))}" if words else ""
        label = f"{REPEAT[:-1]}: {kind}, {shortest}+{listed})"  # distinct triggers, distinct keys
        return Trigger(label, 0, 10.0, words, True, repeat=True, shortest=shortest,
                       letters=letters)
    run = _seq(list(tree), 0)
    ahead = False
    if run is None or run.score < MIN_SCORE:
        # Look-ahead content only as a last resort: a trigger found there tends to have an
        # unbounded lead ("…(?=, said)"), so each occurrence costs a search of its whole line.
        run, ahead = _seq(list(tree), 0, ahead=True), True
    if run is None or run.score < MIN_SCORE:
        return None
    folded = _folds(run.source, flags)
    literals = literal_forms(run.source, fold=folded)
    if literals is None:
        # The run cannot be spelt out for Aho-Corasick (a wide alternation of words): a short
        # run elsewhere in the pattern (`` “``) that can is one automaton search instead.
        narrow = _seq(list(tree), 0, narrow=True, ahead=ahead)
        if narrow is not None and narrow.score >= MIN_SCORE and narrow.source != run.source:
            narrow_folded = _folds(narrow.source, flags)
            narrow_literals = literal_forms(narrow.source, fold=narrow_folded)
            if narrow_literals is not None and len(narrow_literals) <= _WIDE:
                run, folded, literals = narrow, narrow_folded, narrow_literals
    if literals is not None and all(lit.strip().lower() in _COMMON for lit in literals):
        return None  # "the " occurs on every line: scanning the whole text is cheaper
    return Trigger(run.source, run.lead, run.score, literals, folded)


def _folds(source: str, flags: int = 0) -> bool:
    """Whether a trigger run matches regardless of case (its spellings are then lower-cased)."""
    return "(?i" in source or bool(flags & re.IGNORECASE)


REPEAT = "(?#doubled word)"


def _doubled_word(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]] | None:
    r"""Whether the pattern is ``(?<!\w)(?P<w>word chars) (?P=w)(?!\w)`` at its top level.

    Back-references give no literal trigger, and such a rule tried at every word start cost a
    tenth of a full check. With a word boundary on both sides, a match is two equal words
    (ignoring case) with one space between: :meth:`Document.doubled_word_starts` finds those
    in C speed. Anything else with a back-reference keeps the full scan.
    """
    for k in range(1, len(items) - 1):
        op, av = items[k]
        if op is not C.SUBPATTERN or av[0] is None or not _word_chars(list(av[3])):
            continue
        if P.SubPattern(P.State(), list(av[3])).getwidth()[0] < 1:
            continue  # an empty word would repeat anywhere
        i = k - 1
        while i > 0 and items[i][0] in (C.ASSERT, C.ASSERT_NOT) and items[i][1][0] == 1:
            i -= 1  # look-aheads before the word: (?!(?:that|very)\b)
        if not _no_word_char(items[i], -1):
            continue
        tail = _opened(items[k + 1 :])
        j = 1
        while j < len(tail) and tail[j][0] in (C.ASSERT, C.ASSERT_NOT) and tail[j][1][0] == 1:
            j += 1  # look-aheads between the space and the repeat: (?=[a-z])
        if (len(tail) > j + 1 and tail[0] == (C.LITERAL, ord(" "))
                and tail[j] == (C.GROUPREF, av[0]) and _no_word_char(tail[j + 1], 1)):
            return list(av[3])
    return None


def _opened(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The items with every group opened up (its flags do not matter for a superset)."""
    opened: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is C.SUBPATTERN:
            opened.extend(_opened(list(av[3])))
        else:
            opened.append((op, av))
    return opened


def _word_chars(items: list[tuple[Any, Any]], letters: bool = False) -> bool:
    r"""Whether every character the items can match is a word character (``\w``), or with
    ``letters`` a letter (no digits, no underscore)."""
    def ok(ch: str) -> bool:
        return ch.isalpha() if letters else ch.isalnum() or ch == "_"

    for op, av in items:
        if op is C.LITERAL:
            if not ok(chr(av)):
                return False
        elif op is C.IN:
            for item_op, item_av in av:
                if item_op is C.LITERAL and ok(chr(item_av)):
                    continue
                if item_op is C.RANGE and all(ok(chr(c)) for c in item_av):
                    if item_av[1] - item_av[0] > 26 and not chr(item_av[0]).isdigit():
                        return False  # a wide range may hold punctuation: not worth checking
                    continue
                if item_op is C.CATEGORY and not letters and item_av in (C.CATEGORY_WORD,
                                                                         C.CATEGORY_DIGIT):
                    continue
                return False
        elif op is C.BRANCH:
            if not all(_word_chars(list(branch), letters) for branch in av[1]):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            if not _word_chars(list(av[2]), letters):
                return False
        elif op is C.SUBPATTERN:
            if not _word_chars(list(av[3]), letters):
                return False
        else:
            return False
    return True


def _no_word_char(item: tuple[Any, Any], direction: int) -> bool:
    r"""Whether ``item`` is a negative look-behind (-1) or look-ahead (1) that excludes every
    word character: ``(?<![\w’'-])``."""
    op, av = item
    if op is not C.ASSERT_NOT or av[0] != direction:
        return False
    inner = list(av[1])
    if len(inner) != 1 or inner[0][0] is not C.IN:
        return False
    return any(i_op is C.CATEGORY and i_av is C.CATEGORY_WORD for i_op, i_av in inner[0][1])


_COMMON = frozenset({
    "the", "of", "in", "and", "to", "a", "an", "on", "at", "for", "by", "with", "from", "that",
    "this", "is", "was", "are", "it",
})


_WIDE = 64  # most spellings a narrower run (taken when the best run has none) may have
# Spellings per trigger for Aho-Corasick. Past a thousand the triggers found on news were no
# more selective, and the automaton (built at each start of a hook) twice as big: 15 ms.
_MAX_FORMS = 1024


def literal_forms(source: str, *, fold: bool = True) -> frozenset[str] | None:
    """Expand a trigger regex into the strings it can match (lower-cased when ``fold``)."""
    try:
        tree = P.parse(source)
    except re.error:
        return None
    forms = _forms(list(tree), fold)
    if forms is None or not forms or "" in forms:
        return None
    return frozenset(forms)


def _forms(items: list[tuple[Any, Any]], fold: bool) -> set[str] | None:
    def norm(ch: str) -> str:
        return " " if ch.isspace() else ch.lower() if fold else ch

    result = {""}
    for op, av in items:
        options: set[str] | None
        if op is C.LITERAL:
            options = {norm(chr(av))}
        elif op is C.IN:
            options = set()
            for item_op, item_av in av:
                if item_op is C.LITERAL:
                    options.add(norm(chr(item_av)))
                elif item_op is C.CATEGORY and item_av is C.CATEGORY_SPACE:
                    options.add(" ")
                elif item_op is C.CATEGORY and item_av is C.CATEGORY_DIGIT:
                    options.update("0123456789")  # [\d],[\d] → 100 forms, one automaton pass
                elif item_op is C.RANGE and (item_av[1] - item_av[0] < 10 or _rare_class(av)):
                    options.update(norm(chr(c)) for c in range(item_av[0], item_av[1] + 1))
                else:
                    return None
        elif op is C.SUBPATTERN:
            options = _forms(list(av[3]), fold or bool(av[1] & re.IGNORECASE))
        elif op is C.MAX_REPEAT and av[1] <= 2:  # n? in "[Aa]n?"
            once = _forms(list(av[2]), fold)
            if once is None:
                return None
            options = {""} if av[0] == 0 else set()
            step = {""}
            for count in range(1, av[1] + 1):
                step = {a + b for a in step for b in once}
                if count >= av[0]:
                    options |= step
        elif op is C.BRANCH:
            options = set()
            for branch in av[1]:
                sub = _forms(list(branch), fold)
                if sub is None:
                    return None
                options |= sub
        else:
            return None
        if options is None:
            return None
        result = {a + b for a in result for b in options}
        if len(result) > _MAX_FORMS:
            return None
    return result


def _class(op: Any, av: Any) -> tuple[str, float] | None:
    """Regex source and selectivity score of one single-character element."""
    if op is C.LITERAL:
        return re.escape(chr(av)), _literal_score(chr(av))
    if op is C.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]", 0.0
    if op is C.IN:
        parts: list[str] = []
        negate = False
        width = 0
        literal_scores: list[float] = []
        for item_op, item_av in av:
            if item_op is C.NEGATE:
                negate = True
            elif item_op is C.LITERAL:
                parts.append(_escape_in_class(chr(item_av)))
                literal_scores.append(_literal_score(chr(item_av)))
                width += 1
            elif item_op is C.RANGE:
                lo, hi = item_av
                parts.append(f"{_escape_in_class(chr(lo))}-{_escape_in_class(chr(hi))}")
                width += hi - lo + 1
            elif item_op is C.CATEGORY and item_av in _CATEGORIES:
                parts.append(_CATEGORIES[item_av])
                width += 10 if item_av is C.CATEGORY_DIGIT else 100
            else:
                return None
        src = ("[^" if negate else "[") + "".join(parts) + "]"
        if negate:
            return src, 0.0
        score = 0.9 if width <= 4 else 0.5 if width <= 10 else 0.1
        if _rare_class(av):
            return src, 2.0  # [А-яЁё], [\u200b\ufeff]: absent from English copy, however many
        if width <= 4 and len(literal_scores) == width:
            # A small set of rare characters ([¿¡], [«»], [€$£]) is as selective as its
            # commonest one.
            score = max(score, min(literal_scores))
        return src, score
    return None


_RARE_WIDTH = 1024


def _rare_class(av: Any) -> bool:
    """A character class of rare characters only (non-ASCII or control, never whitespace): a
    trigger however wide, and Aho-Corasick takes it as single characters."""
    width = 0
    for item_op, item_av in av:
        if item_op is C.LITERAL:
            low = high = item_av
        elif item_op is C.RANGE:
            low, high = item_av
        else:
            return False
        width += high - low + 1
        if width > _RARE_WIDTH or not all(_rare(chr(c)) for c in range(low, high + 1)):
            return False
    return width > 0


def _rare(ch: str) -> bool:
    return not ch.isspace() and (not ch.isascii() or not ch.isprintable())


def _literal_score(ch: str) -> float:
    """How rare a character is in English text: letters 1, spaces and common punctuation low,
    non-ASCII typography (« „ € …) high, since one of them alone is already a good trigger."""
    if not ch.isascii():
        return 2.0 if not ch.isspace() else 0.2
    if ch.isspace():
        return 0.3
    if ch in ",.'\"-":
        return 0.5
    return 0.45 if ch.isalnum() else 1.0


def _escape_in_class(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def _width_max(items: list[tuple[Any, Any]]) -> int | None:
    if not items:
        return 0
    sub = P.SubPattern(P.State(), items)
    try:
        high = sub.getwidth()[1]
    except (IndexError, TypeError, re.error):  # back-references: width unknown here
        return None
    return None if high >= C.MAXREPEAT else int(high)


def _better(a: _Run | None, b: _Run | None) -> _Run | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if a.score >= b.score else b


def _flatten(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Inline plain groups: their contents are contiguous with their neighbours'."""
    flat: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is C.SUBPATTERN and not av[1] and not av[2]:
            flat.extend(_flatten(list(av[3])))
        else:
            flat.append((op, av))
    return flat


def _seq(
    items: list[tuple[Any, Any]], lead: int | None, narrow: bool = False, ahead: bool = False,
    budget: int = 0,
) -> _Run | None:
    """Best trigger of a sequence; ``lead`` = max width of what precedes the sequence."""
    items = _flatten(items)
    best: _Run | None = None
    run_src: list[str] = []
    run_scores: list[float] = []
    run_start = 0
    run_extra: int | None = 0  # a run that starts inside a repeat starts up to max-1 chars in

    def close(index: int) -> None:
        nonlocal best, run_src, run_scores, run_extra
        # Trim weak ends ([A-Za-z]ing → ing): a shorter, literal-only trigger is found faster.
        lo, hi = 0, len(run_src)
        while lo < hi and run_scores[lo] < 0.3:
            lo += 1
        while hi > lo and run_scores[hi - 1] < 0.3:
            hi -= 1
        if lo < hi:
            before = _add(_add(_add(lead, _width_max(items[:run_start])), run_extra), lo)
            best = _better(best, _expandable(run_src[lo:hi], run_scores[lo:hi], before,
                                             budget or _MAX_FORMS))
        run_src, run_scores, run_extra = [], [], 0

    def extend(index: int, piece: tuple[str, float]) -> None:
        nonlocal run_start
        if not run_src:
            run_start = index
        run_src.append(piece[0])
        run_scores.append(piece[1])

    for index, (op, av) in enumerate(items):
        if op in (C.ASSERT_NOT, C.AT) or (op is C.ASSERT and not ahead):
            # Zero width: the characters on either side are adjacent in the text, so the run
            # goes on ("M(?<![\w.]M)\. " is the trigger "M. ", not ". ").
            continue
        if op is C.ASSERT:  # its content is a candidate too, and the run goes on
            best = _better(best, _element(op, av, _add(lead, _width_max(items[:index])), narrow,
                                          ahead))
            continue
        single = _class(op, av)
        if single is not None:
            extend(index, single)
            continue
        if run_src and op is C.MAX_REPEAT and av[0] == 0 and av[1] == 1:
            optional = _class(*next(iter(av[2]))) if len(av[2]) == 1 else None
            if optional is not None:  # "18 h 30" or "18h30": h[ ]?[0-5]\d is one trigger
                extend(index, (optional[0] + "?", 0.0))
                continue
        repeated = _repeated_class(op, av)
        if repeated is not None:
            # X{1,} inside a match: the run so far continues with one X, and a new run can
            # start with the repeat's last X (its lead is then unbounded unless max is fixed).
            extend(index, repeated)
            close(index)
            high = av[1]
            run_start = index
            run_extra = None if high >= C.MAXREPEAT else int(high) - 1
            run_src, run_scores = [repeated[0]], [repeated[1]]
            continue
        if op is C.BRANCH and not (narrow and len(av[1]) > 8):
            simple = _simple_branches(av)
            # "Mi(?:o|llionen|ll)": the parser factored a prefix out
            if simple is not None and _forms_fit(simple[0]):
                extend(index, simple)
                continue
        close(index)
        best = _better(best, _element(op, av, _add(lead, _width_max(items[:index])), narrow, ahead))
    close(len(items))
    return best


def _expandable(pieces: list[str], scores: list[float], lead: int | None, budget: int) -> _Run:
    r"""The run, or when it has more literal forms than Aho-Corasick should take
    ("(?:[01]?\d|2[0-3])[ ]?h[ ]?[0-5]\d": 28,800), its best part that has fewer."""
    run = _Run("".join(pieces), sum(scores), lead)
    if len(pieces) < 2 or _forms_fit(run.source, budget):
        return run
    best: _Run | None = None
    for size in range(len(pieces) - 1, 0, -1):
        for start in range(len(pieces) - size + 1):
            part = pieces[start : start + size]
            if scores[start] < 0.3 or scores[start + size - 1] < 0.3 or not _forms_fit(
                "".join(part), budget
            ):
                continue
            skipped = lead
            for piece in pieces[:start]:
                skipped = _add(skipped, _width_max(list(P.parse(piece))))
            best = _better(best, _Run("".join(part), sum(scores[start : start + size]), skipped))
        if best is not None:
            return best
    return run


def _forms_fit(source: str, budget: int = _MAX_FORMS) -> bool:
    forms = literal_forms(source, fold=_folds(source))
    return forms is not None and len(forms) <= budget


def _simple_branches(av: Any) -> tuple[str, float] | None:
    """An alternation whose branches are all runs of single characters (plain groups, nested
    alternations, optional parts and zero-width assertions allowed), as regex and score."""
    sources = []
    scores = []
    for branch in av[1]:
        run = _piece_run(list(branch))
        if run is None:
            return None
        sources.append(run[0])
        scores.append(run[1])
    return "(?:" + "|".join(sources) + ")", min(scores)


def _piece_run(items: list[tuple[Any, Any]]) -> tuple[str, float] | None:
    parts = []
    for op, av in _flatten(items):
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero width: what is around it is adjacent
        part = _piece(op, av)
        if part is None:
            return None
        parts.append(part)
    if not parts:
        return None
    return "".join(p[0] for p in parts), sum(p[1] for p in parts)


def _piece(op: Any, av: Any) -> tuple[str, float] | None:
    """One element of a literal run inside an alternation: "[Ss]", "(?:man|woman)", "(?:s)?"."""
    if op is C.BRANCH:
        return _simple_branches(av)
    if op is C.SUBPATTERN and not av[1] and not av[2]:
        run = _piece_run(list(av[3]))
        return None if run is None else ("(?:" + run[0] + ")", run[1])
    if op is C.MAX_REPEAT and av[0] == 0 and av[1] == 1:
        run = _piece_run(list(av[2]))
        return None if run is None else ("(?:" + run[0] + ")?", 0.0)
    return _class(op, av)


def _repeated_class(op: Any, av: Any) -> tuple[str, float] | None:
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        low, _high, item = av
        items = list(item)
        if low >= 1 and len(items) == 1:
            return _class(*items[0])
    return None


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _element(
    op: Any, av: Any, lead: int | None, narrow: bool = False, ahead: bool = False
) -> _Run | None:
    if op is C.SUBPATTERN:
        _group, add_flags, _del, sub = av
        run = _seq(list(sub), lead, narrow, ahead)
        if run is not None and add_flags & re.IGNORECASE:
            return _Run(f"(?i:{run.source})", run.score * 0.8, run.lead)
        return run
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        low, _high, item = av
        return _seq(list(item), lead, narrow, ahead) if low >= 1 else None
    if op is C.BRANCH:
        if narrow and len(av[1]) > 8:
            return None  # a wide alternation: look elsewhere
        runs = [_seq(list(branch), lead, narrow, ahead) for branch in av[1]]
        if any(r is None for r in runs):
            return None
        if not _forms_fit("(?:" + "|".join(r.source for r in runs if r is not None) + ")"):
            # Each branch fits on its own but not all together: share the budget.
            share = max(1, _MAX_FORMS // len(runs))
            runs = [_seq(list(branch), lead, narrow, ahead, share) for branch in av[1]]
            if any(r is None for r in runs):
                return None
        chosen = [r for r in runs if r is not None]
        leads = [r.lead for r in chosen]
        joint_lead = None if any(x is None for x in leads) else max(x for x in leads if x is not None)
        source = "(?:" + "|".join(r.source for r in chosen) + ")"
        return _Run(source, min(r.score for r in chosen), joint_lead)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq(list(av), lead, narrow, ahead)
    if op is C.ASSERT and av[0] == 1 and ahead:
        # A positive look-ahead's content must be in the text from here on, like the rest of
        # the match: "(?=(?:lire aussi|read also))" in a whole-line teaser rule is a trigger.
        return _seq(list(av[1]), lead, narrow, ahead)
    return None  # look-behinds, negative look-aheads, anchors, back-references: no requirement
