#pragma once
// Stand-in (see ../../../sycl.hpp): our AC types under the name icpx gives Intel's.
#include "ac_fixed.h"
