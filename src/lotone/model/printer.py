"""Writing expression trees back as text: :func:`format_expression`.

The inverse of :func:`lotone.model.parser.parse_expression`: the text has only the parentheses
the precedence rules need, and parses back to an equal tree. Error messages use it to show the
operands they talk about.
"""

from __future__ import annotations

from decimal import Decimal

from lotone.model.ast import (
    Aggregate,
    AttrRef,
    Binary,
    Call,
    CountRef,
    InList,
    Literal,
    Node,
    PropRef,
    Ref,
    Unary,
)

__all__ = ["format_expression"]

_PRECEDENCE = {
    **dict.fromkeys(("implies", "requires", "excludes"), 1),
    "or": 2,
    "and": 3,
    **dict.fromkeys(("==", "!=", "<", "<=", ">", ">="), 5),
    "+": 6,
    "-": 6,
    "*": 7,
    "/": 7,
}
_NOT, _COMPARE, _NEG, _ATOM = 4, 5, 8, 9


def _precedence(node: Node) -> int:
    match node:
        case Binary(op=op):
            return _PRECEDENCE[op]
        case Unary(op="not"):
            return _NOT
        case Unary():
            return _NEG
        case InList():
            return _COMPARE
        case Literal(value=Decimal() as v) if v.is_signed():
            return _NEG
    return _ATOM


def _wrap(node: Node, parens: bool) -> str:
    text = format_expression(node)
    return f"({text})" if parens else text


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_expression(node: Node) -> str:
    """Write a tree as expression text, with only the parentheses it needs.

    For a tree from :func:`~lotone.model.parser.parse_expression`, parsing the result gives an
    equal tree. Checked trees are written with their resolved names (``section[2].width_mm``,
    ``section.count``), which is what error messages show.

    Examples
    --------
    >>> from lotone.model.parser import parse_expression
    >>> format_expression(parse_expression("(a+b)*c>=2 and not(x)"))
    '(a + b) * c >= 2 and not x'
    """
    match node:
        case Literal(value=bool() as v):
            return "true" if v else "false"
        case Literal(value=Decimal() as v):
            return format(v, "f")
        case Literal(value=str() as v):
            return _quote(v)
        case Ref(parts=parts, index=index):
            head = parts[0] if index is None else f"{parts[0]}[{index}]"
            return ".".join((head, *parts[1:]))
        case AttrRef(attribute=a, slot=None):
            return a
        case AttrRef(attribute=a, slot=str() as s, index=i):
            return f"{s}.{a}" if i is None else f"{s}[{i}].{a}"
        case PropRef(ref=ref, prop=prop):
            return f"{format_expression(ref)}.{prop}"
        case CountRef(slot=s):
            return f"{s}.count"
        case Aggregate(func=f, body=body):
            return f"{f}({format_expression(body)})"
        case Call(func=f, args=args):
            return f"{f}({', '.join(format_expression(a) for a in args)})"
        case Unary(op="not", operand=x):
            return "not " + _wrap(x, _precedence(x) < _NOT)
        case Unary(operand=x):
            text = _wrap(x, _precedence(x) < _NEG)
            return f"-({text})" if text.startswith("-") else "-" + text
        case InList(operand=x, items=items, negated=negated):
            listed = ", ".join(format_expression(i) for i in items)
            word = "not in" if negated else "in"
            return f"{_wrap(x, _precedence(x) <= _COMPARE)} {word} ({listed})"
        case Binary(op=op, left=left, right=right):
            p = _PRECEDENCE[op]
            pl, pr = _precedence(left), _precedence(right)
            if p == 1:  # right-associative
                wrap_left, wrap_right = pl <= p, pr < p
            elif p == _COMPARE:  # non-associative
                wrap_left, wrap_right = pl <= p, pr <= p
            else:
                wrap_left, wrap_right = pl < p, pr <= p
            return f"{_wrap(left, wrap_left)} {op} {_wrap(right, wrap_right)}"
    raise TypeError(f"not an expression node: {node!r}")
