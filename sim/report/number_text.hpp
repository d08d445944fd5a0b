#pragma once
// The text of a rounded figure in the outputs' rows: exactly what fmt's "{}" writes for
// round_to(x, decimals) (the shortest text that reads back as the same double), written
// without fmt's general float path when the figure allows it.
#include <fmt/format.h>

namespace stratus::report {

// round_to(x, decimals) = round(x * 10^decimals) / 10^decimals; decimals in [0, 9].
double round_to(double x, int decimals);

// Appends fmt::format("{}", round_to(x, decimals)) to out; x finite.
// Performance: a fluid month at a 10 s metrics period writes 259,200 time-series rows and as
// many SLO windows, about twenty figures each; fmt's shortest-float search (dragonbox) for
// each was a tenth of the run. A rounded figure below 10^15 in units of its last decimal is
// the decimal k / 10^decimals, and that decimal (trailing zeros dropped) is its shortest text:
// a decimal of at most 15 significant digits is the only one of its length, or shorter, that
// reads back as its nearest double (DBL_DIG). So it is written from the integer k.
void append_rounded(fmt::memory_buffer& out, double x, int decimals);

}  // namespace stratus::report
