#include "sim/report/outputs.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "sim/cloud/fluid_model.hpp"
#include "sim/core/files.hpp"
#include "sim/report/bill_summary.hpp"
#include "sim/report/default_costs.hpp"
#include "sim/report/number_text.hpp"

namespace stratus::report {
namespace {

using cloud::Outcome;
using nlohmann::ordered_json;

// A number that is not finite in an output is a wrong result, never a figure to write: the
// writers refuse it loudly (the run fails) instead of writing inf, NaN or null.
class NonFiniteNumber : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Shortest round-trip text of a number (fmt), or empty for "absent".
std::string num(double x) {
    if (!std::isfinite(x))
        throw NonFiniteNumber(fmt::format("a figure is {} where a number belongs", x));
    return fmt::format("{}", x);
}

// Throws when `j` holds a number that is not finite anywhere (JSON would write it as null).
void check_finite(const ordered_json& j, const std::string& file, const std::string& key) {
    if (j.is_number_float() && !std::isfinite(j.get<double>()))
        throw NonFiniteNumber(
            fmt::format("{}: {} is {} where a number belongs; nothing was "
                        "written",
                        file, key.empty() ? "a figure" : key, j.get<double>()));
    if (j.is_structured())
        for (auto it = j.begin(); it != j.end(); ++it)
            check_finite(*it, file,
                         j.is_object() ? (key.empty() ? "" : key + ".") + it.key() : key);
}

// The [slo] verdict over the recorder's windows (report/slo.hpp), every objective with its
// worst and first missed window, and the whole run's figure labelled as such.
ordered_json slo_json(const Run& run, const SloWindow& whole_run) {
    const auto& spec = run.world().spec();
    const Recorder& rec = run.recorder();
    const SloVerdict v =
        judge_slo(spec.slo, rec.window(), spec.simulation.warmup, rec.windows(), whole_run);
    auto start_of = [&](const std::optional<std::size_t>& w) {
        return w ? ordered_json(round_to(to_seconds(rec.windows()[*w].start), 6))
                 : ordered_json(nullptr);
    };
    ordered_json slo;
    slo["met"] = v.met;
    slo["window_s"] = round_to(to_seconds(v.window), 6);
    slo["budget"] = v.budget;
    slo["warmup_s"] = round_to(to_seconds(v.warmup), 6);
    slo["windows"] = v.judged;
    slo["windows_excluded"] = v.excluded;
    slo["windows_missed"] = v.missed;
    slo["windows_without_success"] = v.without_success;
    slo["first_miss_s"] = start_of(v.first_miss);
    for (const ObjectiveVerdict& o : v.objectives) {
        const SloObjectiveInfo& i = info(o.kind);
        const std::string unit = i.percentile >= 0 ? "ms" : "percent";
        const int decimals = i.percentile >= 0 ? 3 : 6;
        auto figure = [&](const std::optional<double>& x) {
            return x ? ordered_json(round_to(*x, decimals)) : ordered_json(nullptr);
        };
        ordered_json j;
        j["target_" + unit] = o.target;
        j["met"] = o.met;
        j["windows_missed"] = o.missed;
        j["worst_" + unit] = figure(o.worst ? rec.windows()[*o.worst].value(o.kind) : std::nullopt);
        j["worst_start_s"] = start_of(o.worst);
        j["first_miss_s"] = start_of(o.first_miss);
        j["whole_run_" + unit] = figure(o.whole_run);
        j["whole_run_met"] = o.whole_run_met;
        slo[i.key] = j;
    }
    return slo;
}

}  // namespace

namespace {

// The workloads' AWS calls (docs/iam.md, "IAM in a run"): per call, the requests that made
// it and those denied (answered 500), with the decision per principal. Only in runs whose
// workloads make calls: the other summaries keep their keys.
void add_aws_calls(const cloud::World& world, ordered_json& s) {
    const cloud::AwsCalls* calls = world.aws_calls();
    if (!calls) return;
    ordered_json out = ordered_json::array();
    const auto& spec = world.spec();
    for (std::size_t w = 0; w < spec.workload.size(); ++w) {
        for (std::size_t c = 0; c < spec.workload[w].aws_call.size(); ++c) {
            const auto& call = spec.workload[w].aws_call[c];
            ordered_json by = ordered_json::object();
            for (std::size_t p = calls->none_possible() ? 0 : 1; p < calls->principals().size();
                 ++p) {
                const auto& v = calls->verdict(w, c, static_cast<int>(p));
                const std::string& who = calls->principals()[p];
                by[who.empty() ? "none" : who] = {{"decision", v.decision},
                                                  {"statement", v.statement}};
            }
            out.push_back({{"workload", spec.workload[w].name},
                           {"action", call.action},
                           {"resource", call.resource},
                           {"calls", calls->counts(w, c).calls},
                           {"denied", calls->counts(w, c).denied},
                           {"principals", by}});
        }
    }
    s["aws_calls"] = out;
}

// The buckets whose requests a requester sends (get_requests_from, put_requests_from): per
// kind, the requests answered (and billed) and those denied with 403.
void add_s3_access(const cloud::World& world, ordered_json& s) {
    using cloud::S3Request;
    ordered_json out = ordered_json::object();
    for (const auto& b : world.s3_buckets()) {
        ordered_json kinds = ordered_json::object();
        for (auto [kind, key] : {std::pair{S3Request::GetObject, "get_object"},
                                 std::pair{S3Request::PutObject, "put_object"},
                                 std::pair{S3Request::ListBucket, "list_bucket"}}) {
            const auto& a = b.access(kind);
            if (!a.checked) continue;
            kinds[key] = {{"requester", a.requester},
                          {"resource", a.resource},
                          {"decision", a.decision},
                          {"statement", a.statement},
                          {"requests", round_to(b.requests(kind), 6)},
                          {"denied_403", round_to(b.denied(kind), 6)}};
            if (!a.presigned) continue;
            double valid_s = 0;
            for (const auto& [from, to] : a.valid)
                valid_s += to_seconds(to - from);
            kinds[key]["presigned"] = true;
            kinds[key]["valid_s"] = round_to(valid_s, 3);
            kinds[key]["expiry"] = a.expiry;
        }
        if (!kinds.empty()) out[b.name()] = kinds;
    }
    if (!out.empty()) s["s3_access"] = out;
}

// The buckets that restore archived objects or whose GETs reach archived objects: restores
// made (billed) and failed, the GB retrieved, and GETs failed with 403 InvalidObjectState.
void add_s3_restores(const cloud::World& world, ordered_json& s) {
    ordered_json out = ordered_json::object();
    for (const auto& b : world.s3_buckets()) {
        if (b.spec().restore_requests_per_day <= 0 && b.invalid_gets() <= 0) continue;
        out[b.name()] = {{"restore_requests", round_to(b.restores(), 6)},
                         {"restores_failed", round_to(b.failed_restores(), 6)},
                         {"retrieved_gb", round_to(b.restored_gb(), 6)},
                         {"get_invalid_object_state", round_to(b.invalid_gets(), 6)}};
    }
    if (!out.empty()) s["s3_restores"] = out;
}

// ECS tasks are no EC2 instances: runs with ECS services give their tasks' own figures (the
// others' summaries keep the keys they had).
void add_ecs_tasks(const cloud::World& world, ordered_json& s) {
    if (world.ecs_services().empty()) return;
    int started = 0, stopped = 0, running = 0;
    for (const auto& service : world.ecs_services()) {
        started += service->counts().started;
        stopped += service->counts().stopped;
        running += service->count(cloud::TaskStatus::Running);
    }
    s["ecs_tasks"] = {{"started", started},
                      {"stopped", stopped},
                      {"running_at_end", running},
                      {"fargate_task_hours", round_to(world.fargate_task_hours(), 6)}};
}

// What ran: the scenario, its seed, length, fidelity, region, start and description, and in
// fluid mode where it could not follow request mode (docs/fluid.md).
void add_scenario(const cloud::World& world, ordered_json& s) {
    const auto& spec = world.spec();
    s["scenario"] = spec.simulation.name;
    s["seed"] = spec.simulation.seed;
    s["duration_s"] = round_to(to_seconds(spec.simulation.duration), 6);
    s["fidelity"] = spec.simulation.fidelity == scenario::Fidelity::Request ? "request" : "fluid";
    s["region"] = spec.region.name;
    s["start_time"] = clock_time(spec.simulation.start_epoch_s, 0);
    s["description"] = spec.simulation.description;
    if (const cloud::FluidModel* fluid = world.fluid()) {
        ordered_json limits = ordered_json::array();
        for (const auto& l : fluid->limits())
            limits.push_back(
                {{"t", round_to(to_seconds(l.at), 6)}, {"step", l.step}, {"reason", l.reason}});
        s["fluid_limits"] = limits;
    }
}

// The requests by outcome, the availability and the successful requests' latency.
void add_requests(const Recorder& rec, ordered_json& s) {
    const std::uint64_t ok = rec.count(Outcome::Ok);
    const std::uint64_t errors = rec.errors();
    ordered_json req;
    req["total"] = rec.arrivals();
    req["ok"] = ok;
    req["errors"] = {{"total", errors},
                     {"http_500", rec.count(Outcome::Http500)},
                     {"http_502", rec.count(Outcome::Http502)},
                     {"http_503", rec.count(Outcome::Http503)},
                     {"http_504", rec.count(Outcome::Http504)},
                     {"connect_timeout", rec.count(Outcome::ConnectTimeout)}};
    req["in_flight_at_end"] = rec.in_flight();
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
}

// What the clients saw: every answer after the warm-up, errors with their own latency.
void add_client_latency(const SloWindow& whole_run, ordered_json& s) {
    ordered_json client = ordered_json::object();
    // p50, p90, p99, p999: the objectives' keys without "latency_".
    for (std::size_t k = 0; k < kWindowPercentiles.size(); ++k)
        client[std::string(slo_objectives()[k].key).substr(8)] =
            whole_run.latency[k] < 0 ? ordered_json(nullptr)
                                     : ordered_json(round_to(to_millis(whole_run.latency[k]), 3));
    s["client_latency_ms"] = client;
}

// The bill so far: every line item of the bill, zero when unused, and by tag.
void add_cost(const cloud::World& world, ordered_json& s) {
    const auto& ledger = world.cost().ledger();
    ordered_json cost;
    cost["total"] = round_to(ledger.total(), 6);
    ordered_json items = ordered_json::object();
    const auto by_item = ledger.by_line_item();
    // Fargate appears only in runs that have ECS services: the summaries of runs without
    // them keep the keys they had before ECS was modelled.
    const bool fargate = !world.ecs_services().empty();
    // Interface endpoints too: only in runs that have one.
    const auto& endpoints = world.spec().vpc_endpoint;
    const bool interface_endpoints =
        std::any_of(endpoints.begin(), endpoints.end(), [](const scenario::VpcEndpointSpec& e) {
            return e.vpc_endpoint_type == scenario::EndpointType::Interface;
        });
    // ECR storage and Container Insights: only in runs that bill them (an ECR image with a size,
    // a cluster with Container Insights).
    auto has_line = [&ledger](cloud::LineItem item) {
        return std::any_of(ledger.lines().begin(), ledger.lines().end(),
                           [item](const cloud::ChargeLine& l) { return l.spec.line_item == item; });
    };
    for (std::size_t i = 0; i < cloud::kLineItemCount; ++i) {
        const cloud::LineItem item = cloud::kLineItems[i];
        if (item == cloud::LineItem::Fargate && !fargate) continue;
        if (item == cloud::LineItem::VpcEndpoint && !interface_endpoints) continue;
        if ((item == cloud::LineItem::Ecr || item == cloud::LineItem::CloudWatch) &&
            !has_line(item))
            continue;
        items[std::string(cloud::to_string(cloud::kLineItems[i]))] = round_to(by_item[i], 6);
    }
    cost["by_line_item"] = items;
    ordered_json tags = ordered_json::object();
    for (const auto& [tag, usd] : ledger.by_tag())
        tags[tag] = round_to(usd, 6);
    cost["by_tag"] = tags;
    cost["price_list"] = {{"region", world.spec().region.name},
                          {"date", world.cost().prices().price_list_date}};
    s["cost_usd"] = cost;
}

// Standalone [[instance]]s count with the groups' instances (they are On-Demand).
void add_instances(const cloud::World& world, ordered_json& s) {
    const cloud::FleetCounts& counts = world.fleet().counts();
    const int standalone = world.cost().standalone_started();
    const double standalone_hours = world.cost().standalone_hours();
    s["instances"] = {{"launched", counts.launched + standalone},
                      {"standalone", standalone},
                      {"terminated", counts.terminated},
                      {"peak_in_service", counts.peak_in_service},
                      {"spot_interruptions", counts.spot_interruptions},
                      {"instance_hours",
                       {{"on_demand", round_to(world.instance_hours(false) + standalone_hours, 6)},
                        {"spot", round_to(world.instance_hours(true), 6)},
                        {"standalone", round_to(standalone_hours, 6)}}}};
}

void add_autoscaling(const cloud::World& world, ordered_json& s) {
    if (world.groups().empty()) return;
    cloud::AutoScalingCounts total;
    for (const auto& g : world.groups()) {
        total.activities += g->counts().activities;
        total.scale_out += g->counts().scale_out;
        total.scale_in += g->counts().scale_in;
        total.unhealthy_replacements += g->counts().unhealthy_replacements;
        total.insufficient_capacity += g->counts().insufficient_capacity;
    }
    s["autoscaling"] = {{"activities", total.activities},
                        {"scale_out", total.scale_out},
                        {"scale_in", total.scale_in},
                        {"unhealthy_replacements", total.unhealthy_replacements}};
    // Only a run whose scenario limits a pool can meet InsufficientInstanceCapacity (the
    // others' summaries stay as they were).
    if (world.capacity_pools().limited())
        s["autoscaling"]["insufficient_capacity_failures"] = total.insufficient_capacity;
}

// The requests each target group's targets took (queued or served, warm-up included): an
// instance counts for its group's target group, a Fargate task for its service's (one
// listed: several would need the split the load balancer made, which is not kept).
void add_target_groups(const cloud::World& world, ordered_json& s) {
    const auto& spec = world.spec();
    if (spec.target_group.empty()) return;
    std::vector<std::uint64_t> taken(spec.target_group.size(), 0);
    auto add = [&](const std::string& target_group, std::uint64_t requests) {
        for (std::size_t t = 0; t < spec.target_group.size(); ++t)
            if (spec.target_group[t].name == target_group) taken[t] += requests;
    };
    const auto& fleet = world.fleet();
    for (std::uint32_t i = 0; i < fleet.size(); ++i) {
        const int g = fleet[i].config().group;
        if (g < 0) continue;
        const auto& tgs = spec.autoscaling_group[static_cast<std::size_t>(g)].target_groups;
        if (tgs.size() == 1) add(tgs[0], fleet[i].accepted());
    }
    // A Fargate task's compute unit is its own (an ip target): what it took is the task's.
    for (const auto& service : world.ecs_services()) {
        const auto& lbs = service->spec().load_balancer;
        if (lbs.size() != 1) continue;
        for (const cloud::EcsTask& task : service->tasks())
            if (task.instance != cloud::kNoCompute && fleet[task.instance].config().ecs_task)
                add(lbs[0].target_group, fleet[task.instance].accepted());
    }
    ordered_json tgs = ordered_json::object();
    for (std::size_t t = 0; t < spec.target_group.size(); ++t)
        tgs[spec.target_group[t].name] = {{"requests", taken[t]}};
    s["target_groups"] = tgs;
}

void add_alarms(const cloud::World& world, ordered_json& s) {
    const auto alarms = world.alarms();
    if (alarms.empty()) return;
    ordered_json states = ordered_json::object();
    for (const cloud::MetricAlarm* a : alarms)
        states[a->alarm_name()] = to_string(a->state());
    s["alarms"] = {{"transitions", world.alarm_transitions()}, {"final_state", states}};
}

}  // namespace

ordered_json make_summary(const Run& run) {
    RunTiming timing;
    timing.include = false;
    return make_summary(run, timing);
}

// The keys in the order summary.json has them (ordered_json keeps insertion order).
ordered_json make_summary(const Run& run, const RunTiming& timing) {
    const cloud::World& world = run.world();
    const Recorder& rec = run.recorder();
    ordered_json s;
    add_scenario(world, s);
    add_requests(rec, s);
    const SloWindow whole_run = rec.whole_run();
    add_client_latency(whole_run, s);
    if (world.spec().slo.present) s["slo"] = slo_json(run, whole_run);
    add_cost(world, s);
    add_instances(world, s);
    add_ecs_tasks(world, s);
    add_autoscaling(world, s);
    add_target_groups(world, s);
    add_alarms(world, s);
    add_aws_calls(world, s);
    add_s3_access(world, s);
    add_s3_restores(world, s);

    ordered_json kernel;
    kernel["events"] = world.kernel_events();
    if (timing.include) {
        kernel["wall_s"] = round_to(timing.wall_s, 6);
        kernel["events_per_s"] =
            timing.wall_s > 0 ? round_to(world.kernel_events() / timing.wall_s, 0) : 0.0;
    }
    s["kernel"] = kernel;
    check_finite(s, "summary.json", "");
    return s;
}

std::string timeseries_header(const cloud::World& world) {
    std::string out =
        "time_s,rps,p50_ms,p99_ms,errors,in_service,pending,unhealthy,desired,cpu_percent,"
        "cost_rate_usd_per_hour,cost_usd";
    for (const auto& z : world.zone_names())
        out += ",in_service_" + z;
    out +=
        ",requests,ok,http_500,http_502,http_503,http_504,mean_ms,healthy,connect_timeout,"
        "cpu_credit_balance";
    // AWS/ECS: only runs with ECS services have these columns (the others' files stay as
    // they were).
    if (!world.ecs_services().empty())
        out += ",ecs_cpu_percent,ecs_memory_percent,ecs_running_tasks";
    return out + '\n';
}

namespace {
void timeseries_row_text(const PeriodRow& r, fmt::memory_buffer& out);

// The row's text appended to out; the error names the row.
void timeseries_row_into(const PeriodRow& r, fmt::memory_buffer& out) {
    try {
        timeseries_row_text(r, out);
    } catch (const NonFiniteNumber& e) {
        throw NonFiniteNumber(
            fmt::format("timeseries.csv: the row at {} s: {}; nothing was written",
                        to_seconds(r.start), e.what()));
    }
}
}  // namespace

std::string timeseries_row(const PeriodRow& r) {
    fmt::memory_buffer b;
    timeseries_row_into(r, b);
    return fmt::to_string(b);
}

namespace {
// Performance: a row's fields appended to one buffer as num() and std::to_string write them
// (a 10 s period's month has 259,200 rows; a string per field was most of their cost).
struct RowWriter {
    fmt::memory_buffer& b;
    void number(double x, int decimals) {  // num(round_to(x, decimals))
        // Throws, as num() does, where round_to's figure is not finite (x * 10^d overflows).
        if (!(std::fabs(x) < 1e290)) num(round_to(x, decimals));
        append_rounded(b, x, decimals);
    }
    void opt(double x, int decimals) {  // empty when below 0
        if (!(x < 0)) number(x, decimals);
    }
    template <typename Int>
    void integer(Int n) {
        const fmt::format_int text(n);
        b.append(text.data(), text.data() + text.size());
    }
    RowWriter& next() {
        b.push_back(',');
        return *this;
    }
};

void timeseries_row_text(const PeriodRow& r, fmt::memory_buffer& out) {
    const auto& g = r.gauges;
    std::uint64_t errors = 0;
    for (int i = 1; i < cloud::kOutcomeCount; ++i)
        errors += r.outcomes[i];
    RowWriter w{out};
    w.number(to_seconds(r.start), 6);
    w.next().number(static_cast<double>(r.arrivals) / to_seconds(r.length), 6);
    w.next().opt(r.p50_ms, 3);
    w.next().opt(r.p99_ms, 3);
    w.next().integer(errors);
    w.next().integer(g.in_service);
    w.next().integer(g.pending);
    w.next().integer(g.unhealthy);
    w.next();
    if (g.has_groups) w.integer(g.desired);
    w.next().opt(g.cpu_percent, 3);
    w.next().number(g.cost_rate_usd_per_hour, 6);
    w.next().number(g.cost_usd, 6);
    for (int n : g.in_service_by_az)
        w.next().integer(n);
    w.next().integer(r.arrivals);
    for (int i = 0; i < cloud::kHttpOutcomeCount; ++i)
        w.next().integer(r.outcomes[i]);
    w.next().opt(r.mean_ms, 3);
    w.next().integer(g.healthy);
    w.next().integer(r.outcomes[static_cast<int>(cloud::Outcome::ConnectTimeout)]);
    w.next().opt(g.cpu_credit_balance, 3);
    if (g.has_ecs) {
        w.next().opt(g.ecs_cpu_percent, 3);
        w.next().opt(g.ecs_memory_percent, 3);
        w.next().integer(g.ecs_running_tasks);
    }
    w.b.push_back('\n');
}

// Writes each field of an event (cloud::EventRecord's structs list them) into a JSON object.
struct JsonFields {
    ordered_json& out;
    void operator()(const char* key, const std::string& v) { out[key] = v; }
    void operator()(const char* key, const char* v) { out[key] = v; }
    void operator()(const char* key, int v) { out[key] = v; }
    void operator()(const char* key, std::uint64_t v) { out[key] = v; }
    void operator()(const char* key, double v) { out[key] = v; }
    void operator()(const char* key, bool v) { out[key] = v; }
    void operator()(const char* key, const std::optional<std::string>& v) {
        out[key] = v ? ordered_json(*v) : ordered_json(nullptr);
    }
    void operator()(const char* key, const scenario::SettingValue& v) {
        out[key] = std::visit([](const auto& x) { return ordered_json(x); }, v);
    }
};

}  // namespace

ordered_json event_subjects(const cloud::EventRecord& e) {
    ordered_json j = ordered_json::object();
    std::visit([&j](const auto& event) { event.fields(JsonFields{j}); }, e.data);
    return j;
}

namespace {

// Writes each field of an event straight into the text of its JSON line, as ordered_json's
// dump() writes it (the same number and string texts); `plain` turns false where the line needs
// the JSON tree after all (a key given twice, a figure that is not finite, a string with a
// character JSON escapes or that is not ASCII), and the caller then builds it that way.
// Performance: an ordered_json per event (a map of keys and a node per field, then dump) was
// a twentieth of a fluid month's run at 10 s periods (52,000 events).
struct JsonText {
    std::string& out;
    bool plain = true;
    const char* keys[24] = {};
    std::size_t n = 0;

    void key(const char* k) {
        for (std::size_t i = 0; i < n; ++i)
            if (std::strcmp(keys[i], k) == 0) plain = false;
        if (n < std::size(keys))
            keys[n++] = k;
        else
            plain = false;
        if (n > 1) out.push_back(',');
        quoted(k, std::strlen(k));
        out.push_back(':');
    }
    void quoted(const char* s, std::size_t size) {
        bool escaped = false;  // without a branch per character
        for (std::size_t i = 0; i < size; ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            escaped |= (c < 0x20) | (c > 0x7e) | (c == '"') | (c == '\\');
        }
        if (escaped) plain = false;
        out.push_back('"');
        out.append(s, size);
        out.push_back('"');
    }
    void operator()(const char* k, const std::string& v) {
        key(k);
        quoted(v.data(), v.size());
    }
    void operator()(const char* k, const char* v) {
        key(k);
        if (v)
            quoted(v, std::strlen(v));
        else
            plain = false;
    }
    void operator()(const char* k, int v) {
        key(k);
        out += fmt::format_int(v).c_str();
    }
    void operator()(const char* k, std::uint64_t v) {
        key(k);
        out += fmt::format_int(v).c_str();
    }
    void operator()(const char* k, bool v) {
        key(k);
        out += v ? "true" : "false";
    }
    void operator()(const char* k, double v) {
        key(k);
        number(v);
    }
    void number(double v) {
        if (!std::isfinite(v)) {
            plain = false;
            return;
        }
        // nlohmann's own float text (its serializer's dump_float for doubles).
        char text[64];
        out.append(text, nlohmann::detail::to_chars(text, text + sizeof text, v));
    }
    void operator()(const char* k, const std::optional<std::string>& v) {
        key(k);
        if (v)
            quoted(v->data(), v->size());
        else
            out += "null";
    }
    void operator()(const char* k, const scenario::SettingValue& v) {
        key(k);
        std::visit([this](const auto& x) { (*this)(x); }, v);
    }
    void operator()(const std::string& v) { quoted(v.data(), v.size()); }
    void operator()(double v) { number(v); }
    void operator()(bool v) { out += v ? "true" : "false"; }
    void operator()(std::int64_t v) { out += fmt::format_int(v).c_str(); }
};

}  // namespace

std::string event_line(const cloud::EventRecord& e) {
    std::string line = "{";
    JsonText text{line};
    text("t", round_to(to_seconds(e.t), 6));
    text("type", cloud::to_string(e.kind()));
    std::visit([&text](const auto& event) { event.fields(text); }, e.data);
    if (text.plain) return line += "}\n";
    ordered_json j;
    j["t"] = round_to(to_seconds(e.t), 6);
    j["type"] = cloud::to_string(e.kind());
    std::visit([&j](const auto& event) { event.fields(JsonFields{j}); }, e.data);
    check_finite(j, "events.jsonl", cloud::to_string(e.kind()));
    return j.dump() + '\n';
}

namespace {

// windows.csv, written to `stream` a block of rows at a time. Performance: a fluid month at 10 s
// periods has 259,200 windows (26 MB of rows); appended to one string, it was copied at every
// doubling and its fresh pages faulted in each time (a twentieth of the run's time).
void write_windows_csv(const Run& run, std::ostream& stream) {
    const auto& spec = run.world().spec();
    const auto targets = slo_targets(spec.slo);
    stream << "start_s,length_s,answers,ok,http_500,http_502,http_503,http_504,"
              "availability_percent,error_rate_percent,p50_ms,p90_ms,p99_ms,p999_ms,judged,"
              "missed,connect_timeout\n";
    fmt::memory_buffer text;
    for (const SloWindow& w : run.recorder().windows()) {
        const bool judged = spec.slo.present && w.start >= spec.simulation.warmup;
        RowWriter row{text};
        auto share = [&](SloObjective k) {
            if (const auto v = w.value(k)) row.number(*v, 6);
        };
        auto ms = [&](std::size_t k) {
            if (!(w.latency[k] < 0)) row.number(to_millis(w.latency[k]), 3);
        };
        row.number(to_seconds(w.start), 6);
        row.next().number(to_seconds(w.length), 6);
        row.next().integer(w.answered());
        row.next().integer(w.ok());
        for (int k = 1; k <= 4; ++k)
            row.next().integer(w.outcomes[k]);
        row.next();
        share(SloObjective::Availability);
        row.next();
        share(SloObjective::ErrorRate);
        for (std::size_t k = 0; k < 4; ++k) {
            row.next();
            ms(k);
        }
        row.next();
        const std::string_view verdict = judged ? "true" : "false";
        row.b.append(verdict.data(), verdict.data() + verdict.size());
        row.next();
        bool first = true;
        for (const auto& [kind, target] : targets) {
            if (!judged || !misses(w, kind, target)) continue;
            if (!first) row.b.push_back(' ');
            first = false;
            fmt::format_to(std::back_inserter(row.b), "{}", info(kind).key);
        }
        row.next().integer(w.outcomes[static_cast<int>(cloud::Outcome::ConnectTimeout)]);
        row.b.push_back('\n');
        // Written a block at a time (the rows of a buffer of up to 64 KiB).
        if (text.size() >= (1 << 16)) {
            stream.write(text.data(), static_cast<std::streamsize>(text.size()));
            text.clear();
        }
    }
    stream.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

std::string windows_csv(const Run& run) {
    std::ostringstream out;
    write_windows_csv(run, out);
    return out.str();
}

std::string timeseries_csv(const Run& run) {
    std::string out = timeseries_header(run.world());
    for (const PeriodRow& r : run.recorder().rows())
        out += timeseries_row(r);
    return out;
}

std::string events_jsonl(const Run& run) {
    std::string out;
    for (const cloud::EventRecord& e : run.recorder().log().records())
        out += event_line(e);
    return out;
}

// ---- OutputSpool ------------------------------------------------------------------------------

OutputSpool::OutputSpool(Run& run) : run_(run) {
    timeseries_ = std::tmpfile();
    events_ = std::tmpfile();
    if (!timeseries_ || !events_) {
        close();
        throw std::runtime_error(std::string("cannot create a temporary file for the outputs: ") +
                                 std::strerror(errno));
    }
    // What was recorded before the spool was attached goes first, as it came first.
    for (const PeriodRow& r : run.recorder().rows())
        period_closed(r);
    for (const cloud::EventRecord& e : run.recorder().log().records())
        event_added(e);
    run.recorder().stream_rows_to(this);
    run.recorder().log().stream_to(this);
}

OutputSpool::~OutputSpool() {
    run_.recorder().stream_rows_to(nullptr);
    run_.recorder().log().stream_to(nullptr);
    close();
}

void OutputSpool::close() {
    if (timeseries_) std::fclose(timeseries_);
    if (events_) std::fclose(events_);
    timeseries_ = events_ = nullptr;
}

void OutputSpool::append(std::FILE* f, const std::string& text) {
    if (failed_ == 0 && std::fwrite(text.data(), 1, text.size(), f) != text.size())
        failed_ = errno ? errno : EIO;
}

void OutputSpool::period_closed(const PeriodRow& row) {
    // Performance: written from the row's buffer, not through a string (a row a period).
    fmt::memory_buffer text;
    timeseries_row_into(row, text);
    if (failed_ == 0 && std::fwrite(text.data(), 1, text.size(), timeseries_) != text.size())
        failed_ = errno ? errno : EIO;
}

void OutputSpool::event_added(const cloud::EventRecord& record) {
    append(events_, event_line(record));
}

void OutputSpool::copy(std::FILE* from, std::ostream& to) const {
    if (failed_ == 0 && std::fflush(from) != 0) failed_ = errno ? errno : EIO;
    if (failed_ != 0)
        throw files::FileError("(a temporary file)", "cannot spool the time series and events: " +
                                                         files::describe_error(failed_));
    if (std::fseek(from, 0, SEEK_SET) != 0)
        throw std::runtime_error("cannot read back the outputs' temporary files");
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, from)) > 0)
        to.write(buffer, static_cast<std::streamsize>(n));
    std::fseek(from, 0, SEEK_END);
}

void OutputSpool::write_timeseries(std::ostream& out) const {
    out << timeseries_header(run_.world());
    copy(timeseries_, out);
}

void OutputSpool::write_events(std::ostream& out) const {
    copy(events_, out);
}

namespace {

// The windowed verdict, first in the human summary: how many windows missed, and for each
// objective its worst and first missed window; then the whole-run figures, labelled.
std::string slo_lines(const cloud::World& world, const ordered_json& slo) {
    const std::int64_t epoch = world.spec().simulation.start_epoch_s;
    auto when = [&](const ordered_json& start_s) {
        const SimTime t = from_seconds(start_s.get<double>());
        return fmt::format("+{} ({})", elapsed_text(t), clock_time(epoch, t));
    };
    const auto windows = slo["windows"].get<std::size_t>();
    const auto missed = slo["windows_missed"].get<std::size_t>();
    const double budget = slo["budget"].get<double>();
    std::string out =
        fmt::format("  slo        {}: {} of {} windows of {} missed{}{}\n",
                    slo["met"].get<bool>() ? "met" : "MISSED", missed, windows,
                    elapsed_text(from_seconds(slo["window_s"].get<double>())),
                    budget > 0 ? fmt::format(" (budget {:g} %)", 100 * budget) : " (budget 0)",
                    slo["first_miss_s"].is_null() ? "" : ", first at " + when(slo["first_miss_s"]));
    std::string whole;
    for (const auto& o : slo_objectives()) {
        if (!slo.contains(o.key)) continue;
        const auto& j = slo[o.key];
        const bool ms = o.percentile >= 0;
        const std::string unit = ms ? "ms" : "percent";
        auto fig = [&](const ordered_json& v) {
            return v.is_null() ? std::string("-")
                               : fmt::format(ms ? "{:.1f} ms" : "{:.3f} %", v.get<double>());
        };
        const std::string target =
            fmt::format("{} {} {}", o.label, o.at_least ? ">=" : "<=",
                        fmt::format(ms ? "{:g} ms" : "{:g} %", j["target_" + unit].get<double>()));
        out += fmt::format(
            "               {}: {}, {} window(s) missed; worst {}{}{}\n", target,
            j["met"].get<bool>() ? "met" : "MISSED", j["windows_missed"].get<std::size_t>(),
            fig(j["worst_" + unit]),
            j["worst_start_s"].is_null() ? "" : " at " + when(j["worst_start_s"]),
            j["first_miss_s"].is_null() ? "" : ", first miss " + when(j["first_miss_s"]));
        whole += fmt::format("{}{} {} ({})", whole.empty() ? "" : ", ", o.label,
                             fig(j["whole_run_" + unit]),
                             j["whole_run_met"].get<bool>() ? "met" : "missed");
    }
    if (const auto n = slo["windows_without_success"].get<std::size_t>(); n > 0)
        out += fmt::format(
            "               {} window(s) without a successful request (each a miss)\n", n);
    if (const auto n = slo["windows_excluded"].get<std::size_t>(); n > 0)
        out += fmt::format(
            "               not judged: {} window(s) before the warm-up ends "
            "(simulation.warmup = {})\n",
            n, elapsed_text(from_seconds(slo["warmup_s"].get<double>())));
    if (!whole.empty()) out += "               whole run, not the verdict: " + whole + "\n";
    return out;
}

// Every line item of the bill with its usage types, amounts that add up to the total shown.
std::string bill_lines(const std::vector<BillRow>& rows) {
    const BillSummary bill = summarize_bill(rows);
    std::string out =
        fmt::format("  cost       ${:.4f} in total, by line item (bill.csv has every line)\n",
                    bill.shown_total);
    for (const BillItem& item : bill.items) {
        std::string parts;
        for (const BillPart& p : item.parts)
            parts += fmt::format("{}{} ${:.4f}", parts.empty() ? "" : ", ", p.usage_type, p.shown);
        out += fmt::format("               {:<15} ${:>10.4f}  {}\n", item.label, item.shown, parts);
    }
    return out;
}

}  // namespace

std::string human_summary(const Run& run, const ordered_json& s, const std::string& out_dir) {
    const cloud::World& world = run.world();
    auto f = [](const ordered_json& v, const char* fmtstr) -> std::string {
        return v.is_null() ? std::string("-") : fmt::format(fmt::runtime(fmtstr), v.get<double>());
    };
    const auto& r = s["requests"];
    const auto& e = r["errors"];
    const auto& l = s["latency_ms"];
    const auto& c = s["client_latency_ms"];
    std::string out;
    out += fmt::format("stratus: {} (seed {}), {} s simulated, {} events\n",
                       s["scenario"].get<std::string>(), s["seed"].get<std::uint64_t>(),
                       s["duration_s"].get<double>(), s["kernel"]["events"].get<std::uint64_t>());
    if (s.contains("slo")) out += slo_lines(world, s["slo"]);
    out += fmt::format(
        "  requests   {} total, {} ok, {} errors (500: {}, 502: {}, 503: {}, 504: {})\n",
        r["total"].get<std::uint64_t>(), r["ok"].get<std::uint64_t>(),
        e["total"].get<std::uint64_t>(), e["http_500"].get<std::uint64_t>(),
        e["http_502"].get<std::uint64_t>(), e["http_503"].get<std::uint64_t>(),
        e["http_504"].get<std::uint64_t>());
    if (const auto ct = e["connect_timeout"].get<std::uint64_t>(); ct > 0)
        out += fmt::format(
            "  clients    {} connections to the load balancer timed out (it never "
            "saw them)\n",
            ct);
    out += fmt::format("  available  {} %\n", f(s["availability_percent"], "{:.3f}"));
    if (s.contains("fluid_limits"))
        for (const auto& l : s["fluid_limits"])
            out += fmt::format("  fluid      cannot follow request mode from {}\n",
                               l["reason"].get<std::string>());
    out += fmt::format(
        "  latency    successful requests: mean {} ms, p50 {} ms, p90 {} ms, p99 {} ms, max {} "
        "ms\n",
        f(l["mean"], "{:.1f}"), f(l["p50"], "{:.1f}"), f(l["p90"], "{:.1f}"), f(l["p99"], "{:.1f}"),
        f(l["max"], "{:.1f}"));
    out += fmt::format(
        "             every answer, errors included: p50 {} ms, p90 {} ms, p99 {} ms, p99.9 {} "
        "ms\n",
        f(c["p50"], "{:.1f}"), f(c["p90"], "{:.1f}"), f(c["p99"], "{:.1f}"),
        f(c["p999"], "{:.1f}"));
    const std::vector<BillRow> rows = bill_rows(world.cost().ledger());
    out += bill_lines(rows);
    for (const std::string& note : default_cost_notes(world.spec(), rows))
        out += fmt::format("  note       {}\n", note);
    const auto& inst = s["instances"];
    const double od_hours = inst["instance_hours"]["on_demand"].get<double>();
    const double spot_hours = inst["instance_hours"]["spot"].get<double>();
    const int standalone = inst["standalone"].get<int>();
    // A run of ECS tasks alone launches no EC2 instance: it shows its tasks instead.
    const bool tasks = s.contains("ecs_tasks");
    if (!tasks || inst["launched"].get<int>() > 0)
        out += fmt::format(
            "  instances  {} launched{}, peak {} in service, {:.2f} instance-hours{}\n",
            inst["launched"].get<int>(),
            standalone > 0 ? fmt::format(" ({} of them standalone [[instance]]s)", standalone) : "",
            inst["peak_in_service"].get<int>(), od_hours + spot_hours,
            spot_hours > 0 ? fmt::format(" ({:.2f} On-Demand, {:.2f} Spot)", od_hours, spot_hours)
                           : std::string());
    if (tasks) {
        const auto& t = s["ecs_tasks"];
        out += fmt::format(
            "  tasks      {} ECS tasks started, {} stopped, {} running at the end, {:.2f} Fargate "
            "task-hours\n",
            t["started"].get<int>(), t["stopped"].get<int>(), t["running_at_end"].get<int>(),
            t["fargate_task_hours"].get<double>());
    }
    if (s.contains("autoscaling") && s["autoscaling"].contains("insufficient_capacity_failures")) {
        const int failed = s["autoscaling"]["insufficient_capacity_failures"].get<int>();
        if (failed > 0)
            out += fmt::format(
                "  capacity   {} launch attempt{} failed: InsufficientInstanceCapacity (see "
                "autoscaling_activity_failed in events.jsonl)\n",
                failed, failed == 1 ? "" : "s");
    }
    if (!out_dir.empty()) {
        out += fmt::format(
            "  outputs    {}/summary.json, timeseries.csv, windows.csv, events.jsonl, bill.csv\n",
            out_dir);
    }
    return out;
}

void write_file_atomically(const std::string& path, const std::string& content) {
    files::write_file_atomically(path, content);
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
    files::write_file_atomically(path, write);
}

const std::vector<std::string>& output_file_names() {
    static const std::vector<std::string> names = {"timeseries.csv", "events.jsonl", "bill.csv",
                                                   "windows.csv", "summary.json"};
    return names;
}

namespace {

// The parts of `dir` that do not exist yet (nearest last), or why the folder cannot be used.
// A symbolic link to a folder is a folder (the user named it); a link to nothing, a loop, a
// name too long or a part that is not a folder is a problem.
std::string missing_folders(const std::string& dir, std::vector<std::string>* missing) {
    // The names are checked first: the system says "File name too long" only for a part of the
    // path that it reaches, and the outputs' temporary names add up to 40 bytes to the path.
    if (dir.size() + 48 >= PATH_MAX)
        return fmt::format("the path is {} bytes long; the system allows {} with the file names",
                           dir.size(), PATH_MAX - 48);
    for (std::size_t start = 0; start <= dir.size();) {
        const auto slash = std::min(dir.find('/', start), dir.size());
        if (slash - start > NAME_MAX)
            return fmt::format("a name in the path is {} bytes long; the system allows {}",
                               slash - start, NAME_MAX);
        start = slash + 1;
    }
    std::string path = dir;
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    while (true) {
        struct stat st;
        if (::lstat(path.c_str(), &st) == 0) {
            if (S_ISLNK(st.st_mode) && ::stat(path.c_str(), &st) != 0)
                return fmt::format("{} is a symbolic link that leads nowhere ({})", path,
                                   errno == ELOOP ? "a loop" : files::describe_error(errno));
            if (!S_ISDIR(st.st_mode))
                return fmt::format("{} is {}, not a folder", path,
                                   files::describe_file_type(st.st_mode));
            return "";
        }
        if (errno != ENOENT) return fmt::format("{}: {}", path, files::describe_error(errno));
        missing->push_back(path);
        const auto slash = path.find_last_of('/');
        if (slash == std::string::npos) return "";  // the rest is the current folder
        path = slash == 0 ? "/" : path.substr(0, slash);
    }
}

}  // namespace

std::string output_dir_problem(const std::string& dir) {
    if (dir.empty()) return "the output folder name is empty";
    std::vector<std::string> missing;
    if (std::string problem = missing_folders(dir, &missing); !problem.empty())
        return fmt::format("cannot use {} as the output folder: {}", dir, problem);
    // The folder that exists: `dir` itself, or the ancestor the missing folders go into.
    std::string existing = dir;
    if (!missing.empty()) {
        const std::string& top = missing.back();
        const auto slash = top.find_last_of('/');
        existing = slash == std::string::npos ? "." : slash == 0 ? "/" : top.substr(0, slash);
    } else {
        for (const auto& name : output_file_names())
            if (auto problem = files::replace_problem(dir + "/" + name); !problem.empty())
                return fmt::format("cannot write {}/{}: {}", dir, name, problem);
    }
    // Writable? Try it: permissions, read-only file systems and /proc all answer here.
    std::string probe = existing + "/.stratus-probe-XXXXXX";
    const int fd = mkstemp(probe.data());
    if (fd < 0)
        return fmt::format("cannot write into the output folder {}: {} is not writable ({})", dir,
                           existing, std::strerror(errno));
    close(fd);
    ::unlink(probe.c_str());
    return "";
}

void write_outputs(const std::string& dir, const Run& run, const ordered_json& summary,
                   const OutputSpool* spool, const std::string& report_html) {
    if (std::string problem = output_dir_problem(dir); !problem.empty())
        throw files::FileError(dir, problem);
    // Hold the usual interruptions until every file is in place or the folder is as it was
    // (they are delivered then): an interrupt leaves no temporary file behind.
    files::HeldSignals held;
    std::vector<std::string> created;
    missing_folders(dir, &created);
    std::reverse(created.begin(), created.end());  // outermost first
    auto remove_created = [&] {
        for (auto it = created.rbegin(); it != created.rend(); ++it)
            ::rmdir(it->c_str());
    };
    for (auto it = created.begin(); it != created.end(); ++it) {
        if (::mkdir(it->c_str(), 0777) != 0 && errno != EEXIST) {
            const int err = errno;
            created.erase(it, created.end());
            remove_created();
            throw files::FileError(
                dir, fmt::format("cannot create the output folder: {}", std::strerror(err)));
        }
    }
    // All the files are staged (written beside their names), then renamed into place
    // together: a failure anywhere (a full disk, a bad number) leaves the previous set whole.
    try {
        files::FileSet set;
        const auto& names = output_file_names();
        if (spool) {
            set.stage(dir + "/" + names[0],
                      [spool](std::ostream& out) { spool->write_timeseries(out); });
            set.stage(dir + "/" + names[1],
                      [spool](std::ostream& out) { spool->write_events(out); });
        } else {
            set.stage(dir + "/" + names[0], timeseries_csv(run));
            set.stage(dir + "/" + names[1], events_jsonl(run));
        }
        set.stage(dir + "/" + names[2], run.world().cost().ledger().bill_csv());
        set.stage(dir + "/" + names[3], [&run](std::ostream& out) { write_windows_csv(run, out); });
        // run --report: the page goes with the files it was made from.
        if (!report_html.empty()) set.stage(dir + "/report.html", report_html);
        set.stage(dir + "/" + names[4], summary.dump(2) + "\n");
        set.commit();
    } catch (...) {
        remove_created();
        throw;
    }
}

}  // namespace stratus::report
