// hls_stream.h -- nn2hls C-simulation model of Xilinx's hls::stream<T>.
//
// An unbounded FIFO backed by std::deque.  As in Xilinx's C simulation,
// reading an empty stream is a fatal error: a message naming the stream is
// printed to stderr and the program aborts.
#ifndef NN2HLS_HLS_STREAM_H
#define NN2HLS_HLS_STREAM_H

#include <stdio.h>
#include <stdlib.h>

#include <deque>
#include <string>

namespace hls {

template <class T>
class stream {
 public:
  stream() : name_("hls_stream") {}
  explicit stream(const char* name) : name_(name ? name : "hls_stream") {}
  explicit stream(const std::string& name) : name_(name) {}
  stream(const stream&) = delete;             // streams are channels, not values
  stream& operator=(const stream&) = delete;

  void write(const T& v) { data_.push_back(v); }
  bool write_nb(const T& v) { write(v); return true; }
  T read() {
    if (data_.empty()) fail();
    T v = data_.front();
    data_.pop_front();
    return v;
  }
  void read(T& v) { v = read(); }
  bool read_nb(T& v) {
    if (data_.empty()) return false;
    v = read();
    return true;
  }
  void operator<<(const T& v) { write(v); }
  void operator>>(T& v) { read(v); }

  bool empty() const { return data_.empty(); }
  bool full() const { return false; }
  size_t size() const { return data_.size(); }
  const std::string& name() const { return name_; }

 private:
  [[noreturn]] void fail() const {
    fprintf(stderr, "ERROR: hls::stream '%s' read while empty (C simulation would deadlock in hardware)\n",
            name_.c_str());
    fflush(stderr);
    abort();
  }

  std::string name_;
  std::deque<T> data_;
};

}  // namespace hls

#endif  // NN2HLS_HLS_STREAM_H
