"""Generate the C++ differential-test program for runtime/include/ap_*.h.

The same program is compiled once against nn2hls's headers and once against
Xilinx's (shipped in the hls4ml wheel); both outputs must be identical.  It uses
only API both implementations share, and prints one line per check:

    c<case>:<i> <operands and results, each as type-tag:hex-bits or a value>

A type tag such as ``f12.5s`` is (width, iwidth, signedness) of the value's
static type, so result *types* are compared as well as values.  Random values
are drawn at run time by a PRNG inside the program (seeded per case from
Python), which keeps the number of template instantiations small; the cases
can be split over several translation units to compile in parallel.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

QMODES = ["AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV", "AP_TRN", "AP_TRN_ZERO"]
OMODES = ["AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM", "AP_WRAP"]


@dataclass(frozen=True)
class Fx:
    w: int
    i: int
    s: bool
    q: str = "AP_TRN"
    o: str = "AP_WRAP"

    @property
    def f(self) -> int:
        return self.w - self.i

    def cpp(self) -> str:
        name = "ap_fixed" if self.s else "ap_ufixed"
        if self.q == "AP_TRN" and self.o == "AP_WRAP":
            return f"{name}<{self.w}, {self.i}>"
        return f"{name}<{self.w}, {self.i}, {self.q}, {self.o}>"


@dataclass(frozen=True)
class Int:
    w: int
    s: bool

    i = property(lambda self: self.w)
    f = property(lambda self: 0)

    def cpp(self) -> str:
        return f"{'ap_int' if self.s else 'ap_uint'}<{self.w}>"


PRELUDE = r"""
#include <ap_fixed.h>
#include <ap_int.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <type_traits>

typedef unsigned __int128 u128;
static uint64_t g_s;
static inline uint64_t rnd() {  // splitmix64
  uint64_t z = (g_s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static inline int rint_(int lo, int hi) { return lo + int(rnd() % uint64_t(hi - lo + 1)); }
static inline u128 r128() { return (u128(rnd()) << 64) | rnd(); }
static inline u128 m128(int n) { return n <= 0 ? 0 : n >= 128 ? ~u128(0) : (u128(1) << n) - 1; }

// A W-bit pattern, biased toward interesting values: k = number of low bits a
// conversion will drop (rounding ties), m = random magnitude (overflow edges).
static inline u128 gen(int w, int k) {
  u128 v;
  int m = rint_(1, w);
  switch (rnd() % 8) {
    case 0: v = r128(); break;
    case 1: v = r128() & m128(m); if (rnd() & 1) v = ~v; break;     // ~m significant bits
    case 2: { u128 e[6] = {0, 1, ~u128(0), u128(1) << (w - 1), (u128(1) << (w - 1)) - 1, (u128(1) << (w - 1)) + 1};
              v = e[rnd() % 6]; break; }
    case 3: v = rnd() % 8; if (rnd() & 1) v = ~v + 1; v <<= (k > 0 && k < 128 ? k : 0); break;
    default: v = r128() & m128(m); if (rnd() & 1) v = ~v; break;
  }
  if (k > 0 && k < w && (rnd() % 4) != 0) {  // set the dropped bits to a tie / near-tie
    u128 half = u128(1) << (k - 1), low;
    switch (rnd() % 5) {
      case 0: low = half; break;
      case 1: low = half - 1; break;
      case 2: low = half + (k > 1 ? 1 : 0); break;
      case 3: low = 0; break;
      default: low = r128() & m128(k); break;
    }
    v = (v & ~m128(k)) | low;
  }
  return v & m128(w);
}

// Build values from bit patterns using only API both implementations share.
template <int W> ap_uint<W> mk_u(u128 v, std::false_type) { return ap_uint<W>((unsigned long long)v); }
template <int W> ap_uint<W> mk_u(u128 v, std::true_type) {
  ap_uint<W> u = (unsigned long long)(v >> 64);
  u <<= 32;
  u <<= 32;
  u += ap_uint<64>((unsigned long long)v);
  return u;
}
template <int W> ap_uint<W> mk_u(u128 v) { return mk_u<W>(v, std::integral_constant<bool, (W > 64)>()); }
template <int W, bool S> void mk(ap_int_base<W, S>& out, u128 v) {
  typename std::conditional<S, ap_int<W>, ap_uint<W> >::type t = mk_u<W>(v);
  out = t;
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
void mk(ap_fixed_base<W, I, S, Q, O, N>& out, u128 v, std::false_type) {
  typename std::conditional<S, ap_int<W>, ap_uint<W> >::type t = mk_u<W>(v);
  out = t * ap_ufixed<1, 1 - (W - I)>(ldexp(1.0, I - W));  // exact: bits * 2^(I-W)
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
void mk(ap_fixed_base<W, I, S, Q, O, N>& out, u128 v, std::true_type) {  // W == 128
  typename std::conditional<S, ap_int<127>, ap_uint<127> >::type hi = mk_u<127>(S ? u128(__int128(v) >> 1) : v >> 1);
  ap_fixed_base<W, I, S> t = hi * ap_ufixed<1, 2 - (W - I)>(ldexp(1.0, I - W + 1));
  if (v & 1) t += ap_ufixed<1, 1 - (W - I)>(ldexp(1.0, I - W));
  out = t;
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
void mk(ap_fixed_base<W, I, S, Q, O, N>& out, u128 v) {
  mk(out, v, std::integral_constant<bool, (W == 128)>());
}

// Printing: type tag and raw bits.
template <int W> void pb(const ap_uint<W>& r) {
  if (W <= 64) printf("%llx", (unsigned long long)r.to_uint64());
  else printf("%llx_%016llx", (unsigned long long)r.range(W - 1, 64).to_uint64(),
              (unsigned long long)r.range(63, 0).to_uint64());
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
void show(const ap_fixed_base<W, I, S, Q, O, N>& x) {
  ap_uint<W> r = x.range(W - 1, 0);
  printf(" f%d.%d%c:", W, I, S ? 's' : 'u');
  pb<W>(r);
}
template <int W, bool S> void show(const ap_int_base<W, S>& x) {
  ap_uint<W> r = x.range(W - 1, 0);
  printf(" i%d%c:", W, S ? 's' : 'u');
  pb<W>(r);
}
static inline void showd(double d) { printf(" %a", d); }
static inline void showb(bool b) { printf(" %d", b ? 1 : 0); }
static inline void line(int c, int i) { printf("\nc%d:%d", c, i); }

template <class T> struct fbits { enum { v = T::width - T::iwidth, i = T::iwidth, is_int = 0 }; };
template <int W> struct fbits<ap_int<W> > { enum { v = 0, i = W, is_int = 1 }; };
template <int W> struct fbits<ap_uint<W> > { enum { v = 0, i = W, is_int = 1 }; };

// A random double: magnitude around 2^e, sometimes an exact tie at 2^-f, or special.
static inline double gend(int e, int f) {
  uint64_t b;
  switch (rnd() % 10) {
    case 0: {  // specials: zeros, inf, nan of both signs, subnormal, huge, tiny
      const uint64_t sp[9] = {0, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
                              0x7ff8000000000001ULL, 0xfff8000000000000ULL, 0x000000000000abcdULL,
                              0x7fefffffffffffffULL, 0x8010000000000000ULL};
      b = sp[rnd() % 9];
      double d;
      memcpy(&d, &b, 8);
      return d;
    }
    case 1: case 2: case 3: {  // exact tie or near-tie at the target LSB
      double t = ldexp(double(int64_t(rnd() % (1ULL << 20)) - (1LL << 19)) + 0.5, -f);
      int kind = int(rnd() % 3);
      return kind == 0 ? t : kind == 1 ? nextafter(t, 1e300) : nextafter(t, -1e300);
    }
    case 4: return ldexp(double(int64_t(rnd() % 64) - 32), -f);  // exact multiple of the LSB
    default: {
      double m = ldexp(double(rnd() >> 11), -53);  // [0, 1)
      double d = ldexp(m + 0.5, e + rint_(-12, 4));
      return (rnd() & 1) ? -d : d;
    }
  }
}

// ---- test kernels -------------------------------------------------------------
template <class D, class S> void t_cast(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    S s;
    mk(s, gen(S::width, fbits<S>::v - fbits<D>::v));
    D d = s;
    line(c, i); show(s); show(d);
  }
}
template <class D> void t_dbl(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    double x = gend(D::iwidth, fbits<D>::v);
    D d = x;
    D e = float(x);
    line(c, i); showd(x); show(d); show(e);
  }
}
template <class A, class B> void t_arith(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a; B b;
    mk(a, gen(A::width, 0)); mk(b, gen(B::width, 0));
    line(c, i); show(a); show(b); show(a * b); show(a + b); show(a - b); show(b - a);
  }
}
template <class D, class B> void mul_eq(const D& d, const B& b, std::true_type) { D x = d; x *= b; show(x); }
template <class D, class B> void mul_eq(const D&, const B&, std::false_type) { printf(" -"); }
template <class D, class B> void t_compound(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    D d; B b;
    mk(d, gen(D::width, 0)); mk(b, gen(B::width, fbits<B>::v - fbits<D>::v));
    line(c, i); show(d); show(b);
    D x = d; x += b; show(x);
    x = d; x -= b; show(x);
    mul_eq(d, b, std::integral_constant<bool, (D::width + B::width <= 128)>());
  }
}
template <class A, class B> void t_cmp(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a; B b;
    mk(a, gen(A::width, 0));
    // (Xilinx's fixed -> int conversion reads an uninitialised word when I < 0)
    if (rnd() % 3 == 0 && !(fbits<B>::is_int && fbits<A>::i < 0)) b = a; else mk(b, gen(B::width, 0));
    line(c, i); show(a); show(b);
    showb(a == b); showb(a != b); showb(a < b); showb(a > b); showb(a <= b); showb(a >= b);
  }
}
template <class A> void t_lit(int c, uint64_t seed, int n) {  // with int / double operands
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a;
    mk(a, gen(A::width, 0));
    int k = (rnd() & 1) ? int(rnd() % 7) - 3 : int(rnd());
    double d = (rnd() & 1) ? ldexp(double(int(rnd() % 64) - 32), -int(rnd() % 6)) : a.to_double();
    line(c, i); show(a); printf(" %d %a", k, d);
    showb(a == k); showb(a != k); showb(a < k); showb(a > k); showb(a <= k); showb(a >= k);
    showb(k == a); showb(k < a); showb(k >= a);
    showb(a == d); showb(a != d); showb(a < d); showb(a > d); showb(a <= d); showb(a >= d);
    showb(d < a); showb(d == a);
    showb(a > 0); showb(a < 0.5);
    show(a * k); show(a + k); show(k * a); show(k - a); show(a - 1);
    A x = a; x += k; show(x);
    x = a; x -= 1; show(x);
    x = a; x *= k; show(x);
  }
}
template <class A> void t_unary(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a;
    mk(a, gen(A::width, 0));
    int hi = rint_(0, A::width - 1), lo = rint_(0, hi);
    if (hi - lo > 63) lo = hi - 63;
    ap_uint<A::width> r = a.range(hi, lo);
    ap_uint<3> r3 = a.range(2 < A::width - 1 ? 2 : A::width - 1, 0);
    double dd = a;
    ap_uint<A::width> full = a.range();
    int sh = rint_(-(A::width - 1), A::width - 1);
    line(c, i); show(a); show(-a); show(r); show(r3); show(full);
    printf(" %d", sh); show(a << sh); show(a >> sh);
    showd(a.to_double()); showd(dd); printf(" %a", double(a.to_float()));
    if (fbits<A>::i >= 0)  // (undefined in Xilinx's model for I < 0: uninitialised word)
      printf(" %d %u %lld %llu %d", a.to_int(), a.to_uint(), (long long)a.to_int64(),
             (unsigned long long)a.to_uint64(), int(a));
    printf(" %llu", (unsigned long long)a.range(hi, lo));
  }
}
template <class A> void t_int(int c, uint64_t seed, int n) {  // ap_int only: shifts, bit ops, from double
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a, b;
    mk(a, gen(A::width, 0)); mk(b, gen(A::width, 0));
    int sh = rint_(-(A::width - 1), A::width - 1);
    double x = gend(rint_(-3, A::width + 2), 0);
    if (x != x || x - x != 0) x = 0.5;  // Xilinx's ap_int(double) is undefined for inf/nan
    A fx = x;
    line(c, i); show(a); show(b); printf(" %d %a", sh, x); show(fx);
    show(a << sh); show(a >> sh); show(a & b); show(a | b); show(a ^ b); show(~a);
    A t = a; t <<= sh; show(t);
    t = a; t >>= sh; show(t);
    t = a; t &= b; show(t);
    t = a; ++t; show(t);
    t = a; t--; show(t);
  }
}
template <class A> void t_ctor(int c, uint64_t seed, int n) {  // from C integer types
  g_s = seed;
  for (int i = 0; i < n; i++) {
    uint64_t r = rnd();
    if (rnd() & 1) r = uint64_t(int64_t(r) >> rint_(0, 63));
    A a1 = int(r), a2 = unsigned(r), a3 = (long)r, a4 = (long long)r, a5 = (unsigned long long)r;
    A a6 = short(r), a7 = (unsigned char)r, a8 = bool(r & 1), a9 = (signed char)r;
    line(c, i); printf(" %llx", (unsigned long long)r);
    show(a1); show(a2); show(a3); show(a4); show(a5); show(a6); show(a7); show(a8); show(a9);
  }
}
"""


class Builder:
    """Collects test cases; each case is one call of a kernel template."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.calls: list[str] = []
        self.descr: list[str] = []

    def add(self, kernel: str, types: tuple, n: int, what: str) -> None:
        c = len(self.calls)
        targs = ", ".join(t.cpp() for t in types)
        self.calls.append(f"  {kernel}<{targs} >({c}, {self.rng.getrandbits(63)}ULL, {n});")
        self.descr.append(f"{what}: {kernel}<{targs}>")


def plus_type(a, b) -> Fx:
    sa, sb = a.s, b.s
    pi = max(a.i + (sb and not sa), b.i + (sa and not sb)) + 1
    return Fx(pi + max(a.f, b.f), pi, sa or sb)


def ok_arith(a, b) -> bool:
    """Do a * b and a + b fit in 128 bits (the nn2hls limit)?"""
    return a.w + b.w <= 128 and plus_type(a, b).w <= 128


def type_pools(rng: random.Random) -> tuple[list, list, list]:
    """Shapes (W, I, S) reused across cases: few distinct types keep compile time low."""
    shapes = [
        (16, 6, True),
        (8, 3, True),
        (18, 8, True),
        (10, 0, False),
        (1, 1, True),
        (1, 0, False),
        (4, -2, True),
        (6, 9, True),
        (12, 12, False),
        (32, 16, True),
        (24, 4, False),
        (40, 20, True),
        (64, 32, True),
        (64, 10, False),
        (63, 62, True),
        (3, 3, False),
    ]
    while len(shapes) < 26:
        w = rng.choice([rng.randint(1, 24), rng.randint(1, 24), rng.randint(25, 64)])
        i = rng.choice([rng.randint(0, w), rng.randint(0, w), rng.randint(-6, 0), w + rng.randint(1, 6)])
        shapes.append((w, i, rng.random() < 0.6))
    fixed = [Fx(w, i, s) for w, i, s in shapes]
    ints = [
        Int(1, True),
        Int(1, False),
        Int(8, True),
        Int(8, False),
        Int(16, True),
        Int(12, False),
        Int(31, True),
        Int(32, True),
        Int(32, False),
        Int(33, False),
        Int(48, True),
        Int(64, True),
        Int(64, False),
    ]
    wide = [
        Fx(100, 40, True),
        Fx(100, 40, False),
        Fx(120, -3, True),
        Fx(90, 100, True),
        Fx(127, 64, True),
        Fx(80, 70, False),
        Int(128, True),
        Int(128, False),
        Int(100, True),
        Int(65, False),
    ]
    return fixed, ints, wide


def build(seed: int = 20240601, scale: int = 1) -> tuple[list[str], list[str]]:
    """Return (C++ statements, one per case; per-case descriptions)."""
    b = Builder(seed)
    rng = b.rng
    n = 80 * scale
    fixed, ints, wide = type_pools(rng)
    modes = [(q, o) for q in QMODES for o in OMODES]
    # Xilinx's fixed -> integer conversion is undefined for I < 0 (reads an
    # uninitialised word), so integer targets only get sources with I >= 0.
    nonneg_i = [t for t in fixed + wide if t.i >= 0]

    def with_modes(t: Fx, q: str, o: str) -> Fx:
        return Fx(t.w, t.i, t.s, q, o)

    # 1. fixed -> fixed casts for every quantisation x overflow mode; the first
    #    case of each mode drops fraction bits into a narrower integer part.
    for q, o in modes:
        for k in range(3):
            dst = with_modes(rng.choice(fixed), q, o)
            cands = [t for t in fixed if t.f > dst.f and t.i > dst.i] if k == 0 else fixed
            b.add("t_cast", (dst, rng.choice(cands or fixed)), n, f"cast {q}/{o}")
    # ap_int <-> fixed and int <-> int conversions.
    for _ in range(8):
        q, o = rng.choice(modes)
        b.add("t_cast", (with_modes(rng.choice(fixed), q, o), rng.choice(ints)), n, "cast int->fixed")
        b.add("t_cast", (rng.choice(ints), rng.choice(nonneg_i)), n, "cast fixed->int (trunc toward 0)")
        b.add("t_cast", (rng.choice(ints), rng.choice(ints)), n, "cast int->int")

    # 2. double and float -> fixed, every mode pair.
    for q, o in modes:
        b.add("t_dbl", (with_modes(rng.choice(fixed), q, o),), 2 * n, f"from double {q}/{o}")

    # 3. + - * between fixed / int type pairs (mixed signedness included).
    count = 0
    while count < 24:
        x = rng.choice(fixed) if rng.random() < 0.8 else rng.choice(ints)
        y = rng.choice(fixed) if rng.random() < 0.7 else rng.choice(ints)
        if ok_arith(x, y):
            b.add("t_arith", (x, y), n, "arith")
            count += 1

    # 4. compound assignment (+= -= *=) into wrapping / saturating / rounding types.
    count = 0
    while count < 18:
        q, o = rng.choice(modes)
        d = with_modes(rng.choice(fixed), q, rng.choice([o, "AP_WRAP"]))
        y = rng.choice(fixed) if rng.random() < 0.8 else rng.choice(ints)
        if plus_type(d, y).w <= 128:
            b.add("t_compound", (d, y), n, "compound assign")
            count += 1
    for _ in range(4):
        b.add("t_compound", (rng.choice(ints), rng.choice(ints)), n, "compound assign int")

    # 5. comparisons between mixed types, and with int / double operands.
    for _ in range(24):
        x = rng.choice(fixed) if rng.random() < 0.75 else rng.choice(ints)
        y = rng.choice(fixed) if rng.random() < 0.75 else rng.choice(ints)
        b.add("t_cmp", (x, y), n, "compare")
    for t in rng.sample(fixed, 10) + rng.sample(ints, 4):
        b.add("t_lit", (t,), n, "int/double operands")

    # 6. unary minus, to_* conversions, range().
    for t in rng.sample(fixed, 11) + rng.sample(ints, 4):
        b.add("t_unary", (t,), n, "unary/to_*/range")

    # 7. ap_int specifics and construction from C integer types.
    for t in rng.sample(ints, 6):
        b.add("t_int", (t,), n, "ap_int shifts/bitwise/from double")
    for _ in range(8):
        q, o = rng.choice(modes)
        t = with_modes(rng.choice(fixed), q, o) if rng.random() < 0.7 else rng.choice(ints)
        b.add("t_ctor", (t,), n, "from C integers")

    # 8. wide types (65..128 bits) on both sides.
    for t in wide:
        if t.w < 128:
            b.add("t_unary", (t,), n, "wide unary")
        q, o = rng.choice(modes)
        b.add("t_cast", (t, rng.choice(nonneg_i if isinstance(t, Int) else wide + fixed)), n, "wide cast in")
        b.add("t_cast", (with_modes(rng.choice(fixed), q, o), t), n, "wide cast out")
        b.add("t_cmp", (t, rng.choice(wide + fixed)), n, "wide compare")
    q, o = rng.choice(modes)
    b.add("t_cast", (Fx(100, 40, True, q, o), Fx(127, 64, True)), n, f"wide cast {q}/{o}")
    b.add("t_cast", (Fx(90, 30, False, "AP_RND_CONV", "AP_SAT"), Int(128, True)), n, "wide cast")
    b.add("t_arith", (Int(64, True), Int(64, False)), n, "wide arith")
    b.add("t_arith", (Fx(100, 40, True), Fx(20, 3, False)), n, "wide arith")
    b.add("t_arith", (Fx(70, 10, False), Fx(50, 50, False)), n, "wide arith")
    b.add("t_arith", (Int(127, True), Fx(1, 1, False)), n, "wide arith")
    b.add("t_compound", (Fx(120, 60, True, "AP_RND", "AP_SAT"), Fx(40, 20, True)), n, "wide compound")
    b.add("t_compound", (Fx(128, 64, True), Fx(60, 30, False)), n, "wide compound (wrap fast path)")
    b.add("t_compound", (Int(128, False), Int(128, True)), n, "wide compound int")
    b.add("t_int", (Int(128, True),), n, "wide ap_int")
    b.add("t_int", (Int(96, False),), n, "wide ap_uint")
    b.add("t_dbl", (Fx(100, 40, True, "AP_RND_CONV", "AP_SAT"),), 2 * n, "wide from double")
    b.add("t_dbl", (Fx(128, 64, True),), 2 * n, "wide from double")
    b.add("t_dbl", (Fx(72, 8, False, "AP_RND_INF", "AP_SAT_SYM"),), 2 * n, "wide from double")
    return b.calls, b.descr


def sources(calls: list[str], parts: int) -> dict[str, str]:
    """Split the cases over `parts` translation units (compiled in parallel)."""
    files = {"kernels.h": "#pragma once\n" + PRELUDE}
    per = (len(calls) + parts - 1) // parts
    decls, runs = [], []
    for p in range(parts):
        chunk = calls[p * per : (p + 1) * per]
        files[f"part{p}.cpp"] = f'#include "kernels.h"\nvoid run{p}() {{\n' + "\n".join(chunk) + "\n}\n"
        decls.append(f"void run{p}();")
        runs.append(f"  run{p}();")
    files["main.cpp"] = (
        "#include <stdio.h>\n" + "\n".join(decls) + "\nint main() {\n"
        "  setvbuf(stdout, NULL, _IOFBF, 1 << 20);\n" + "\n".join(runs) + '\n  printf("\\n");\n  return 0;\n}\n'
    )
    return files


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    calls, descr = build()
    for name, text in sources(calls, 2).items():
        with open(name, "w") as fh:
            fh.write(text)
    sys.stderr.write(f"{len(descr)} cases\n")
