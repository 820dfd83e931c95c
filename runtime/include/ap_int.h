// ap_int.h -- nn2hls implementation of ap_int<W> / ap_uint<W> (1 <= W <= 128).
//
// Drop-in for the subset of Xilinx's ap_int.h that nn2hls emits, bit-compatible
// with Xilinx's C-simulation model (see nn2hls_ap_base.h and
// tests/test_ap_types.py).  Like Xilinx's header, this one also makes
// ap_fixed / ap_ufixed available.
#ifndef NN2HLS_AP_INT_H
#define NN2HLS_AP_INT_H

#include "nn2hls_ap_base.h"

/// Integer of W bits, signed if S.  Arithmetic is exact (the result type is
/// wide enough), assignment and compound assignment wrap modulo 2^W.
template <int W, bool S>
struct ap_int_base {
  static_assert(W >= 1 && W <= 128,
                "nn2hls ap types support widths 1..128 only (an arithmetic result wider than "
                "128 bits is not supported either)");
  typedef typename nn2hls_ap::word<W>::type word_t;
  typedef typename nn2hls_ap::uword<word_t>::type uword_t;
  /// Type of the implicit conversion to a C integer (as Xilinx: 64-bit).
  typedef typename std::conditional<S, ap_slong, ap_ulong>::type RetType;
  static const int width = W;

  word_t V;  ///< canonical two's-complement bits

  ap_int_base() = default;
  constexpr ap_int_base(nn2hls_ap::raw_t, word_t v) : V(v) {}
  /// From C integers: modulo 2^W.
  template <class C, NN2HLS_IF_C_INT(C)>
  constexpr ap_int_base(C x) : V(nn2hls_ap::canon<W, S, word_t>(uword_t(typename nn2hls_ap::c_int<C>::type(x)))) {}
  /// From floating point: truncation toward zero, modulo 2^W (with Xilinx's
  /// quirk: negative values above -0.25 give 1).
  NN2HLS_DBL_CONSTEXPR ap_int_base(double x) : V(nn2hls_ap::int_from_double<W, S>(x)) {}
  NN2HLS_DBL_CONSTEXPR ap_int_base(float x) : V(nn2hls_ap::int_from_double<W, S>(x)) {}
  template <int W2, bool S2>
  constexpr ap_int_base(const ap_int_base<W2, S2>& o)
      : V(nn2hls_ap::canon<W, S, word_t>(uword_t(nn2hls_ap::widen<word_t, S2>(o.V)))) {}
  /// From fixed point: the integer part truncated toward zero (as Xilinx), modulo 2^W.
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  constexpr ap_int_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o)
      : V(nn2hls_ap::canon<W, S, word_t>(o.template int_bits<uword_t>())) {}

  // ---- conversions -------------------------------------------------------
  constexpr operator RetType() const { return RetType(V); }
  constexpr bool to_bool() const { return V != 0; }
  constexpr char to_char() const { return char(V); }
  constexpr int to_int() const { return int(V); }
  constexpr unsigned to_uint() const { return unsigned(V); }
  constexpr long to_long() const { return long(V); }
  constexpr unsigned long to_ulong() const { return (unsigned long)(V); }
  constexpr ap_slong to_int64() const { return ap_slong(V); }
  constexpr ap_ulong to_uint64() const { return ap_ulong(V); }
  /// Exact (round-to-nearest) for W <= 64; like Xilinx, wider values are
  /// first truncated to their low 64 bits.
  constexpr double to_double() const { return S ? double(int64_t(V)) : double(uint64_t(V)); }
  constexpr float to_float() const { return S ? float(int64_t(V)) : float(uint64_t(V)); }
  constexpr int length() const { return W; }
  constexpr bool iszero() const { return V == 0; }
  constexpr bool is_zero() const { return V == 0; }
  constexpr bool sign() const { return S && V < 0; }
  constexpr bool operator!() const { return V == 0; }

  // ---- bit access (read only) ---------------------------------------------
  /// Bits hi..lo (hi >= lo) as an unsigned number.
  constexpr ap_uint<W> range(int hi, int lo) const {
    return ap_uint<W>(nn2hls_ap::raw_t(),
                      word_t(nn2hls_ap::lshr(uword_t(V), lo) & nn2hls_ap::ones<uword_t>(hi - lo + 1)));
  }
  constexpr ap_uint<W> range() const { return ap_uint<W>(nn2hls_ap::raw_t(), word_t(V)); }
  constexpr ap_uint<W> operator()(int hi, int lo) const { return range(hi, lo); }
  constexpr bool operator[](int i) const { return (uword_t(V) >> i) & 1; }
  constexpr bool get_bit(int i) const { return (uword_t(V) >> i) & 1; }
  constexpr bool test(int i) const { return (uword_t(V) >> i) & 1; }

  // ---- compound assignment: modulo 2^W ------------------------------------
#define NN2HLS_INT_OPASSIGN(OP)                                                          \
  template <int W2, bool S2>                                                             \
  NN2HLS_INLINE ap_int_base& operator OP##=(const ap_int_base<W2, S2>& o) {              \
    V = nn2hls_ap::canon<W, S, word_t>(uword_t(V) OP uword_t(nn2hls_ap::widen<word_t, S2>(o.V))); \
    return *this;                                                                        \
  }                                                                                      \
  template <class C, NN2HLS_IF_C_INT(C)>                                                 \
  NN2HLS_INLINE ap_int_base& operator OP##=(C x) {                                       \
    return operator OP##=(ap_int_base<nn2hls_ap::c_int<C>::w, bool(nn2hls_ap::c_int<C>::s)>(x)); \
  }                                                                                      \
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>                 \
  NN2HLS_INLINE ap_int_base& operator OP##=(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) { \
    return operator OP##=(ap_int_base<nn2hls_ap::imax(I2, 1), S2>(o));                   \
  }
  NN2HLS_INT_OPASSIGN(+)
  NN2HLS_INT_OPASSIGN(-)
  NN2HLS_INT_OPASSIGN(*)
  NN2HLS_INT_OPASSIGN(&)
  NN2HLS_INT_OPASSIGN(|)
  NN2HLS_INT_OPASSIGN(^)
#undef NN2HLS_INT_OPASSIGN
  /// Shifts keep the type; a negative count shifts the other way (as Xilinx).
  NN2HLS_INLINE ap_int_base& operator<<=(int n) { return *this = shifted(n); }
  NN2HLS_INLINE ap_int_base& operator>>=(int n) { return *this = shifted(-n); }
  constexpr ap_int_base shifted(int n) const {  // n > 0: left, n < 0: arithmetic/logical right
    return ap_int_base(nn2hls_ap::raw_t(),
                       n >= 0 ? nn2hls_ap::canon<W, S, word_t>(nn2hls_ap::shl(uword_t(V), n))
                              : (S ? nn2hls_ap::ashr(V, -n) : word_t(nn2hls_ap::lshr(uword_t(V), -n))));
  }
  constexpr typename nn2hls_ap::int_t<W, S>::type operator~() const {
    return typename nn2hls_ap::int_t<W, S>::type(nn2hls_ap::raw_t(), nn2hls_ap::canon<W, S, word_t>(~uword_t(V)));
  }

  NN2HLS_INLINE ap_int_base& operator++() { return *this += ap_int_base<1, false>(1); }
  NN2HLS_INLINE ap_int_base& operator--() { return *this -= ap_int_base<1, false>(1); }
  NN2HLS_INLINE typename nn2hls_ap::int_t<W, S>::type operator++(int) {
    const typename nn2hls_ap::int_t<W, S>::type t(*this);
    ++*this;
    return t;
  }
  NN2HLS_INLINE typename nn2hls_ap::int_t<W, S>::type operator--(int) {
    const typename nn2hls_ap::int_t<W, S>::type t(*this);
    --*this;
    return t;
  }

  // ---- unary ----------------------------------------------------------------
  constexpr typename nn2hls_ap::int_t<W, S>::type operator+() const {
    return typename nn2hls_ap::int_t<W, S>::type(nn2hls_ap::raw_t(), V);
  }
  /// -x has type ap_int<max(W, 1 + S) + 1>, as in Xilinx (0 - x).
  constexpr ap_int<nn2hls_ap::imax(W, 1 + S) + 1> operator-() const {
    typedef typename nn2hls_ap::word<nn2hls_ap::imax(W, 1 + S) + 1>::type R;
    return ap_int<nn2hls_ap::imax(W, 1 + S) + 1>(
        nn2hls_ap::raw_t(), R(typename nn2hls_ap::uword<R>::type(0) -
                              typename nn2hls_ap::uword<R>::type(nn2hls_ap::widen<R, S>(V))));
  }
};

template <int W>
struct ap_int : ap_int_base<W, true> {
  typedef ap_int_base<W, true> Base;
  using Base::Base;
  ap_int() = default;
  constexpr ap_int(const Base& b) : Base(b) {}
};

template <int W>
struct ap_uint : ap_int_base<W, false> {
  typedef ap_int_base<W, false> Base;
  using Base::Base;
  ap_uint() = default;
  constexpr ap_uint(const Base& b) : Base(b) {}
};

// ---- binary arithmetic: exact, result type as Xilinx's RType ------------------
#define NN2HLS_INT_BINOP(OP, KIND)                                                        \
  template <int W1, bool S1, int W2, bool S2>                                             \
  NN2HLS_INLINE constexpr typename nn2hls_ap::int_t<nn2hls_ap::int_rtype<W1, S1, W2, S2>::KIND##_w, \
                                                    nn2hls_ap::int_rtype<W1, S1, W2, S2>::KIND##_s>::type \
  operator OP(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {               \
    typedef nn2hls_ap::int_rtype<W1, S1, W2, S2> R;                                       \
    typedef typename nn2hls_ap::word<R::KIND##_w>::type T;                                \
    typedef typename nn2hls_ap::uword<T>::type U;                                         \
    return typename nn2hls_ap::int_t<R::KIND##_w, R::KIND##_s>::type(                     \
        nn2hls_ap::raw_t(), T(U(nn2hls_ap::widen<T, S1>(a.V)) OP U(nn2hls_ap::widen<T, S2>(b.V)))); \
  }                                                                                       \
  template <int W1, bool S1, class C, NN2HLS_IF_C_INT(C)>                                 \
  NN2HLS_INLINE constexpr auto operator OP(const ap_int_base<W1, S1>& a, C b)             \
      -> decltype(a OP ap_int_base<nn2hls_ap::c_int<C>::w, bool(nn2hls_ap::c_int<C>::s)>(b)) { \
    return a OP ap_int_base<nn2hls_ap::c_int<C>::w, bool(nn2hls_ap::c_int<C>::s)>(b);    \
  }                                                                                       \
  template <int W2, bool S2, class C, NN2HLS_IF_C_INT(C)>                                 \
  NN2HLS_INLINE constexpr auto operator OP(C a, const ap_int_base<W2, S2>& b)             \
      -> decltype(ap_int_base<nn2hls_ap::c_int<C>::w, bool(nn2hls_ap::c_int<C>::s)>(a) OP b) { \
    return ap_int_base<nn2hls_ap::c_int<C>::w, bool(nn2hls_ap::c_int<C>::s)>(a) OP b;    \
  }
NN2HLS_INT_BINOP(+, plus)
NN2HLS_INT_BINOP(-, minus)
NN2HLS_INT_BINOP(*, mult)
NN2HLS_INT_BINOP(&, logic)
NN2HLS_INT_BINOP(|, logic)
NN2HLS_INT_BINOP(^, logic)
#undef NN2HLS_INT_BINOP

/// x << n, x >> n: same type as x (bits shifted out are lost), as Xilinx.
template <int W1, bool S1, class C, NN2HLS_IF_C_INT(C)>
NN2HLS_INLINE constexpr typename nn2hls_ap::int_t<W1, S1>::type operator<<(const ap_int_base<W1, S1>& a, C n) {
  return typename nn2hls_ap::int_t<W1, S1>::type(a.shifted(int(n)));
}
template <int W1, bool S1, class C, NN2HLS_IF_C_INT(C)>
NN2HLS_INLINE constexpr typename nn2hls_ap::int_t<W1, S1>::type operator>>(const ap_int_base<W1, S1>& a, C n) {
  return typename nn2hls_ap::int_t<W1, S1>::type(a.shifted(-int(n)));
}
template <int W1, bool S1, int W2, bool S2>
NN2HLS_INLINE constexpr typename nn2hls_ap::int_t<W1, S1>::type operator<<(const ap_int_base<W1, S1>& a,
                                                                          const ap_int_base<W2, S2>& n) {
  return a << n.to_int64();
}
template <int W1, bool S1, int W2, bool S2>
NN2HLS_INLINE constexpr typename nn2hls_ap::int_t<W1, S1>::type operator>>(const ap_int_base<W1, S1>& a,
                                                                          const ap_int_base<W2, S2>& n) {
  return a >> n.to_int64();
}

// ---- comparisons (Xilinx semantics, see nn2hls_ap::cmp_impl) -----------------
#define NN2HLS_INT_CMP(OP, EXPR)                                                           \
  template <int W1, bool S1, int W2, bool S2>                                              \
  NN2HLS_INLINE constexpr bool operator OP(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) { \
    typedef nn2hls_ap::cmp_impl<W1, 0, S1, W2, 0, S2, W1, W2> K;                           \
    return EXPR;                                                                           \
  }                                                                                        \
  template <int W1, bool S1, class C, NN2HLS_IF_C_INT(C)>                                  \
  NN2HLS_INLINE constexpr bool operator OP(const ap_int_base<W1, S1>& a, C b) {             \
    return a OP ap_int_base<nn2hls_ap::c_int<C>::w, bool(nn2hls_ap::c_int<C>::s)>(b);     \
  }                                                                                        \
  template <int W2, bool S2, class C, NN2HLS_IF_C_INT(C)>                                  \
  NN2HLS_INLINE constexpr bool operator OP(C a, const ap_int_base<W2, S2>& b) {            \
    return ap_int_base<nn2hls_ap::c_int<C>::w, bool(nn2hls_ap::c_int<C>::s)>(a) OP b;     \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  NN2HLS_INLINE constexpr bool operator OP(const ap_int_base<W1, S1>& a, double b) {       \
    return a.to_double() OP b;                                                             \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  NN2HLS_INLINE constexpr bool operator OP(double a, const ap_int_base<W1, S1>& b) {       \
    return a OP b.to_double();                                                             \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  NN2HLS_INLINE constexpr bool operator OP(const ap_int_base<W1, S1>& a, float b) {        \
    return a.to_double() OP b;                                                             \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  NN2HLS_INLINE constexpr bool operator OP(float a, const ap_int_base<W1, S1>& b) {        \
    return a OP b.to_double();                                                             \
  }
NN2HLS_INT_CMP(==, K::eq(a.V, b.V))
NN2HLS_INT_CMP(!=, !K::eq(a.V, b.V))
NN2HLS_INT_CMP(<, K::lt(a.V, b.V))
NN2HLS_INT_CMP(>, K::gt(a.V, b.V))
NN2HLS_INT_CMP(<=, !K::gt(a.V, b.V))
NN2HLS_INT_CMP(>=, !K::lt(a.V, b.V))
#undef NN2HLS_INT_CMP

#include "ap_fixed.h"

#endif  // NN2HLS_AP_INT_H
