// ap_fixed.h -- nn2hls implementation of ap_fixed / ap_ufixed (1 <= W <= 128).
//
// ap_fixed<W, I, Q = AP_TRN, O = AP_WRAP, N = 0>: W bits, I of them integer
// bits (I may be negative or larger than W), value = bits * 2^(I - W).
// Drop-in for the subset of Xilinx's ap_fixed.h that nn2hls emits and
// bit-compatible with Xilinx's C-simulation model; see nn2hls_ap_base.h.
#ifndef NN2HLS_AP_FIXED_H
#define NN2HLS_AP_FIXED_H

#include "ap_int.h"

#define NN2HLS_FX_TPL(n) int W##n, int I##n, bool S##n, ap_q_mode Q##n, ap_o_mode O##n, int N##n
#define NN2HLS_FX(n) ap_fixed_base<W##n, I##n, S##n, Q##n, O##n, N##n>

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base {
  static_assert(W >= 1 && W <= 128,
                "nn2hls ap types support widths 1..128 only (an arithmetic result wider than "
                "128 bits is not supported either)");
  static_assert(O != AP_WRAP_SM, "nn2hls ap_fixed: AP_WRAP_SM is not supported");
  static_assert(N == 0, "nn2hls ap_fixed: saturation bit count N must be 0");
  typedef typename nn2hls_ap::word<W>::type word_t;
  typedef typename nn2hls_ap::uword<word_t>::type uword_t;
  static const int width = W;
  static const int iwidth = I;
  static const ap_q_mode qmode = Q;
  static const ap_o_mode omode = O;

  word_t V;  ///< canonical two's-complement bits; value = V * 2^-(W - I)

  ap_fixed_base() = default;
  constexpr ap_fixed_base(nn2hls_ap::raw_t, word_t v) : V(v) {}
  /// Conversions round with this type's Q mode and saturate/wrap with its O mode.
  template <NN2HLS_FX_TPL(2)>
  constexpr ap_fixed_base(const NN2HLS_FX(2)& o) : V(from_word<W2 - I2, S2>(o.V)) {}
  template <int W2, bool S2>
  constexpr ap_fixed_base(const ap_int_base<W2, S2>& o) : V(from_word<0, S2>(o.V)) {}
  template <class C, NN2HLS_IF_C_INT(C)>
  constexpr ap_fixed_base(C x) : V(from_word<0, bool(nn2hls_ap::c_int<C>::s)>(nn2hls_ap::c_word(x))) {}
  NN2HLS_DBL_CONSTEXPR ap_fixed_base(double x) : V(nn2hls_ap::from_double<W, W - I, S, Q, O>(x)) {}
  NN2HLS_DBL_CONSTEXPR ap_fixed_base(float x) : V(nn2hls_ap::from_double<W, W - I, S, Q, O>(x)) {}

  /// Quantise a source word with F2 fraction bits and signedness S2 into this format.
  template <int F2, bool S2, class T2>
  static NN2HLS_INLINE constexpr word_t from_word(T2 v) {
    typedef typename nn2hls_ap::wider<word_t, T2>::type T;
    return word_t(nn2hls_ap::quantize<W, S, Q, O, T>(nn2hls_ap::widen<T, S2>(v), S2, (W - I) - F2));
  }

  /// Integer part truncated toward zero, as low bits in the unsigned word U,
  /// like Xilinx's to_ap_int_base() -- including its quirk that for I == 0 a
  /// negative value gives -1.  (For I < 0 Xilinx reads an uninitialised word;
  /// we behave as for I == 0.)
  template <class U>
  constexpr U int_bits() const {
    typedef typename nn2hls_ap::wider<word_t, typename nn2hls_ap::sword<U>::type>::type T;
    return I <= 0 ? U((S && V < 0) ? ~U(0) : U(0))
           : W - I <= 0
               ? nn2hls_ap::shl(U(nn2hls_ap::widen<T, S>(V)), I - W)
               : U(nn2hls_ap::widen<T, S>(word_t(
                     (S ? uword_t(nn2hls_ap::ashr(V, W - I)) : nn2hls_ap::lshr(uword_t(V), W - I)) +
                     uword_t(S && V < 0 && (uword_t(V) & nn2hls_ap::ones<uword_t>(W - I)) != 0))));
  }

  // ---- conversions -------------------------------------------------------
  /// Correctly rounded (to nearest even), as Xilinx.
  constexpr double to_double() const {
    return (S ? double(V) : double(uword_t(V))) * nn2hls_ap::p2<I - W>::value;
  }
  constexpr float to_float() const {
    return float(double(S ? float(V) : float(uword_t(V))) * nn2hls_ap::p2<I - W>::value);
  }
  constexpr int to_int() const { return int(int_bits<uint64_t>()); }
  constexpr unsigned to_uint() const { return unsigned(int_bits<uint64_t>()); }
  constexpr long to_long() const { return long(int_bits<uint64_t>()); }
  constexpr unsigned long to_ulong() const { return (unsigned long)(int_bits<uint64_t>()); }
  constexpr ap_slong to_int64() const { return ap_slong(int_bits<uint64_t>()); }
  constexpr ap_ulong to_uint64() const { return ap_ulong(int_bits<uint64_t>()); }
  constexpr char to_char() const { return char(to_int()); }
  constexpr operator double() const { return to_double(); }
  constexpr operator float() const { return to_float(); }
  constexpr operator long double() const { return to_double(); }
  constexpr operator bool() const { return V != 0; }
  constexpr operator char() const { return char(to_int()); }
  constexpr operator signed char() const { return (signed char)(to_int()); }
  constexpr operator unsigned char() const { return (unsigned char)(to_uint()); }
  constexpr operator short() const { return short(to_int()); }
  constexpr operator unsigned short() const { return (unsigned short)(to_uint()); }
  constexpr operator int() const { return to_int(); }
  constexpr operator unsigned() const { return to_uint(); }
  constexpr operator long() const { return long(to_int64()); }
  constexpr operator unsigned long() const { return (unsigned long)(to_uint64()); }
  constexpr operator long long() const { return to_int64(); }
  constexpr operator unsigned long long() const { return to_uint64(); }
  constexpr int length() const { return W; }
  constexpr bool is_zero() const { return V == 0; }
  constexpr bool is_neg() const { return S && V < 0; }
  constexpr bool operator!() const { return V == 0; }

  // ---- bit access (read only) ---------------------------------------------
  /// Bits hi..lo (hi >= lo) of the raw pattern, as an unsigned number.
  constexpr ap_uint<W> range(int hi, int lo) const {
    return ap_uint<W>(nn2hls_ap::raw_t(),
                      word_t(nn2hls_ap::lshr(uword_t(V), lo) & nn2hls_ap::ones<uword_t>(hi - lo + 1)));
  }
  constexpr ap_uint<W> range() const { return ap_uint<W>(nn2hls_ap::raw_t(), V); }
  constexpr ap_uint<W> operator()(int hi, int lo) const { return range(hi, lo); }
  constexpr bool operator[](int i) const { return (uword_t(V) >> i) & 1; }
  constexpr bool get_bit(int i) const { return (uword_t(V) >> (i + W - I)) & 1; }  // i: bit weight 2^i

  // ---- compound assignment: exact result, converted back with Q/O ----------
  // Fast path for += and -= without rounding or saturation: wrap-around
  // arithmetic directly in our own word.
  template <int F2, bool S2, class T2>
  NN2HLS_INLINE ap_fixed_base& add_wrapped(T2 v, bool sub) {
    const uword_t b = nn2hls_ap::shl(uword_t(nn2hls_ap::widen<word_t, S2>(v)), (W - I) - F2);
    V = nn2hls_ap::canon<W, S, word_t>(sub ? uword_t(uword_t(V) - b) : uword_t(uword_t(V) + b));
    return *this;
  }
#define NN2HLS_FX_ADDSUB(OP, NAME, SUB)                                                  \
  template <NN2HLS_FX_TPL(2)>                                                            \
  NN2HLS_INLINE ap_fixed_base& operator OP##=(const NN2HLS_FX(2)& o) {                   \
    return NAME(o, std::integral_constant<bool, (O == AP_WRAP && W - I >= W2 - I2)>());  \
  }                                                                                      \
  template <NN2HLS_FX_TPL(2)>                                                            \
  NN2HLS_INLINE ap_fixed_base& NAME(const NN2HLS_FX(2)& o, std::true_type) {             \
    return add_wrapped<W2 - I2, S2>(o.V, SUB);                                           \
  }                                                                                      \
  template <NN2HLS_FX_TPL(2)>                                                            \
  NN2HLS_INLINE ap_fixed_base& NAME(const NN2HLS_FX(2)& o, std::false_type) {            \
    return *this = ap_fixed_base(*this OP o);                                            \
  }
  NN2HLS_FX_ADDSUB(+, nn2hls_add_eq, false)
  NN2HLS_FX_ADDSUB(-, nn2hls_sub_eq, true)
#undef NN2HLS_FX_ADDSUB
  template <NN2HLS_FX_TPL(2)>
  NN2HLS_INLINE ap_fixed_base& operator*=(const NN2HLS_FX(2)& o) {
    return *this = ap_fixed_base(*this * o);
  }
#define NN2HLS_FX_OPASSIGN_INT(OP)                                                       \
  template <int W2, bool S2>                                                             \
  NN2HLS_INLINE ap_fixed_base& operator OP##=(const ap_int_base<W2, S2>& o) {            \
    return operator OP##=(ap_fixed_base<W2, W2, S2>(nn2hls_ap::raw_t(), o.V));           \
  }                                                                                      \
  template <class C, NN2HLS_IF_C_INT(C)>                                                 \
  NN2HLS_INLINE ap_fixed_base& operator OP##=(C x) {                                     \
    return operator OP##=(ap_fixed_base<nn2hls_ap::c_int<C>::w, nn2hls_ap::c_int<C>::w,  \
                                        bool(nn2hls_ap::c_int<C>::s)>(nn2hls_ap::raw_t(), nn2hls_ap::c_word(x))); \
  }
  NN2HLS_FX_OPASSIGN_INT(+)
  NN2HLS_FX_OPASSIGN_INT(-)
  NN2HLS_FX_OPASSIGN_INT(*)
#undef NN2HLS_FX_OPASSIGN_INT
  /// Shifts move the bits and keep the type (no rounding or saturation, as
  /// Xilinx); a negative count shifts the other way.
  constexpr ap_fixed_base shifted(int n) const {
    return ap_fixed_base(nn2hls_ap::raw_t(),
                         n >= 0 ? nn2hls_ap::canon<W, S, word_t>(nn2hls_ap::shl(uword_t(V), n))
                                : (S ? nn2hls_ap::ashr(V, -n) : word_t(nn2hls_ap::lshr(uword_t(V), -n))));
  }
  constexpr ap_fixed_base operator<<(int n) const { return shifted(n); }
  constexpr ap_fixed_base operator>>(int n) const { return shifted(-n); }
  NN2HLS_INLINE ap_fixed_base& operator<<=(int n) { return *this = shifted(n); }
  NN2HLS_INLINE ap_fixed_base& operator>>=(int n) { return *this = shifted(-n); }
  NN2HLS_INLINE ap_fixed_base& operator++() { return *this += ap_fixed_base<1, 1, false>(nn2hls_ap::raw_t(), 1); }
  NN2HLS_INLINE ap_fixed_base& operator--() { return *this -= ap_fixed_base<1, 1, false>(nn2hls_ap::raw_t(), 1); }
  NN2HLS_INLINE ap_fixed_base operator++(int) { ap_fixed_base t = *this; ++*this; return t; }
  NN2HLS_INLINE ap_fixed_base operator--(int) { ap_fixed_base t = *this; --*this; return t; }

  // ---- unary ----------------------------------------------------------------
  constexpr ap_fixed_base operator+() const { return *this; }
  /// -x is exact: ap_fixed<W + 1, I + 1> (as Xilinx).
  constexpr ap_fixed<W + 1, I + 1> operator-() const {
    typedef typename nn2hls_ap::word<W + 1>::type R;
    typedef typename nn2hls_ap::uword<R>::type U;
    return ap_fixed<W + 1, I + 1>(nn2hls_ap::raw_t(), R(U(0) - U(nn2hls_ap::widen<R, S>(V))));
  }
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed : ap_fixed_base<W, I, true, Q, O, N> {
  typedef ap_fixed_base<W, I, true, Q, O, N> Base;
  using Base::Base;
  ap_fixed() = default;
  constexpr ap_fixed(const Base& b) : Base(b) {}
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_ufixed : ap_fixed_base<W, I, false, Q, O, N> {
  typedef ap_fixed_base<W, I, false, Q, O, N> Base;
  using Base::Base;
  ap_ufixed() = default;
  constexpr ap_ufixed(const Base& b) : Base(b) {}
};

namespace nn2hls_ap {
/// An ap_[u]int or C integer seen as the equivalent ap_fixed_base<W, W, S>.
template <int W, bool S>
constexpr ap_fixed_base<W, W, S> as_fixed(const ap_int_base<W, S>& x) { return ap_fixed_base<W, W, S>(raw_t(), x.V); }
template <class C>
constexpr ap_fixed_base<c_int<C>::w, c_int<C>::w, bool(c_int<C>::s)> as_fixed(C x) {
  return ap_fixed_base<c_int<C>::w, c_int<C>::w, bool(c_int<C>::s)>(raw_t(), c_word(x));
}
/// Xilinx aligns the operands of a comparison before comparing their bits;
/// the aligned widths select the ap_private comparison rules (see cmp_impl).
template <int W1, int I1, bool S1, int W2, int I2, bool S2>
struct fx_cmp {
  enum {
    F1 = W1 - I1, F2 = W2 - I2,
    WA = F1 >= F2 ? W1 : imax(W1 + F2 - F1 + 1, 1),
    WB = F1 <= F2 ? W2 : imax(W2 + F1 - F2, 1)
  };
  typedef cmp_impl<W1, F1, S1, W2, F2, S2, WA, WB> K;
};
}  // namespace nn2hls_ap

// ---- binary arithmetic: exact, result type as Xilinx's RType ------------------
#define NN2HLS_FX_RET(KIND)                                                              \
  typename nn2hls_ap::fx_t<nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2>::KIND##_w,         \
                           nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2>::KIND##_i,         \
                           nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2>::KIND##_s>::type
#define NN2HLS_FX_MIXED(OP)                                                              \
  template <NN2HLS_FX_TPL(1), int W2, bool S2>                                           \
  NN2HLS_INLINE constexpr auto operator OP(const NN2HLS_FX(1)& a, const ap_int_base<W2, S2>& b) \
      -> decltype(a OP nn2hls_ap::as_fixed(b)) { return a OP nn2hls_ap::as_fixed(b); }   \
  template <NN2HLS_FX_TPL(2), int W1, bool S1>                                           \
  NN2HLS_INLINE constexpr auto operator OP(const ap_int_base<W1, S1>& a, const NN2HLS_FX(2)& b) \
      -> decltype(nn2hls_ap::as_fixed(a) OP b) { return nn2hls_ap::as_fixed(a) OP b; }   \
  template <NN2HLS_FX_TPL(1), class C, NN2HLS_IF_C_INT(C)>                               \
  NN2HLS_INLINE constexpr auto operator OP(const NN2HLS_FX(1)& a, C b)                   \
      -> decltype(a OP nn2hls_ap::as_fixed(b)) { return a OP nn2hls_ap::as_fixed(b); }   \
  template <NN2HLS_FX_TPL(2), class C, NN2HLS_IF_C_INT(C)>                               \
  NN2HLS_INLINE constexpr auto operator OP(C a, const NN2HLS_FX(2)& b)                   \
      -> decltype(nn2hls_ap::as_fixed(a) OP b) { return nn2hls_ap::as_fixed(a) OP b; }

template <NN2HLS_FX_TPL(1), NN2HLS_FX_TPL(2)>
NN2HLS_INLINE constexpr NN2HLS_FX_RET(mult) operator*(const NN2HLS_FX(1)& a, const NN2HLS_FX(2)& b) {
  typedef nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2> R;
  typedef typename nn2hls_ap::word<R::mult_w>::type T;
  typedef typename nn2hls_ap::uword<T>::type U;
  return NN2HLS_FX_RET(mult)(nn2hls_ap::raw_t(),
                             T(U(nn2hls_ap::widen<T, S1>(a.V)) * U(nn2hls_ap::widen<T, S2>(b.V))));
}
#define NN2HLS_FX_ADD(OP, KIND)                                                          \
  template <NN2HLS_FX_TPL(1), NN2HLS_FX_TPL(2)>                                          \
  NN2HLS_INLINE constexpr NN2HLS_FX_RET(KIND) operator OP(const NN2HLS_FX(1)& a, const NN2HLS_FX(2)& b) { \
    typedef nn2hls_ap::fx_rtype<W1, I1, S1, W2, I2, S2> R;                               \
    typedef typename nn2hls_ap::word<R::KIND##_w>::type T;                               \
    typedef typename nn2hls_ap::uword<T>::type U;                                        \
    return NN2HLS_FX_RET(KIND)(nn2hls_ap::raw_t(),                                       \
                               T(nn2hls_ap::shl(U(nn2hls_ap::widen<T, S1>(a.V)), R::F - R::F1) OP \
                                 nn2hls_ap::shl(U(nn2hls_ap::widen<T, S2>(b.V)), R::F - R::F2))); \
  }
NN2HLS_FX_ADD(+, plus)
NN2HLS_FX_ADD(-, minus)
NN2HLS_FX_MIXED(*)
NN2HLS_FX_MIXED(+)
NN2HLS_FX_MIXED(-)
#undef NN2HLS_FX_ADD
#undef NN2HLS_FX_MIXED
#undef NN2HLS_FX_RET

// ---- comparisons (Xilinx semantics, see nn2hls_ap::cmp_impl) -----------------
#define NN2HLS_FX_CMP(OP, EXPR)                                                          \
  template <NN2HLS_FX_TPL(1), NN2HLS_FX_TPL(2)>                                          \
  NN2HLS_INLINE constexpr bool operator OP(const NN2HLS_FX(1)& a, const NN2HLS_FX(2)& b) { \
    typedef typename nn2hls_ap::fx_cmp<W1, I1, S1, W2, I2, S2>::K K;                     \
    return EXPR;                                                                         \
  }                                                                                      \
  template <NN2HLS_FX_TPL(1), int W2, bool S2>                                           \
  NN2HLS_INLINE constexpr bool operator OP(const NN2HLS_FX(1)& a, const ap_int_base<W2, S2>& b) { \
    return a OP nn2hls_ap::as_fixed(b);                                                  \
  }                                                                                      \
  template <NN2HLS_FX_TPL(2), int W1, bool S1>                                           \
  NN2HLS_INLINE constexpr bool operator OP(const ap_int_base<W1, S1>& a, const NN2HLS_FX(2)& b) { \
    return nn2hls_ap::as_fixed(a) OP b;                                                  \
  }                                                                                      \
  template <NN2HLS_FX_TPL(1), class C, NN2HLS_IF_C_INT(C)>                               \
  NN2HLS_INLINE constexpr bool operator OP(const NN2HLS_FX(1)& a, C b) {                 \
    return a OP nn2hls_ap::as_fixed(b);                                                  \
  }                                                                                      \
  template <NN2HLS_FX_TPL(2), class C, NN2HLS_IF_C_INT(C)>                               \
  NN2HLS_INLINE constexpr bool operator OP(C a, const NN2HLS_FX(2)& b) {                 \
    return nn2hls_ap::as_fixed(a) OP b;                                                  \
  }                                                                                      \
  /* with floating point: compares to_double(), as Xilinx (exact when W <= 53) */        \
  template <NN2HLS_FX_TPL(1)>                                                            \
  NN2HLS_INLINE constexpr bool operator OP(const NN2HLS_FX(1)& a, double b) {            \
    return a.to_double() OP b;                                                           \
  }                                                                                      \
  template <NN2HLS_FX_TPL(2)>                                                            \
  NN2HLS_INLINE constexpr bool operator OP(double a, const NN2HLS_FX(2)& b) {            \
    return a OP b.to_double();                                                           \
  }
NN2HLS_FX_CMP(==, K::eq(a.V, b.V))
NN2HLS_FX_CMP(!=, !K::eq(a.V, b.V))
NN2HLS_FX_CMP(<, K::lt(a.V, b.V))
NN2HLS_FX_CMP(>, K::gt(a.V, b.V))
NN2HLS_FX_CMP(<=, !K::gt(a.V, b.V))
NN2HLS_FX_CMP(>=, !K::lt(a.V, b.V))
#undef NN2HLS_FX_CMP

// ---- optional printing: approximate (via to_double), needs no <iostream> -----
template <class OS, NN2HLS_FX_TPL(1)>
inline auto operator<<(OS& os, const NN2HLS_FX(1)& x) -> decltype(os.precision(), os << 0.0) {
  return os << x.to_double();
}
template <class OS, int W1, bool S1>
inline auto operator<<(OS& os, const ap_int_base<W1, S1>& x) -> decltype(os.precision(), os << 0LL) {
  return S1 ? (os << x.to_int64()) : (os << x.to_uint64());
}

#undef NN2HLS_FX_TPL
#undef NN2HLS_FX

#endif  // NN2HLS_AP_FIXED_H
