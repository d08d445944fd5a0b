#include "sim/report/number_text.hpp"

#include <cmath>
#include <cstdint>
#include <iterator>

namespace stratus::report {

double round_to(double x, int decimals) {
    const double f = std::pow(10.0, decimals);
    return std::round(x * f) / f;
}

void append_rounded(fmt::memory_buffer& out, double x, int decimals) {
    static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    static constexpr double kLimit = 1e15;  // k below it: at most 15 significant digits
    const bool fast_decimals = decimals >= 0 && decimals <= 9;
    const double f = fast_decimals ? kPow10[decimals] : std::pow(10.0, decimals);
    const double k = std::round(x * f);
    const double y = k / f;  // round_to(x, decimals)
    // fmt writes 0 < |y| < 1e-4 with an exponent, and -0 as "-0": those go through fmt.
    const bool fast = fast_decimals && std::fabs(k) < kLimit &&
                      (k != 0 ? std::fabs(y) >= 1e-4 : !std::signbit(y));
    if (!fast) {
        fmt::format_to(std::back_inserter(out), "{}", y);
        return;
    }
    auto n = static_cast<std::int64_t>(k);
    if (n < 0) {
        out.push_back('-');
        n = -n;
    }
    // Performance: the rows' decimals (3 and 6) divide by a constant, which the compiler makes
    // a multiplication; a 64-bit division by a variable takes tens of cycles (a fluid month at
    // 10 s periods writes about five million figures).
    std::int64_t whole, frac;
    if (decimals == 3) {
        whole = n / 1000;
        frac = n % 1000;
    } else if (decimals == 6) {
        whole = n / 1000000;
        frac = n % 1000000;
    } else {
        const auto unit = static_cast<std::int64_t>(kPow10[decimals]);
        whole = n / unit;
        frac = n % unit;
    }
    const fmt::format_int w(whole);
    out.append(w.data(), w.data() + w.size());
    if (frac == 0) return;
    // The fraction's digits, zero-padded to `decimals`, trailing zeros dropped.
    int digits = decimals;
    while (frac % 10 == 0) {
        frac /= 10;
        --digits;
    }
    char buf[10];
    for (int i = digits - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    out.push_back('.');
    out.append(buf, buf + digits);
}

}  // namespace stratus::report
