#include "sim/report/outputs.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

namespace stratus::report {
namespace {

using cloud::Outcome;
using nlohmann::ordered_json;

// Figures are rounded so that files read well; the rounding is deterministic.
double round_to(double x, int decimals) {
    const double f = std::pow(10.0, decimals);
    return std::round(x * f) / f;
}

// Shortest round-trip text of a number (fmt), or empty for "absent".
std::string num(double x) {
    return fmt::format("{}", x);
}
std::string opt_num(double x, int decimals) {
    return x < 0 ? "" : num(round_to(x, decimals));
}

}  // namespace

ordered_json make_summary(const cloud::World& world, const RunTiming& timing) {
    const auto& spec = world.spec();
    const Recorder& rec = world.recorder();
    ordered_json s;
    s["scenario"] = spec.simulation.name;
    s["seed"] = spec.simulation.seed;
    s["duration_s"] = round_to(to_seconds(spec.simulation.duration), 6);
    s["fidelity"] = spec.simulation.fidelity == scenario::Fidelity::Request ? "request" : "fluid";
    s["region"] = spec.region.name;

    const std::uint64_t ok = rec.count(Outcome::Ok);
    const std::uint64_t errors = rec.errors();
    ordered_json req;
    req["total"] = rec.arrivals();
    req["ok"] = ok;
    req["errors"] = {{"total", errors},
                     {"http_500", rec.count(Outcome::Http500)},
                     {"http_502", rec.count(Outcome::Http502)},
                     {"http_503", rec.count(Outcome::Http503)},
                     {"http_504", rec.count(Outcome::Http504)}};
    req["in_flight_at_end"] = world.requests_in_flight();
    s["requests"] = req;
    // Availability counts the requests whose outcome is known at the end of the run.
    const std::uint64_t decided = ok + errors;
    s["availability_percent"] =
        decided > 0 ? ordered_json(round_to(100.0 * static_cast<double>(ok) / decided, 6))
                    : ordered_json(nullptr);

    const LatencyHistogram& lat = rec.latency();
    if (lat.count() > 0) {
        s["latency_ms"] = {{"mean", round_to(lat.mean() / kMillisecond, 3)},
                           {"p50", round_to(to_millis(lat.percentile(50)), 3)},
                           {"p90", round_to(to_millis(lat.percentile(90)), 3)},
                           {"p99", round_to(to_millis(lat.percentile(99)), 3)},
                           {"max", round_to(to_millis(lat.max()), 3)}};
    } else {
        s["latency_ms"] = {{"mean", nullptr},
                           {"p50", nullptr},
                           {"p90", nullptr},
                           {"p99", nullptr},
                           {"max", nullptr}};
    }

    if (spec.slo.present) {
        ordered_json slo = ordered_json::object();
        if (spec.slo.latency_p99) {
            slo["latency_p99_target_ms"] = round_to(to_millis(*spec.slo.latency_p99), 3);
            slo["latency_p99_met"] = lat.count() > 0 && lat.percentile(99) <= *spec.slo.latency_p99;
        }
        if (spec.slo.availability) {
            slo["availability_target_percent"] = *spec.slo.availability;
            slo["availability_met"] =
                decided > 0 && 100.0 * static_cast<double>(ok) / decided >= *spec.slo.availability;
        }
        s["slo"] = slo;
    }

    {
        // The bill so far: every line item of the contract, zero when unused, and by tag.
        const auto& ledger = world.cost().ledger();
        ordered_json cost;
        cost["total"] = round_to(ledger.total(), 6);
        ordered_json items = ordered_json::object();
        const auto by_item = ledger.by_line_item();
        for (std::size_t i = 0; i < cloud::kLineItemCount; ++i)
            items[std::string(cloud::to_string(cloud::kLineItems[i]))] = round_to(by_item[i], 6);
        cost["by_line_item"] = items;
        ordered_json tags = ordered_json::object();
        for (const auto& [tag, usd] : ledger.by_tag())
            tags[tag] = round_to(usd, 6);
        cost["by_tag"] = tags;
        cost["price_list"] = {{"region", spec.region.name},
                              {"date", world.cost().prices().price_list_date}};
        s["cost_usd"] = cost;
    }
    s["instances"] = {{"launched", rec.instances_launched()},
                      {"terminated", rec.instances_terminated()},
                      {"peak_in_service", rec.peak_in_service()},
                      {"spot_interruptions", rec.spot_interruptions()},
                      {"instance_hours",
                       {{"on_demand", round_to(world.instance_hours(false), 6)},
                        {"spot", round_to(world.instance_hours(true), 6)}}}};

    if (!world.groups().empty()) {
        cloud::AutoScalingCounts total;
        for (const auto& g : world.groups()) {
            total.activities += g->counts().activities;
            total.scale_out += g->counts().scale_out;
            total.scale_in += g->counts().scale_in;
            total.unhealthy_replacements += g->counts().unhealthy_replacements;
        }
        s["autoscaling"] = {{"activities", total.activities},
                            {"scale_out", total.scale_out},
                            {"scale_in", total.scale_in},
                            {"unhealthy_replacements", total.unhealthy_replacements}};
    }
    const auto alarms = world.alarms();
    if (!alarms.empty()) {
        ordered_json states = ordered_json::object();
        for (const cloud::MetricAlarm* a : alarms)
            states[a->alarm_name()] = to_string(a->state());
        s["alarms"] = {{"transitions", world.alarm_transitions()}, {"final_state", states}};
    }

    ordered_json kernel;
    kernel["events"] = world.kernel_events();
    if (timing.include) {
        kernel["wall_s"] = round_to(timing.wall_s, 6);
        kernel["events_per_s"] =
            timing.wall_s > 0 ? round_to(world.kernel_events() / timing.wall_s, 0) : 0.0;
    }
    s["kernel"] = kernel;
    return s;
}

std::string timeseries_csv(const cloud::World& world) {
    const auto& zones = world.zone_names();
    std::string out =
        "time_s,rps,p50_ms,p99_ms,errors,in_service,pending,unhealthy,desired,cpu_percent,"
        "cost_rate_usd_per_hour,cost_usd";
    for (const auto& z : zones)
        out += ",in_service_" + z;
    out += ",requests,ok,http_500,http_502,http_503,http_504,mean_ms,healthy\n";
    for (const PeriodRow& r : world.recorder().rows()) {
        const auto& g = r.gauges;
        std::uint64_t errors = 0;
        for (int i = 1; i < cloud::kOutcomeCount; ++i)
            errors += r.outcomes[i];
        out += num(round_to(to_seconds(r.start), 6));
        out += ',' + num(round_to(static_cast<double>(r.arrivals) / to_seconds(r.length), 6));
        out += ',' + opt_num(r.p50_ms, 3);
        out += ',' + opt_num(r.p99_ms, 3);
        out += ',' + std::to_string(errors);
        out += ',' + std::to_string(g.in_service);
        out += ',' + std::to_string(g.pending);
        out += ',' + std::to_string(g.unhealthy);
        out += ',' + (g.has_groups ? std::to_string(g.desired) : std::string());
        out += ',' + opt_num(g.cpu_percent, 3);
        out += ',' + num(round_to(g.cost_rate_usd_per_hour, 6));
        out += ',' + num(round_to(g.cost_usd, 6));
        for (int n : g.in_service_by_az)
            out += ',' + std::to_string(n);
        out += ',' + std::to_string(r.arrivals);
        for (int i = 0; i < cloud::kOutcomeCount; ++i)
            out += ',' + std::to_string(r.outcomes[i]);
        out += ',' + opt_num(r.mean_ms, 3);
        out += ',' + std::to_string(g.healthy);
        out += '\n';
    }
    return out;
}

std::string events_jsonl(const cloud::World& world) {
    std::string out;
    for (const EventRecord& e : world.recorder().log().records()) {
        ordered_json j;
        j["t"] = round_to(to_seconds(e.t), 6);
        j["type"] = e.type;
        for (auto it = e.subjects.begin(); it != e.subjects.end(); ++it)
            j[it.key()] = it.value();
        out += j.dump();
        out += '\n';
    }
    return out;
}

std::string human_summary(const cloud::World& world, const ordered_json& s,
                          const std::string& out_dir) {
    auto f = [](const ordered_json& v, const char* fmtstr) -> std::string {
        return v.is_null() ? std::string("-") : fmt::format(fmt::runtime(fmtstr), v.get<double>());
    };
    const auto& r = s["requests"];
    const auto& e = r["errors"];
    const auto& l = s["latency_ms"];
    std::string out;
    out += fmt::format("stratus: {} (seed {}), {} s simulated, {} events\n",
                       s["scenario"].get<std::string>(), s["seed"].get<std::uint64_t>(),
                       s["duration_s"].get<double>(), s["kernel"]["events"].get<std::uint64_t>());
    out += fmt::format(
        "  requests   {} total, {} ok, {} errors (500: {}, 502: {}, 503: {}, 504: {})\n",
        r["total"].get<std::uint64_t>(), r["ok"].get<std::uint64_t>(),
        e["total"].get<std::uint64_t>(), e["http_500"].get<std::uint64_t>(),
        e["http_502"].get<std::uint64_t>(), e["http_503"].get<std::uint64_t>(),
        e["http_504"].get<std::uint64_t>());
    out += fmt::format("  available  {} %\n", f(s["availability_percent"], "{:.3f}"));
    out += fmt::format("  latency    mean {} ms, p50 {} ms, p90 {} ms, p99 {} ms, max {} ms\n",
                       f(l["mean"], "{:.1f}"), f(l["p50"], "{:.1f}"), f(l["p90"], "{:.1f}"),
                       f(l["p99"], "{:.1f}"), f(l["max"], "{:.1f}"));
    const auto& inst = s["instances"];
    {
        const auto& items = s["cost_usd"]["by_line_item"];
        std::string parts;
        for (const auto& [key, label] :
             {std::pair<const char*, const char*>{"ec2_on_demand", "EC2 on-demand"},
              {"ec2_spot", "Spot"},
              {"ebs", "EBS"},
              {"public_ipv4", "public IPv4"},
              {"load_balancer", "load balancers"},
              {"data_transfer", "data transfer"},
              {"rds", "RDS"},
              {"snapshots", "snapshots"},
              {"s3", "S3"}}) {
            const double usd = items[key].get<double>();
            if (usd > 0)
                parts += fmt::format("{}{} ${:.4f}", parts.empty() ? "" : ", ", label, usd);
        }
        out += fmt::format("  cost       ${:.4f}{}\n", s["cost_usd"]["total"].get<double>(),
                           parts.empty() ? "" : " (" + parts + ")");
    }
    out += fmt::format("  instances  {} launched, peak {} in service, {:.2f} instance-hours\n",
                       inst["launched"].get<int>(), inst["peak_in_service"].get<int>(),
                       inst["instance_hours"]["on_demand"].get<double>());
    if (s.contains("slo")) {
        const auto& slo = s["slo"];
        std::vector<std::string> parts;
        if (slo.contains("latency_p99_met"))
            parts.push_back(fmt::format("p99 <= {} ms: {}",
                                        slo["latency_p99_target_ms"].get<double>(),
                                        slo["latency_p99_met"].get<bool>() ? "met" : "MISSED"));
        if (slo.contains("availability_met"))
            parts.push_back(fmt::format("availability >= {} %: {}",
                                        slo["availability_target_percent"].get<double>(),
                                        slo["availability_met"].get<bool>() ? "met" : "MISSED"));
        std::string line = "  slo        ";
        for (std::size_t i = 0; i < parts.size(); ++i)
            line += (i ? ", " : "") + parts[i];
        out += line + "\n";
    }
    (void)world;
    if (!out_dir.empty()) {
        out += fmt::format("  outputs    {}/summary.json, timeseries.csv, events.jsonl, bill.csv\n",
                           out_dir);
    }
    return out;
}

void write_file_atomically(const std::string& path, const std::string& content) {
    const std::filesystem::path target(path);
    const std::filesystem::path tmp =
        target.parent_path() / fmt::format(".{}.tmp-{}", target.filename().string(), getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw std::runtime_error("cannot write " + tmp.string());
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, target, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw std::runtime_error("cannot rename into " + path + ": " + ec.message());
    }
}

void write_outputs(const std::string& dir, const cloud::World& world, const ordered_json& summary) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create output folder " + dir + ": " + ec.message());
    // Render everything first, so that a failure leaves the folder as it was.
    const std::string summary_text = summary.dump(2) + "\n";
    const std::string ts = timeseries_csv(world);
    const std::string ev = events_jsonl(world);
    write_file_atomically(dir + "/timeseries.csv", ts);
    write_file_atomically(dir + "/events.jsonl", ev);
    write_file_atomically(dir + "/bill.csv", world.cost().ledger().bill_csv());
    write_file_atomically(dir + "/summary.json", summary_text);
}

}  // namespace stratus::report
