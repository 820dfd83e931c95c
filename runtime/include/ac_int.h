// ac_int.h -- nn2hls implementation of the Algorithmic C integer ac_int<W, S> (1 <= W <= 128).
//
// Our own compact, header-only code for the subset of the Algorithmic C (AC) datatypes that
// nn2hls prints for Catapult and oneAPI; it gives ac_int, the ac_fixed mode names (ac_q_mode,
// ac_o_mode) and the helpers ac_fixed.h shares.  Bit-compatible in C simulation with the real
// AC headers: tests/test_ac_types.py compiles one program against both and compares every
// output line.  Shares its arithmetic core (words, rounding, overflow, exact comparison) with
// our ap_int.h / ap_fixed.h (nn2hls_ap_base.h); none of the ap types' C-like comparison
// quirks apply here: every AC comparison is exact.
#ifndef NN2HLS_AC_INT_H
#define NN2HLS_AC_INT_H

#include "nn2hls_ap_base.h"

/// Rounding (quantisation) modes, in the AC order.  AC_RND_CONV_ODD is declared for source
/// compatibility but rejected by ac_fixed (static_assert).
enum ac_q_mode { AC_TRN, AC_RND, AC_TRN_ZERO, AC_RND_ZERO, AC_RND_INF, AC_RND_MIN_INF, AC_RND_CONV, AC_RND_CONV_ODD };
/// Overflow modes, in the AC order.
enum ac_o_mode { AC_WRAP, AC_SAT, AC_SAT_ZERO, AC_SAT_SYM };

template <int W, bool S> class ac_int;
template <int W, int I, bool S, ac_q_mode Q, ac_o_mode O> class ac_fixed;

namespace nn2hls_ac {

typedef nn2hls_ap::i128 i128;
typedef nn2hls_ap::u128 u128;

/// Number of 32-bit words of AC's own representation (unsigned types get a spare sign bit);
/// it fixes the order of AC's floating-point operations, which we reproduce.
template <int W, bool S> struct iv_words { enum { n = (W + 31 + !S) / 32 }; };

/// C integer operands, seen as ac_int<w, s> (as AC does; char is always ac_int<8, true>).
template <class C> struct c_int : nn2hls_ap::c_int<C> {};
template <> struct c_int<char> : nn2hls_ap::c_int<signed char> {};
#define NN2HLS_AC_IF_C_INT(C) typename std::enable_if<nn2hls_ac::c_int<C>::ok, int>::type = 0

/// The canonical word of ac_int<c_int<C>::w, c_int<C>::s>(x).
template <class C>
constexpr int64_t c_word(C x) {
  return nn2hls_ap::canon<c_int<C>::w, bool(c_int<C>::s), int64_t>(uint64_t(typename c_int<C>::type(x)));
}

/// The AP mode with the same rule (AC and AP define these seven alike).
constexpr ap_q_mode q_mode(ac_q_mode q) {
  return q == AC_RND           ? AP_RND
         : q == AC_TRN_ZERO    ? AP_TRN_ZERO
         : q == AC_RND_ZERO    ? AP_RND_ZERO
         : q == AC_RND_INF     ? AP_RND_INF
         : q == AC_RND_MIN_INF ? AP_RND_MIN_INF
         : q == AC_RND_CONV    ? AP_RND_CONV
                               : AP_TRN;
}
constexpr ap_o_mode o_mode(ac_o_mode o) {
  return o == AC_SAT ? AP_SAT : o == AC_SAT_ZERO ? AP_SAT_ZERO : o == AC_SAT_SYM ? AP_SAT_SYM : AP_WRAP;
}

/// d * 2^N with AC's sequence of operations (N mod 32 first, then steps of 2^32), so that
/// results that underflow into subnormals round exactly as in AC.
template <int N>
constexpr double ldexpr(double d) {
  double r = N < 0 ? d / double(1u << (-N & 31)) : d * double(1u << (N & 31));
  for (int i = 0; i < (N < 0 ? -(N / 32) : N / 32); ++i) r = N < 0 ? r / 4294967296.0 : r * 4294967296.0;
  return r;
}

/// double -> word of a (W, I, S) fixed-point format with AC's semantics: AC scales the double
/// by a power of two first (exact, except that a tiny double whose scaled value underflows to
/// zero counts as 0), then rounds and overflows the exact value like any fixed-point source.
/// The scaled double has 32 * iv_words fraction bits.  (AC is undefined for inf, NaN and
/// doubles whose scaled value overflows.)
template <int W, int I, bool S, ac_q_mode Q, ac_o_mode O>
NN2HLS_DBL_CONSTEXPR typename nn2hls_ap::word<W>::type from_double(double d) {
  return nn2hls_ap::from_double<W, 32 * iv_words<W, S>::n, S, q_mode(Q), o_mode(O)>(
      ldexpr<(W - I) - 32 * iv_words<W, S>::n>(d));
}

/// Word k (32 bits) of the value of a canonical word v, extended by S.
template <bool S>
constexpr uint32_t word32(i128 x, int k) {
  return k < 4 ? uint32_t(u128(x) >> (32 * k)) : (S && x < 0 ? ~uint32_t(0) : uint32_t(0));
}
/// AC's value -> double: the integer is accumulated 32 bits at a time from the top (correctly
/// rounded up to 64 bits; wider values may round twice, as in AC), then scaled by 2^(I - W).
template <int W, int I, bool S, class T>
constexpr double to_double(T v) {
  const i128 x = nn2hls_ap::widen<i128, S>(v);
  if (iv_words<W, S>::n <= 2) return ldexpr<I - W>(double(int64_t(x)));  // one rounding: same
  double a = double(int32_t(word32<S>(x, iv_words<W, S>::n - 1)));
  for (int k = iv_words<W, S>::n - 2; k >= 0; --k) {
    a *= 4294967296.0;
    a += double(word32<S>(x, k));
  }
  return ldexpr<I - W>(a);
}

/// floor(v * 2^(I - W)) modulo 2^128, for a canonical word v of a (W, I, S) format.
template <int W, int I, bool S, class T>
constexpr u128 floor_bits(T v) {
  return W - I >= 0 ? (S ? u128(nn2hls_ap::ashr(nn2hls_ap::widen<i128, S>(v), W - I))
                         : nn2hls_ap::lshr(u128(nn2hls_ap::widen<i128, S>(v)), W - I))
                    : nn2hls_ap::shl(u128(nn2hls_ap::widen<i128, S>(v)), I - W);
}

/// Bits lsb .. lsb + WS - 1 of a canonical word v of signedness S, as the canonical word of
/// ac_int<WS, S> (AC's slc: an arithmetic shift, so bits above the source's width repeat
/// its sign).
template <int WS, bool S, class T>
constexpr typename nn2hls_ap::word<WS>::type slice(T v, unsigned lsb) {
  typedef typename nn2hls_ap::word<WS>::type R;
  typedef typename nn2hls_ap::wider<T, R>::type X;
  typedef typename nn2hls_ap::uword<X>::type U;
  return nn2hls_ap::canon<WS, S, R>(typename nn2hls_ap::uword<R>::type(
      S ? U(nn2hls_ap::ashr(nn2hls_ap::widen<X, S>(v), int(lsb > 255 ? 255 : lsb)))
        : nn2hls_ap::lshr(U(nn2hls_ap::widen<X, S>(v)), int(lsb > 255 ? 255 : lsb))));
}

/// Exact three-way comparison of two fixed-point words (Fa/Fb: fraction bits).
template <int Wa, int Fa, bool Sa, int Wb, int Fb, bool Sb, class TA, class TB>
constexpr int cmp(TA a, TB b) {
  return nn2hls_ap::cmp_impl<Wa, Fa, Sa, Wb, Fb, Sb, Wa, Wb>::cmp(a, b);
}

/// As AC: ac_int<W <= 64> converts implicitly to long long (signed) or unsigned long long.
template <class D, bool S, bool C> struct int_conv {};
template <class D> struct int_conv<D, true, true> {
  constexpr operator long long() const { return static_cast<const D&>(*this).to_int64(); }
};
template <class D> struct int_conv<D, false, true> {
  constexpr operator unsigned long long() const { return static_cast<const D&>(*this).to_uint64(); }
};

/// Raw-bits constructor tag (internal).
typedef nn2hls_ap::raw_t raw_t;

}  // namespace nn2hls_ac

/// Integer of W bits, signed if S.  Binary arithmetic is exact (the result type grows as in
/// AC); construction, assignment and compound assignment wrap modulo 2^W.
template <int W, bool S = true>
class ac_int : public nn2hls_ac::int_conv<ac_int<W, S>, S, (W <= 64)> {
  static_assert(W >= 1 && W <= 128,
                "nn2hls ac types support widths 1..128 only (an arithmetic result wider than 128 bits "
                "is not supported either)");

 public:
  typedef typename nn2hls_ap::word<W>::type word_t;
  typedef typename nn2hls_ap::uword<word_t>::type uword_t;
  static const int width = W;
  static const int i_width = W;
  static const bool sign = S;
  static const ac_q_mode q_mode = AC_TRN;
  static const ac_o_mode o_mode = AC_WRAP;

  word_t V;  ///< internal: canonical two's-complement bits (sign- or zero-extended)

  ac_int() = default;
  constexpr ac_int(nn2hls_ac::raw_t, word_t v) : V(v) {}
  /// From C integers: modulo 2^W.
  template <class C, NN2HLS_AC_IF_C_INT(C)>
  constexpr ac_int(C x)
      : V(nn2hls_ap::canon<W, S, word_t>(
            uword_t(nn2hls_ap::widen<word_t, bool(nn2hls_ac::c_int<C>::s)>(nn2hls_ac::c_word(x))))) {}
  /// From double: rounded toward minus infinity, modulo 2^W (as AC).
  NN2HLS_DBL_CONSTEXPR ac_int(double d) : V(nn2hls_ac::from_double<W, W, S, AC_TRN, AC_WRAP>(d)) {}
  template <int W2, bool S2>
  constexpr ac_int(const ac_int<W2, S2>& o)
      : V(nn2hls_ap::canon<W, S, word_t>(uword_t(nn2hls_ap::widen<word_t, S2>(o.V)))) {}

  // ---- conversions (low bits, as AC) ------------------------------------------
  constexpr int to_int() const { return int(uint32_t(V)); }
  constexpr unsigned to_uint() const { return unsigned(V); }
  constexpr long to_long() const { return long(uint64_t(V)); }
  constexpr unsigned long to_ulong() const { return (unsigned long)(uint64_t(V)); }
  constexpr long long to_int64() const { return (long long)(uint64_t(V)); }
  constexpr unsigned long long to_uint64() const { return (unsigned long long)(uint64_t(V)); }
  constexpr double to_double() const { return nn2hls_ac::to_double<W, W, S>(V); }
  constexpr int length() const { return W; }
  constexpr bool operator!() const { return V == 0; }

  /// Bits lsb .. lsb + WS - 1 as an ac_int<WS, S> (beyond the MSB: the sign, as AC).
  template <int WS>
  constexpr ac_int<WS, S> slc(int lsb) const {
    return ac_int<WS, S>(nn2hls_ac::raw_t(), nn2hls_ac::slice<WS, S>(V, unsigned(lsb) & 0x7fffffffu));
  }
  template <int WS>
  constexpr ac_int<WS, S> slc(unsigned lsb) const {
    return ac_int<WS, S>(nn2hls_ac::raw_t(), nn2hls_ac::slice<WS, S>(V, lsb));
  }
  template <int WS, int WX, bool SX>
  constexpr ac_int<WS, S> slc(const ac_int<WX, SX>& lsb) const {
    return slc<WS>(lsb.to_int());
  }

  // ---- compound assignment: modulo 2^W ----------------------------------------
#define NN2HLS_AC_INT_OPASSIGN(OP)                                                                   \
  template <int W2, bool S2>                                                                         \
  NN2HLS_INLINE ac_int& operator OP##=(const ac_int<W2, S2>& o) {                                    \
    V = nn2hls_ap::canon<W, S, word_t>(uword_t(uword_t(V) OP uword_t(nn2hls_ap::widen<word_t, S2>(o.V)))); \
    return *this;                                                                                    \
  }                                                                                                  \
  template <class C, NN2HLS_AC_IF_C_INT(C)>                                                          \
  NN2HLS_INLINE ac_int& operator OP##=(C x) {                                                        \
    return operator OP##=(ac_int<nn2hls_ac::c_int<C>::w, bool(nn2hls_ac::c_int<C>::s)>(x));         \
  }
  NN2HLS_AC_INT_OPASSIGN(+)
  NN2HLS_AC_INT_OPASSIGN(-)
  NN2HLS_AC_INT_OPASSIGN(*)
#undef NN2HLS_AC_INT_OPASSIGN
  NN2HLS_INLINE ac_int& operator++() { return *this += ac_int<1, false>(nn2hls_ac::raw_t(), 1); }
  NN2HLS_INLINE ac_int& operator--() { return *this -= ac_int<1, false>(nn2hls_ac::raw_t(), 1); }
  NN2HLS_INLINE const ac_int operator++(int) {
    const ac_int t = *this;
    ++*this;
    return t;
  }
  NN2HLS_INLINE const ac_int operator--(int) {
    const ac_int t = *this;
    --*this;
    return t;
  }

  // ---- unary --------------------------------------------------------------------
  constexpr ac_int operator+() const { return *this; }
  /// -x is exact: ac_int<W + 1, true> (as AC).
  constexpr ac_int<W + 1, true> operator-() const {
    typedef typename ac_int<W + 1, true>::word_t R;
    typedef typename nn2hls_ap::uword<R>::type U;
    return ac_int<W + 1, true>(nn2hls_ac::raw_t(), R(U(0) - U(nn2hls_ap::widen<R, S>(V))));
  }
};

// ---- binary arithmetic: exact, result type as AC's ac_int::rt --------------------------------
#define NN2HLS_AC_INT_BINOP(OP, KIND)                                                              \
  template <int W1, bool S1, int W2, bool S2>                                                      \
  NN2HLS_INLINE constexpr ac_int<nn2hls_ap::int_rtype<W1, S1, W2, S2>::KIND##_w,                   \
                                 bool(nn2hls_ap::int_rtype<W1, S1, W2, S2>::KIND##_s)>             \
  operator OP(const ac_int<W1, S1>& a, const ac_int<W2, S2>& b) {                                  \
    typedef nn2hls_ap::int_rtype<W1, S1, W2, S2> R;                                                \
    typedef ac_int<R::KIND##_w, bool(R::KIND##_s)> RT;                                             \
    typedef typename RT::word_t T;                                                                 \
    typedef typename nn2hls_ap::uword<T>::type U;                                                  \
    return RT(nn2hls_ac::raw_t(), T(U(nn2hls_ap::widen<T, S1>(a.V)) OP U(nn2hls_ap::widen<T, S2>(b.V)))); \
  }                                                                                                \
  template <int W1, bool S1, class C, NN2HLS_AC_IF_C_INT(C)>                                       \
  NN2HLS_INLINE constexpr auto operator OP(const ac_int<W1, S1>& a, C b)                           \
      -> decltype(a OP ac_int<nn2hls_ac::c_int<C>::w, bool(nn2hls_ac::c_int<C>::s)>(b)) {          \
    return a OP ac_int<nn2hls_ac::c_int<C>::w, bool(nn2hls_ac::c_int<C>::s)>(b);                   \
  }                                                                                                \
  template <int W2, bool S2, class C, NN2HLS_AC_IF_C_INT(C)>                                       \
  NN2HLS_INLINE constexpr auto operator OP(C a, const ac_int<W2, S2>& b)                           \
      -> decltype(ac_int<nn2hls_ac::c_int<C>::w, bool(nn2hls_ac::c_int<C>::s)>(a) OP b) {          \
    return ac_int<nn2hls_ac::c_int<C>::w, bool(nn2hls_ac::c_int<C>::s)>(a) OP b;                   \
  }
NN2HLS_AC_INT_BINOP(+, plus)
NN2HLS_AC_INT_BINOP(-, minus)
NN2HLS_AC_INT_BINOP(*, mult)
#undef NN2HLS_AC_INT_BINOP

// ---- comparisons: exact (AC compares the mathematical values) ---------------------------------
#define NN2HLS_AC_INT_CMP(OP)                                                                      \
  template <int W1, bool S1, int W2, bool S2>                                                      \
  NN2HLS_INLINE constexpr bool operator OP(const ac_int<W1, S1>& a, const ac_int<W2, S2>& b) {     \
    return nn2hls_ac::cmp<W1, 0, S1, W2, 0, S2>(a.V, b.V) OP 0;                                    \
  }                                                                                                \
  template <int W1, bool S1, class C, NN2HLS_AC_IF_C_INT(C)>                                       \
  NN2HLS_INLINE constexpr bool operator OP(const ac_int<W1, S1>& a, C b) {                         \
    return nn2hls_ac::cmp<W1, 0, S1, nn2hls_ac::c_int<C>::w, 0, bool(nn2hls_ac::c_int<C>::s)>(     \
               a.V, nn2hls_ac::c_word(b)) OP 0;                                                    \
  }                                                                                                \
  template <int W2, bool S2, class C, NN2HLS_AC_IF_C_INT(C)>                                       \
  NN2HLS_INLINE constexpr bool operator OP(C a, const ac_int<W2, S2>& b) {                         \
    return nn2hls_ac::cmp<nn2hls_ac::c_int<C>::w, 0, bool(nn2hls_ac::c_int<C>::s), W2, 0, S2>(     \
               nn2hls_ac::c_word(a), b.V) OP 0;                                                    \
  }
NN2HLS_AC_INT_CMP(==)
NN2HLS_AC_INT_CMP(!=)
NN2HLS_AC_INT_CMP(<)
NN2HLS_AC_INT_CMP(>)
NN2HLS_AC_INT_CMP(<=)
NN2HLS_AC_INT_CMP(>=)
#undef NN2HLS_AC_INT_CMP

#endif  // NN2HLS_AC_INT_H
