// The ECS part of the cost meter beyond the tasks' compute (docs/pricing.md, "ECR and
// Container Insights"): the image pulls' bytes where they pass (a NAT gateway, an interface
// endpoint, another region), the ECR repositories' storage, and Container Insights' custom
// metrics and performance log events.
#include <algorithm>

#include "sim/cloud/cost_meter.hpp"
#include "sim/cloud/image_pull.hpp"
#include "sim/scenario/catalog.hpp"

namespace stratus::cloud {
namespace {

// An ECR image URI, "<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]": its
// region, and "<repository>:<tag>" (the line's resource id).
struct EcrName {
    std::string region;
    std::string repository;
};
EcrName ecr_name(const std::string& image) {
    EcrName n;
    const std::size_t ecr = image.find(".dkr.ecr.");
    if (ecr == std::string::npos) return n;
    const std::size_t from = ecr + 9;
    const std::size_t dot = image.find('.', from);
    if (dot != std::string::npos) n.region = image.substr(from, dot - from);
    const std::size_t slash = image.find('/');
    n.repository = slash == std::string::npos ? image : image.substr(slash + 1);
    return n;
}

}  // namespace

void CostMeter::bill_image_pull(const EcsService& service, const EcsTask& task) {
    const double gb = task.pulled_bytes / 1e9;
    add_nat_processing(task.pull_nat, gb);
    add_endpoint_processing(task.pull_endpoint, gb);
    // From a repository of another region: that region's data transfer out (within the region
    // ECR's transfer is free).
    if (std::none_of(ecr_images_.begin(), ecr_images_.end(),
                     [](const EcrImage& e) { return e.cross_region.has_value(); }))
        return;
    const std::string image = first_image(service.deployments()[task.deployment].task_definition);
    for (const EcrImage& e : ecr_images_)
        if (e.image == image && e.cross_region) ledger_.accrue(*e.cross_region, gb);
}

// Each distinct ECR image a task definition gives a size (image_size_mb, 10^6 bytes) is stored
// in its repository for the whole run, per GB-month at the repository region's rate. An image
// of another registry, or without a size, bills nothing here.
void CostMeter::start_ecr() {
    for (const auto& td : spec_.ecs_task_definition) {
        const std::string image = first_image(td);
        if (!td.image_size_mb || !is_ecr_image(image)) continue;
        if (std::any_of(ecr_images_.begin(), ecr_images_.end(),
                        [&](const EcrImage& e) { return e.image == image; }))
            continue;
        const EcrName name = ecr_name(image);
        const bool here =
            name.region == spec_.region.name || !scenario::is_known_region(name.region);
        scenario::PriceList at = here ? prices_ : scenario::PriceList::builtin(name.region);
        if (spec_.pricing.ecr_storage_gb_month)
            at.ecr_storage_gb_month = *spec_.pricing.ecr_storage_gb_month;
        const std::string id = "ecr/" + name.repository;
        const auto storage = ledger_.add(ecr_storage_charge(id, *td.image_size_mb / 1e3, at));
        ledger_.start(storage, 0);
        EcrImage e{image, std::nullopt};
        if (!here) {
            const double rate = spec_.pricing.ecr_inter_region_gb.value_or(at.ecr_inter_region_gb);
            e.cross_region = ledger_.add(ecr_cross_region_charge(id, rate));
        }
        ecr_images_.push_back(std::move(e));
    }
}

// Container Insights (docs/pricing.md): the metrics of a cluster, of each of its services and
// of each task definition family they run, every hour of the run; the performance log events
// ingested as the tasks run.
constexpr double kInsightsClusterMetrics = 10;
constexpr double kInsightsServiceMetrics = 13;
constexpr double kInsightsFamilyMetrics = 8;
constexpr double kInsightsEventBytes = 1000;

namespace {

// A cluster whose capacity providers include an Auto Scaling group's has container instances:
// Container Insights also puts its ContainerInstanceCount (ClusterName), one metric more.
bool has_container_instances(const scenario::Spec& spec, const std::string& cluster) {
    for (const auto& ccp : spec.ecs_cluster_capacity_providers)
        for (const auto& name : ccp.capacity_providers)
            for (const auto& cp : spec.ecs_capacity_provider)
                if (ccp.cluster_name == cluster && cp.name == name) return true;
    return false;
}

ChargeSpec insights_log_storage_charge(std::string cluster_id, const scenario::PriceList& prices,
                                       Tags tags) {
    ChargeSpec c;
    c.resource_id = std::move(cluster_id);
    c.line_item = LineItem::CloudWatch;
    c.usage_type = "TimedStorage-ByteHrs";
    c.unit = PricingUnit::GbMonth;
    c.rate = prices.cloudwatch_logs_storage_gb_month;
    c.tags = std::move(tags);
    return c;
}

}  // namespace

void CostMeter::start_container_insights() {
    for (const auto& c : spec_.ecs_cluster) {
        if (!scenario::container_insights(c)) continue;
        double services = 0;
        std::vector<std::string> families;
        for (const auto& s : spec_.ecs_service) {
            if (s.cluster != c.name) continue;
            ++services;
            if (std::find(families.begin(), families.end(), s.task_definition) == families.end())
                families.push_back(s.task_definition);
        }
        const double cluster_metrics =
            kInsightsClusterMetrics + (has_container_instances(spec_, c.name) ? 1 : 0);
        const double metrics = cluster_metrics + services * kInsightsServiceMetrics +
                               static_cast<double>(families.size()) * kInsightsFamilyMetrics;
        const std::string id = "containerinsights/" + c.name;
        ledger_.start(ledger_.add(container_insights_metrics_charge(id, metrics, prices_, c.tags)),
                      0);
        // A Cluster event and a Service event per service every minute, from the start.
        insights_.push_back(
            {c.name, ledger_.add(container_insights_logs_charge(id, prices_, c.tags)), 1 + services,
             0, ledger_.add(insights_log_storage_charge(id, prices_, c.tags)), 0});
    }
}

// A RUNNING task puts a Task event and a Container event per container every minute.
void CostMeter::on_insights_task(const EcsService& service, const EcsTask& task, TaskStatus from) {
    const bool was = from == TaskStatus::Running, is = task.status == TaskStatus::Running;
    if (was == is) return;
    for (Insights& in : insights_) {
        if (in.cluster != service.spec().cluster) continue;
        accrue_insights_logs(sim_.now());
        const auto& td = service.deployments()[task.deployment].task_definition;
        const double events =
            1.0 + static_cast<double>(std::max<std::size_t>(1, td.containers.size()));
        in.events_per_minute += is ? events : -events;
    }
}

void CostMeter::accrue_insights_logs(SimTime now) {
    for (Insights& in : insights_) {
        if (now <= in.since) continue;
        const double minutes = to_seconds(now - in.since) / 60.0;
        const double gb = in.events_per_minute * minutes * kInsightsEventBytes / 1e9;
        ledger_.accrue(in.logs, gb);
        // The log group keeps its events (no retention is set: CloudWatch Logs' default); over
        // the stretch the events kept grow linearly from stored_gb to stored_gb + gb.
        if (in.stored_gb + gb > 0)
            ledger_.accrue(in.storage,
                           calendar_gb_months(in.stored_gb + gb / 2, spec_.simulation.start_epoch_s,
                                              in.since, now));
        in.stored_gb += gb;
        in.since = now;
    }
}

}  // namespace stratus::cloud
