"""Generate the C++ differential-test program for runtime/include/ac_*.h.

The same program is compiled once against nn2hls's headers and once against the real
Algorithmic C headers (shipped in the hls4ml wheel); both outputs must be identical.  It uses
only API both implementations share, and prints one line per check:

    c<case>:<i> <operands and results, each as type-tag:hex-bits or a value>

A type tag such as ``f12.5s`` is (width, i_width, signedness) of the value's static type
(``i12u`` for an ac_int), so result *types* are compared as well as values.  Random values are
drawn at run time by a PRNG inside the program (seeded per case from Python), which keeps the
number of template instantiations small; the cases are split over several translation units
that compile in parallel.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

QMODES = ["AC_TRN", "AC_RND", "AC_TRN_ZERO", "AC_RND_ZERO", "AC_RND_INF", "AC_RND_MIN_INF", "AC_RND_CONV"]
OMODES = ["AC_WRAP", "AC_SAT", "AC_SAT_ZERO", "AC_SAT_SYM"]
MAX_W = 128  # widest type (and arithmetic result) nn2hls's headers support


@dataclass(frozen=True)
class Fx:
    w: int
    i: int
    s: bool
    q: str = "AC_TRN"
    o: str = "AC_WRAP"

    @property
    def f(self) -> int:
        return self.w - self.i

    def cpp(self) -> str:
        sign = "true" if self.s else "false"
        if self.q == "AC_TRN" and self.o == "AC_WRAP":
            return f"ac_fixed<{self.w}, {self.i}, {sign}>"
        return f"ac_fixed<{self.w}, {self.i}, {sign}, {self.q}, {self.o}>"

    def modes(self, q: str, o: str) -> Fx:
        return Fx(self.w, self.i, self.s, q, o)


@dataclass(frozen=True)
class Int:
    w: int
    s: bool

    i = property(lambda self: self.w)
    f = property(lambda self: 0)

    def cpp(self) -> str:
        return f"ac_int<{self.w}, {'true' if self.s else 'false'}>"


def as_fx(t) -> Fx:
    return t if isinstance(t, Fx) else Fx(t.w, t.w, t.s)


def plus_w(a, b) -> int:
    """Width of a + b and a - b (AC's rt::plus_w / minus_w)."""
    a, b = as_fx(a), as_fx(b)
    pi = max(a.i + (b.s and not a.s), b.i + (a.s and not b.s)) + 1
    return pi + max(a.f, b.f)


def fits(a, b, mult: bool = True) -> bool:
    """Do a + b, a - b (and a * b) fit in nn2hls's 128 bits?"""
    return plus_w(a, b) <= MAX_W and (not mult or a.w + b.w <= MAX_W)


C_INT = Int(32, True)  # how AC sees an int operand

PRELUDE = r"""
#include <ac_fixed.h>
#include <ac_int.h>
#include <ac_channel.h>
#include <float.h>
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
    case 1:
      if (w >= 86) {  // AC's to_double rounds twice: a tie at the 53-bit point of a partial sum of
        int p = rint_(85, w - 1), j = rint_(1, (p - 53) / 32);  // its upper 32-bit words, then a
        v = (u128(1) << p) | (r128() & m128(p) & ~m128(p - 52)) | (u128(1) << (p - 53));  // nonzero
        v |= (r128() & m128(32 * j)) | 1;                                                // remainder
        if (rnd() & 1) v = ~v + 1;
        break;
      }
      v = r128() & m128(m);
      break;
    case 2: { u128 e[6] = {0, 1, ~u128(0), u128(1) << (w - 1), (u128(1) << (w - 1)) - 1, (u128(1) << (w - 1)) + 1};
              v = e[rnd() % 6]; break; }
    case 3: v = rnd() % 8; if (rnd() & 1) v = ~v + 1; v <<= (k > 0 && k < 128 ? k : 0); break;
    default: v = r128() & m128(m); if (rnd() & 1) v = ~v; break;  // ~m significant bits
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
template <int W> ac_int<W, false> mk_u(u128 v, std::false_type) { return ac_int<W, false>((unsigned long long)v); }
template <int W> ac_int<W, false> mk_u(u128 v, std::true_type) {
  ac_int<W, false> u = (unsigned long long)(v >> 64);
  u *= ac_int<33, false>(1ULL << 32);
  u *= ac_int<33, false>(1ULL << 32);
  u += ac_int<64, false>((unsigned long long)v);
  return u;
}
template <int W> ac_int<W, false> mk_u(u128 v) { return mk_u<W>(v, std::integral_constant<bool, (W > 64)>()); }
template <int W, bool S> void mk(ac_int<W, S>& out, u128 v) { out = mk_u<W>(v); }
template <int W, int I, bool S, ac_q_mode Q, ac_o_mode O>
void mk(ac_fixed<W, I, S, Q, O>& out, u128 v, std::false_type) {
  ac_int<W, S> t;
  mk(t, v);
  out = t * ac_fixed<1, 1 - (W - I), false>(ldexp(1.0, I - W));  // exact: bits * 2^(I-W)
}
template <int W, int I, bool S, ac_q_mode Q, ac_o_mode O>
void mk(ac_fixed<W, I, S, Q, O>& out, u128 v, std::true_type) {  // W == 128
  ac_int<127, S> hi;
  mk(hi, S ? u128(__int128(v) >> 1) : v >> 1);
  ac_fixed<W, I, S> t = hi * ac_fixed<1, 2 - (W - I), false>(ldexp(1.0, I - W + 1));
  if (v & 1) t += ac_fixed<1, 1 - (W - I), false>(ldexp(1.0, I - W));
  out = t;
}
template <int W, int I, bool S, ac_q_mode Q, ac_o_mode O>
void mk(ac_fixed<W, I, S, Q, O>& out, u128 v) {
  mk(out, v, std::integral_constant<bool, (W == 128)>());
}

// Printing: type tag and raw bits.
template <int W> void pb(const ac_int<W, false>& r) {
  if (W <= 64) printf("%llx", (unsigned long long)r.to_uint64());
  else printf("%llx_%016llx", (unsigned long long)r.template slc<(W > 64 ? W - 64 : 1)>(64).to_uint64(),
              (unsigned long long)r.template slc<64>(0).to_uint64());
}
template <int W, int I, bool S, ac_q_mode Q, ac_o_mode O>
void show(const ac_fixed<W, I, S, Q, O>& x) {
  ac_int<W, false> r = x.template slc<W>(0);
  printf(" f%d.%d%c:", W, I, S ? 's' : 'u');
  pb<W>(r);
}
template <int W, bool S> void show(const ac_int<W, S>& x) {
  ac_int<W, false> r = x;
  printf(" i%d%c:", W, S ? 's' : 'u');
  pb<W>(r);
}
static inline void showd(double d) { printf(" %a", d); }
static inline void line(int c, int i) { printf("\nc%d:%d", c, i); }
static inline void bits6(bool a, bool b, bool c, bool d, bool e, bool f) {
  printf(" %d%d%d%d%d%d", a, b, c, d, e, f);
}
#define CMP6(x, y) bits6((x) == (y), (x) != (y), (x) < (y), (x) > (y), (x) <= (y), (x) >= (y))

template <class T> struct fb { enum { w = T::width, i = T::i_width, f = T::width - T::i_width, s = T::sign }; };
template <class T> struct is_int : std::false_type {};
template <int W, bool S> struct is_int<ac_int<W, S> > : std::true_type {};
// b = a where AC has that conversion (it has none from ac_fixed to ac_int), else a fresh b.
template <class B, class A> void set_like(B& b, const A& a, std::true_type) { b = a; }
template <class B, class A> void set_like(B& b, const A&, std::false_type) { mk(b, gen(fb<B>::w, 0)); }
template <class B, class A> void set_like(B& b, const A& a) {
  set_like(b, a, std::integral_constant<bool, !(is_int<B>::value && !is_int<A>::value)>());
}
// -a where it fits in 128 bits
template <class A> void show_neg(const A& a, std::true_type) { show(-a); }
template <class A> void show_neg(const A&, std::false_type) { printf(" -"); }
template <class A> void show_neg(const A& a) { show_neg(a, std::integral_constant<bool, (fb<A>::w < 128)>()); }

// Exponent by which AC scales a double before reading its bits (ac_fixed(double)).
template <class T> struct ac_scale {
  enum { n = (fb<T>::w + 31 + !fb<T>::s) / 32, e = fb<T>::i - fb<T>::w + 32 * n };
};

// A random double: magnitude around 2^e (sometimes far outside the type's range), an exact
// tie or near-tie at 2^-f, an exact multiple of it, or a special (zeros, subnormals, tiny).
static inline double gend(int e, int f) {
  switch (rnd() % 12) {
    case 0: {
      const uint64_t sp[10] = {0, 0x8000000000000000ULL, 0x0000000000000001ULL, 0x800000000000abcdULL,
                               0x0010000000000000ULL, 0x8010000000000001ULL, 0x3bc0000000000000ULL,
                               0xbbcfffffffffffffULL, 0x7e37e43c8800759cULL, 0xfe37e43c8800759cULL};
      uint64_t b = sp[rnd() % 10];
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
    case 5: {  // far outside the range
      double d = ldexp(double(rnd() >> 11) + 1, e + rint_(-53, 80));
      return (rnd() & 1) ? -d : d;
    }
    default: {
      double m = ldexp(double(rnd() >> 11), -53);  // [0, 1)
      double d = ldexp(m + 0.5, e + rint_(-12, 3));
      return (rnd() & 1) ? -d : d;
    }
  }
}
// Excluded: AC is undefined for inf / NaN and for doubles whose scaled value overflows.
template <class D> double gend_for() {
  double x = gend(fb<D>::i, fb<D>::f);
  return (x - x == 0 && fabs(ldexp(x, -ac_scale<D>::e)) < ldexp(1.0, 1000)) ? x : 0.75;
}

// ---- test kernels ------------------------------------------------------------------------------
template <class D, class S> void t_cast(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    S s;
    mk(s, gen(fb<S>::w, fb<S>::f - fb<D>::f));
    D d = s;
    D e;
    e = s;
    line(c, i); show(s); show(d); show(e);
  }
}
template <class D> void t_dbl(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    double x = gend_for<D>();
    D d = x;
    D e;
    e = -x;  // assignment
    line(c, i); showd(x); show(d); showd(d.to_double()); show(e);
  }
}
template <class A, class B> void t_arith(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a; B b;
    mk(a, gen(fb<A>::w, 0)); mk(b, gen(fb<B>::w, 0));
    line(c, i); show(a); show(b); show(a * b); show(a + b); show(a - b); show(b - a); show(-a);
  }
}
template <class D, class B> void mul_eq(const D& d, const B& b, std::true_type) { D x = d; x *= b; show(x); }
template <class D, class B> void mul_eq(const D&, const B&, std::false_type) { printf(" -"); }
template <class D, class B> void t_compound(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    D d; B b;
    mk(d, gen(fb<D>::w, 0)); mk(b, gen(fb<B>::w, fb<B>::f - fb<D>::f));
    line(c, i); show(d); show(b);
    D x = d; x += b; show(x);
    x = d; x -= b; show(x);
    mul_eq(d, b, std::integral_constant<bool, (fb<D>::w + fb<B>::w <= 128)>());
  }
}
template <class A, class B> void t_cmp(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a; B b;
    mk(a, gen(fb<A>::w, 0));
    if (rnd() % 3 == 0) set_like(b, a); else mk(b, gen(fb<B>::w, 0));
    A relu = a > 0 ? a : A(0);
    line(c, i); show(a); show(b); CMP6(a, b); bits6(b < a, b == a, b >= a, b != a, b > a, b <= a);
    CMP6(a, 0); bits6(0 < a, 0 == a, 0 >= a, a > 0, a == 0, a != 0); show(relu);
  }
}
template <class A> void t_lit(int c, uint64_t seed, int n) {  // int / unsigned / long long operands
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a;
    mk(a, gen(fb<A>::w, 0));
    int k = (rnd() & 1) ? int(rnd() % 7) - 3 : int(rnd());
    unsigned u = (rnd() & 1) ? unsigned(rnd() % 5) : unsigned(rnd());
    long long ll = (long long)rnd() >> rint_(0, 63);
    line(c, i); show(a); printf(" %d %u %lld", k, u, ll);
    CMP6(a, k); CMP6(k, a); CMP6(a, u); CMP6(a, ll);
    show(a * k); show(a + k); show(k * a); show(k - a); show(a - 1); show(a + u); show(u - a);
    A x = a; x += k; show(x);
    x = a; x -= 1; show(x);
    x = a; x *= k; show(x);
    x = a; x += u; show(x);
  }
}
// (AC's to_int() does not compile for I > 64)
template <class A> void to_ints(const A& a, std::true_type) {
  printf(" %d %lld %u", a.to_int(), (long long)a.to_int64(), a.to_uint());
  show(a.to_ac_int());
}
template <class A> void to_ints(const A&, std::false_type) {}
template <class A, int WS> void t_unary(int c, uint64_t seed, int n) {
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a;
    mk(a, gen(fb<A>::w, 0));
    int lsb = rint_(0, fb<A>::w + 2);
    unsigned ulsb = unsigned(rint_(0, fb<A>::w - 1));
    line(c, i); show(a); show_neg(a); show(+a); showd(a.to_double());
    printf(" %d", lsb); show(a.template slc<WS>(lsb)); show(a.template slc<WS>(ulsb));
    show(a.template slc<1>(fb<A>::w - 1));
    to_ints(a, std::integral_constant<bool, (fb<A>::i <= 64)>());
  }
}
template <class A, class B> void t_int(int c, uint64_t seed, int n) {  // ac_int specifics
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a; B b;
    mk(a, gen(fb<A>::w, 0)); mk(b, gen(fb<B>::w, 0));
    if (rnd() % 4 == 0) b = a;
    int k = (rnd() & 1) ? int(rnd() % 7) - 3 : int(rnd());
    line(c, i); show(a); show(b); printf(" %d", k);
    CMP6(a, b); CMP6(a, k); CMP6(k, a); CMP6(a, 0);
    A t = a; t += b; show(t);
    t = a; t -= b; show(t);
    t = a; t += k; show(t);
    t = a; show(t++); show(t); show(++t); show(t--); show(--t);
    printf(" %d %u %lld %llu", a.to_int(), a.to_uint(), (long long)a.to_int64(), (unsigned long long)a.to_uint64());
    showd(a.to_double());
    int lsb = rint_(0, fb<A>::w + 1);
    show(a.template slc<(fb<A>::w > 3 ? fb<A>::w - 3 : 1)>(lsb)); show(a.template slc<7>(lsb));
  }
}
template <class A, class B> void t_int_arith(int c, uint64_t seed, int n) {  // ac_int + - * and C ints
  g_s = seed;
  for (int i = 0; i < n; i++) {
    A a; B b;
    mk(a, gen(fb<A>::w, 0)); mk(b, gen(fb<B>::w, 0));
    int k = (rnd() & 1) ? int(rnd() % 7) - 3 : int(rnd());
    line(c, i); show(a); show(b); printf(" %d", k);
    show(a + b); show(a - b); show(b - a); show(-a); show(a * b);
    show(a + k); show(k + a); show(a - k); show(k - a); show(a * 3); show(-5 * a);
    A t = a; t *= b; show(t);
  }
}
template <class A> void t_ctor(int c, uint64_t seed, int n) {  // from C integer types
  g_s = seed;
  for (int i = 0; i < n; i++) {
    uint64_t r = rnd();
    if (rnd() & 1) r = uint64_t(int64_t(r) >> rint_(0, 63));
    A a1 = int(r), a2 = unsigned(r), a3 = (long)r, a4 = (long long)r, a5 = (unsigned long long)r;
    A a6 = short(r), a7 = (unsigned char)r, a8 = bool(r & 1), a9 = (signed char)r, a10 = char(r);
    line(c, i); printf(" %llx", (unsigned long long)r);
    show(a1); show(a2); show(a3); show(a4); show(a5); show(a6); show(a7); show(a8); show(a9); show(a10);
  }
}
template <class T> void t_chan(int c, uint64_t seed, int n) {  // ac_channel round trip
  g_s = seed;
  ac_channel<T> ch;
  line(c, 0); printf(" %d %u %d", int(ch.empty()), ch.size(), int(ch.available(1)));
  for (int i = 0; i < n; i++) {
    T v = gend_for<T>();
    ch.write(v);
  }
  line(c, 1);
  printf(" %d %u %d %d %d", int(ch.empty()), ch.size(), int(ch.available(n)), int(ch.available(n + 1)),
         int(ch.available(0)));
  for (int i = 0; i < n; i++) {
    T v;
    if (i & 1) ch.read(v); else v = ch.read();
    line(c, 2 + i); show(v); printf(" %u %d", ch.size(), int(ch.empty()));
  }
}
"""


class Builder:
    """Collects test cases; each case is one call of a kernel template."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.calls: list[str] = []
        self.descr: list[str] = []

    def add(self, kernel: str, targs: tuple, n: int, what: str) -> None:
        c = len(self.calls)
        args = ", ".join(t.cpp() if hasattr(t, "cpp") else str(t) for t in targs)
        self.calls.append(f"  {kernel}<{args} >({c}, {self.rng.getrandbits(63)}ULL, {n});")
        self.descr.append(f"{what}: {kernel}<{args}>")


def type_pools(rng: random.Random, extra: int) -> tuple[list, list, list, list]:
    """Shapes reused across cases (few distinct types keep the compile time low): fixed types of
    at most 64 bits, ac_ints of at most 64 bits, and wide (65..128-bit) ones of each."""
    shapes = [
        (16, 6, True),
        (8, 3, True),
        (18, 8, True),
        (10, 0, False),
        (1, 1, True),
        (1, 0, False),
        (1, 1, False),
        (4, -2, True),
        (6, 9, True),
        (12, 12, False),
        (32, 16, True),
        (32, 32, False),
        (24, 4, False),
        (31, -5, True),
        (33, 40, False),
        (40, 20, True),
        (63, 62, True),
        (64, 32, True),
        (64, 10, False),
        (3, 3, False),
        (2, -3, False),
        (20, 22, True),
    ]
    for _ in range(extra):
        w = rng.choice([rng.randint(1, 24), rng.randint(1, 24), rng.randint(25, 64)])
        i = rng.choice([rng.randint(0, w), rng.randint(0, w), rng.randint(-6, 0), w + rng.randint(1, 6)])
        shapes.append((w, i, rng.random() < 0.6))
    fixed = [Fx(w, i, s) for w, i, s in shapes]
    ints = [Int(w, s) for w, s in [(1, True), (1, False), (8, True), (8, False), (16, True), (12, False)]]
    ints += [Int(w, s) for w, s in [(31, True), (32, True), (32, False), (33, False), (48, True), (64, True)]]
    ints += [Int(64, False)]
    wide = [Fx(96, 40, True), Fx(100, 40, False), Fx(120, -3, True), Fx(90, 100, True), Fx(127, 64, True)]
    wide += [Fx(128, 64, True), Fx(128, 20, False), Fx(80, 70, False), Fx(65, 1, True)]
    wide_ints = [Int(65, False), Int(96, True), Int(100, True), Int(128, True), Int(128, False)]
    return fixed, ints, wide, wide_ints


def build(seed: int = 20240611, scale: int = 1) -> tuple[list[str], list[str]]:
    """Return (C++ statements, one per case; per-case descriptions).  `scale` multiplies the
    number of cases (more types and mode pairs) and of values per case."""
    b = Builder(seed)
    rng = b.rng
    n = 40 * scale
    fixed, ints, wide, wide_ints = type_pools(rng, 4 * scale)
    modes = [(q, o) for q in QMODES for o in OMODES]
    signed = [t for t in fixed if t.s]
    unsigned = [t for t in fixed if not t.s]

    # 1. fixed -> fixed for every rounding x overflow mode: one case drops fraction bits into a
    #    narrower integer part, one crosses signedness; sources sometimes saturate symmetrically.
    for q, o in modes:
        for k in range(scale + 1):
            dst = rng.choice(fixed).modes(q, o)
            if k == 0:
                cands = [t for t in fixed + wide if t.f > dst.f and t.i > dst.i]
            else:
                cands = unsigned if dst.s else signed
            src = rng.choice(cands or fixed)
            if rng.random() < 0.3:
                src = src.modes(rng.choice(QMODES), "AC_SAT_SYM")
            b.add("t_cast", (dst, src), n, f"cast {q}/{o}")
    # ac_int -> fixed, ac_int -> ac_int (wraps).
    for _ in range(3 * scale):
        q, o = rng.choice(modes)
        b.add("t_cast", (rng.choice(fixed).modes(q, o), rng.choice(ints + wide_ints)), n, "cast ac_int->fixed")
        b.add("t_cast", (rng.choice(ints + wide_ints), rng.choice(ints + wide_ints)), n, "cast ac_int->ac_int")

    # 2. double -> fixed (and ac_int), every mode pair.
    for q, o in modes:
        b.add("t_dbl", (rng.choice(fixed).modes(q, o),), 3 * n, f"from double {q}/{o}")
    for t in rng.sample(ints, 2 * scale) + [Int(128, True)]:
        b.add("t_dbl", (t,), 3 * n, "ac_int from double (floor, wraps)")

    # 3. + - * and unary minus between fixed / ac_int pairs (mixed signedness and widths).
    count = 0
    while count < 10 * scale:
        x = rng.choice(fixed) if rng.random() < 0.85 else rng.choice(ints)
        y = rng.choice(unsigned if x.s else signed) if count % 2 else rng.choice(fixed + ints)
        if fits(x, y):
            b.add("t_arith", (x, y), n, "arith")
            count += 1

    # 4. compound assignment (+= -= *=) into wrapping / saturating / rounding types.
    count = 0
    while count < 6 * scale:
        q, o = rng.choice(modes)
        d = rng.choice(fixed).modes(q, rng.choice([o, "AC_WRAP"]))
        y = rng.choice(fixed) if rng.random() < 0.8 else rng.choice(ints)
        if plus_w(d, y) <= MAX_W:
            b.add("t_compound", (d, y), n, "compound assign")
            count += 1

    # 5. comparisons (signed vs unsigned above all), with 0 and the ReLU ternary.
    for k in range(9 * scale):
        x = rng.choice(fixed) if rng.random() < 0.8 else rng.choice(ints)
        y = rng.choice(unsigned if x.s else signed) if k % 2 == 0 else rng.choice(fixed + ints)
        if rng.random() < 0.3:
            x = as_fx(x).modes(*rng.choice(modes))
        b.add("t_cmp", (x, y), n, "compare")

    # 6. operands of C integer types.
    lit = [t for t in fixed + ints if fits(t, Int(64, True)) and fits(t, Int(64, False))]
    for t in rng.sample(lit, 4 * scale):
        b.add("t_lit", (t,), n, "C integer operands")

    # 7. unary minus, to_double, slc, to_int.
    for t in rng.sample(fixed, 6 * scale):
        b.add("t_unary", (t, rng.randint(1, min(t.w + 4, MAX_W))), n, "unary/to_double/slc/to_int")

    # 8. ac_int: comparisons, ++ --, += -=, to_int, slc; + - * (with C ints too); from C ints.
    for _ in range(4 * scale):
        b.add("t_int", (rng.choice(ints), rng.choice(ints + wide_ints)), n, "ac_int")
        x, y = rng.choice(ints), rng.choice(ints)
        b.add("t_int_arith", (x, y), n, "ac_int arith")
    for _ in range(2 * scale):
        q, o = rng.choice(modes)
        b.add("t_ctor", (rng.choice(fixed).modes(q, o),), n, "fixed from C integers")
        b.add("t_ctor", (rng.choice(ints + wide_ints),), n, "ac_int from C integers")

    # 9. wide types (65..128 bits) on both sides (both 128-bit ones always).
    for t in wide if scale > 1 else [t for t in wide if t.w in (96, 120, 90, 128)]:
        q, o = rng.choice(modes)
        b.add("t_cast", (t.modes(q, o), rng.choice(wide + fixed)), n, "wide cast in")
        b.add("t_cast", (rng.choice(fixed).modes(q, o), t), n, "wide cast out")
        b.add("t_cmp", (t, rng.choice(wide + wide_ints + fixed)), n, "wide compare")
        b.add("t_unary", (t, rng.choice([1, 40, 64, 65, t.w])), n, "wide unary")
        b.add("t_dbl", (t.modes(q, o),), 2 * n, f"wide from double {q}/{o}")
    for t in wide_ints:
        b.add("t_int", (t, rng.choice(ints + wide_ints)), n, "wide ac_int")
        y = rng.choice([u for u in ints + wide_ints if fits(t, u) and fits(t, C_INT)] or [Int(1, False)])
        if fits(t, y) and fits(t, C_INT):
            b.add("t_int_arith", (t, y), n, "wide ac_int arith")
    b.add("t_arith", (Fx(100, 40, True), Fx(20, 3, False)), n, "wide arith")
    b.add("t_arith", (Fx(70, 10, False), Fx(50, 50, False)), n, "wide arith")
    b.add("t_arith", (Int(127, True), Fx(1, 1, False)), n, "wide arith")
    b.add("t_arith", (Fx(64, 32, True), Int(64, False)), n, "wide arith")
    b.add("t_compound", (Fx(120, 60, True, "AC_RND", "AC_SAT"), Fx(40, 20, True)), n, "wide compound")
    b.add("t_compound", (Fx(128, 64, True), Fx(60, 30, False)), n, "wide compound (wrap fast path)")
    b.add("t_compound", (Fx(128, 0, False, "AC_TRN", "AC_WRAP"), Int(100, True)), n, "wide compound")
    b.add("t_int_arith", (Int(64, True), Int(64, False)), n, "wide ac_int arith")

    # 10. ac_channel round trip.
    b.add("t_chan", (Fx(18, 8, True, "AC_RND", "AC_SAT"),), 10, "ac_channel")
    b.add("t_chan", (Int(70, False),), 5, "ac_channel")
    return b.calls, b.descr


def sources(calls: list[str], parts: int) -> dict[str, str]:
    """Deal the cases round-robin over `parts` translation units (compiled in parallel; expensive
    cases are spread evenly); main() runs them in case order, whatever `parts` is."""
    files = {"kernels.h": "#pragma once\n" + PRELUDE}
    for p in range(parts):
        body = [f"void case{c}() {{\n{call}\n}}" for c, call in enumerate(calls) if c % parts == p]
        files[f"part{p}.cpp"] = '#include "kernels.h"\n' + "\n".join(body) + "\n"
    decls = "\n".join(f"void case{c}();" for c in range(len(calls)))
    runs = "\n".join(f"  case{c}();" for c in range(len(calls)))
    files["main.cpp"] = (
        f"#include <stdio.h>\n{decls}\nint main() {{\n  setvbuf(stdout, NULL, _IOFBF, 1 << 20);\n{runs}\n"
        '  printf("\\n");\n  return 0;\n}\n'
    )
    return files


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    calls, descr = build()
    for name, text in sources(calls, 2).items():
        with open(name, "w") as fh:
            fh.write(text)
    sys.stderr.write(f"{len(descr)} cases\n")
