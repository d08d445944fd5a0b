// NAT gateway billing: hours while it exists, and the GB that private instances send through it
// (to the internet, and to S3 or DynamoDB unless a gateway VPC endpoint takes that traffic).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/price_list.hpp"

namespace test_nat_billing {

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

namespace {

struct NatBill {
    double nat_gb = 0, nat_cost = 0, transfer_cost = 0, transfer_gb = 0;
    std::uint64_t accepted = 0;
};

NatBill run_private_tier(const std::vector<std::string>& sets, const std::string& extra = "") {
    auto spec = scenario::load_text(std::string(kPrivateTier) + extra, "nat.toml", sets);
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run recorded(spec);
    cloud::World& world = recorded.world();
    world.run();
    NatBill b;
    for (const auto& l : world.cost().ledger().lines()) {
        if (l.spec.resource_id == "nat-a" && l.spec.usage_type == "NatGateway-Bytes")
            b.nat_gb = l.usage_quantity;
        if (l.spec.line_item == cloud::LineItem::DataTransfer) b.transfer_gb += l.usage_quantity;
    }
    b.nat_cost = world.cost().ledger().total(cloud::LineItem::NatGateway);
    b.transfer_cost = world.cost().ledger().total(cloud::LineItem::DataTransfer);
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i)
        b.accepted += world.fleet()[i].accepted();
    return b;
}

}  // namespace

TEST_CASE("the NAT gateway pricing example: data to S3 through the NAT gateway",
          "[billing_run][nat][endpoint]") {
    // Amazon VPC pricing, NAT gateway example (us-east-1): an instance in a private subnet
    // sends 1 GB to S3 in the same Region through a NAT gateway for an hour: the hour
    // $0.045, data processing 1 GB x $0.045, data transfer to S3 in the Region $0: $0.09.
    const scenario::PriceList prices = scenario::PriceList::builtin("us-east-1");
    cloud::BillingLedger ledger;
    const auto hours = ledger.add(cloud::nat_gateway_hour_charge("nat-a", prices));
    const auto gb = ledger.add(cloud::nat_gateway_gb_charge("nat-a", prices));
    ledger.start(hours, 0);
    ledger.accrue(gb, 1.0);
    ledger.finish(kHour);
    CHECK(ledger.total() == Approx(0.09).epsilon(1e-12));

    // The same as a run: 10 requests/s from 10 s, each making its instance send 27,855 bytes
    // to S3 (about 1 GB in the hour). The NAT gateway processes every byte, and nothing of it
    // is billed as data transfer: the transfer is that of the clients' responses alone.
    const NatBill without = run_private_tier({"workload.clients.outbound_bytes=0"});
    const NatBill to_s3 =
        run_private_tier({"workload.clients.outbound_bytes=0", "workload.clients.s3_bytes=27855"});
    REQUIRE(to_s3.accepted > 30000);
    CHECK(without.nat_gb == 0);
    CHECK(to_s3.nat_gb == Approx(to_s3.accepted * 27855 / 1e9).epsilon(1e-9));
    CHECK(to_s3.nat_gb == Approx(1.0).epsilon(0.05));
    CHECK(to_s3.nat_cost == Approx(0.045 + 0.045 * to_s3.nat_gb).epsilon(1e-9));
    CHECK(to_s3.transfer_gb == Approx(without.transfer_gb).epsilon(1e-12));
    CHECK(to_s3.transfer_cost == Approx(without.transfer_cost).margin(1e-12));
}

TEST_CASE("a gateway VPC endpoint takes S3 and DynamoDB traffic off the NAT gateway",
          "[billing_run][nat][endpoint]") {
    // An S3 gateway endpoint in app-a's route table only: app-a's S3 bytes bypass the NAT
    // gateway (no charge: AWS, "Gateway endpoints": no additional charge), app-b's still go
    // through it; DynamoDB traffic has no endpoint and goes through the NAT in both subnets.
    const std::string endpoint = R"(
[[vpc_endpoint]]
name = "s3"
service_name = "s3"
subnets = ["app-a"]
)";
    const std::vector<std::string> sets = {"workload.clients.outbound_bytes=0",
                                           "workload.clients.s3_bytes=100000"};
    const NatBill through_nat = run_private_tier(sets);
    const NatBill half = run_private_tier(sets, endpoint);
    const NatBill both = run_private_tier(
        sets, endpoint +
                  "\n[[vpc_endpoint]]\nname = \"s3-b\"\nservice_name = \"s3\"\nsubnets = "
                  "[\"app-b\"]\n");
    REQUIRE(through_nat.accepted > 30000);
    CHECK(half.accepted == through_nat.accepted);  // the endpoint changes the bill only
    CHECK(through_nat.nat_gb == Approx(through_nat.accepted * 100000 / 1e9).epsilon(1e-9));
    // The group spreads over its two AZs: app-b's instances take about half the requests.
    CHECK(half.nat_gb == Approx(through_nat.nat_gb / 2).epsilon(0.05));
    CHECK(half.nat_gb > 0);
    CHECK(both.nat_gb == 0);
    CHECK(both.nat_cost == Approx(0.045).epsilon(1e-9));  // the hour still bills
    // DynamoDB: an S3 endpoint does nothing for it.
    const NatBill dynamo = run_private_tier(
        {"workload.clients.outbound_bytes=0", "workload.clients.dynamodb_bytes=100000"}, endpoint);
    CHECK(dynamo.nat_gb == Approx(dynamo.accepted * 100000 / 1e9).epsilon(1e-9));
}

}  // namespace test_nat_billing
