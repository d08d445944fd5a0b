#include "sim/cloud/cost_meter.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/commitments.hpp"

namespace stratus::cloud {
namespace {

using scenario::InstanceState;

// "i-0001" -> "vol-0001": the root volume's id, after the instance's.
std::string volume_id(const std::string& instance) {
    return instance.rfind("i-", 0) == 0 ? "vol-" + instance.substr(2) : "vol-" + instance;
}

}  // namespace

CostMeter::CostMeter(const scenario::Spec& spec, const scenario::InstanceCatalog& catalog,
                     Simulation& sim)
    : spec_(spec),
      catalog_(catalog),
      sim_(sim),
      prices_(scenario::PriceList::builtin(spec.region.name)) {
    if (spec.pricing.present) prices_.apply_overrides(spec.pricing);
    ledger_.set_calendar(spec.simulation.start_epoch_s);
}

double CostMeter::hourly_of(const std::string& type) const {
    const auto price = prices_.on_demand_hourly(catalog_, type);
    return price ? *price : 0.0;
}

void CostMeter::start() {
    start_load_balancers();
    if (!spec_.workload.empty()) {
        egress_ = ledger_.add(internet_egress_charge("internet", prices_));
    }
    start_standalone();
    start_addresses_and_volumes();
    start_s3();
    start_nat_gateways();
    start_vpc_endpoints();
    start_ecr();
    start_container_insights();
    if (dbs_) {
        for (const auto& db : *dbs_) {
            ChargeSpec line = db->billing_line(prices_);
            // Reserved DB instances apply per clock hour: the runs are kept for them.
            if (!spec_.reserved_db_instance.empty()) {
                line.keep_runs = true;
                line.product =
                    db->spec().engine == scenario::DbEngine::Postgres ? "postgresql" : "mysql";
            }
            ledger_.start(ledger_.add(std::move(line)), 0);
            ledger_.start(ledger_.add(db->storage_billing_line(prices_)), 0);
        }
    }
}

// Each load balancer's hours and capacity units (or a Classic one's GB processed), and the
// public IPv4 addresses of an internet-facing one.
void CostMeter::start_load_balancers() {
    for (const auto& lb : spec_.load_balancer) {
        // The resource id as in the load balancer's ARN: loadbalancer/app/NAME (ALB),
        // loadbalancer/net/NAME (NLB), loadbalancer/NAME (Classic).
        const char* const kind =
            lb.load_balancer_type == scenario::LoadBalancerType::Network   ? "net/"
            : lb.load_balancer_type == scenario::LoadBalancerType::Classic ? ""
                                                                           : "app/";
        const std::string id = "loadbalancer/" + std::string(kind) + lb.name;
        ChargeSpec hours = alb_hour_charge(id, prices_, lb.tags);
        // The usage line: LCUs (ALB), NLCUs (NLB), or a Classic LB's GB processed.
        ChargeSpec lcus = alb_lcu_charge(id, prices_, lb.tags);
        if (lb.load_balancer_type == scenario::LoadBalancerType::Network) {
            hours.rate = prices_.nlb_hour;
            lcus.rate = prices_.nlb_nlcu_hour;
        } else if (lb.load_balancer_type == scenario::LoadBalancerType::Classic) {
            hours.rate = prices_.clb_hour;
            lcus = clb_data_processing_charge(id, prices_, lb.tags);
        }
        lb_types_.push_back(lb.load_balancer_type);
        lb_hours_.push_back(ledger_.add(hours));
        lb_lcus_.push_back(ledger_.add(lcus));
        // Billed per UTC clock hour: where the run's start falls in its hour.
        const std::int64_t past = spec_.simulation.start_epoch_s % 3600;
        lcu_hours_.emplace_back((past < 0 ? past + 3600 : past) * kSecond);
        ledger_.start(lb_hours_.back(), 0);  // LCUs accrue per measured slice instead
        // An internet-facing load balancer holds a public IPv4 address per AZ node, billed as
        // any public IPv4 in use (AWS charges the addresses its services hold since
        // 2024-02-01). AWS may add addresses as a load balancer scales; one per node is the
        // least it holds.
        if (lb.internal) continue;
        const auto& zones =
            lb.availability_zones.empty() ? spec_.region.availability_zones : lb.availability_zones;
        for (const auto& zone : zones) {
            ledger_.start(
                ledger_.add(public_ipv4_charge("ipv4/" + id + "/" + zone, false, prices_, lb.tags)),
                0);
        }
    }
}

// Standalone instances ([[instance]]): their EC2 hours, root volume and public IPv4, from
// their schedule.
void CostMeter::start_standalone() {
    for (const auto& inst : spec_.instance) {
        Standalone s;
        s.spec = &inst;
        s.type = inst.instance_type;
        s.ebs_gb = inst.ebs_gb;
        s.public_ipv4 = inst.associate_public_ip_address;
        if (!inst.launch_template.empty()) {
            for (const auto& lt : spec_.launch_template) {
                if (lt.name != inst.launch_template) continue;
                s.type = lt.instance_type;
                s.ebs_gb = lt.ebs_gb;
                s.public_ipv4 = lt.associate_public_ip_address;
            }
        }
        // An Elastic IP replaces the auto-assigned address.
        for (const auto& eip : spec_.eip)
            if (eip.instance == inst.name) s.public_ipv4 = false;
        s.hourly = hourly_of(s.type);
        s.ec2 = add_ec2(inst.name, s.type, s.hourly, false, inst.tags, inst.availability_zone);
        s.ebs = ledger_.add(ebs_gp3_charge(volume_id(inst.name), s.ebs_gb, prices_, inst.tags));
        if (s.public_ipv4)
            s.ipv4 =
                ledger_.add(public_ipv4_charge("ipv4/" + inst.name, false, prices_, inst.tags));
        standalone_.push_back(std::move(s));
    }
    for (std::uint32_t i = 0; i < standalone_.size(); ++i) {
        const auto& schedule = standalone_[i].spec->schedule;
        if (schedule.empty()) {
            set_standalone_state(standalone_[i], InstanceState::Running);
        } else {
            sim_.schedule_at(schedule.front().first, this, kStandaloneState, i);
        }
    }
}

// Elastic IPs, EBS volumes and snapshots, billed from the start.
void CostMeter::start_addresses_and_volumes() {
    for (const auto& eip : spec_.eip) {
        // An Elastic IP is billed while it is allocated, attached or idle (since 2024-02).
        const auto id = ledger_.add(
            public_ipv4_charge("eipalloc/" + eip.name, eip.instance.empty(), prices_, eip.tags));
        ledger_.start(id, 0);
    }
    for (const auto& v : spec_.ebs_volume) {
        const auto id = ledger_.add(ebs_gp3_charge(v.name, v.size_gb, prices_, v.tags));
        ledger_.start(id, 0);
    }
    for (const auto& snap : spec_.ebs_snapshot) {
        const auto id = ledger_.add(snapshot_charge(snap.name, snap.size_gb, prices_, snap.tags));
        ledger_.start(id, 0);
    }
}

void CostMeter::start_nat_gateways() {
    for (const auto& nat : spec_.nat_gateway) {
        // Hours for as long as it exists, and the GB it processes (add_outbound). A public NAT
        // gateway holds an Elastic IP: its public IPv4 is billed here, in use.
        ledger_.start(ledger_.add(nat_gateway_hour_charge(nat.name, prices_, nat.tags)), 0);
        nat_gb_.push_back(ledger_.add(nat_gateway_gb_charge(nat.name, prices_, nat.tags)));
        ledger_.start(ledger_.add(public_ipv4_charge("ipv4/natgateway/" + nat.name, false, prices_,
                                                     nat.tags)),
                      0);
    }
}

// Each interface endpoint bills an hour in each AZ of its subnets from the start.
void CostMeter::start_vpc_endpoints() {
    for (const auto& e : spec_.vpc_endpoint) {
        endpoint_gb_.emplace_back();
        if (e.vpc_endpoint_type != scenario::EndpointType::Interface) continue;
        std::vector<std::string> zones;
        for (const auto& name : e.subnets)
            for (const auto& sn : spec_.subnet)
                if (sn.name == name &&
                    std::find(zones.begin(), zones.end(), sn.availability_zone) == zones.end())
                    zones.push_back(sn.availability_zone);
        for (const auto& zone : zones) {
            ChargeSpec hours = vpc_endpoint_hour_charge("vpce/" + e.name, prices_, e.tags);
            hours.availability_zone = zone;
            ledger_.start(ledger_.add(std::move(hours)), 0);
        }
        endpoint_gb_.back() =
            ledger_.add(vpc_endpoint_gb_charge("vpce/" + e.name, prices_, e.tags));
    }
}

void CostMeter::add_endpoint_processing(int endpoint, double gb) {
    if (gb <= 0 || endpoint < 0 || static_cast<std::size_t>(endpoint) >= endpoint_gb_.size())
        return;
    if (const auto& line = endpoint_gb_[static_cast<std::size_t>(endpoint)])
        ledger_.accrue(*line, gb);
}

void CostMeter::set_standalone_state(Standalone& s, InstanceState to) {
    const SimTime now = sim_.now();
    const InstanceState from = s.state;
    if (from == to || from == InstanceState::Terminated) return;
    const bool was_running = from == InstanceState::Running;
    const bool exists_before = from == InstanceState::Running || from == InstanceState::Stopped;
    if (to == InstanceState::Running) {
        s.started = true;
        ledger_.start(s.ec2, now);
        if (!exists_before) ledger_.start(s.ebs, now);
        if (s.ipv4) ledger_.start(*s.ipv4, now);
    } else {
        if (was_running) {
            ledger_.stop(s.ec2, now);
            // An auto-assigned public IPv4 is released when the instance stops.
            if (s.ipv4) ledger_.stop(*s.ipv4, now);
        }
        if (to == InstanceState::Stopped && !exists_before) ledger_.start(s.ebs, now);
        if (to == InstanceState::Terminated) ledger_.stop(s.ebs, now);
    }
    s.state = to;
}

int CostMeter::standalone_started() const {
    int n = 0;
    for (const Standalone& s : standalone_)
        n += s.started ? 1 : 0;
    return n;
}

double CostMeter::standalone_hours() const {
    double hours = 0;
    for (const Standalone& s : standalone_)
        hours += ledger_.line(s.ec2).usage_quantity;
    return hours;
}

void CostMeter::on_event(const Event& e) {
    if (e.kind == kStandaloneState) {
        Standalone& s = standalone_[e.arg];
        const auto& schedule = s.spec->schedule;
        set_standalone_state(s, schedule[s.next_step].second);
        ++s.next_step;
        if (s.next_step < schedule.size())
            sim_.schedule_at(schedule[s.next_step].first, this, kStandaloneState, e.arg);
    } else if (e.kind == kS3Tick) {
        s3_tick();
    }
}

void CostMeter::on_instance_launched(const Instance& instance) {
    const auto& cfg = instance.config();
    if (cfg.ecs_task) return;
    if (instances_.size() <= instance.index()) instances_.resize(instance.index() + 1);
    InstanceLines& lines = instances_[instance.index()];
    const SimTime now = sim_.now();
    // Billed from launch (the Auto Scaling guide: billing starts at launch, before InService);
    // the model's boot time covers EC2's pending and the OS start.
    const std::string& zone = spec_.region.availability_zones[cfg.availability_zone];
    const double hourly = cfg.spot && spot_market_
                              ? spot_market_->price_at(cfg.instance_type, zone, now)
                              : hourly_of(cfg.instance_type);
    lines.ec2 = add_ec2(instance.name(), cfg.instance_type, hourly, cfg.spot, cfg.tags, zone);
    if (cfg.type.burstable && cfg.type.unlimited) {
        const std::string family = cfg.instance_type.substr(0, cfg.instance_type.find('.'));
        lines.credit_line = static_cast<std::int64_t>(credit_lines_.size());
        credit_lines_.push_back(
            {instance.index(),
             ledger_.add(t_unlimited_surplus_charge(instance.name(), family, prices_, cfg.tags)),
             0.0});
    }
    if (cfg.spot)
        spot_lines_.push_back({instance.index(), lines.ec2, cfg.instance_type, zone, now, nullptr});
    lines.ebs =
        ledger_.add(ebs_gp3_charge(volume_id(instance.name()), cfg.ebs_gb, prices_, cfg.tags));
    ledger_.start(lines.ec2, now);
    ledger_.start(lines.ebs, now);
    if (cfg.public_ipv4) {
        lines.ipv4 =
            ledger_.add(public_ipv4_charge("ipv4/" + instance.name(), false, prices_, cfg.tags));
        ledger_.start(*lines.ipv4, now);
    }
}

BillingLedger::ChargeId CostMeter::add_ec2(const std::string& id, const std::string& type,
                                           double hourly, bool spot, const scenario::Tags& tags,
                                           const std::string& zone) {
    ChargeSpec charge = ec2_instance_charge(id, type, hourly, spot, tags);
    // Savings Plans and Reserved Instances do not apply to Spot Instances.
    charge.keep_runs = !spot && (!spec_.reserved_instance.empty() || !spec_.savings_plan.empty());
    if (charge.keep_runs) charge.availability_zone = zone;  // zonal RIs match on it
    return ledger_.add(std::move(charge));
}

void CostMeter::finish(SimTime end) {
    s3_accrue_requests(end);
    if (!insights_.empty()) accrue_insights_logs(end);
    ledger_.finish(end);
    if (spec_.reserved_instance.empty() && spec_.reserved_db_instance.empty() &&
        spec_.savings_plan.empty())
        return;
    std::vector<ReservedInstance> reserved;
    for (const auto& ri : spec_.reserved_instance)
        reserved.push_back({ri.name, ri.instance_type, ri.instance_count, ri.recurring_charge,
                            ri.fixed_price / (ri.duration / 3600.0), CommitmentService::EC2,
                            ri.availability_zone, "", false});
    for (const auto& ri : spec_.reserved_db_instance)
        reserved.push_back({ri.name, ri.db_instance_class, ri.instance_count, ri.recurring_charge,
                            ri.fixed_price / (ri.duration / 3600.0), CommitmentService::RDS, "",
                            ri.product_description, ri.multi_az});
    std::vector<SavingsPlan> plans;
    for (const auto& sp : spec_.savings_plan) {
        SavingsPlan plan;
        plan.id = sp.name;
        plan.type = sp.savings_plan_type == "EC2Instance" ? SavingsPlanType::Ec2Instance
                                                          : SavingsPlanType::Compute;
        plan.instance_family = sp.instance_family;
        plan.commitment_per_hour = sp.commitment;
        plan.rates.insert(sp.rates.begin(), sp.rates.end());
        plan.discount = sp.discount / 100.0;
        plan.upfront_hourly = sp.upfront_payment_amount / (sp.term_duration_in_seconds / 3600.0);
        plans.push_back(std::move(plan));
    }
    // Commitments apply per UTC clock hour: where the run's start falls in its hour.
    const std::int64_t past = spec_.simulation.start_epoch_s % 3600;
    bill_commitments(ledger_, reserved, plans, end, (past < 0 ? past + 3600 : past) * kSecond);
}

double CostMeter::total() const {
    // The running lines' cost since they last accrued comes from the ledger's running rate (a
    // metrics period within a slice; 0 right after advance_to).
    const SimTime now = sim_.now();
    double pending = 0;
    for (const SpotLine& l : spot_lines_)
        if (now - l.launched_at < kSpotFreeInterruptionWindow)
            pending += ledger_.line(l.ec2).cost + ledger_.unaccrued_cost(l.ec2, now);
    return ledger_.accrued_total() + ledger_.unaccrued_cost(now) - pending;
}

void CostMeter::set_inter_az_bytes(double total_bytes) {
    if (total_bytes <= inter_az_billed_bytes_) return;
    if (!inter_az_) inter_az_ = ledger_.add(inter_az_transfer_charge("inter-az", prices_));
    // Charged out of one AZ and into the other: twice the GB at the per-direction rate.
    ledger_.accrue(*inter_az_, 2.0 * (total_bytes - inter_az_billed_bytes_) / 1e9);
    inter_az_billed_bytes_ = total_bytes;
}

void CostMeter::credit_surplus(const Instance& instance) {
    const CpuCreditAccount* account = instance.cpu_credits();
    if (!account || instance.index() >= instances_.size()) return;
    const std::int64_t k = instances_[instance.index()].credit_line;
    if (k < 0) return;
    CreditLine& l = credit_lines_[static_cast<std::size_t>(k)];
    const double charged = account->surplus_charged();
    if (charged > l.charged_vcpu_hours) {
        ledger_.accrue(l.id, charged - l.charged_vcpu_hours);
        l.charged_vcpu_hours = charged;
    }
}

void CostMeter::on_instance_state(const Instance& instance, InstanceState, InstanceState to) {
    if (instance.index() >= instances_.size() || instance.config().ecs_task) return;
    InstanceLines& lines = instances_[instance.index()];
    const SimTime now = sim_.now();
    if (to == InstanceState::Stopped || to == InstanceState::Terminated) {
        // A Spot Instance EC2 interrupts within its first hour is not charged.
        if (instance.spot_interrupted() &&
            now - instance.launched_at() < kSpotFreeInterruptionWindow) {
            ledger_.waive(lines.ec2, now);
        } else {
            ledger_.stop(lines.ec2, now);
        }
        spot_lines_.erase(
            std::remove_if(spot_lines_.begin(), spot_lines_.end(),
                           [&](const SpotLine& l) { return l.instance == instance.index(); }),
            spot_lines_.end());
        if (lines.ipv4) ledger_.stop(*lines.ipv4, now);
    }
    if (to == InstanceState::Terminated) ledger_.stop(lines.ebs, now);
    if (to == InstanceState::Stopped || to == InstanceState::Terminated) credit_surplus(instance);
}

void CostMeter::on_task_status(const EcsService& service, const EcsTask& task, TaskStatus from) {
    const SimTime now = sim_.now();
    // The image came in: its bytes where they passed (EC2 and Fargate alike).
    if (from == TaskStatus::Pending && task.pulled_bytes > 0) bill_image_pull(service, task);
    if (!insights_.empty()) on_insights_task(service, task, from);
    if (task.ec2) return;  // its container instance is billed (EC2)
    if (task.status == TaskStatus::Pending && from == TaskStatus::Provisioning) {
        const std::string id = fmt::format("task/{}/{}", service.spec().cluster, task.id);
        FargateLines lines{task.instance, 0, 0, std::nullopt, std::nullopt, std::nullopt};
        // The task's own size: a deployment may change the task definition. A FARGATE_SPOT
        // task is billed at the Fargate Spot rates, interrupted or not; an ARM64 one at the
        // Linux/ARM rates (On-Demand or Spot); a Windows one at the Windows rates plus the OS
        // license fee, five minutes at least (validation keeps it off FARGATE_SPOT).
        const auto& td = service.deployments()[task.deployment].task_definition;
        const bool spot = task.capacity_provider == scenario::EcsCapacityProvider::FargateSpot;
        const FargatePlatform platform = scenario::is_windows(td) ? FargatePlatform::Windows
                                         : td.cpu_architecture == scenario::CpuArchitecture::Arm64
                                             ? FargatePlatform::LinuxArm
                                             : FargatePlatform::LinuxX86;
        const auto& tags = service.spec().tags;
        lines.vcpu = ledger_.add(fargate_vcpu_charge(id, task.vcpu, prices_, tags, spot, platform));
        lines.memory =
            ledger_.add(fargate_memory_charge(id, task.memory_gb, prices_, tags, spot, platform));
        ledger_.start(lines.vcpu, now);
        ledger_.start(lines.memory, now);
        if (platform == FargatePlatform::Windows) {
            lines.license =
                ledger_.add(fargate_windows_license_charge(id, task.vcpu, prices_, tags));
            ledger_.start(*lines.license, now);
        }
        if (td.ephemeral_storage_gib > kFargateFreeEphemeralGb) {
            lines.storage = ledger_.add(fargate_storage_charge(
                id, td.ephemeral_storage_gib - kFargateFreeEphemeralGb, prices_, tags, platform));
            ledger_.start(*lines.storage, now);
        }
        // assign_public_ip: the task's network interface holds a public IPv4 address, billed
        // as any address in use (since 2024-02-01), from the pull to the task's end.
        if (service.spec().assign_public_ip) {
            lines.ipv4 =
                ledger_.add(public_ipv4_charge("ipv4/" + id, false, prices_, service.spec().tags));
            ledger_.start(*lines.ipv4, now);
        }
        fargate_lines_.push_back(lines);
        return;
    }
    if (task.status != TaskStatus::Stopped) return;
    for (const FargateLines& l : fargate_lines_) {
        if (l.instance != task.instance) continue;
        ledger_.stop(l.vcpu, now);
        ledger_.stop(l.memory, now);
        if (l.storage) ledger_.stop(*l.storage, now);
        if (l.license) ledger_.stop(*l.license, now);
        if (l.ipv4) ledger_.stop(*l.ipv4, now);
    }
}

void CostMeter::on_slice(SimTime slice_length, const std::vector<LoadBalancerTraffic>& traffic) {
    const SimTime now = sim_.now();
    if (spot_market_) {
        // Re-price each Spot line at the exact moments its pool's price changed in the slice.
        for (SpotLine& l : spot_lines_) {
            if (!l.pool) l.pool = &spot_market_->pool(l.type, l.zone);
            const SpotPrice& price = l.pool->price;
            // From the later of the slice's start and the line's last accrual (a Spot Instance
            // launched in the slice was priced at its launch).
            const SimTime from = std::max(now - slice_length, ledger_.line(l.ec2).last_accrued);
            for (SimTime t = price.next_change_after(from); t <= now;
                 t = price.next_change_after(t)) {
                ledger_.set_rate(l.ec2, price.price_at(t), t);
            }
        }
    }
    bill_capacity_units(slice_length, traffic);
    double gb = 0;
    for (const auto& t : traffic)
        gb += t.internet_out_bytes / 1e9;
    add_internet_egress(gb);
}

// Each load balancer's dimensions of the slice go into its clock hour's sums; the bill grows by
// what the hour's largest dimension gained (HourlyCapacityUnits). The live rate is that growth
// over the slice: what the traffic of the slice costs, 0 for a dimension that is not the hour's
// largest.
void CostMeter::bill_capacity_units(SimTime slice_length,
                                    const std::vector<LoadBalancerTraffic>& traffic) {
    const double seconds = to_seconds(slice_length);
    const SimTime now = sim_.now();
    double lcu_rate = 0;
    for (std::size_t i = 0; i < traffic.size() && i < lb_lcus_.size(); ++i) {
        const auto& t = traffic[i];
        const double gb_per_hour = t.processed_bytes / 1e9 * (3600.0 / seconds);
        // The connections as the workloads' keep-alive makes them, and the listener's rules
        // (an ALB's; an NLB has none); a Classic LB bills the GB it processes.
        HourlyCapacityUnits::Units units{};  // LCUs, NLCUs or GB an hour, per dimension
        switch (lb_types_[i]) {
            case scenario::LoadBalancerType::Application:
                units = alb_lcu_dimensions(t.new_connections_per_s, t.active_connections,
                                           gb_per_hour, t.rule_evaluations_per_s);
                break;
            case scenario::LoadBalancerType::Network:
                units = nlb_tcp_nlcu_dimensions(t.new_connections_per_s, t.active_connections,
                                                gb_per_hour);
                break;
            case scenario::LoadBalancerType::Classic:
                units[0] = gb_per_hour;
                break;
        }
        const double added = lcu_hours_[i].add(now - slice_length, now, units);
        ledger_.accrue(lb_lcus_[i], added);
        if (seconds > 0) lcu_rate += added * 3600.0 / seconds * ledger_.line(lb_lcus_[i]).spec.rate;
    }
    lcu_rate_per_hour_ = lcu_rate;
}

void CostMeter::add_internet_egress(double gb) {
    if (gb <= 0) return;
    if (!egress_) egress_ = ledger_.add(internet_egress_charge("internet", prices_));
    add_internet_egress(*egress_, gb);
}

void CostMeter::add_internet_egress(BillingLedger::ChargeId line, double gb) {
    // The free allowance and the tiers count per calendar month (the slice's, which ends now),
    // over every service's egress.
    const std::int64_t month =
        calendar_month_at(spec_.simulation.start_epoch_s, std::max<SimTime>(0, sim_.now() - 1))
            .begin;
    if (month != egress_month_) {
        egress_month_ = month;
        egress_gb_ = 0;
    }
    ledger_.accrue_priced(line, gb, internet_egress_cost(prices_, egress_gb_, gb));
    egress_gb_ += gb;
}

void CostMeter::add_outbound(int nat, double gb) {
    if (gb <= 0) return;
    add_nat_processing(nat, gb);
    add_internet_egress(gb);
}

void CostMeter::add_nat_processing(int nat, double gb) {
    if (gb <= 0) return;
    if (nat >= 0 && static_cast<std::size_t>(nat) < nat_gb_.size())
        ledger_.accrue(nat_gb_[nat], gb);
}

}  // namespace stratus::cloud
