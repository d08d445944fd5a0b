#pragma once
// Counts heap allocations made by the benchmark binary (bench/alloc_counter.cpp replaces the
// global operator new), so that benchmarks can show that the steady state allocates nothing.
#include <cstdint>

namespace stratus::bench {

std::uint64_t allocations();  // calls to operator new since the program started

}  // namespace stratus::bench
