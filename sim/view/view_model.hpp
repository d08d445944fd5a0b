#pragma once
// The viewer's model: what each panel of stratus-viz shows at the World's current time, as
// plain values, built from the World's read-only accessors and from the Recorder that observes
// it (its rows and its typed event log). It holds no model logic (nothing here changes the
// World) and needs no window, so the tests check a lab's panels at given times without OpenGL.
//
// [SECTION] tiles and zones   [SECTION] charts   [SECTION] alarms, activities, log
// [SECTION] inspector         [SECTION] the observer (per-AZ traffic, alarm datapoints)
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/report/run.hpp"

namespace stratus::view {

// ---------------------------------------------------------------------------------------------
// [SECTION] tiles and zones

// What an instance tile shows, in the words of the EC2 and Auto Scaling consoles.
enum class TileState {
    Pending,      // launching or booting (lifecycle Pending)
    InService,    // InService and healthy (or no target group)
    Initial,      // InService, registered, first health checks not yet passed
    Unhealthy,    // InService, the target group or EC2 says unhealthy
    Draining,     // Terminating, deregistration delay running
    Terminating,  // Terminating, about to be terminated
    Stopped,      // lost its power (AZ outage, failure), not yet replaced
    Terminated,   // gone (shown fading for a few minutes)
    Unused        // InService, but the load balancer does not use its target (Target.NotInUse)
};
const char* to_string(TileState s);

struct InstanceTile {
    std::uint32_t index = 0;  // in the World's fleet
    std::string id;           // i-0001
    std::string group;        // Auto Scaling group, empty for none
    std::string instance_type;
    int zone = 0;
    TileState state = TileState::Pending;
    std::string target_health;  // "healthy", "initial", ... ; empty when not registered
    bool spot = false;          // market: Spot (true) or On-Demand
    double notice_left_s = -1;  // Spot interruption notice: seconds left; < 0 none
    int outstanding = 0;        // requests in service or queued
    int queued = 0;
    double fade = 1.0;  // 1 fully visible; a terminated tile fades to 0 over 3 min
    // A standalone [[instance]] (no Auto Scaling group, no traffic): `index` is not a fleet
    // index, the tile cannot be inspected, and `ec2_state` is its scheduled EC2 state
    // ("running", "stopped", ...), the one its bill follows.
    bool standalone = false;
    std::string ec2_state;
    // An ECS task (its compute unit is fleet instance `index`, but it is the task that is
    // shown; it cannot be inspected): `id` is the task's, `group` its service's, `task_status`
    // ECS's lastStatus (PROVISIONING ... STOPPED), `stopped_reason` why it stopped or is
    // stopping, `spot` FARGATE_SPOT, `on_ec2` placed on a container instance (EC2 launch type).
    bool task = false;
    bool on_ec2 = false;
    std::string task_status, stopped_reason;
    // The family of the task definition it runs (its deployment's): during a rolling update
    // the old and the new revision's tasks share the service's name, not their family.
    std::string task_definition;
    // Its healthStatus (HEALTHY, UNHEALTHY, UNKNOWN) when an essential container of its task
    // definition has a health check (ecs_container_health.hpp); empty otherwise.
    std::string task_health;
    // Requests/s the load balancers sent it over the last 30 s, answered or refused (its
    // share of RequestCount, as the ALB counts a request once it chose a target); < 0 when
    // not sampled yet.
    double requests_per_s = -1;
    // EC2 launch type. A container instance (an instance of a capacity provider's group) has
    // the tiles of the tasks it runs (indices into RegionView::tiles, drawn inside it, not in
    // their AZ's list) and the CPU units and MiB it registered and its tasks reserve, as the
    // ECS console's container instance shows them. A task placed on one names it (`host`:
    // the container instance's fleet index; -1 for none).
    bool container_instance = false;
    std::string container_status;  // "ACTIVE" or "DRAINING" (ecs_draining.hpp)
    std::vector<std::size_t> hosted;
    // A task of the EC2 launch type still waiting in PROVISIONING for a container instance with
    // room for it (none has its CPU, memory or ports free, or none is registered yet): it has
    // no compute unit and no AZ (`zone` -1, `index` cloud::kNoCompute), and is listed in
    // RegionView::unplaced, not in a zone.
    bool waiting_for_instance = false;
    int cpu_registered = 0, cpu_reserved = 0, memory_registered = 0, memory_reserved = 0;
    std::int64_t host = -1;
};

struct LbNodeView {
    std::string load_balancer;
    bool up = true;
};

struct ZoneView {
    std::string name;
    bool available = true;
    std::vector<LbNodeView> lb_nodes;  // the load balancers' nodes in this AZ
    // Sent by the load balancers to this AZ's targets (instances, tasks), over the last 30 s.
    double requests_per_s = 0;
    // Auto Scaling instances (and Fargate tasks; not the tasks inside container instances).
    // A Fargate task counts by its lastStatus: in_service while RUNNING (ECS's runningCount,
    // whatever its target health), pending while PROVISIONING, PENDING or ACTIVATING, draining
    // while DEACTIVATING, STOPPING or DEPROVISIONING; running_unhealthy: those of its RUNNING
    // tasks whose target is unhealthy (the Target health chart's unhealthy count).
    int in_service = 0, pending = 0, unhealthy = 0, draining = 0, running_unhealthy = 0;
    std::vector<std::size_t> tiles;  // indices into RegionView::tiles: the fleet in launch
                                     // order (tasks on a container instance are in its tile),
                                     // then the standalone instances in file order
};

struct DbView {
    std::string identifier;
    std::string state;  // "available", "failing-over", "unavailable"
    int primary_zone = -1;
    int standby_zone = -1;  // -1: Single-AZ
};

struct GroupView {
    std::string name;
    int desired = 0, min_size = 0, max_size = 0, in_service = 0;
    int health_check_grace_period = 0;
    double cooldown_left_s = -1;    // simple scaling's cooldown still to run; < 0 none
    bool cooldown_waiting = false;  // its activity runs; the cooldown starts when it ends
    double warmup_left_s = -1;      // the newest instance's warm-up still to run; < 0 none
};

struct RegionView {
    std::string region;
    std::vector<ZoneView> zones;
    std::vector<InstanceTile> tiles;
    std::vector<DbView> databases;
    std::vector<GroupView> groups;
    double requests_per_s = 0;  // all zones
    // Fargate tasks serve the requests (ECS services and no Auto Scaling group): the viewer
    // says tasks (작업), not instances, in the region and its charts.
    bool tasks_serve = false;
    // Tasks of the EC2 launch type waiting for a container instance (indices into tiles, in
    // launch order): placed in no AZ yet.
    std::vector<std::size_t> unplaced;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] charts

struct Series {
    std::string name;
    std::vector<double> t_s;  // end of each metrics period, seconds from the start
    std::vector<double> v;
};

struct Threshold {
    std::string label;
    double value = 0;
};

enum class MarkerKind { Fault, Recovery, Change };
struct Marker {
    double t_s = 0;
    MarkerKind kind = MarkerKind::Change;
    std::string label;  // "AZ ap-northeast-2a down"
};

struct Chart {
    std::string title;
    std::string unit;
    std::vector<Series> series;
    std::vector<Threshold> thresholds;
    // Times (s) when an alarm drawn on this chart was in ALARM: shaded, as the CloudWatch
    // console shades an alarm's graph. The last one may end at the playhead (still in ALARM).
    std::vector<std::pair<double, double>> alarm_spans;
};

// The top of a chart's value axis, one rule for every chart: 0-100 for percentages; else a
// round number (1, 2 or 5 x 10^k) 12 % above the largest value of the chart's series and
// thresholds, leaving out the two ends of the run where one-off values land: the start-up
// (the first 5 % of the run, at most 10 minutes: cold caches, the first launches) and the
// period that closes at the end of the run (the bill's minimums and hourly round-ups), so a
// spike there is drawn clipped instead of flattening the rest. When only those ends have
// values, they set the scale.
double axis_top(const Chart& chart, double horizon_s);

struct Charts {
    double horizon_s = 0;
    std::vector<Chart> charts;  // requests/s, latency, errors, CPU, instances, cost rate, cost
    std::vector<Marker> markers;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] alarms, activities, log

struct AlarmView {
    std::string name;
    std::string state;      // OK, ALARM, INSUFFICIENT_DATA
    std::string metric;     // "CPUUtilization (AWS/EC2)"
    std::string condition;  // ">= 70"
    double threshold = 0;
    std::vector<double> recent;  // the newest datapoints the alarm saw, oldest first
    std::string reason;
};

struct ActivityView {
    double t_s = 0;
    std::string group;
    std::string description;  // "Launching a new EC2 instance: i-0005"
    std::string cause;
    std::string termination_rule;  // scale-in terminations: the rule that picked the instance
};

struct LogLine {
    double t_s = 0;
    std::string type;
    std::string text;  // the subjects, "key=value" pairs
};

// One row of the target group's "Targets" tab, as the EC2 console shows it: the health status
// and AWS's reason code (Elb.InitialHealthChecking, Target.FailedHealthChecks, Target.Timeout,
// Target.DeregistrationInProgress, ...) with its description.
struct TargetRow {
    std::string target_group;
    std::string instance;
    std::string availability_zone;
    std::string state;   // initial, healthy, unhealthy, draining, unused, unavailable
    std::string reason;  // empty when healthy
    std::string description;
};

// Whether the load balancer uses a registered target; when not (AWS's Target.NotInUse), the
// console shows it `unused`, and AWS neither routes to it nor checks its health.
enum class TargetUse {
    InUse,
    GroupNotInUse,  // no listener forwards to its target group
    ZoneNotEnabled  // its AZ is not enabled for the load balancers that do
};

// AWS's reason code and description for a target's state (`last_failure`: the reason of its
// last failed check, for unhealthy; `use`: why an unused target is not used).
std::pair<std::string, std::string> target_reason(cloud::TargetHealthState state,
                                                  const std::string& last_failure, bool checked,
                                                  TargetUse use = TargetUse::InUse);

// ---------------------------------------------------------------------------------------------
// [SECTION] inspector

struct InstanceDetail {
    InstanceTile tile;
    std::string ec2_state;  // pending, running, stopped, terminated
    std::string lifecycle;  // Pending, InService, Terminating, Terminated
    double launched_at_s = 0;
    double terminated_at_s = -1;
    int busy = 0, queued = 0;
    std::uint64_t accepted = 0;
    double cost_so_far_usd = 0;             // its EC2 (and CPU credit) lines of the bill so far
    std::vector<LogLine> lifecycle_events;  // launch, in service, termination
    std::vector<LogLine> health_checks;     // target health transitions
};

// ---------------------------------------------------------------------------------------------
// [SECTION] the observer

// Keeps what a snapshot cannot read back from the World: per-AZ request counts over time (for
// the traffic arrows) and each alarm's recent datapoints. Call observe() after each advance of
// the World (the driver advances in steps of at most 10 s).
// Whether the run's requests are served by Fargate tasks (RegionView::tasks_serve).
bool tasks_serve(const cloud::World& world);

class ViewModel {
  public:
    explicit ViewModel(const report::Run& run);

    void observe(const report::Run& run);

    RegionView region(const report::Run& run) const;
    Charts charts(const report::Run& run) const;
    std::vector<AlarmView> alarms(const report::Run& run) const;
    std::vector<ActivityView> activities(const report::Run& run) const;
    // The event log, newest last; `filter` keeps lines whose type or text contains it
    // (case-insensitive); at most `limit` lines, the newest.
    std::vector<LogLine> log(const report::Run& run, const std::string& filter,
                             std::size_t limit = 500) const;
    InstanceDetail inspect(const report::Run& run, std::uint32_t instance) const;
    // Every registered target of every target group (removed ones left out).
    std::vector<TargetRow> targets(const report::Run& run) const;

  private:
    struct Sample {
        SimTime t = 0;
        std::vector<std::uint64_t> routed;  // per fleet instance: Instance::routed()
    };
    void read_new_records(const report::Recorder& recorder);
    // Requests/s each fleet instance was sent lately (over the last 30 s of samples; the fluid
    // model's rates in fluid mode).
    std::vector<double> instance_rates(const cloud::World& world) const;

    std::vector<Sample> samples_;  // recent (the last 2 minutes)
    // Read from the event log as it grows (each record once): Spot notices by instance,
    // chart markers, Auto Scaling activities.
    std::size_t records_read_ = 0;
    std::map<std::string, double> notice_until_s_;
    std::vector<Marker> markers_;
    std::vector<ActivityView> activities_;
    std::vector<std::vector<double>> alarm_points_;  // per alarm (World::alarms order)
    // Per alarm name: its spans in ALARM, and the start of the one in progress.
    std::map<std::string, std::vector<std::pair<double, double>>> alarm_spans_;
    std::map<std::string, double> alarm_since_;
    std::vector<SimTime> alarm_last_eval_;
};

// A log line's text ("instance=i-0003 cause=..."): the event's fields in order.
std::string event_text(const cloud::EventRecord& record);
// One field's text ("i-0003"), or empty when the event has no field of that name.
std::string event_field(const cloud::EventRecord& record, const char* name);

}  // namespace stratus::view
