// nn2hls_ap_base.h -- shared core of the nn2hls ap_int.h / ap_fixed.h headers.
//
// A compact, header-only re-implementation of the subset of Xilinx's
// arbitrary-precision types that nn2hls emits, bit-compatible with Xilinx's
// C-simulation headers (tests/test_ap_types.py checks this differentially).
// Do not include this file directly; include <ap_int.h> or <ap_fixed.h> (or <ac_int.h> and
// <ac_fixed.h>, which share its rounding, overflow and conversion rules).
//
// Representation: a W-bit two's-complement pattern kept canonical (sign- or
// zero-extended) in an int64_t for W <= 64 and in an __int128 for W <= 128.
// Canonical storage makes the value of a signed type (and of an unsigned type
// narrower than its word) simply the stored integer, so the common operations
// compile to plain machine arithmetic.
#ifndef NN2HLS_AP_BASE_H
#define NN2HLS_AP_BASE_H

#include <stdint.h>
#include <type_traits>

#ifndef __SIZEOF_INT128__
#error "nn2hls ap types need a compiler with __int128 (GCC or Clang on a 64-bit target)"
#endif

/// Quantisation modes (same names and order as Xilinx).
enum ap_q_mode { AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV, AP_TRN, AP_TRN_ZERO };
/// Overflow modes (AP_WRAP_SM exists for source compatibility but is rejected).
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

typedef long long ap_slong;
typedef unsigned long long ap_ulong;

template <int W, bool S> struct ap_int_base;
template <int W> struct ap_int;
template <int W> struct ap_uint;
template <int W, int I, bool S = true, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed_base;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0> struct ap_fixed;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0> struct ap_ufixed;

#define NN2HLS_INLINE inline __attribute__((always_inline))

// Bit-casting a double is constexpr with __builtin_bit_cast (GCC >= 11, Clang >= 9);
// it is what lets `static const ap_fixed<16,6> w[] = {0.5, ...}` be constant-initialised.
#if defined(__has_builtin)
#if __has_builtin(__builtin_bit_cast)
#define NN2HLS_HAVE_BIT_CAST 1
#endif
#endif
#ifdef NN2HLS_HAVE_BIT_CAST
#define NN2HLS_DBL_CONSTEXPR constexpr
#else
#include <string.h>
#define NN2HLS_DBL_CONSTEXPR inline
#endif

namespace nn2hls_ap {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

template <int W> struct word { typedef typename std::conditional<(W <= 64), int64_t, i128>::type type; };
template <class T> struct uword;
template <> struct uword<int64_t> { typedef uint64_t type; };
template <> struct uword<i128> { typedef u128 type; };
template <class U> struct sword;
template <> struct sword<uint64_t> { typedef int64_t type; };
template <> struct sword<u128> { typedef i128 type; };
template <class A, class B> struct wider { typedef typename std::conditional<(sizeof(A) >= sizeof(B)), A, B>::type type; };

constexpr int imax(int a, int b) { return a > b ? a : b; }

/// Raw-bits constructor tag (internal).
struct raw_t {};

// Shifts and masks that are defined for every count >= 0 (no UB, no warnings).
template <class U> constexpr U shl(U x, int n) { return n >= int(sizeof(U) * 8) ? U(0) : U(x << n); }
template <class U> constexpr U lshr(U x, int n) { return n >= int(sizeof(U) * 8) ? U(0) : U(x >> n); }
template <class T> constexpr T ashr(T x, int n) { return n >= int(sizeof(T) * 8) ? T(x < 0 ? -1 : 0) : T(x >> n); }
template <class U> constexpr U ones(int n) { return n >= int(sizeof(U) * 8) ? U(~U(0)) : U((U(1) << n) - 1); }

/// Keep the low W bits of x, sign- (S) or zero-extended to the whole word T.
template <int W, bool S, class T>
constexpr T canon(typename uword<T>::type x) {
  typedef typename uword<T>::type U;
  return S ? T(T(U(x << (sizeof(T) * 8 - W))) >> (sizeof(T) * 8 - W)) : T(x & ones<U>(W));
}

/// A canonical word of a type with signedness S, re-expressed in word type T
/// (extension by S when T is wider, modular truncation when it is narrower).
template <class T, bool S, class T2>
constexpr T widen(T2 v) { return S ? T(v) : T(typename uword<T2>::type(v)); }

/// Core conversion: quantise and overflow-handle a source value into the format
/// (W bits, signedness S, modes Q/O).  `src` is the source word (signed if s2,
/// otherwise its bits are an unsigned number), expressed in T, which is at least
/// as wide as both formats; d = target fraction bits - source fraction bits.
/// Returns the canonical target word in T.  Semantics are those of Xilinx's
/// ap_fixed_base::operator=: round the exact value to the target LSB, then
/// saturate or wrap on the integer side.
template <int W, bool S, ap_q_mode Q, ap_o_mode O, class T>
constexpr T quantize(T src, bool s2, int d) {
  typedef typename uword<T>::type U;
  const int B = int(sizeof(T) * 8);
  const U u = U(src);
  const bool neg = s2 && src < 0;
  // Xilinx's AP_SAT_SYM never yields the most negative value, except for 1-bit types.
  const bool sym = O == AP_SAT_SYM && S && W > 1;
  const U hi = ones<U>(W - S);                                         // largest target value
  const T lo = S ? T(T(U(U(0) - shl(U(1), W - 1))) + T(sym)) : T(0);  // smallest one
  U q = 0;
  bool ovf = false, unf = false;
  if (d >= 0) {  // more fraction bits: exact left shift, only the integer side can overflow
    q = shl(u, d);
    if (O != AP_WRAP) {
      if (!neg) ovf = u > lshr(hi, d);
      else unf = src < T(U(U(0) - lshr(U(U(0) - U(lo)), d)));  // src < ceil(lo / 2^d)
    }
  } else {  // fewer fraction bits: floor, then the rounding increment
    const int r = -d;
    q = s2 ? U(ashr(src, r)) : lshr(u, r);
    if (Q != AP_TRN) {
      const bool h = r - 1 >= B ? neg : bool((u >> (r - 1)) & 1);  // first dropped bit
      const bool rest = r >= 2 && (u & ones<U>(r - 1)) != 0;      // any bit below it
      bool inc = false;
      switch (Q) {
        case AP_RND: inc = h; break;                                // ties to +inf
        case AP_RND_ZERO: inc = h && (neg || rest); break;          // ties to zero
        case AP_RND_MIN_INF: inc = h && rest; break;                // ties to -inf
        case AP_RND_INF: inc = h && (!neg || rest); break;          // ties away from zero
        case AP_RND_CONV: inc = h && ((q & 1) || rest); break;      // ties to even
        case AP_TRN_ZERO: inc = neg && (h || rest); break;          // toward zero
        default: break;
      }
      q += U(inc);
    }
    if (O != AP_WRAP) {
      const bool qneg = s2 && T(q) < 0;
      ovf = !qneg && q > hi;
      unf = qneg && T(q) < lo;
    }
  }
  if (ovf) return O == AP_SAT_ZERO ? T(0) : T(hi);
  if (unf) return O == AP_SAT_ZERO ? T(0) : lo;
  return canon<W, S, T>(q);
}

/// Raw IEEE bits of a double.
NN2HLS_DBL_CONSTEXPR uint64_t dbits(double x) {
#ifdef NN2HLS_HAVE_BIT_CAST
  return __builtin_bit_cast(uint64_t, x);
#else
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
#endif
}

/// double -> fixed word (F fraction bits).  Like Xilinx, the double is read as
/// +-(1.mantissa) * 2^(exponent field - 1023) even for subnormals, infinities
/// and NaNs (so inf and NaN behave as huge values of their sign), and the
/// exact value is then quantised like any fixed-point source.
template <int W, int F, bool S, ap_q_mode Q, ap_o_mode O>
NN2HLS_DBL_CONSTEXPR typename word<W>::type from_double(double x) {
  typedef typename word<W>::type T;
  const uint64_t b = dbits(x);
  if ((b << 1) == 0) return 0;
  const int ef = int((b >> 52) & 0x7ff);
  const int64_t m = int64_t((b & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52));
  return quantize<W, S, Q, O, T>(T((b >> 63) ? -m : m), true, F - 1075 + ef);
}

/// double -> ap_int word, reproducing Xilinx's ap_int_base(double) exactly:
/// truncation toward zero modulo 2^W, but a negative double of magnitude below
/// 0.25 gives +1 (a quirk of Xilinx's simulation model).
template <int W, bool S>
NN2HLS_DBL_CONSTEXPR typename word<W>::type int_from_double(double x) {
  typedef typename word<W>::type T;
  typedef typename uword<T>::type U;
  const uint64_t b = dbits(x);
  if ((b << 1) == 0) return 0;
  const int sh = 52 - (int((b >> 52) & 0x7ff) - 1023);
  const bool neg = (b >> 63) != 0;
  const U m = U((b & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52));
  U v = sh >= 54 ? U(neg ? ~U(0) : U(0)) : sh >= 0 ? U(m >> sh) : (-sh < W ? shl(m, -sh) : U(0));
  if (neg) v = U(0) - v;
  return canon<W, S, T>(v);
}

/// 2^e as a double (exact for -1074 <= e <= 1023).
constexpr double pow2(int e) {
  double r = 1.0;
  for (; e > 0; --e) r *= 2.0;
  for (; e < 0; ++e) r *= 0.5;
  return r;
}
template <int E> struct p2 { static constexpr double value = pow2(E); };

/// Exact three-way comparison of a*2^-fa and b*2^-fb (canonical words; sa/sb =
/// signedness).  Used when the aligned operands would not fit in 128 bits.
template <class T>
constexpr int cmp3(T a, bool sa, int fa, T b, bool sb, int fb) {
  typedef typename uword<T>::type U;
  const bool na = sa && a < 0, nb = sb && b < 0;
  if (na != nb) return na ? -1 : 1;
  if (fa < fb) return -cmp3(b, sb, fb, a, sa, fa);
  const int k = fa - fb;  // a = hi * 2^k + low, 0 <= low < 2^k
  if (na) {
    const T h = ashr(a, k);
    if (h != b) return h < b ? -1 : 1;
  } else {
    const U h = lshr(U(a), k);
    if (h != U(b)) return h < U(b) ? -1 : 1;
  }
  return (U(a) & ones<U>(k)) != 0 ? 1 : 0;
}

/// Is p + q * 2^k == 2^m (p, q >= 0, k >= 0)?
constexpr bool pow2_sum(u128 p, u128 q, int k, int m) {
  return k >= 128 ? (p == 0 && m - k < 128 && m >= k && q == (u128(1) << (m - k)))
         : (p & ones<u128>(k)) != 0 || m - k < 0 || m - k > 128 ? false
         : m - k == 128 ? ((p >> k) + q == 0 && q != 0)
                        : q <= (u128(1) << (m - k)) && (p >> k) == (u128(1) << (m - k)) - q;
}

/// Comparison of two (W, F, S) values: exact, then adjusted for the quirks of
/// Xilinx's ap_private comparisons.  WA/WB are the operand widths *after*
/// Xilinx's alignment; they only matter for mixed signedness.  Like C's usual
/// arithmetic conversions, Xilinx compares a negative signed operand as a huge
/// unsigned one when the unsigned operand is at least as wide (and one of them
/// is >= 32 bits), and == compares the aligned values modulo 2^M,
/// M = max(WA, WB, 32) (64 when WA == WB <= 64).
template <int Wa, int Fa, bool Sa, int Wb, int Fb, bool Sb, int WA, int WB>
struct cmp_impl {
  enum {
    F = Fa > Fb ? Fa : Fb,
    // aligned widths as signed numbers; direct (fast) comparison when they fit
    AW = Wa + (F - Fa) + !Sa,
    BW = Wb + (F - Fb) + !Sb,
    DIRECT = AW <= 128 && BW <= 128,
    MIXED = Sa != Sb,
    WS = Sa ? WA : WB,
    WU = Sa ? WB : WA,
    REL_QUIRK = MIXED && !(WA < 32 && WB < 32) && WU >= WS,
    M = (WA == WB && WA <= 64) ? 64 : imax(imax(WA, WB), 32),
    EQ_QUIRK = MIXED && WU == M
  };
  typedef typename word<(DIRECT ? (AW > BW ? AW : BW) : (Wa > Wb ? Wa : Wb))>::type T;
  typedef typename uword<T>::type U;
  template <class TA, class TB>
  static NN2HLS_INLINE constexpr int cmp(TA a, TB b) {
    return DIRECT ? (T(shl(U(widen<T, Sa>(a)), F - Fa)) < T(shl(U(widen<T, Sb>(b)), F - Fb)) ? -1
                     : T(shl(U(widen<T, Sa>(a)), F - Fa)) > T(shl(U(widen<T, Sb>(b)), F - Fb)) ? 1 : 0)
                  : cmp3<T>(widen<T, Sa>(a), Sa, Fa, widen<T, Sb>(b), Sb, Fb);
  }
  /// Is the signed operand negative (only meaningful when MIXED)?
  template <class TA, class TB>
  static NN2HLS_INLINE constexpr bool sneg(TA a, TB b) { return Sa ? a < 0 : b < 0; }
  template <class TA, class TB>
  static NN2HLS_INLINE constexpr bool lt(TA a, TB b) {
    return (REL_QUIRK && sneg(a, b)) ? !Sa : cmp(a, b) < 0;
  }
  template <class TA, class TB>
  static NN2HLS_INLINE constexpr bool gt(TA a, TB b) {
    return (REL_QUIRK && sneg(a, b)) ? Sa : cmp(a, b) > 0;
  }
  /// With a negative signed operand s and an unsigned u, "equal" means
  /// u_aligned + |s_aligned| == 2^M (only one of the two is shifted).
  template <class TS, class TU>
  static constexpr bool eq_mod(TS s, TU u, int ks, int ku) {
    return ks == 0 ? pow2_sum(u128(0) - u128(widen<i128, true>(s)), u128(widen<i128, false>(u)), ku, M)
                   : pow2_sum(u128(widen<i128, false>(u)), u128(0) - u128(widen<i128, true>(s)), ks, M);
  }
  template <class TA, class TB>
  static NN2HLS_INLINE constexpr bool eq(TA a, TB b) {
    return (EQ_QUIRK && sneg(a, b)) ? (Sa ? eq_mod(a, b, F - Fa, F - Fb) : eq_mod(b, a, F - Fb, F - Fa))
                                    : cmp(a, b) == 0;
  }
};

/// C integer types usable as operands (Xilinx treats them as ap_[u]int<bits>);
/// unscoped enums count as the integer type they promote to.
template <class C> struct c_int_type { enum { ok = 0, w = 1, s = 0 }; };
#define NN2HLS_C_INT(C, BITS, SGN) \
  template <> struct c_int_type<C> { enum { ok = 1, w = BITS, s = SGN }; typedef C type; };
NN2HLS_C_INT(bool, 1, 0)
NN2HLS_C_INT(char, 8, std::is_signed<char>::value)
NN2HLS_C_INT(signed char, 8, 1)
NN2HLS_C_INT(unsigned char, 8, 0)
NN2HLS_C_INT(short, 16, 1)
NN2HLS_C_INT(unsigned short, 16, 0)
NN2HLS_C_INT(int, 32, 1)
NN2HLS_C_INT(unsigned int, 32, 0)
NN2HLS_C_INT(long, int(sizeof(long) * 8), 1)
NN2HLS_C_INT(unsigned long, int(sizeof(long) * 8), 0)
NN2HLS_C_INT(long long, 64, 1)
NN2HLS_C_INT(unsigned long long, 64, 0)
#undef NN2HLS_C_INT
template <class C, bool = std::is_enum<C>::value && std::is_convertible<C, long long>::value>
struct c_int : c_int_type<C> {};
template <class C> struct c_int<C, true> : c_int_type<decltype(+C())> {};
#define NN2HLS_IF_C_INT(C) typename std::enable_if<nn2hls_ap::c_int<C>::ok, int>::type = 0

/// The canonical word of a C integer as an ap_[u]int<c_int<C>::w>.
template <class C>
constexpr int64_t c_word(C x) {
  typedef typename c_int<C>::type P;
  return c_int<C>::s ? int64_t(P(x)) : canon<c_int<C>::w, false, int64_t>(uint64_t(P(x)));
}

/// Result-type rules, as in Xilinx's RType (ap_int_base.h / ap_fixed_base.h).
template <int W1, bool S1, int W2, bool S2>
struct int_rtype {
  enum {
    mult_w = W1 + W2, mult_s = S1 || S2,
    plus_w = imax(W1 + (S2 && !S1), W2 + (S1 && !S2)) + 1, plus_s = S1 || S2,
    minus_w = plus_w, minus_s = true,
    logic_w = imax(W1 + (S2 && !S1), W2 + (S1 && !S2)), logic_s = S1 || S2
  };
};
template <int W1, int I1, bool S1, int W2, int I2, bool S2>
struct fx_rtype {
  enum {
    F1 = W1 - I1, F2 = W2 - I2, F = F1 > F2 ? F1 : F2,
    mult_w = W1 + W2, mult_i = I1 + I2, mult_s = S1 || S2,
    plus_i = imax(I1 + (S2 && !S1), I2 + (S1 && !S2)) + 1, plus_w = plus_i + F, plus_s = S1 || S2,
    minus_i = plus_i, minus_w = plus_w, minus_s = true
  };
};

template <int W, bool S> struct int_t { typedef ap_int<W> type; };
template <int W> struct int_t<W, false> { typedef ap_uint<W> type; };
template <int W, int I, bool S> struct fx_t { typedef ap_fixed<W, I> type; };
template <int W, int I> struct fx_t<W, I, false> { typedef ap_ufixed<W, I> type; };

}  // namespace nn2hls_ap

#endif  // NN2HLS_AP_BASE_H
