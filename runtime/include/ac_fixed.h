// ac_fixed.h -- nn2hls implementation of the Algorithmic C fixed-point type (1 <= W <= 128).
//
// ac_fixed<W, I, S = true, Q = AC_TRN, O = AC_WRAP>: W bits, I of them integer bits (I may be
// negative or larger than W), signed if S; value = bits * 2^(I - W).  Our own compact,
// header-only code for the subset of the Algorithmic C datatypes that nn2hls prints for
// Catapult and oneAPI, bit-compatible in C simulation with the real AC headers (checked by
// tests/test_ac_types.py).  Every rounding and overflow rule is the one of our ap_fixed
// (nn2hls_ap::quantize in nn2hls_ap_base.h); where AC differs from AP, this header says so:
//   * comparisons are exact (no C-like signed/unsigned conversion as in Xilinx's ap types);
//   * double -> fixed scales the double first (a tiny double whose scaled value underflows is
//     0), to_double() rounds as AC does, and to_int() rounds toward minus infinity;
//   * there are no implicit conversions to C types (use to_double(), to_int(), ...);
//   * AC_RND_CONV_ODD is rejected (static_assert).
#ifndef NN2HLS_AC_FIXED_H
#define NN2HLS_AC_FIXED_H

#include "ac_int.h"

#define NN2HLS_AC_FX_TPL(n) int W##n, int I##n, bool S##n, ac_q_mode Q##n, ac_o_mode O##n
#define NN2HLS_AC_FX(n) ac_fixed<W##n, I##n, S##n, Q##n, O##n>

template <int W, int I, bool S = true, ac_q_mode Q = AC_TRN, ac_o_mode O = AC_WRAP>
class ac_fixed {
  static_assert(W >= 1 && W <= 128,
                "nn2hls ac types support widths 1..128 only (an arithmetic result wider than 128 bits "
                "is not supported either)");
  static_assert(Q != AC_RND_CONV_ODD, "nn2hls ac_fixed: AC_RND_CONV_ODD is not supported");

 public:
  typedef typename nn2hls_ap::word<W>::type word_t;
  typedef typename nn2hls_ap::uword<word_t>::type uword_t;
  static const int width = W;
  static const int i_width = I;
  static const bool sign = S;
  static const ac_q_mode q_mode = Q;
  static const ac_o_mode o_mode = O;

  word_t V;  ///< internal: canonical two's-complement bits; value = V * 2^(I - W)

  ac_fixed() = default;
  constexpr ac_fixed(nn2hls_ac::raw_t, word_t v) : V(v) {}
  /// Conversions round with this type's Q mode and saturate or wrap with its O mode.
  template <NN2HLS_AC_FX_TPL(2)>
  constexpr ac_fixed(const NN2HLS_AC_FX(2) & o) : V(from_word<W2 - I2, S2>(o.V)) {}
  template <int W2, bool S2>
  constexpr ac_fixed(const ac_int<W2, S2>& o) : V(from_word<0, S2>(o.V)) {}
  template <class C, NN2HLS_AC_IF_C_INT(C)>
  constexpr ac_fixed(C x) : V(from_word<0, bool(nn2hls_ac::c_int<C>::s)>(nn2hls_ac::c_word(x))) {}
  NN2HLS_DBL_CONSTEXPR ac_fixed(double d) : V(nn2hls_ac::from_double<W, I, S, Q, O>(d)) {}

  /// Quantise a source word with F2 fraction bits and signedness S2 into this format.
  template <int F2, bool S2, class T2>
  static NN2HLS_INLINE constexpr word_t from_word(T2 v) {
    typedef typename nn2hls_ap::wider<word_t, T2>::type T;
    return word_t(nn2hls_ap::quantize<W, S, nn2hls_ac::q_mode(Q), nn2hls_ac::o_mode(O), T>(
        nn2hls_ap::widen<T, S2>(v), S2, (W - I) - F2));
  }

  // ---- conversions ----------------------------------------------------------------
  /// As AC: exact up to 64 bits, then the rounding of AC's 32-bit-chunk accumulation.
  constexpr double to_double() const { return nn2hls_ac::to_double<W, I, S>(V); }
  /// The integer part rounded toward minus infinity (as AC), low bits.
  constexpr int to_int() const { return int(uint32_t(nn2hls_ac::floor_bits<W, I, S>(V))); }
  constexpr unsigned to_uint() const { return unsigned(nn2hls_ac::floor_bits<W, I, S>(V)); }
  constexpr long to_long() const { return long(uint64_t(nn2hls_ac::floor_bits<W, I, S>(V))); }
  constexpr unsigned long to_ulong() const { return (unsigned long)(nn2hls_ac::floor_bits<W, I, S>(V)); }
  constexpr long long to_int64() const { return (long long)(uint64_t(nn2hls_ac::floor_bits<W, I, S>(V))); }
  constexpr unsigned long long to_uint64() const {
    return (unsigned long long)(nn2hls_ac::floor_bits<W, I, S>(V));
  }
  /// All integer bits (rounded toward minus infinity) as an ac_int<max(I, 1), S>.
  constexpr ac_int<nn2hls_ap::imax(I, 1), S> to_ac_int() const {
    typedef ac_int<nn2hls_ap::imax(I, 1), S> R;
    return R(nn2hls_ac::raw_t(), nn2hls_ap::canon<nn2hls_ap::imax(I, 1), S, typename R::word_t>(
                                     typename R::uword_t(nn2hls_ac::floor_bits<W, I, S>(V))));
  }
  constexpr int length() const { return W; }
  constexpr bool operator!() const { return V == 0; }

  /// Raw bits lsb .. lsb + WS - 1 as an ac_int<WS, S> (beyond the MSB: the sign, as AC).
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

  // ---- compound assignment: the exact result, converted back with Q and O -------------
  // (with AC_WRAP and no rounding, directly modulo 2^W: no wider intermediate type)
  template <int F2, bool S2, class T2>
  NN2HLS_INLINE ac_fixed& add_wrapped(T2 v, bool sub) {
    const uword_t b = nn2hls_ap::shl(uword_t(nn2hls_ap::widen<word_t, S2>(v)), (W - I) - F2);
    V = nn2hls_ap::canon<W, S, word_t>(sub ? uword_t(uword_t(V) - b) : uword_t(uword_t(V) + b));
    return *this;
  }
#define NN2HLS_AC_FX_ADDSUB(OP, NAME, SUB)                                                         \
  template <NN2HLS_AC_FX_TPL(2)>                                                                   \
  NN2HLS_INLINE ac_fixed& operator OP##=(const NN2HLS_AC_FX(2) & o) {                              \
    return NAME(o, std::integral_constant<bool, (O == AC_WRAP && W - I >= W2 - I2)>());            \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(2)>                                                                   \
  NN2HLS_INLINE ac_fixed& NAME(const NN2HLS_AC_FX(2) & o, std::true_type) {                        \
    return add_wrapped<W2 - I2, S2>(o.V, SUB);                                                     \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(2)>                                                                   \
  NN2HLS_INLINE ac_fixed& NAME(const NN2HLS_AC_FX(2) & o, std::false_type) {                       \
    return *this = ac_fixed(*this OP o);                                                           \
  }
  NN2HLS_AC_FX_ADDSUB(+, nn2hls_add_eq, false)
  NN2HLS_AC_FX_ADDSUB(-, nn2hls_sub_eq, true)
#undef NN2HLS_AC_FX_ADDSUB
  template <NN2HLS_AC_FX_TPL(2)>
  NN2HLS_INLINE ac_fixed& operator*=(const NN2HLS_AC_FX(2) & o) {
    return *this = ac_fixed(*this * o);
  }
#define NN2HLS_AC_FX_OPASSIGN_INT(OP)                                                              \
  template <int W2, bool S2>                                                                       \
  NN2HLS_INLINE ac_fixed& operator OP##=(const ac_int<W2, S2>& o) {                                \
    return operator OP##=(ac_fixed<W2, W2, S2>(nn2hls_ac::raw_t(), o.V));                          \
  }                                                                                                \
  template <class C, NN2HLS_AC_IF_C_INT(C)>                                                        \
  NN2HLS_INLINE ac_fixed& operator OP##=(C x) {                                                    \
    return operator OP##=(ac_fixed<nn2hls_ac::c_int<C>::w, nn2hls_ac::c_int<C>::w,                 \
                                   bool(nn2hls_ac::c_int<C>::s)>(nn2hls_ac::raw_t(), nn2hls_ac::c_word(x))); \
  }
  NN2HLS_AC_FX_OPASSIGN_INT(+)
  NN2HLS_AC_FX_OPASSIGN_INT(-)
  NN2HLS_AC_FX_OPASSIGN_INT(*)
#undef NN2HLS_AC_FX_OPASSIGN_INT

  // ---- unary ------------------------------------------------------------------------
  constexpr ac_fixed operator+() const { return *this; }
  /// -x is exact: ac_fixed<W + 1, I + 1, true> (as AC).
  constexpr ac_fixed<W + 1, I + 1, true> operator-() const {
    typedef typename ac_fixed<W + 1, I + 1, true>::word_t R;
    typedef typename nn2hls_ap::uword<R>::type U;
    return ac_fixed<W + 1, I + 1, true>(nn2hls_ac::raw_t(), R(U(0) - U(nn2hls_ap::widen<R, S>(V))));
  }
};

namespace nn2hls_ac {
/// The ac_fixed an ac_int or a C integer operand stands for (as AC: ac_fixed<W, W, S>).
template <int W, bool S>
constexpr ac_fixed<W, W, S> as_fixed(const ac_int<W, S>& x) {
  return ac_fixed<W, W, S>(raw_t(), x.V);
}
template <class C>
constexpr ac_fixed<c_int<C>::w, c_int<C>::w, bool(c_int<C>::s)> as_fixed(C x) {
  return ac_fixed<c_int<C>::w, c_int<C>::w, bool(c_int<C>::s)>(raw_t(), c_word(x));
}
}  // namespace nn2hls_ac

// ---- binary arithmetic: exact, result type as AC's ac_fixed::rt -------------------------------
#define NN2HLS_AC_FX_RET(KIND)                                                                     \
  ac_fixed<nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2>::KIND##_w,                                  \
           nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2>::KIND##_i,                                  \
           bool(nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2>::KIND##_s)>
#define NN2HLS_AC_FX_MIXED(OP)                                                                     \
  template <NN2HLS_AC_FX_TPL(1), int W2, bool S2>                                                  \
  NN2HLS_INLINE constexpr auto operator OP(const NN2HLS_AC_FX(1) & a, const ac_int<W2, S2>& b)     \
      ->decltype(a OP nn2hls_ac::as_fixed(b)) {                                                    \
    return a OP nn2hls_ac::as_fixed(b);                                                            \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(2), int W1, bool S1>                                                  \
  NN2HLS_INLINE constexpr auto operator OP(const ac_int<W1, S1>& a, const NN2HLS_AC_FX(2) & b)     \
      ->decltype(nn2hls_ac::as_fixed(a) OP b) {                                                    \
    return nn2hls_ac::as_fixed(a) OP b;                                                            \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(1), class C, NN2HLS_AC_IF_C_INT(C)>                                   \
  NN2HLS_INLINE constexpr auto operator OP(const NN2HLS_AC_FX(1) & a, C b)                         \
      ->decltype(a OP nn2hls_ac::as_fixed(b)) {                                                    \
    return a OP nn2hls_ac::as_fixed(b);                                                            \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(2), class C, NN2HLS_AC_IF_C_INT(C)>                                   \
  NN2HLS_INLINE constexpr auto operator OP(C a, const NN2HLS_AC_FX(2) & b)                         \
      ->decltype(nn2hls_ac::as_fixed(a) OP b) {                                                    \
    return nn2hls_ac::as_fixed(a) OP b;                                                            \
  }

template <NN2HLS_AC_FX_TPL(1), NN2HLS_AC_FX_TPL(2)>
NN2HLS_INLINE constexpr NN2HLS_AC_FX_RET(mult) operator*(const NN2HLS_AC_FX(1) & a, const NN2HLS_AC_FX(2) & b) {
  typedef typename NN2HLS_AC_FX_RET(mult)::word_t T;
  typedef typename nn2hls_ap::uword<T>::type U;
  return NN2HLS_AC_FX_RET(mult)(nn2hls_ac::raw_t(),
                                T(U(nn2hls_ap::widen<T, S1>(a.V)) * U(nn2hls_ap::widen<T, S2>(b.V))));
}
#define NN2HLS_AC_FX_ADD(OP, KIND)                                                                 \
  template <NN2HLS_AC_FX_TPL(1), NN2HLS_AC_FX_TPL(2)>                                              \
  NN2HLS_INLINE constexpr NN2HLS_AC_FX_RET(KIND)                                                   \
  operator OP(const NN2HLS_AC_FX(1) & a, const NN2HLS_AC_FX(2) & b) {                              \
    typedef nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2> R;                                         \
    typedef typename NN2HLS_AC_FX_RET(KIND)::word_t T;                                             \
    typedef typename nn2hls_ap::uword<T>::type U;                                                  \
    return NN2HLS_AC_FX_RET(KIND)(nn2hls_ac::raw_t(),                                              \
                                  T(nn2hls_ap::shl(U(nn2hls_ap::widen<T, S1>(a.V)), R::F - R::F1)  \
                                        OP nn2hls_ap::shl(U(nn2hls_ap::widen<T, S2>(b.V)), R::F - R::F2))); \
  }
NN2HLS_AC_FX_ADD(+, plus)
NN2HLS_AC_FX_ADD(-, minus)
NN2HLS_AC_FX_MIXED(*)
NN2HLS_AC_FX_MIXED(+)
NN2HLS_AC_FX_MIXED(-)
#undef NN2HLS_AC_FX_ADD
#undef NN2HLS_AC_FX_MIXED
#undef NN2HLS_AC_FX_RET

// ---- comparisons: exact, any two formats (signed vs unsigned included) ------------------------
#define NN2HLS_AC_FX_CMP(OP)                                                                       \
  template <NN2HLS_AC_FX_TPL(1), NN2HLS_AC_FX_TPL(2)>                                              \
  NN2HLS_INLINE constexpr bool operator OP(const NN2HLS_AC_FX(1) & a, const NN2HLS_AC_FX(2) & b) { \
    return nn2hls_ac::cmp<W1, W1 - I1, S1, W2, W2 - I2, S2>(a.V, b.V) OP 0;                        \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(1), int W2, bool S2>                                                  \
  NN2HLS_INLINE constexpr bool operator OP(const NN2HLS_AC_FX(1) & a, const ac_int<W2, S2>& b) {   \
    return nn2hls_ac::cmp<W1, W1 - I1, S1, W2, 0, S2>(a.V, b.V) OP 0;                              \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(2), int W1, bool S1>                                                  \
  NN2HLS_INLINE constexpr bool operator OP(const ac_int<W1, S1>& a, const NN2HLS_AC_FX(2) & b) {   \
    return nn2hls_ac::cmp<W1, 0, S1, W2, W2 - I2, S2>(a.V, b.V) OP 0;                              \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(1), class C, NN2HLS_AC_IF_C_INT(C)>                                   \
  NN2HLS_INLINE constexpr bool operator OP(const NN2HLS_AC_FX(1) & a, C b) {                       \
    return nn2hls_ac::cmp<W1, W1 - I1, S1, nn2hls_ac::c_int<C>::w, 0, bool(nn2hls_ac::c_int<C>::s)>( \
               a.V, nn2hls_ac::c_word(b)) OP 0;                                                    \
  }                                                                                                \
  template <NN2HLS_AC_FX_TPL(2), class C, NN2HLS_AC_IF_C_INT(C)>                                   \
  NN2HLS_INLINE constexpr bool operator OP(C a, const NN2HLS_AC_FX(2) & b) {                       \
    return nn2hls_ac::cmp<nn2hls_ac::c_int<C>::w, 0, bool(nn2hls_ac::c_int<C>::s), W2, W2 - I2, S2>( \
               nn2hls_ac::c_word(a), b.V) OP 0;                                                    \
  }
NN2HLS_AC_FX_CMP(==)
NN2HLS_AC_FX_CMP(!=)
NN2HLS_AC_FX_CMP(<)
NN2HLS_AC_FX_CMP(>)
NN2HLS_AC_FX_CMP(<=)
NN2HLS_AC_FX_CMP(>=)
#undef NN2HLS_AC_FX_CMP

#undef NN2HLS_AC_FX_TPL
#undef NN2HLS_AC_FX

#endif  // NN2HLS_AC_FIXED_H
