#pragma once
// The cost meter: it turns what the World does into billing-ledger lines, as an AWS bill
// would show them. EC2 (per second, 60 s minimum per start) and its root EBS volume and
// public IPv4 follow each instance's state; load balancers bill hours, and LCUs from the
// traffic measured every slice (the largest dimension of each clock hour's averages);
// responses to the internet bill data transfer out; standalone resources ([[instance]] with
// its schedule, [[eip]], [[ebs_volume]], [[ebs_snapshot]], [[s3_bucket]]) bill as the
// billing lessons need.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/cloud/database.hpp"
#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/instance.hpp"
#include "sim/cloud/s3.hpp"
#include "sim/cloud/spot_market.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/price_list.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// What one load balancer carried in a 10 s slice.
struct LoadBalancerTraffic {
    double requests = 0;
    double processed_bytes = 0;     // requests and responses through the load balancer
    double mean_in_flight = 0;      // requests in flight (Little's law)
    double internet_out_bytes = 0;  // responses to clients on the internet
    // The LCU's other dimensions (lb_client_connections, alb_rule_evaluations_per_s).
    double new_connections_per_s = 0;
    double active_connections = 0;
    double rule_evaluations_per_s = 0;
};

class CostMeter final : public InstanceStateObserver, public EventHandler {
  public:
    CostMeter(const scenario::Spec& spec, const scenario::InstanceCatalog& catalog,
              Simulation& sim);

    // Opens the lines that exist from the start (load balancers, standalone resources) and
    // schedules the standalone instances' state changes.
    void start();
    // The traffic of the 10 s slice ending now, per load balancer (in the Spec's order).
    void on_slice(SimTime slice_length, const std::vector<LoadBalancerTraffic>& traffic);
    // Data that crossed between AZs so far (the application's database traffic): each GB is
    // charged on both sides.
    void set_inter_az_bytes(double total_bytes);
    // Instances' own traffic to the internet: through NAT gateway `nat` (index in the Spec's
    // [[nat_gateway]]; processed there and billed per GB) or -1 (an internet gateway), then
    // out to the internet.
    void add_outbound(int nat, double gb);
    // Instances' traffic to an AWS service of the region (S3, DynamoDB) through NAT gateway
    // `nat`: processed there, per GB; the transfer itself is free within the region.
    void add_nat_processing(int nat, double gb);
    // Data an interface VPC endpoint (index in the Spec's [[vpc_endpoint]]) processed.
    void add_endpoint_processing(int endpoint, double gb);
    void advance_to(SimTime now) {
        if (!insights_.empty()) accrue_insights_logs(now);
        ledger_.advance_to(now);
    }
    // Closes every line at the end of the run (minimums and whole hours apply), then applies
    // the scenario's Reserved Instances and Savings Plans to the EC2 On-Demand usage hour by
    // UTC hour (commitments.hpp).
    void finish(SimTime end);

    // Spot Instances are billed at their pool's price, updated every 10 s.
    void set_spot_market(SpotMarket* market) { spot_market_ = market; }
    // RDS instances bill from the start (per second, 10-minute minimum, Multi-AZ doubled).
    void set_databases(const std::vector<std::unique_ptr<DbInstance>>* dbs) { dbs_ = dbs; }
    // S3 buckets bill their storage, requests, lifecycle and transfer; the meter runs their
    // lifecycle at each midnight UTC, as the charges it causes are billed then.
    void set_s3_buckets(std::vector<S3Bucket>* buckets) { s3_ = buckets; }
    const BillingLedger& ledger() const { return ledger_; }
    const scenario::PriceList& prices() const { return prices_; }
    // The bill so far as a running total: the cost of Spot Instances still in their first hour
    // is shown once they pass it or are ended by someone other than EC2 (an interruption by
    // EC2 in that hour waives it), so the total never goes down.
    double total() const;
    double rate_per_hour() const { return ledger_.cost_rate_per_hour() + lcu_rate_per_hour_; }

    // Standalone [[instance]]s that entered running, and their billed instance-hours (60 s
    // minimum per start included once they stop or the run ends).
    int standalone_started() const;
    double standalone_hours() const;

    // Bills the surplus CPU credits an unlimited burstable instance was charged since the last
    // call (past the 24 h cap, or settled at stop and terminate).
    void credit_surplus(const Instance& instance);

    // Fargate: a task's vCPU and memory lines start when it starts to pull its image (PENDING)
    // and stop when it is STOPPED (one minute at least).
    void on_task_status(const EcsService& service, const EcsTask& task, TaskStatus from);

    // EC2 lines; an ECS task's compute (config().ecs_task) has none.
    void on_instance_launched(const Instance& instance) override;
    void on_instance_state(const Instance& instance, InstanceState from, InstanceState to) override;
    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kStandaloneState = 1, kS3Tick = 2 };
    struct InstanceLines {
        BillingLedger::ChargeId ec2 = 0, ebs = 0;
        std::optional<BillingLedger::ChargeId> ipv4;
        // Its T unlimited surplus line in credit_lines_, or -1. Performance: credit_surplus
        // ran through every credit line of the run (one per burstable launch) for each running
        // instance at each metric slice: a month of t3 launches spent a third of its time there.
        std::int64_t credit_line = -1;
    };
    struct Standalone {
        const scenario::StandaloneInstanceSpec* spec = nullptr;
        std::string type;
        double hourly = 0;
        double ebs_gb = 0;
        bool public_ipv4 = false;  // auto-assigned (none when an Elastic IP is attached)
        scenario::InstanceState state = scenario::InstanceState::Pending;  // not yet started
        BillingLedger::ChargeId ec2 = 0, ebs = 0;
        std::optional<BillingLedger::ChargeId> ipv4;
        std::size_t next_step = 0;
        bool started = false;  // entered running at least once
    };
    void set_standalone_state(Standalone& s, scenario::InstanceState to);
    double hourly_of(const std::string& type) const;
    // An EC2 line; its runs are kept when commitments will apply to them.
    BillingLedger::ChargeId add_ec2(const std::string& id, const std::string& type, double hourly,
                                    bool spot, const scenario::Tags& tags, const std::string& zone);

    const scenario::Spec& spec_;
    const scenario::InstanceCatalog& catalog_;
    Simulation& sim_;
    scenario::PriceList prices_;
    BillingLedger ledger_;
    std::vector<InstanceLines> instances_;  // by fleet index
    SpotMarket* spot_market_ = nullptr;
    const std::vector<std::unique_ptr<DbInstance>>* dbs_ = nullptr;
    // Running Spot Instances: (fleet index, instance type, AZ).
    struct SpotLine {
        std::uint32_t instance;
        BillingLedger::ChargeId ec2;
        std::string type, zone;
        SimTime launched_at;
        // Performance: the line's pool, found at its first re-pricing (on_slice re-prices
        // every Spot line every slice; the pools' map nodes never move).
        const SpotPool* pool = nullptr;
    };
    std::vector<SpotLine> spot_lines_;
    struct CreditLine {
        std::uint32_t instance;
        BillingLedger::ChargeId id;
        double charged_vcpu_hours = 0;
    };
    std::vector<CreditLine> credit_lines_;
    struct FargateLines {
        std::uint32_t instance;  // the task's compute in the Fleet
        BillingLedger::ChargeId vcpu, memory;
        std::optional<BillingLedger::ChargeId> ipv4;     // assign_public_ip: its address
        std::optional<BillingLedger::ChargeId> storage;  // ephemeral storage above 20 GB
        std::optional<BillingLedger::ChargeId> license;  // Windows: the OS license fee
    };
    std::vector<FargateLines> fargate_lines_;
    std::vector<BillingLedger::ChargeId> lb_hours_, lb_lcus_;  // lb_lcus_: LCUs, NLCUs or GB
    std::vector<scenario::LoadBalancerType> lb_types_;
    std::vector<HourlyCapacityUnits> lcu_hours_;  // by load balancer: the clock hour's dimensions
    void bill_capacity_units(SimTime slice_length, const std::vector<LoadBalancerTraffic>& traffic);
    std::optional<BillingLedger::ChargeId> egress_;
    std::optional<BillingLedger::ChargeId> inter_az_;
    double inter_az_billed_bytes_ = 0;
    double lcu_rate_per_hour_ = 0;  // what the last measured slice added, per hour
    void add_internet_egress(double gb);
    std::vector<BillingLedger::ChargeId> nat_gb_;  // by [[nat_gateway]] index
    // Interface endpoints' hours per AZ (from the start) and GB lines, by [[vpc_endpoint]]
    // index (gateway endpoints have none: nullopt).
    void start_vpc_endpoints();
    std::vector<std::optional<BillingLedger::ChargeId>> endpoint_gb_;
    // ECS beyond the tasks' compute (cost_meter_ecs.cpp). A task's image pull
    // (EcsTask::pulled_bytes) through a NAT gateway or an endpoint, and from a repository of
    // another region; the repositories' storage; Container Insights.
    void bill_image_pull(const EcsService& service, const EcsTask& task);
    void start_ecr();
    struct EcrImage {
        std::string image;  // the image URI
        // Data transfer out of the repository's region when it is not the run's.
        std::optional<BillingLedger::ChargeId> cross_region;
    };
    std::vector<EcrImage> ecr_images_;
    void start_container_insights();
    // A cluster with Container Insights: its metrics line runs for the whole run; its
    // performance log events are accrued as they are put (events_per_minute since `since`).
    struct Insights {
        std::string cluster;
        BillingLedger::ChargeId logs = 0;
        double events_per_minute = 0;
        SimTime since = 0;
        BillingLedger::ChargeId storage = 0;  // the events kept (CloudWatch Logs storage)
        double stored_gb = 0;
    };
    std::vector<Insights> insights_;
    void on_insights_task(const EcsService& service, const EcsTask& task, TaskStatus from);
    void accrue_insights_logs(SimTime now);
    double egress_gb_ = 0;  // this month's, for the tiers
    std::int64_t egress_month_ = 0;
    std::vector<Standalone> standalone_;
    void add_internet_egress(BillingLedger::ChargeId line, double gb);

    // S3 (cost_meter_s3.cpp): each bucket's lines, by class where a class has its own.
    struct S3Lines {
        using Id = std::optional<BillingLedger::ChargeId>;
        std::array<Id, kS3Classes> storage, small, early, put, get, retrieval, transition;
        Id monitoring, egress;
        Id tags;           // the objects' tags (object_tags), per tag-month
        Id it_ia, it_aia;  // INTELLIGENT_TIERING's infrequent and archive instant access tiers
        // Restores from GLACIER and DEEP_ARCHIVE: requests and GB retrieved at the bucket's
        // restore_tier, and the restored copies' storage.
        std::array<Id, kS3Classes> restore, restore_gb;
        Id restored;
    };
    void start_s3();
    // start()'s steps: the lines each kind of resource bills from the start.
    void start_load_balancers();
    void start_standalone();
    void start_addresses_and_volumes();
    void start_nat_gateways();
    S3Lines s3_lines(const S3Bucket& bucket);
    void s3_restore_lines(const S3Bucket& bucket, S3Lines& lines);
    // Every minute and at each midnight UTC: the requests since the last tick, the lifecycle
    // at midnight, the storage until the next tick.
    void s3_tick();
    void s3_accrue_requests(SimTime now);
    // A bucket's restores over [from, to) and its GETs (`gets` of them allowed), at the
    // bucket's usage in the middle of the stretch.
    void s3_accrue_reads(S3Bucket& b, const S3Lines& lines, SimTime from, SimTime to, double gets);
    void s3_bill_lifecycle(const S3Lines& lines, const S3LifecycleResult& r);
    // Sets each bucket's storage sizes for [now, next) and returns `next`, or the moment
    // inside it a volume tier's bound is reached (s3_volume_tiers).
    SimTime s3_set_sizes(SimTime now, SimTime next);
    // STANDARD's and INTELLIGENT_TIERING frequent access's storage volume tiers: each month
    // (UTC) the GB-months of every bucket together are billed 50 TB at the first rate, the
    // next 450 TB at the second, the rest at the third (PriceList::s3_storage_tiers). The
    // tier the month has reached: every bucket's line of the class bills at its rate.
    struct S3VolumeTier {
        S3StorageClass storage_class = S3StorageClass::STANDARD;
        double gb_months = 0;  // this month's, before the stretch being set
        int tier = 0;
    };
    std::array<S3VolumeTier, 2> s3_volume_{
        {{S3StorageClass::STANDARD}, {S3StorageClass::INTELLIGENT_TIERING}}};
    CalendarMonth s3_volume_month_{-1, -1};
    // Moves each class to the tier its GB-months have reached at `now` (a new month starts
    // at the first), then counts the stretch [now, next) at the sizes s3_usage_ holds; a
    // stretch that would pass the tier's bound ends there (the returned time).
    SimTime s3_volume_tiers(SimTime now, SimTime next);
    std::vector<S3Usage> s3_usage_;  // by bucket: the stretch's sizes (allocated at start)
    std::vector<S3Bucket>* s3_ = nullptr;
    std::vector<S3Lines> s3_lines_;  // by bucket
    SimTime s3_last_ = 0;            // requests are accrued up to here
};

}  // namespace stratus::cloud
