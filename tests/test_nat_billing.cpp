// NAT gateway billing: hours while it exists, and the GB that private instances send through it.
#include <catch2/catch.hpp>

#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

using namespace stratus;

namespace {

const char* kPrivateTier = R"([simulation]
duration = "1h"
[region]
availability_zones = ["us-east-1a", "us-east-1b"]
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "public-a"
cidr_block = "10.0.0.0/24"
availability_zone = "us-east-1a"
route = "igw"
[[subnet]]
name = "app-a"
cidr_block = "10.0.10.0/24"
availability_zone = "us-east-1a"
route = "nat:nat-a"
[[subnet]]
name = "app-b"
cidr_block = "10.0.11.0/24"
availability_zone = "us-east-1b"
route = "nat:nat-a"
[[nat_gateway]]
name = "nat-a"
subnet = "public-a"
[[launch_template]]
name = "web"
instance_type = "m5.large"
boot_time = "0s"
app_start_time = "0s"
[[target_group]]
name = "tg"
health_check = { interval = 5, timeout = 4 }
[[load_balancer]]
name = "alb"
[[lb_listener]]
load_balancer = "alb"
target_group = "tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 2
subnets = ["app-a", "app-b"]
target_groups = ["tg"]
[[workload]]
name = "clients"
load_balancer = "alb"
rate = { shape = "steps", steps = [["0s", 0], ["10s", 10]] }
service_time = "10ms"
response_bytes = 1000
outbound_bytes = 100000
)";

}  // namespace

TEST_CASE("a NAT gateway bills its hours and the GB private instances send through it",
          "[billing_run][nat]") {
    auto spec = scenario::load_text(kPrivateTier, "nat.toml");
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto& ledger = world.cost().ledger();
    double nat_hours = 0, nat_gb = 0;
    for (const auto& l : ledger.lines()) {
        if (l.spec.resource_id != "nat-a") continue;
        if (l.spec.usage_type == "NatGateway-Hours") nat_hours = l.usage_quantity;
        if (l.spec.usage_type == "NatGateway-Bytes") nat_gb = l.usage_quantity;
    }
    // Every request the instances took sent 100,000 bytes out through nat-a.
    std::uint64_t accepted = 0;
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i)
        accepted += world.fleet()[i].accepted();
    REQUIRE(accepted > 30000);
    CHECK(nat_gb == Approx(accepted * 100000 / 1e9).epsilon(1e-9));
    CHECK(nat_hours == Approx(1.0).epsilon(1e-9));
    // us-east-1: $0.045 per hour and per GB processed.
    CHECK(ledger.total(cloud::LineItem::NatGateway) ==
          Approx(0.045 + 0.045 * nat_gb).epsilon(1e-9));
    // Its Elastic IP: a public IPv4 in use for 1 h, $0.005; with the ALB's two nodes (one
    // address each), 3 x 0.005.
    double nat_ip_hours = -1;
    for (const auto& l : ledger.lines())
        if (l.spec.resource_id == "ipv4/natgateway/nat-a") nat_ip_hours = l.usage_quantity;
    CHECK(nat_ip_hours == Approx(1.0).epsilon(1e-9));
    CHECK(ledger.total(cloud::LineItem::PublicIpv4) == Approx(3 * 0.005).epsilon(1e-9));
}
