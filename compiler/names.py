"""Turning names from a model file into safe C identifiers (never used raw in C++ or paths)."""

from __future__ import annotations

import re

CPP_KEYWORDS = frozenset(
    """alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern
    false float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr
    operator or or_eq private protected public register reinterpret_cast requires return short signed
    sizeof static static_assert static_cast struct switch template this thread_local throw true try
    typedef typeid typename union unsigned using virtual void volatile wchar_t while xor xor_eq
    main std hls ap_int ap_uint ap_fixed ap_ufixed NULL""".split()
)


def c_identifier(text: str, fallback: str = "x") -> str:
    """A C identifier made from `text`: ASCII letters, digits and single underscores only."""
    ident = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
    if not ident:
        ident = fallback
    if ident[0].isdigit():
        ident = f"{fallback}_{ident}"
    if ident in CPP_KEYWORDS:
        ident = f"{ident}_"
    return ident[:64]


class UniqueNames:
    """Hands out distinct C identifiers, suffixing collisions (`dense`, `dense_1`, ...)."""

    def __init__(self, reserved: set[str] | None = None):
        self.used: set[str] = set(reserved or ())

    def take(self, text: str, fallback: str = "x") -> str:
        base = c_identifier(text, fallback)
        name, n = base, 1
        while name in self.used:
            name = f"{base}_{n}"
            n += 1
        self.used.add(name)
        return name
