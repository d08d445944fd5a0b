#pragma once
// Fault injection after the AWS Fault Injection Service: AZ power interruptions (scheduled or
// stochastic with mtbf/mttr), instance failures (a fraction of a group at a time) and extra
// latency in an AZ or a group. The injector only decides when; the World carries each fault
// out on the components (FaultTarget).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// The scenario's name of a fault type ("az_outage", "spot_interruption", ...).
const char* to_string(scenario::FaultType type);

class FaultTarget {
  public:
    virtual void begin_az_outage(int zone, const std::string& fault) = 0;
    virtual void end_az_outage(int zone, const std::string& fault) = 0;
    // `fraction` <= 0: one instance.
    virtual void fail_instances(int group, double fraction, RandomStream& rng,
                                const std::string& fault) = 0;
    // EC2 interrupts `fraction` of the group's Spot Instances (at least one) `lead` from now:
    // a rebalance recommendation now when `lead` is longer than the 2-minute notice, the
    // notice 2 minutes before the interruption (AWS FIS's send-spot-instance-interruptions
    // and its durationBeforeInterruption).
    virtual void spot_interruption(int group, double fraction, RandomStream& rng,
                                   const std::string& fault, SimTime lead) = 0;
    // A Multi-AZ database fails over to its standby (a single-AZ one reboots).
    virtual void db_failover(int db, const std::string& fault) = 0;
    // `zone` or `group` is -1 when the fault targets the other.
    virtual void begin_latency(int zone, int group, SimTime extra, const std::string& fault) = 0;
    virtual void end_latency(int zone, int group, const std::string& fault) = 0;

  protected:
    ~FaultTarget() = default;
};

class FaultInjector final : public EventHandler {
  public:
    // `zones` and `groups`: the names the faults' targets resolve against.
    FaultInjector(const std::vector<scenario::FaultSpec>& faults,
                  const std::vector<std::string>& zones, const std::vector<std::string>& groups,
                  const std::vector<std::string>& databases, std::uint64_t seed, Simulation& sim,
                  FaultTarget& target);

    void start();
    // A fault added during the run (the viewer's commands): it gets the next index, so its
    // label and random stream are those it has when the exported scenario lists it last.
    // `started`: schedule it now (otherwise start() does). Returns its index.
    std::size_t add(const scenario::FaultSpec& fault, bool started);
    // Ends fault `i` (an outage or latency in force) at `at`, before its duration runs out;
    // its own end event then does nothing. The viewer's "recover now".
    void end_early(std::size_t i, SimTime at);
    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kBegin = 1, kEnd = 2, kEndEarly = 3 };
    struct Fault {
        scenario::FaultSpec spec;
        std::string label;  // "fault[0] az_outage us-east-1a"
        int zone = -1;
        int group = -1;
        int db = -1;
        RandomStream rng;
        SimTime extra = 0;         // the latency drawn for the current occurrence
        bool active = false;       // begun and not ended
        bool ended_early = false;  // end_early() ended it: skip its scheduled end
    };
    void begin(std::uint32_t i);
    void end(std::uint32_t i);
    bool lasts(const Fault& f) const;

    std::vector<Fault> faults_;
    std::vector<std::string> zones_, groups_, databases_;
    std::uint64_t seed_;
    Simulation& sim_;
    FaultTarget& target_;
};

}  // namespace stratus::cloud
