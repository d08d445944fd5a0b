#include "sim/report/slo.hpp"

#include <chrono>
#include <cstdio>

#include <date/date.h>

namespace stratus::report {

const std::array<SloObjectiveInfo, kSloObjectiveCount>& slo_objectives() {
    static const std::array<SloObjectiveInfo, kSloObjectiveCount> table = {{
        {SloObjective::LatencyP50, "latency_p50", 0, false, "ms", "p50"},
        {SloObjective::LatencyP90, "latency_p90", 1, false, "ms", "p90"},
        {SloObjective::LatencyP99, "latency_p99", 2, false, "ms", "p99"},
        {SloObjective::LatencyP999, "latency_p999", 3, false, "ms", "p99.9"},
        {SloObjective::Availability, "availability", -1, true, "%", "availability"},
        {SloObjective::ErrorRate, "error_rate", -1, false, "%", "error rate"},
    }};
    return table;
}

const SloObjectiveInfo& info(SloObjective kind) {
    return slo_objectives()[static_cast<std::size_t>(kind)];
}

std::uint64_t SloWindow::answered() const {
    std::uint64_t n = 0;
    for (auto c : outcomes)
        n += c;
    return n;
}

std::optional<double> SloWindow::value(SloObjective kind) const {
    const std::uint64_t n = answered();
    if (n == 0) return std::nullopt;
    const SloObjectiveInfo& i = info(kind);
    if (i.percentile >= 0) return to_millis(latency[static_cast<std::size_t>(i.percentile)]);
    const double ok_share = static_cast<double>(ok()) / static_cast<double>(n);
    return kind == SloObjective::Availability ? 100.0 * ok_share : 100.0 * (1.0 - ok_share);
}

SimTime slo_window(const scenario::Spec& spec) {
    return spec.slo.window ? *spec.slo.window : spec.simulation.metrics_period;
}

std::vector<std::pair<SloObjective, double>> slo_targets(const scenario::SloSpec& slo) {
    std::vector<std::pair<SloObjective, double>> out;
    const std::optional<SimTime>* latencies[] = {&slo.latency_p50, &slo.latency_p90,
                                                 &slo.latency_p99, &slo.latency_p999};
    for (std::size_t k = 0; k < 4; ++k)
        if (*latencies[k]) out.emplace_back(slo_objectives()[k].kind, to_millis(**latencies[k]));
    if (slo.availability) out.emplace_back(SloObjective::Availability, *slo.availability);
    if (slo.error_rate) out.emplace_back(SloObjective::ErrorRate, *slo.error_rate);
    return out;
}

bool within(SloObjective kind, double value, double target) {
    return info(kind).at_least ? value >= target : value <= target;
}

std::string clock_time(std::int64_t start_epoch_s, SimTime t) {
    const auto seconds = std::chrono::seconds{start_epoch_s + t / kSecond};
    return date::format("%FT%TZ", date::sys_seconds{seconds});
}

bool misses(const SloWindow& w, SloObjective kind, double target) {
    return w.ok() == 0 || !within(kind, *w.value(kind), target);
}

std::int64_t epoch_of(const std::string& text) {
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (std::sscanf(text.c_str(), "%d-%u-%uT%u:%u:%uZ", &y, &mo, &d, &h, &mi, &se) != 6) return 0;
    const date::sys_days day{date::year{y} / date::month{mo} / date::day{d}};
    return day.time_since_epoch().count() * 86400 + h * 3600 + mi * 60 + se;
}

namespace {

// Whether `a` is a worse figure than `b` for this objective.
bool worse(SloObjective kind, double a, double b) {
    return info(kind).at_least ? a < b : a > b;
}

}  // namespace

SloVerdict judge_slo(const scenario::SloSpec& slo, SimTime window, SimTime warmup,
                     const std::vector<SloWindow>& windows, const SloWindow& whole_run) {
    SloVerdict v;
    v.window = window;
    v.budget = slo.budget;
    v.warmup = warmup;
    for (const auto& [kind, target] : slo_targets(slo)) {
        ObjectiveVerdict o;
        o.kind = kind;
        o.target = target;
        o.whole_run = whole_run.value(kind);
        o.whole_run_met = whole_run.ok() > 0 && o.whole_run && within(kind, *o.whole_run, target);
        v.objectives.push_back(o);
    }
    for (std::size_t w = 0; w < windows.size(); ++w) {
        const SloWindow& win = windows[w];
        if (win.start < warmup) {
            ++v.excluded;
            continue;
        }
        ++v.judged;
        const bool no_success = win.ok() == 0;
        if (no_success) ++v.without_success;
        bool missed_any = false;
        for (ObjectiveVerdict& o : v.objectives) {
            const auto value = win.value(o.kind);
            if (value && (!o.worst || worse(o.kind, *value, *windows[*o.worst].value(o.kind))))
                o.worst = w;
            if (misses(win, o.kind, o.target)) {
                ++o.missed;
                if (!o.first_miss) o.first_miss = w;
                missed_any = true;
            }
        }
        if (missed_any) {
            ++v.missed;
            if (!v.first_miss) v.first_miss = w;
        }
    }
    // Met when the misses are within the budget's share of the judged windows; with no window
    // to judge, nothing was shown to be met.
    const double allowed = v.budget * static_cast<double>(v.judged);
    v.met = v.judged > 0;
    for (ObjectiveVerdict& o : v.objectives) {
        o.met = v.judged > 0 && static_cast<double>(o.missed) <= allowed + 1e-9;
        v.met = v.met && o.met;
    }
    return v;
}

}  // namespace stratus::report
