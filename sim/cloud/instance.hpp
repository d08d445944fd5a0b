#pragma once
// An EC2 instance: its lifecycle (EC2 state and, inside a group, the Auto Scaling lifecycle)
// and the application on it, a multi-server queue: vCPU x workers_per_vcpu workers and a FIFO
// queue of at most max_queue requests. A request needs its CPU time divided by the type's
// speed; a full queue answers 503.
#include <cstdint>
#include <string>

#include "sim/cloud/request.hpp"
#include "sim/core/ring_buffer.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::report {
class Recorder;
}

namespace stratus::cloud {

using scenario::InstanceState;  // EC2: pending, running, stopping, stopped, shutting-down,
                                // terminated

// The Auto Scaling lifecycle of an instance in a group.
enum class LifecycleState { Pending, InService, Terminating, Terminated };

const char* to_string(InstanceState s);
const char* to_string(LifecycleState s);

struct InstanceConfig {
    std::string name;  // i-0001, in launch order
    std::string instance_type;
    int availability_zone = 0;  // index in the World's zones
    int group = -1;             // index of its Auto Scaling group, -1 for none
    int launch_template_version = 1;
    int vcpu = 1;
    double speed = 1.0;
    int workers = 1;  // vcpu x workers_per_vcpu
    int max_queue = 1000;
};

class Instance final : public EventHandler {
  public:
    Instance(std::uint32_t index, InstanceConfig config, Simulation& sim, RequestPool& requests,
             report::Recorder& recorder);

    // --- lifecycle (driven by its group or the World)
    void launch();       // pending
    void boot_done();    // running; the group puts it InService
    void app_started();  // the application answers requests and health checks
    void set_lifecycle(LifecycleState s) { lifecycle_ = s; }

    // --- traffic
    // Takes a request (already drawn, state Free) or answers it at once; returns the outcome
    // when it ends immediately (queue full, application down), Ok when accepted.
    Outcome accept(std::uint32_t slot);
    // The client gave up on a request this instance holds.
    void abandon(std::uint32_t slot);

    // --- what others may look at
    std::uint32_t index() const { return index_; }
    const InstanceConfig& config() const { return config_; }
    const std::string& name() const { return config_.name; }
    InstanceState state() const { return state_; }
    LifecycleState lifecycle() const { return lifecycle_; }
    bool app_up() const { return app_up_; }
    bool answers_health_check() const { return state_ == InstanceState::Running && app_up_; }
    int busy() const { return busy_; }
    std::uint64_t accepted() const { return accepted_; }  // requests taken, queued or served
    int queued() const { return live_queued_; }
    // Requests the load balancer has sent and not yet had answered (LOR routing).
    int outstanding() const { return busy_live_ + live_queued_; }
    SimTime launched_at() const { return launched_at_; }
    SimTime running_since() const { return running_since_; }
    SimTime terminated_at() const { return terminated_at_; }
    // Worker-seconds spent so far (for CPUUtilization).
    double busy_worker_seconds();

    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kServiceDone = 1 };
    void start_service(std::uint32_t slot);
    void account_busy();

    std::uint32_t index_;
    InstanceConfig config_;
    Simulation& sim_;
    RequestPool& requests_;
    report::Recorder& recorder_;

    InstanceState state_ = InstanceState::Pending;
    LifecycleState lifecycle_ = LifecycleState::Pending;
    bool app_up_ = false;
    SimTime launched_at_ = 0;
    SimTime running_since_ = kNever;
    SimTime terminated_at_ = kNever;

    int busy_ = 0;       // workers holding a request (abandoned ones included: work goes on)
    int busy_live_ = 0;  // of those, requests whose client still waits
    int live_queued_ = 0;
    std::uint64_t accepted_ = 0;
    RingBuffer<std::uint32_t> queue_;  // request slots; abandoned ones are dropped at the head
    SimTime busy_since_ = 0;
    double busy_integral_us_ = 0;  // worker-microseconds
};

}  // namespace stratus::cloud
