#include "sim/sweep/progress.hpp"

#include <string>

#include <fmt/format.h>
#include <unistd.h>

namespace stratus::sweep {

namespace {

std::string clock_text(double s) {
    if (!(s >= 0) || s > 1e8) return "--:--";
    const auto t = static_cast<long long>(s + 0.5);
    if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
    return fmt::format("{}:{:02}", t / 60, t % 60);
}

}  // namespace

Progress::Progress(std::uint64_t total, std::uint64_t already, bool enabled, std::FILE* out)
    : total_(total),
      already_(already),
      enabled_(enabled && total > 0),
      terminal_(isatty(fileno(out)) == 1),
      out_(out),
      period_s_(terminal_ ? 0.2 : 10.0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::tick() {
    ++done_;
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done_ < total_ && std::chrono::duration<double>(now - last_draw_).count() < period_s_)
        return;
    last_draw_ = now;
    if (done_ < total_) draw(false);  // the last one is finish()'s
}

void Progress::finish() {
    if (!enabled_) return;
    draw(true);
}

void Progress::draw(bool final) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = elapsed > 0 ? done_ / elapsed : 0;
    const double eta = rate > 0 ? (total_ - done_) / rate : -1;
    const double frac = total_ ? static_cast<double>(done_) / total_ : 1;
    const std::string counts =
        already_ ? fmt::format("{}/{} runs (+{} already done)", done_, total_, already_)
                 : fmt::format("{}/{} runs", done_, total_);
    if (terminal_) {
        constexpr int kWidth = 28;
        const int filled = static_cast<int>(frac * kWidth);
        fmt::print(out_, "\rsweep [{}{}] {} {:3.0f}%  {:.2f} runs/s  elapsed {}  ETA {}\x1b[K",
                   std::string(filled, '#'), std::string(kWidth - filled, '.'), counts, 100 * frac,
                   rate, clock_text(elapsed), final ? "0:00" : clock_text(eta));
        if (final) fmt::print(out_, "\n");
    } else {
        fmt::print(out_, "sweep: {} ({:.0f}%), {:.2f} runs/s, elapsed {}, ETA {}\n", counts,
                   100 * frac, rate, clock_text(elapsed), final ? "0:00" : clock_text(eta));
    }
    std::fflush(out_);
}

}  // namespace stratus::sweep
