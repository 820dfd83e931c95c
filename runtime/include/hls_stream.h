// hls_stream.h -- nn2hls C-simulation model of Xilinx's hls::stream<T>.
//
// By default an unbounded FIFO backed by std::deque, used by one thread (the C simulation runs the
// kernels one after another).  As in Xilinx's C simulation, reading an empty stream is a fatal
// error: a message naming the stream is printed to stderr and the program aborts.
//
// With NN2HLS_BOUNDED_FIFOS (runtime/bounded.py), the io_stream top runs each kernel in its own
// thread (hls::dataflow) and a stream holds at most its depth (0: unbounded, the top's ports): a
// read of an empty stream or a write to a full one waits, as in hardware.  With blocking reads and
// writes, whether the kernels deadlock does not depend on timing.  A deadlock is when every kernel
// of the region waits: the waits then end by throwing, every kernel unwinds, and the region's wait()
// throws hls::deadlock naming each full and empty stream a kernel waits on.  (POSIX threads rather
// than <thread> and <condition_variable>: lighter to compile into every kernel.)
#ifndef NN2HLS_HLS_STREAM_H
#define NN2HLS_HLS_STREAM_H

#include <stdio.h>
#include <stdlib.h>

#include <deque>
#include <string>

#ifdef NN2HLS_BOUNDED_FIFOS
#include <pthread.h>

#include <exception>
#endif

namespace hls {

#ifdef NN2HLS_BOUNDED_FIFOS
class dataflow;

// What the bounded C simulation throws out of the top: hls::deadlock, or a kernel that failed.
class fifo_error : public std::exception {
 public:
  explicit fifo_error(const std::string& what) : what_(what) {}
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string what_;
};

class deadlock : public fifo_error {
 public:
  using fifo_error::fifo_error;
};

namespace fifo_detail {

struct stop {};  // unwinds a kernel thread once its region has stopped

struct task {  // a kernel call, run by its thread
  virtual void operator()() = 0;
  virtual ~task() {}
};
template <class F>
struct call : task {
  explicit call(const F& body) : f(body) {}
  void operator()() override { f(); }
  F f;
};

struct fifo;

// One kernel thread; guarded by its region's mutex but for what the thread is started with.
struct kernel {
  dataflow* region;
  std::string name;
  task* body;
  pthread_t thread;
  bool blocked;  // waiting and not yet granted: what the deadlock check counts
  bool writing;
  fifo* waits_on;
};

// The calling thread's kernel (none outside a region: the host feeding and draining the ports).
inline kernel*& self() {
  static thread_local kernel* current = nullptr;
  return current;
}

// What a bounded stream keeps whatever its packets; guarded by the region's mutex while kernels run.
// A stream has one reader and one writer, which never both wait (on an empty and a full stream).
struct fifo {
  fifo(const std::string& of, size_t most) : name(of), depth(most) { pthread_cond_init(&wakeup, nullptr); }
  ~fifo() { pthread_cond_destroy(&wakeup); }
  fifo(const fifo&) = delete;
  fifo& operator=(const fifo&) = delete;
  const std::string& name;
  size_t depth;  // 0: unbounded (the top's ports)
  size_t count = 0;
  kernel* waiter = nullptr;
  pthread_cond_t wakeup;
};

class lock {  // holds a mutex while in scope
 public:
  explicit lock(pthread_mutex_t& m) : m_(&m) { pthread_mutex_lock(m_); }
  lock(lock&& other) : m_(other.m_) { other.m_ = nullptr; }
  lock(const lock&) = delete;
  lock& operator=(const lock&) = delete;
  ~lock() {
    if (m_) pthread_mutex_unlock(m_);
  }

 private:
  pthread_mutex_t* m_;
};

}  // namespace fifo_detail

// The kernels of one call of a dataflow top, one thread each.  The calling thread counts as running
// until wait(), so that kernels not yet started never look deadlocked.
class dataflow {
 public:
  dataflow() { pthread_mutex_init(&mutex_, nullptr); }
  dataflow(const dataflow&) = delete;
  dataflow& operator=(const dataflow&) = delete;
  ~dataflow() {  // after wait(), or left by an exception: stop the kernels before the streams go
    join();
    for (fifo_detail::kernel& k : kernels_) delete k.body;
    pthread_mutex_destroy(&mutex_);
  }

  template <class F>
  void run(const char* name, const F& body) {
    start(name, new fifo_detail::call<F>(body));
  }

  // Joins the kernels; throws hls::deadlock if they deadlocked (or what a kernel threw).
  void wait() {
    {
      fifo_detail::lock hold(mutex_);
      running_--;  // the caller starts no more kernels
      waited_ = true;
      check_locked();
    }
    join();
    if (failure_) std::rethrow_exception(failure_);
    if (!message_.empty()) throw deadlock(message_);
  }

  // Locks the region once `f` has a packet to read (or room to write); throws stop instead once the
  // region has stopped.  Out of line: one copy per translation unit, not one per packet type.
  __attribute__((noinline)) fifo_detail::lock enter(fifo_detail::fifo& f, bool writing) {
    fifo_detail::lock hold(mutex_);
    while (writing ? f.depth && f.count >= f.depth : f.count == 0) block(f, writing);
    return hold;
  }

  // After the read or write (lock held): grants the kernel waiting on the other end.
  __attribute__((noinline)) void leave(fifo_detail::fifo& f, bool writing) {
    f.count = writing ? f.count + 1 : f.count - 1;
    if (f.waiter == nullptr) return;
    f.waiter->blocked = false;
    f.waiter = nullptr;
    blocked_--;
    pthread_cond_signal(&f.wakeup);
  }

  fifo_detail::lock guard() { return fifo_detail::lock(mutex_); }  // for a look at a stream

 private:
  void start(const char* name, fifo_detail::task* body) {
    fifo_detail::lock hold(mutex_);
    kernels_.push_back(fifo_detail::kernel{this, name, body, pthread_t(), false, false, nullptr});
    fifo_detail::kernel& k = kernels_.back();  // a deque: stays where it is
    if (pthread_create(&k.thread, nullptr, &dataflow::thread, &k) != 0) {
      fail_locked(std::make_exception_ptr(fifo_error("cannot start a thread for kernel " + k.name)));
      delete k.body;
      kernels_.pop_back();
      return;
    }
    running_++;
  }

  static void* thread(void* argument) {
    fifo_detail::kernel* k = static_cast<fifo_detail::kernel*>(argument);
    dataflow* region = k->region;
    fifo_detail::self() = k;
    try {
      (*k->body)();
    } catch (const fifo_detail::stop&) {
    } catch (...) {
      fifo_detail::lock hold(region->mutex_);
      region->fail_locked(std::current_exception());
    }
    fifo_detail::self() = nullptr;
    fifo_detail::lock hold(region->mutex_);
    region->running_--;
    region->check_locked();  // its readers or writers may now wait forever
    return nullptr;
  }

  void join() {
    {
      fifo_detail::lock hold(mutex_);
      if (!waited_) stop_locked("the dataflow region was left early");
      waited_ = true;
    }
    if (joined_) return;
    for (fifo_detail::kernel& k : kernels_) pthread_join(k.thread, nullptr);
    joined_ = true;
  }

  // Waits (lock held) until another kernel's read or write grants this one; throws stop instead
  // once the region has stopped.
  void block(fifo_detail::fifo& f, bool writing) {
    fifo_detail::kernel* me = fifo_detail::self();
    if (!stopped_ && f.waiter != nullptr)  // two readers or two writers: not a design we emit
      fail_locked(std::make_exception_ptr(fifo_error("two kernels wait on hls::stream '" + f.name + "'")));
    if (stopped_) throw fifo_detail::stop();
    me->blocked = true;
    me->writing = writing;
    me->waits_on = &f;
    f.waiter = me;
    blocked_++;
    check_locked();
    while (me->blocked && !stopped_) pthread_cond_wait(&f.wakeup, &mutex_);
    if (stopped_) throw fifo_detail::stop();
  }

  // Every running kernel waits and none is granted: none ever will be.  Only a wait or a thread's
  // end can make that true, and both check, so a deadlock is always found.
  void check_locked() {
    if (stopped_ || running_ == 0 || blocked_ < running_) return;
    std::string full, empty;
    for (const fifo_detail::kernel& k : kernels_) {
      if (!k.blocked) continue;
      const fifo_detail::fifo& f = *k.waits_on;
      if (k.writing)
        full += (full.empty() ? "fifo " : "; fifo ") + f.name + " (depth " + std::to_string(f.depth) +
                ") full, written by " + k.name;
      else
        empty += (empty.empty() ? "empty: " : ", ") + f.name + " (read by " + k.name + ")";
    }
    stop_locked("deadlock: " + full + (full.empty() || empty.empty() ? "" : "; ") + empty);
  }

  void fail_locked(std::exception_ptr failure) {
    if (!failure_ && !stopped_) failure_ = failure;
    stop_locked("");
  }

  void stop_locked(const std::string& message) {
    if (stopped_) return;
    stopped_ = true;
    message_ = message;
    for (fifo_detail::kernel& k : kernels_)
      if (k.blocked) pthread_cond_signal(&k.waits_on->wakeup);
  }

  pthread_mutex_t mutex_;  // guards every stream of the region and what follows
  std::deque<fifo_detail::kernel> kernels_;
  int running_ = 1;  // the calling thread, until wait()
  int blocked_ = 0;
  bool stopped_ = false, waited_ = false, joined_ = false;
  std::string message_;
  std::exception_ptr failure_;
};
#endif

template <class T>
class stream {
 public:
  stream() : name_("hls_stream") {}
  explicit stream(const char* name) : name_(name ? name : "hls_stream") {}
  explicit stream(const std::string& name) : name_(name) {}
#ifdef NN2HLS_BOUNDED_FIFOS
  stream(const char* name, int depth) : name_(name ? name : "hls_stream"), fifo_(name_, depth > 0 ? depth : 1) {}
#endif
  stream(const stream&) = delete;             // streams are channels, not values
  stream& operator=(const stream&) = delete;

#ifndef NN2HLS_BOUNDED_FIFOS
  void write(const T& v) { data_.push_back(v); }
#else
  void write(const T& v) {
    fifo_detail::kernel* me = fifo_detail::self();
    if (me == nullptr) {  // the host, before or after the kernels run
      data_.push_back(v);
      fifo_.count++;
      return;
    }
    fifo_detail::lock hold = me->region->enter(fifo_, true);
    data_.push_back(v);
    me->region->leave(fifo_, true);
  }
#endif
  bool write_nb(const T& v) { write(v); return true; }
  T read() {
#ifdef NN2HLS_BOUNDED_FIFOS
    fifo_detail::kernel* me = fifo_detail::self();
    if (me != nullptr) {
      fifo_detail::lock hold = me->region->enter(fifo_, false);
      T v = data_.front();
      data_.pop_front();
      me->region->leave(fifo_, false);
      return v;
    }
    if (!data_.empty()) fifo_.count--;
#endif
    if (data_.empty()) fail();
    T v = data_.front();
    data_.pop_front();
    return v;
  }
  void read(T& v) { v = read(); }
  bool read_nb(T& v) {
    if (empty()) return false;
    v = read();
    return true;
  }
  void operator<<(const T& v) { write(v); }
  void operator>>(T& v) { read(v); }

#ifndef NN2HLS_BOUNDED_FIFOS
  bool empty() const { return data_.empty(); }
  bool full() const { return false; }
  size_t size() const { return data_.size(); }
#else
  bool empty() const { return size() == 0; }
  bool full() const { return fifo_.depth && size() >= fifo_.depth; }
  size_t size() const {
    fifo_detail::kernel* me = fifo_detail::self();
    if (me == nullptr) return fifo_.count;
    fifo_detail::lock hold = me->region->guard();
    return fifo_.count;
  }
#endif
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
#ifdef NN2HLS_BOUNDED_FIFOS
  fifo_detail::fifo fifo_{name_, 0};
#endif
};

}  // namespace hls

#endif  // NN2HLS_HLS_STREAM_H
