// ac_channel.h -- nn2hls C-simulation model of the Algorithmic C channel ac_channel<T>.
//
// Our own compact code for the subset of the AC datatypes' ac_channel that nn2hls prints for
// Catapult: an unbounded FIFO (std::deque) used by one thread, as the real AC header models it
// in C simulation (tests/test_ac_types.py checks a round trip against the real header).
// Reading an empty channel is an error in the design (the hardware would stall forever): it
// throws nn2hls_ac::channel_error, whose what() says the channel is empty, instead of the
// real header's assert.  Channels are not copyable (pass them by reference, as in AC).
#ifndef NN2HLS_AC_CHANNEL_H
#define NN2HLS_AC_CHANNEL_H

#include <deque>
#include <stdexcept>
#include <string>

namespace nn2hls_ac {
/// What a read of an empty ac_channel throws.
class channel_error : public std::runtime_error {
 public:
  explicit channel_error(const std::string& what) : std::runtime_error(what) {}
};
}  // namespace nn2hls_ac

template <class T>
class ac_channel {
 public:
  typedef T element_type;

  ac_channel() {}
  ac_channel(const ac_channel&) = delete;
  ac_channel& operator=(const ac_channel&) = delete;

  /// The oldest element; throws nn2hls_ac::channel_error if the channel is empty.
  T read() {
    if (data_.empty())
      throw nn2hls_ac::channel_error(
          "ac_channel: read from an empty channel (the design would stall forever in hardware; "
          "guard the read with available(n) or empty())");
    T v = data_.front();
    data_.pop_front();
    return v;
  }
  void read(T& v) { v = read(); }
  /// Non-blocking read: false (and v unchanged) if the channel is empty.
  bool nb_read(T& v) {
    if (data_.empty()) return false;
    v = read();
    return true;
  }
  void write(const T& v) { data_.push_back(v); }

  /// Are there at least n elements?
  bool available(unsigned n) const { return data_.size() >= n; }
  unsigned size() const { return unsigned(data_.size()); }
  bool empty() const { return data_.empty(); }
  unsigned debug_size() const { return unsigned(data_.size()); }

 private:
  std::deque<T> data_;
};

#endif  // NN2HLS_AC_CHANNEL_H
