#pragma once
// Stand-in (see sycl/sycl.hpp): selectors and pipes. A pipe is an unbounded FIFO; reading an empty
// one runs the kernels submitted so far, in order, until it has a packet.
#include <deque>
#include <stdexcept>

#include "../../sycl.hpp"

namespace sycl {
namespace ext {
namespace intel {
constexpr int fpga_emulator_selector_v = 0;
constexpr int fpga_selector_v = 1;

template <class Id, class T, int Depth>
struct pipe {
    static std::deque<T>& items() {
        static std::deque<T> fifo;
        return fifo;
    }
    static T read() {
        while (items().empty())
            if (!sycl::mock::run_one()) throw std::runtime_error("pipe read with no kernel left to fill it");
        T item = items().front();
        items().pop_front();
        return item;
    }
    static void write(const T& item) { items().push_back(item); }
};
}  // namespace intel
}  // namespace ext
}  // namespace sycl
