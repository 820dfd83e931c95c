// A stand-in for the few SYCL names the oneAPI backend's program uses (src/<name>_sycl.cpp), so
// that tests/test_vendors.py can build that program with g++ and run its test bench: a kernel
// submitted with single_task runs when something waits for it or reads a pipe it may fill, in the
// order submitted; USM allocations are host memory. Not SYCL: only enough to check the program.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <deque>
#include <functional>
#include <stdexcept>

namespace sycl {
namespace mock {
inline std::deque<std::function<void()>>& pending() {
    static std::deque<std::function<void()>> tasks;
    return tasks;
}
inline bool run_one() {
    if (pending().empty()) return false;
    std::function<void()> task = pending().front();
    pending().pop_front();
    task();
    return true;
}
}  // namespace mock

class event {
  public:
    void wait() {
        while (mock::run_one()) {
        }
    }
};

class queue {
  public:
    explicit queue(int) {}
    template <class Name, class F>
    event single_task(const F& f) {
        mock::pending().push_back(std::function<void()>(f));
        return event();
    }
};

template <class T>
T* malloc_shared(std::size_t n, queue&) {
    return static_cast<T*>(std::calloc(n, sizeof(T)));
}
inline void free(void* p, queue&) { std::free(p); }
}  // namespace sycl
