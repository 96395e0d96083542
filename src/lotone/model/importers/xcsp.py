"""XCSP 2.1 positive-table models: domains, variables, relations and the constraints using them.

Only what product-line models use is read: domains written as integers and ``a..b`` ranges,
variables, relations with ``semantics="supports"`` and constraints that reference them. Value labels
are the integers as written (``-1`` is "absent" for the optional variables of the Renault models).
Conflict tables, predicates and global constraints are refused with the line they are on.

The file is read in a stream by expat, which keeps line numbers for every error. A DOCTYPE or an
entity declaration is refused outright, so no external entity is ever resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from lotone.errors import ModelError, did_you_mean

from ..finite import FiniteModel, FiniteVar, Table
from ._source import fail, span

__all__ = ["load_xcsp"]

FORMAT = "xcsp"
_CHUNK = 1 << 20


@dataclass(slots=True)
class _Relation:
    name: str
    line: int
    arity: int
    rows: list[list[str]]
    text: str


@dataclass(slots=True)
class _State:
    file: str
    parser: expat.XMLParserType
    name: str = ""
    domains: dict[str, tuple[tuple[str, ...], int]] = field(default_factory=dict)
    variables: list[FiniteVar] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    # per variable: label as written (and canonical integer text) -> value index
    labels: list[dict[str, int]] = field(default_factory=list)
    relations: dict[str, _Relation] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    open_tag: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    open_line: int = 0

    def fail(self, message: str, *, line: int | None = None, hint: str | None = None) -> NoReturn:
        where = self.parser.CurrentLineNumber if line is None else line
        column = self.parser.CurrentColumnNumber + 1 if line is None else 1
        fail(self.file, where, message, column=column, hint=hint)


def load_xcsp(path: Path | str) -> FiniteModel:
    """Read an XCSP 2.1 file of positive tables into a :class:`FiniteModel`.

    Raises
    ------
    ModelError
        At the line of the first problem: malformed XML, a DOCTYPE or entity, a conflicts table,
        a predicate or global constraint, an unknown domain, variable, relation or value, a tuple
        of the wrong arity, or counts (``nbValues``, ``nbTuples``, ``arity``) that do not match.
    """
    path = Path(path)
    file = str(path)
    parser = expat.ParserCreate()
    state = _State(file, parser)
    parser.buffer_text = True
    parser.StartElementHandler = lambda tag, attrs: _start(state, tag, attrs)
    parser.EndElementHandler = lambda tag: _end(state, tag)
    parser.CharacterDataHandler = lambda data: state.text.append(data) if state.open_tag else None
    parser.StartDoctypeDeclHandler = lambda *_: state.fail(
        "DOCTYPE declarations are not accepted", hint="remove the <!DOCTYPE ...> line"
    )
    parser.EntityDeclHandler = lambda *_: state.fail("entity declarations are not accepted")
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except OSError as exc:
        fail(file, 1, f"cannot read {path}: {exc.strerror or exc}")
    except (LookupError, UnicodeError) as exc:  # an unknown or wrong encoding= declaration
        fail(file, parser.CurrentLineNumber or 1, f"cannot decode the file: {exc}")
    except expat.ExpatError as exc:
        fail(
            file, exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)}", column=exc.offset + 1
        )
    if not state.variables:
        fail(file, 1, "the file declares no <variable>")
    return FiniteModel(
        id=path.stem,
        name=state.name or path.stem,
        format=FORMAT,
        variables=tuple(state.variables),
        tables=tuple(state.tables),
        source=file,
    )


_TEXT_TAGS = {"domain", "relation"}


def _start(state: _State, tag: str, attrs: dict[str, str]) -> None:
    if tag == "presentation":
        state.name = attrs.get("name", "")
    elif tag in _TEXT_TAGS:
        state.open_tag, state.attrs, state.text = tag, attrs, []
        state.open_line = state.parser.CurrentLineNumber
        if tag == "relation" and attrs.get("semantics", "supports") != "supports":
            state.fail(
                f"relation {attrs.get('name', '?')} has semantics={attrs.get('semantics')!r}; "
                'only positive tables (semantics="supports") are supported',
                hint="list the allowed tuples instead of the forbidden ones",
            )
    elif tag == "variable":
        _variable(state, attrs)
    elif tag == "constraint":
        _constraint(state, attrs)
    elif tag in ("predicates", "predicate", "functions", "function"):
        state.fail(f"<{tag}> is not supported; only positive tables (relations) are")


def _end(state: _State, tag: str) -> None:
    if tag != state.open_tag:
        return
    text = "".join(state.text)
    state.open_tag, state.text = "", []
    if tag == "domain":
        _domain(state, state.attrs, text)
    else:
        _relation(state, state.attrs, text)


def _required(state: _State, tag: str, attrs: dict[str, str], key: str) -> str:
    value = attrs.get(key)
    if not value:
        state.fail(f"<{tag}> needs a {key}= attribute")
    return value


def _count(
    state: _State, tag: str, attrs: dict[str, str], key: str, line: int | None = None
) -> int | None:
    value = attrs.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        state.fail(f"<{tag}> {key}={value!r} is not an integer", line=line)


def _domain(state: _State, attrs: dict[str, str], text: str) -> None:
    line = state.open_line
    name = _required(state, "domain", attrs, "name")
    values: list[int] = []
    for token in text.split():
        lo, dots, hi = token.partition("..")
        try:
            if dots:
                values.extend(range(int(lo), int(hi) + 1))
            else:
                values.append(int(token))
        except ValueError:
            state.fail(
                f"domain {name}: {token!r} is neither an integer nor a range a..b", line=line
            )
    labels = tuple(str(v) for v in values)
    if not labels:
        state.fail(f"domain {name} has no values", line=line)
    if len(set(labels)) != len(labels):
        state.fail(f"domain {name} lists a value twice", line=line)
    expected = _count(state, "domain", attrs, "nbValues", line)
    if expected is not None and expected != len(labels):
        state.fail(f"domain {name} has {len(labels)} values but nbValues={expected}", line=line)
    if name in state.domains:
        state.fail(f"domain {name} is declared twice", line=line)
    state.domains[name] = (labels, line)


def _variable(state: _State, attrs: dict[str, str]) -> None:
    name = _required(state, "variable", attrs, "name")
    domain = _required(state, "variable", attrs, "domain")
    if domain not in state.domains:
        state.fail(
            f"variable {name} uses unknown domain {domain!r}",
            hint=did_you_mean(domain, state.domains),
        )
    if name in state.index:
        state.fail(f"variable {name} is declared twice")
    labels = state.domains[domain][0]
    state.index[name] = len(state.variables)
    state.variables.append(
        FiniteVar(name, labels, span(state.file, state.parser.CurrentLineNumber))
    )
    state.labels.append({label: k for k, label in enumerate(labels)})


def _relation(state: _State, attrs: dict[str, str], text: str) -> None:
    line = state.open_line
    name = _required(state, "relation", attrs, "name")
    arity = _count(state, "relation", attrs, "arity", line)
    rows = [part.split() for part in text.split("|")]
    if rows and not rows[-1]:
        rows.pop()  # the text usually ends with a '|'
    if arity is None:
        arity = len(rows[0]) if rows else 0
    for i, row in enumerate(rows):
        if len(row) != arity:
            state.fail(
                f"relation {name}: tuple {i + 1} has {len(row)} values, expected arity {arity}",
                line=_row_line(line, text, i),
            )
    expected = _count(state, "relation", attrs, "nbTuples", line)
    if expected is not None and expected != len(rows):
        state.fail(f"relation {name} has {len(rows)} tuples but nbTuples={expected}", line=line)
    if name in state.relations:
        state.fail(f"relation {name} is declared twice", line=line)
    state.relations[name] = _Relation(name, line, arity, rows, text)


def _row_line(start: int, text: str, row: int) -> int:
    """The line of the ``row``-th tuple (0-based) of a relation whose tag is on line ``start``."""
    pos = 0
    for _ in range(row):
        pos = text.find("|", pos) + 1
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return start + text.count("\n", 0, pos)


def _constraint(state: _State, attrs: dict[str, str]) -> None:
    name = _required(state, "constraint", attrs, "name")
    ref = _required(state, "constraint", attrs, "reference")
    scope_names = _required(state, "constraint", attrs, "scope").split()
    relation = state.relations.get(ref)
    if relation is None:
        if ref.startswith("global:"):
            state.fail(f"constraint {name}: global constraint {ref} is not supported")
        state.fail(
            f"constraint {name} references unknown relation {ref!r} "
            "(only relations, not predicates, are supported)",
            hint=did_you_mean(ref, state.relations),
        )
    scope: list[int] = []
    for var_name in scope_names:
        var = state.index.get(var_name)
        if var is None:
            state.fail(
                f"constraint {name}: unknown variable {var_name!r} in scope",
                hint=did_you_mean(var_name, state.index),
            )
        scope.append(var)
    if len(set(scope)) != len(scope):
        state.fail(f"constraint {name}: a variable appears twice in its scope")
    arity = _count(state, "constraint", attrs, "arity")
    if arity is not None and arity != len(scope):
        state.fail(f"constraint {name} has {len(scope)} variables in its scope but arity={arity}")
    if relation.arity != len(scope):
        state.fail(
            f"constraint {name} has {len(scope)} variables but relation {ref} has arity "
            f"{relation.arity}"
        )
    maps = [state.labels[v] for v in scope]
    try:
        rows = tuple(tuple([m[s] for m, s in zip(maps, row, strict=True)]) for row in relation.rows)
    except KeyError:
        rows = tuple(
            _convert(state, name, relation, scope, maps, i) for i in range(len(relation.rows))
        )
    state.tables.append(
        Table(name, tuple(scope), rows, span(state.file, state.parser.CurrentLineNumber))
    )


def _convert(
    state: _State,
    name: str,
    relation: _Relation,
    scope: list[int],
    maps: list[dict[str, int]],
    i: int,
) -> tuple[int, ...]:
    """Slow path for one tuple: values written differently ("+1", "01") or not in a domain."""
    out: list[int] = []
    for var, m, token in zip(scope, maps, relation.rows[i], strict=True):
        k = m.get(token)
        if k is None:
            try:
                k = m.get(str(int(token)))
            except ValueError:
                k = None
            if k is None:
                var_ = state.variables[var]
                shown = " ".join(var_.values[:12]) + (" ..." if len(var_.values) > 12 else "")
                raise ModelError.at(
                    span(state.file, _row_line(relation.line, relation.text, i)),
                    f"relation {relation.name} (used by constraint {name}): value {token!r} is "
                    f"not in the domain of {var_.name} ({shown})",
                )
        out.append(k)
    return tuple(out)
