// Soak benchmark: 30 simulated days of a small request-mode scenario, one day at a time,
// with the process's memory sampled after each day. Memory must be flat between day 1 and
// day 30: nothing may grow with the horizon except the outputs themselves (one time-series
// row per metrics period, the notable events), which are small and accounted for here.
//
// Usage: stratus_soak [DAYS] [CSV]  (defaults 30, stdout). Exit status 1 when the resident set
// grows by more than the tolerance between day 1 and the last day.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

namespace {

// A small web tier on a daily curve (2 to 20 requests/s, 1 million a day), target tracking
// on CPU (about 2 to 8 instances), health checks, and an AZ that fails every few days: every
// part of the control plane runs for the whole month.
constexpr const char* kScenario = R"(
[simulation]
name = "soak"
duration = "30d"
seed = 5
metrics_period = "60s"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "web"
instance_type = "m5.large"
max_queue = 100
boot_time = "40s"
app_start_time = "20s"

[[target_group]]
name = "web-tg"
health_check = { interval = 10, timeout = 5, healthy_threshold = 3, unhealthy_threshold = 2 }

[[load_balancer]]
name = "web-alb"

[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"

[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 12
target_groups = ["web-tg"]
health_check_type = "ELB"
health_check_grace_period = 120

[[autoscaling_policy]]
name = "cpu50"
autoscaling_group = "web"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = { predefined_metric_type = "ASGAverageCPUUtilization", target_value = 50 }

[[workload]]
name = "shop"
load_balancer = "web-alb"
rate = { shape = "diurnal", min = 2, max = 20, peak = "14:00" }
service_time = { dist = "exponential", mean = "400ms" }
timeout = "10s"

[[fault]]
type = "az_outage"
target = "us-east-1b"
mtbf = "7d"
mttr = "30m"
)";

// Kibibytes from /proc/self/status ("VmRSS:", "VmHWM:").
long status_kib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + key.size(), nullptr, 10);
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace stratus;
    const int days = argc > 1 ? std::atoi(argv[1]) : 30;
    std::FILE* csv = argc > 2 ? std::fopen(argv[2], "w") : stdout;
    if (days < 2 || !csv) {
        std::cerr << "usage: stratus_soak [DAYS >= 2] [CSV]\n";
        return 2;
    }
    auto spec =
        scenario::load_text(kScenario, "soak.toml", {fmt::format("simulation.duration={}d", days)});
    report::Run run(spec);
    cloud::World& world = run.world();
    // As `stratus run` does: the time series and the events stream to temporary files.
    report::OutputSpool spool(run);
    std::fprintf(csv,
                 "day,vm_rss_kib,vm_hwm_kib,requests,kernel_events,timeseries_rows,"
                 "event_records,wall_s\n");
    const auto t0 = std::chrono::steady_clock::now();
    long rss_day1 = 0, rss_last = 0;
    for (int day = 1; day <= days; ++day) {
        world.run_until(day * kDay);
        const long rss = status_kib("VmRSS"), hwm = status_kib("VmHWM");
        if (day == 1) rss_day1 = rss;
        rss_last = rss;
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(csv, "%d,%ld,%ld,%llu,%llu,%zu,%zu,%.2f\n", day, rss, hwm,
                     static_cast<unsigned long long>(run.recorder().arrivals()),
                     static_cast<unsigned long long>(world.kernel_events()),
                     run.recorder().periods_closed(), run.recorder().log().size(), wall);
        std::fflush(csv);
    }
    // Flat: at most 10 % or 4 MiB more than after day 1, whichever is larger.
    const long allowed = std::max(rss_day1 / 10, 4096L);
    const long growth = rss_last - rss_day1;
    std::fprintf(stderr,
                 "soak: %d days, RSS %ld KiB after day 1, %ld KiB after day %d (%+ld KiB; "
                 "allowed %ld)\n",
                 days, rss_day1, rss_last, days, growth, allowed);
    if (csv != stdout) std::fclose(csv);
    return growth <= allowed ? 0 : 1;
}
