#pragma once
// A workload: clients sending requests to a load balancer as a Poisson process with a
// time-varying rate. Each request's CPU time is drawn at its arrival from the workload's own
// stream, so two runs that differ only in policy serve the same requests. Clients give up
// after `timeout` (504).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/arrival_process.hpp"
#include "sim/cloud/database.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/load_balancer.hpp"
#include "sim/cloud/rate_function.hpp"
#include "sim/cloud/request.hpp"
#include "sim/core/random.hpp"
#include "sim/core/ring_buffer.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class RequestAccounting;
class AwsCalls;

class Workload final : public EventHandler {
  public:
    Workload(const scenario::WorkloadSpec& spec, std::int64_t start_epoch_s, std::uint64_t seed,
             SimTime horizon, LoadBalancer& load_balancer, Simulation& sim, Fleet& fleet,
             RequestPool& requests, RequestAccounting& accounting);

    const std::string& name() const { return spec_.name; }
    const RateFunction& rate() const { return rate_; }

    void start();  // schedules the first arrival
    // A scheduled change of the rate (`[[action]] workload.<name>.rate_multiplier`): every
    // rate from now on times `scale`. In request mode the pending arrival is dropped and the
    // arrivals restart now (the Poisson process is memoryless, and a live session and its
    // replay draw the same numbers).
    void set_rate_multiplier(double scale);
    // The database every request needs; while it is unreachable its requests are routed and
    // served, then fail with 500 after the application's connect timeout
    // (database_connect_timeout).
    void set_database(const DbInstance* db) { database_ = db; }
    // The AWS calls its application makes (aws_calls.hpp); `index`: this workload's in them.
    void set_aws_calls(AwsCalls* calls, std::size_t index) {
        aws_calls_ = calls;
        aws_index_ = index;
    }
    // Networking: no security group lets the clients reach the load balancer (every request's
    // connection times out at the client's timeout, unseen by the load balancer), or the
    // application reach its database (500 behind the target).
    void set_load_balancer_unreachable(bool closed) { load_balancer_closed_ = closed; }
    // The listener of its load balancer its clients connect to (scenario::listener_of).
    void set_listener(std::size_t listener) { listener_ = listener; }
    std::size_t listener() const { return listener_; }
    // Placements: what put an instance where it is, an Auto Scaling group (its index) or an ECS
    // service (the number of groups + its index); each sits in its own subnets with its own
    // security groups, so the flows out of it are its own. Set by track_outbound.
    int placement_of(const InstanceConfig& instance) const {
        if (instance.group >= 0) return instance.group;
        if (instance.ecs_service >= 0) return groups_ + instance.ecs_service;
        return -1;
    }
    // The application on a placement's instances cannot reach the database (no security group
    // lets it): its requests fail behind the target with 500.
    void set_database_flow_closed(int placement) {
        database_flow_closed_.resize(static_cast<std::size_t>(placements_), 0);
        database_flow_closed_.at(static_cast<std::size_t>(placement)) = 1;
    }
    bool database_flow_closed(const InstanceConfig& instance) const {
        const int p = placement_of(instance);
        return p >= 0 && !database_flow_closed_.empty() &&
               database_flow_closed_[static_cast<std::size_t>(p)] != 0;
    }
    // Per (placement x zones + zone): 1 where its requests' calls out of the VPC cannot leave
    // the instance's subnet (World::close_calls_out); such a request is routed and served,
    // then fails with 500 after the application's connect timeout (database_connect_timeout:
    // one HTTP client setting), and none of its outbound, S3 or DynamoDB bytes leave.
    void set_calls_out_closed(std::vector<std::uint8_t> closed) {
        calls_out_closed_ = std::move(closed);
    }
    bool calls_out_closed(const InstanceConfig& instance) const {
        if (calls_out_closed_.empty()) return false;  // before reading the instance
        const int p = placement_of(instance);
        if (p < 0) return false;
        return calls_out_closed_[static_cast<std::size_t>(p * zones_ +
                                                          instance.availability_zone)] != 0;
    }
    // Whether a request served by `instance` fails behind it, after the application's
    // connect timeout: its database is unreachable (down, as `database_up` says, or no flow
    // from this placement), or its call out of the VPC cannot leave. The fluid mode passes the
    // database as it was when its step was solved.
    bool fails_behind(const InstanceConfig& instance, bool database_up) const {
        return (database_ && (database_flow_closed(instance) || !database_up)) ||
               calls_out_closed(instance);
    }
    // Whether fluid_accepted() counts anything (a database or outbound traffic is tracked).
    bool counts_fluid_traffic() const {
        return database_ ||
               (!outbound_.empty() &&
                (spec_.outbound_bytes > 0 || spec_.s3_bytes > 0 || spec_.dynamodb_bytes > 0));
    }
    // Bytes exchanged with the database by instances in another AZ than its primary (billed
    // as inter-AZ transfer), since the start.
    double cross_az_database_bytes() const { return cross_az_database_bytes_; }
    // Bytes its requests made instances send to the internet, by (placement x zones + zone),
    // so that the World can route them through each subnet's NAT gateway or internet gateway.
    void track_outbound(int groups, int ecs_services, int zones) {
        groups_ = groups;
        placements_ = groups + ecs_services;
        zones_ = zones;
        outbound_.assign(static_cast<std::size_t>(placements_ * zones), 0.0);
        service_.assign(static_cast<std::size_t>(placements_ * zones) * 2, 0.0);
    }
    const std::vector<double>& outbound_bytes() const { return outbound_; }
    // Bytes its requests made instances exchange with S3 (even index) and DynamoDB (odd) in
    // the region, by 2 x (placement x zones + zone) + service, since the start: the World routes
    // them through a gateway endpoint or the subnet's route.
    const std::vector<double>& service_bytes() const { return service_; }

    // --- fluid mode (FluidModel reads these instead of starting arrivals)
    const scenario::WorkloadSpec& spec() const { return spec_; }
    LoadBalancer& load_balancer() const { return load_balancer_; }
    const DbInstance* database() const { return database_; }
    bool load_balancer_unreachable() const { return load_balancer_closed_; }
    // `requests` (fractional) taken by an instance: the database and outbound bytes they
    // cause, as arrive() counts them one by one.
    void fluid_accepted(const InstanceConfig& instance, double requests);

    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kArrival = 1, kTimeoutCheck = 2 };
    bool arrivals_started_ = false;
    // An arrival event whose arg is not this generation was dropped by a rate change.
    std::uint32_t arrival_generation_ = 0;
    struct Deadline {
        SimTime at;
        std::uint32_t slot;
        std::uint32_t generation;
    };
    void arrive();
    // Adds the outbound, S3 and DynamoDB bytes of `requests` an instance of a group or an ECS
    // task took.
    void count_instance_traffic(const InstanceConfig& instance, double requests);
    void check_timeouts();
    void schedule_timeout_check();

    scenario::WorkloadSpec spec_;
    SimTime horizon_;
    LoadBalancer& load_balancer_;
    Simulation& sim_;
    Fleet& fleet_;
    RequestPool& requests_;
    RequestAccounting& accounting_;
    RateFunction rate_;
    ArrivalProcess arrivals_;
    RandomStream service_stream_;
    // Every accepted request's deadline. The timeout is the same for all of them, so deadlines
    // come in arrival order: a FIFO and one pending check replace a timer per request.
    RingBuffer<Deadline> deadlines_;
    bool check_pending_ = false;
    const DbInstance* database_ = nullptr;
    AwsCalls* aws_calls_ = nullptr;
    std::size_t aws_index_ = 0;
    // The principal index of each instance (by fleet index) its requests reached; -2: not
    // looked up yet. Grows with the fleet, not per request.
    std::vector<int> principal_of_;
    // Whether the application's AWS calls for the request just routed to `instance` fail.
    bool aws_call_denied(std::uint32_t instance);
    bool load_balancer_closed_ = false;
    std::size_t listener_ = 0;
    std::vector<std::uint8_t> database_flow_closed_;  // per placement; empty: all open
    std::vector<std::uint8_t> calls_out_closed_;      // empty: every call out leaves
    double cross_az_database_bytes_ = 0;
    std::vector<double> outbound_;
    std::vector<double> service_;
    int groups_ = 0, placements_ = 0, zones_ = 0;
};

}  // namespace stratus::cloud
