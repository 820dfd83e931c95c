"""Turning names from a model file into safe C identifiers (never used raw in C++ or paths).

A name from a model (node, tensor, graph or file name) may hold anything: quotes, newlines, `*/`,
`#include`, `../`, non-ASCII text, a C++ keyword, or the name of a macro, typedef or global variable of
the headers the generated code includes. `c_identifier` keeps ASCII letters and digits joined by single
underscores and appends `_` to any name the generated C++ cannot declare as a global function:

- C++ keywords and alternative tokens;
- macro-like names (no lower-case letter, or an upper-case letter then `_`: `EOF`, `FILE`, `AP_RND`,
  `M_PIf`), since macros are spelt that way;
- the lower-case macros, typedefs and global variables of the C/C++ library (glibc, libstdc++) and of
  the `ap_int`/`ap_fixed`/`hls_stream` headers (ours and Xilinx's). tests/test_hostile.py asks g++ for
  every identifier those headers declare and checks that none passes through unchanged.

`UniqueNames` then keeps names distinct in one C++ namespace (`dense`, `dense_1`, ...). Every name
either passes `is_reserved` or ends with the escaping `_`.
"""

from __future__ import annotations

import re

CPP_KEYWORDS = frozenset(
    """alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern
    false final float for friend goto if import inline int long module mutable namespace new noexcept not
    not_eq nullptr operator or or_eq override private protected public register reinterpret_cast requires
    return short signed sizeof static static_assert static_cast struct switch template this thread_local
    throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while xor
    xor_eq main std hls""".split()
)

# Lower-case macros (function-like ones expand even in a declaration) and predefined ones in GNU modes.
LIBRARY_MACROS = frozenset(
    """alloca assert assert_perror errno offsetof stderr stdin stdout strdupa strndupa math_errhandling
    issubnormal linux unix i386 sched_priority va_arg va_copy va_end va_start setjmp htobe16 htobe32
    htobe64 htole16 htole32 htole64 be16toh be32toh be64toh le16toh le32toh le64toh major minor makedev
    pthread_cleanup_push pthread_cleanup_pop pthread_cleanup_push_defer_np pthread_cleanup_pop_restore_np
    ap_bigint ap_biguint""".split()
)

# Global typedefs, classes and variables a function of the same name would conflict with.
LIBRARY_NAMES = frozenset(
    """ap_int ap_uint ap_fixed ap_ufixed ap_int_base ap_fixed_base ap_slong ap_ulong ap_private
    ap_private_enable_if ap_private_ops ap_range_ref ap_bit_ref ap_concat_ref af_range_ref af_bit_ref
    ap_q_mode ap_o_mode ap_shift_reg ap_float half nn2hls_ap stream_packet ssdm_int_sim AESL_std abi
    retval valtype FILE size_t ssize_t ptrdiff_t max_align_t nullptr_t wint_t wctrans_t wctype_t mbstate_t
    va_list div_t ldiv_t lldiv_t float_t double_t fenv_t fexcept_t femode_t fpos_t fpos64_t locale_t
    error_t clock_t clockid_t time_t timer_t suseconds_t useconds_t sigset_t fd_set fd_mask
    comparison_fn_t cookie_io_functions_t cookie_read_function_t cookie_write_function_t
    cookie_seek_function_t cookie_close_function_t cpu_set_t blkcnt_t blkcnt64_t blksize_t caddr_t
    daddr_t dev_t fsblkcnt_t fsblkcnt64_t fsfilcnt_t fsfilcnt64_t fsid_t gid_t id_t ino_t ino64_t key_t
    loff_t mode_t nlink_t off_t off64_t pid_t quad_t u_quad_t register_t uid_t u_char u_short u_int
    u_long u_int8_t u_int16_t u_int32_t u_int64_t uint ushort ulong int8_t int16_t int32_t int64_t
    uint8_t uint16_t uint32_t uint64_t int_least8_t int_least16_t int_least32_t int_least64_t
    uint_least8_t uint_least16_t uint_least32_t uint_least64_t int_fast8_t int_fast16_t int_fast32_t
    int_fast64_t uint_fast8_t uint_fast16_t uint_fast32_t uint_fast64_t intptr_t uintptr_t intmax_t
    uintmax_t pthread_t pthread_attr_t pthread_barrier_t pthread_barrierattr_t pthread_cond_t
    pthread_condattr_t pthread_key_t pthread_mutex_t pthread_mutexattr_t pthread_once_t pthread_rwlock_t
    pthread_rwlockattr_t pthread_spinlock_t daylight timezone tzname signgam getdate_err environ
    program_invocation_name program_invocation_short_name optarg optind opterr optopt""".split()
)

RESERVED = CPP_KEYWORDS | LIBRARY_MACROS | LIBRARY_NAMES
MAX_LENGTH = 64
C_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_reserved(ident: str) -> bool:
    """True if generated C++ cannot declare `ident` as a global function (or the name looks like a macro)."""
    return ident in RESERVED or not re.search(r"[a-z]", ident) or re.match(r"[A-Z]_", ident) is not None


def c_identifier(text: str, fallback: str = "x") -> str:
    """A C identifier made from `text`: ASCII letters, digits and single underscores only, never a
    reserved name (see the module docstring), at most MAX_LENGTH + 1 characters."""
    ident = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
    if not ident:
        ident = fallback
    if ident[0].isdigit():
        ident = f"{fallback}_{ident}"
    ident = ident[:MAX_LENGTH].rstrip("_")
    return f"{ident}_" if is_reserved(ident) else ident


def ascii_text(text: str) -> str:
    """`text` with every character outside ASCII written as its Python escape (`ü` -> `\\xfc`): xDSL
    0.74 prints such characters of a string attribute as UTF-8 byte escapes and parses them back as
    a bytes attribute, so IR holding them would not re-parse."""
    return text.encode("ascii", "backslashreplace").decode("ascii")


class UniqueNames:
    """Hands out distinct C identifiers, suffixing collisions (`dense`, `dense_1`, ...)."""

    def __init__(self, reserved: set[str] | None = None):
        self.used: set[str] = set(reserved or ())

    def take(self, text: str, fallback: str = "x") -> str:
        base = c_identifier(text, fallback)
        stem = base.rstrip("_")  # `int_` -> `int_1`, never a double underscore
        name, n = base, 1
        while name in self.used:
            name = f"{stem}_{n}"
            name += "_" if is_reserved(name) else ""  # `FILE_1_`: escaped like `FILE_`
            n += 1
        self.used.add(name)
        return name


def suffixed(name: str, suffix: str) -> str:
    """`name_suffix` without a double underscore (reserved in C++) when `name` ends in one."""
    return f"{name.rstrip('_') or name}_{suffix}"
