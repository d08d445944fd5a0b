#pragma once
// Progress of a sweep on stderr: a bar with the rate and ETA redrawn in place when stderr is
// a terminal, a plain line every `period_s` seconds (and at the end) when it is not (a log, CI).
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace stratus::sweep {

class Progress {
  public:
    // `total` runs in this invocation; `already` runs were done before (--resume).
    Progress(std::uint64_t total, std::uint64_t already, bool enabled, std::FILE* out = stderr);
    void tick();    // one run finished
    void finish();  // the last line

  private:
    void draw(bool final);

    std::uint64_t total_, already_, done_ = 0;
    bool enabled_, terminal_;
    std::FILE* out_;
    double period_s_;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace stratus::sweep
