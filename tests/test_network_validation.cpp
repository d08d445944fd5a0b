// Networking: `stratus cidr` (output and exit statuses, run as a user would) and the VPC and
// subnet checks of the validator, one test per error, each asserting file:line:column, key
// path and the key parts of the message.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/cloud/network.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_network_validation {

using namespace stratus::scenario;
namespace fs = std::filesystem;

namespace {

struct Result {
    int status;
    std::string out;
    std::string err;
};

// Runs `stratus ARGS` in a fresh temporary directory, capturing stdout and stderr.
Result run_cli(const std::string& args) {
    std::string tmpl = (fs::temp_directory_path() / "stratus-net-XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    REQUIRE(made != nullptr);
    const fs::path dir(made);
    const fs::path out = dir / ".stdout", err = dir / ".stderr";
    const std::string cmd = "cd '" + dir.string() + "' && '" + std::string(STRATUS_BINARY) + "' " +
                            args + " >'" + out.string() + "' 2>'" + err.string() + "'";
    const int raw = std::system(cmd.c_str());
    Result r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, stratus::testing::read_file(out.string()),
             stratus::testing::read_file(err.string())};
    fs::remove_all(dir);
    return r;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Lines 1-8; a test appends what it needs from line 9 on.
const std::string kNet = R"([simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "a"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
)";

std::vector<Diagnostic> errors_of(const std::string& text) {
    try {
        load_text(text, "lab.toml", {}, ".");
    } catch (const ScenarioError& e) {
        return e.diagnostics();
    }
    FAIL("the scenario loaded, but errors were expected");
    return {};
}

// The one error about `key_path`; fails the test if there is none or more than one.
Diagnostic about(const std::vector<Diagnostic>& ds, const std::string& key_path) {
    std::string all;
    for (const auto& d : ds)
        all += d.format() + "\n";
    INFO("diagnostics:\n" << all);
    std::vector<Diagnostic> found;
    for (const auto& d : ds)
        if (d.key_path == key_path) found.push_back(d);
    if (found.size() != 1) FAIL(found.size() << " diagnostics about " << key_path);
    return found.front();
}

void check_at(const Diagnostic& d, int line, int column) {
    INFO(d.format());
    CHECK(d.severity == Severity::Error);
    CHECK(d.pos.file == "lab.toml");
    CHECK(d.pos.line == line);
    CHECK(d.pos.column == column);
}

}  // namespace

// ---- stratus cidr ---------------------------------------------------------------------------

TEST_CASE("stratus cidr describes the course's /28: range, size, usable and reserved",
          "[network]") {
    auto r = run_cli("cidr 10.5.21.64/28");
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "10.5.21.64/28: 10.5.21.64 to 10.5.21.79, 16 addresses"));
    CHECK(contains(r.out, "11 usable in an AWS subnet: 10.5.21.68 to 10.5.21.78"));
    CHECK(contains(r.out, "5 reserved by AWS"));
    CHECK(contains(r.out, "10.5.21.64       network address"));
    CHECK(contains(r.out, "10.5.21.65       VPC router"));
    CHECK(contains(r.out, "10.5.21.66       DNS"));
    CHECK(contains(r.out, "10.5.21.67       reserved for future use"));
    CHECK(contains(r.out, "10.5.21.79       broadcast address"));
}

TEST_CASE("stratus cidr prints exactly describe_cidr for each block, in order", "[network]") {
    auto r = run_cli("cidr 10.0.0.0/24 10.0.0.0/8");
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto first = r.out.find("10.0.0.0/24: 10.0.0.0 to 10.0.0.255, 256 addresses");
    const auto second = r.out.find("10.0.0.0/8: 10.0.0.0 to 10.255.255.255");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    CHECK(first < second);
    CHECK(contains(r.out, "251 usable"));
    CHECK(contains(r.out, "larger than AWS allows"));  // a size AWS refuses is not an error
}

TEST_CASE("stratus cidr: a malformed block says what is wrong and exits 2", "[network]") {
    SECTION("host bits set") {
        auto r = run_cli("cidr 10.5.21.70/28");
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(contains(r.err, "10.5.21.70/28"));
        CHECK(contains(r.err, "host bits are set; the network address is 10.5.21.64/28"));
    }
    SECTION("not a CIDR at all") {
        auto r = run_cli("cidr 10.0.0.256/24");
        CHECK(r.status == 2);
        CHECK(contains(r.err, "10.0.0.256/24"));
    }
    SECTION("one bad block among good ones: the good ones are still described") {
        auto r = run_cli("cidr 10.0.0.0/16 nonsense");
        CHECK(r.status == 2);
        CHECK(contains(r.out, "10.0.0.0/16: 10.0.0.0 to 10.0.255.255, 65536 addresses"));
        CHECK(contains(r.err, "nonsense"));
    }
    SECTION("no block is a usage error") {
        auto r = run_cli("cidr");
        CHECK(r.status == 2);
        CHECK(contains(r.err, "CIDR"));
    }
}

TEST_CASE("stratus cidr --help explains the command", "[network]") {
    auto r = run_cli("cidr --help");
    CHECK(r.status == 0);
    CHECK(contains(r.out, "cidr"));
    CHECK(contains(r.out, "CIDR"));
    CHECK(contains(r.out, "reserved"));
}

// ---- validation -----------------------------------------------------------------------------

TEST_CASE("a well-formed VPC and its subnets load", "[network]") {
    Spec s = load_text(kNet + R"([[subnet]]
name = "b"
cidr_block = "10.0.2.0/28"
availability_zone = "us-east-1b"
)",
                       "lab.toml", {}, ".");
    CHECK(s.subnet.size() == 2);
}

TEST_CASE("[vpc] cidr_block must parse", "[network]") {
    auto ds = errors_of(R"([simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.1/16"
)");
    auto d = about(ds, "vpc.cidr_block");
    check_at(d, 4, 14);
    CHECK(contains(d.message, "expected a CIDR block such as \"10.0.0.0/16\""));
    CHECK(contains(d.message, "found \"10.0.0.1/16\""));
    CHECK(contains(d.message, "the network address is 10.0.0.0/16"));
    CHECK(contains(about(errors_of(R"([simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0/16"
)"),
                         "vpc.cidr_block")
                       .message,
                   "found \"10.0.0/16\""));
}

TEST_CASE("[vpc] cidr_block must be /16 to /28", "[network]") {
    auto ds = errors_of(R"([simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/8"
)");
    auto d = about(ds, "vpc.cidr_block");
    check_at(d, 4, 14);
    CHECK(contains(d.message, "between /16 and /28"));
    CHECK(contains(d.message, "found \"10.0.0.0/8\""));
    CHECK(contains(d.message, "16777216 addresses"));
    CHECK(contains(about(errors_of(R"([simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/29"
)"),
                         "vpc.cidr_block")
                       .message,
                   "found \"10.0.0.0/29\""));
}

TEST_CASE("a subnet cidr_block must parse", "[network]") {
    auto ds = errors_of(kNet + R"([[subnet]]
name = "b"
cidr_block = "10.0.2.300/24"
availability_zone = "us-east-1b"
)");
    auto d = about(ds, "subnet[b].cidr_block");
    check_at(d, 11, 14);
    CHECK(contains(d.message, "expected a CIDR block such as \"10.0.1.0/24\""));
    CHECK(contains(d.message, "found \"10.0.2.300/24\""));
}

TEST_CASE("a subnet cidr_block must be /16 to /28", "[network]") {
    auto ds = errors_of(kNet + R"([[subnet]]
name = "b"
cidr_block = "10.0.2.0/30"
availability_zone = "us-east-1b"
)");
    auto d = about(ds, "subnet[b].cidr_block");
    check_at(d, 11, 14);
    CHECK(contains(d.message, "between /16 and /28"));
    CHECK(contains(d.message, "found \"10.0.2.0/30\" (4 addresses"));
}

TEST_CASE("a subnet must lie inside the VPC's block", "[network]") {
    auto ds = errors_of(R"([simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "a"
cidr_block = "10.1.0.0/24"
availability_zone = "us-east-1a"
)");
    auto d = about(ds, "subnet[a].cidr_block");
    check_at(d, 7, 14);
    CHECK(d.message == "expected a CIDR block inside the VPC's 10.0.0.0/16, found 10.1.0.0/24");
    // Larger than the VPC, though aligned with it, is outside too.
    auto d2 = about(errors_of(R"([simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/24"
[[subnet]]
name = "a"
cidr_block = "10.0.0.0/16"
availability_zone = "us-east-1a"
)"),
                    "subnet[a].cidr_block");
    CHECK(contains(d2.message, "inside the VPC's 10.0.0.0/24, found 10.0.0.0/16"));
}

TEST_CASE("subnets must not overlap, the error names both", "[network]") {
    auto ds = errors_of(kNet + R"([[subnet]]
name = "b"
cidr_block = "10.0.1.128/25"
availability_zone = "us-east-1b"
)");
    auto d = about(ds, "subnet[b].cidr_block");
    check_at(d, 11, 14);
    CHECK(contains(d.message, "subnet `b` (10.0.1.128/25) overlaps subnet `a` (10.0.1.0/24)"));
    CHECK(contains(d.message, "cannot overlap"));
    // Neighbours that only touch do not overlap.
    CHECK_NOTHROW(load_text(kNet + R"([[subnet]]
name = "b"
cidr_block = "10.0.2.0/24"
availability_zone = "us-east-1b"
)",
                            "lab.toml", {}, "."));
}

TEST_CASE("a subnet's availability zone must be one of the region's", "[network]") {
    auto ds = errors_of(kNet + R"([[subnet]]
name = "b"
cidr_block = "10.0.2.0/24"
availability_zone = "us-east-1q"
)");
    auto d = about(ds, "subnet[b].availability_zone");
    check_at(d, 12, 21);
    CHECK(contains(d.message, "unknown availability zone `us-east-1q`"));
    CHECK(contains(d.message, "`us-east-1a`"));
}

TEST_CASE("a subnet without a [vpc] is an error", "[network]") {
    auto ds = errors_of(R"([simulation]
duration = "1h"
[[subnet]]
name = "a"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
)");
    auto d = about(ds, "subnet[a]");
    check_at(d, 3, 1);
    CHECK(contains(d.message, "a subnet needs a [vpc] section"));
}

// ---- where a diagnostic points --------------------------------------------------------------

TEST_CASE("position_of: a key's own position, else its table header's, else the file alone",
          "[network]") {
    Spec s;
    s.source_file = "lab.toml";
    const KeyPositions pos{{"", SourcePos{"lab.toml", 9, 1}},
                           {"min_size", SourcePos{"lab.toml", 12, 3}}};
    const SourcePos key = position_of(s, pos, "min_size");
    CHECK(key.file == "lab.toml");
    CHECK(key.line == 12);
    CHECK(key.column == 3);
    const SourcePos header = position_of(s, pos, "max_size");  // not written: the header
    CHECK(header.line == 9);
    CHECK(header.column == 1);
    CHECK(position_of(s, pos).line == 9);
    const SourcePos file = position_of(s, KeyPositions{}, "min_size");  // built, not read
    CHECK(file.file == "lab.toml");
    CHECK(file.line == 0);
    CHECK(file.column == 0);
}

TEST_CASE("an action's error and a subnet's still name file, line, column and key", "[network]") {
    // The validator (a key's own position) and the actions' checker (the set's position).
    auto ds = errors_of(kNet + R"([[action]]
at = "5m"
set = { "autoscaling_group.nope.desired_capacity" = 3 }
[[subnet]]
name = "b"
cidr_block = "10.0.2.0/24"
availability_zone = "us-east-1q"
)");
    check_at(about(ds, "subnet[b].availability_zone"), 15, 21);
    const auto d = about(ds, "action[0].set.autoscaling_group.nope.desired_capacity");
    check_at(d, 11, 53);  // the value's position, as before position_of (main at eecfe63)
    CHECK(contains(d.format(), "lab.toml:11:53: error: action[0].set.autoscaling_group.nope"));
}

TEST_CASE("a flow its source's outbound rules close is warned about at their egress key",
          "[network][egress]") {
    // web-sg lets only 443 out (to the internet and AWS's endpoints): 3306 to the database is
    // closed by the application's security group, not by the database's.
    const std::string text = kNet + R"([[subnet]]
name = "db"
cidr_block = "10.0.21.0/24"
availability_zone = "us-east-1a"
[[subnet]]
name = "b"
cidr_block = "10.0.2.0/24"
availability_zone = "us-east-1b"
[[security_group]]
name = "alb-sg"
ingress = [{ port = 80, cidr_blocks = ["0.0.0.0/0"] }]
[[security_group]]
name = "web-sg"
ingress = [{ port = 80, source_security_group = "alb-sg" }]
egress = [{ port = 443, cidr_blocks = ["0.0.0.0/0"] }]
[[security_group]]
name = "db-sg"
ingress = [{ port = 3306, source_security_group = "web-sg" }]
[[load_balancer]]
name = "web-alb"
subnets = ["a", "b"]
security_groups = ["alb-sg"]
internal = true
[[target_group]]
name = "web-tg"
port = 80
[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"
[[launch_template]]
name = "web"
instance_type = "t3.micro"
security_groups = ["web-sg"]
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 1
max_size = 1
subnets = ["a"]
target_group_arns = ["web-tg"]
[[db_instance]]
identifier = "shopdb"
instance_class = "db.t3.micro"
subnets = ["db"]
security_groups = ["db-sg"]
[[workload]]
name = "shop"
load_balancer = "web-alb"
rate = { shape = "steps", steps = [["0s", 5]] }
service_time = { dist = "exponential", mean = "30ms" }
database = "shopdb"
)";
    const Spec spec = load_text(text, "lab.toml", {}, ".");
    const auto warnings = stratus::cloud::closed_flow_warnings(spec);
    REQUIRE(warnings.size() == 1);
    const Diagnostic& d = warnings[0];
    INFO(d.format());
    CHECK(d.severity == Severity::Warning);
    CHECK(d.key_path == "security_group[web-sg].egress");
    CHECK(d.pos.file == "lab.toml");
    CHECK(d.pos.line == 23);  // egress = [...] of web-sg
    CHECK(d.pos.column == 10);
    CHECK(contains(d.message,
                   "web -> shopdb on port 3306 is closed: security group web-sg allows "
                   "nothing out on 3306 to db-sg or to a block holding 10.0.21.0/24"));
    CHECK(contains(d.format(), "lab.toml:23:10: warning: security_group[web-sg].egress: "));
    SECTION("an outbound rule to the database's group opens it") {
        std::string open = text;
        open.replace(open.find("egress = [{ port = 443"), 10,
                     "egress = [{ port = 3306, destination_security_group = \"db-sg\" }, ");
        CHECK(stratus::cloud::closed_flow_warnings(load_text(open, "lab.toml", {}, ".")).empty());
    }
    SECTION("Terraform's `egress = []`: nothing goes out, the targets' answers do (stateful)") {
        std::string none = text;
        const auto at = none.find("egress = [{ port = 443");
        none.replace(at, none.find('\n', at) - at, "egress = []");
        const auto all = stratus::cloud::closed_flow_warnings(load_text(none, "lab.toml", {}, "."));
        REQUIRE(all.size() == 1);  // the database; the load balancer's flow in is open
        CHECK(all[0].key_path == "security_group[web-sg].egress");
    }
}

// Lab 33's network with its container instances' outbound rules replaced: 443 to the VPC (the
// interface endpoints) and `extra`. The S3 gateway endpoint `s3` is on the app subnets' route
// table, so the image layers go to S3's public addresses through it.
std::string lab33_egress(const std::string& extra) {
    std::string t = stratus::testing::read_file(
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/33-ec2-private-no-ecs-endpoints.toml");
    const std::string sg =
        "ingress = [{ port = 32768, to_port = 65535, source_security_group = "
        "\"alb-sg\" }]\n";
    const auto at = t.find(sg);
    REQUIRE(at != std::string::npos);
    t.insert(at + sg.size(),
             "egress = [{ port = 443, cidr_blocks = [\"10.0.0.0/16\"] }" + extra + "]\n");
    return t;
}

stratus::cloud::PullPath lab33_pull(const std::string& text) {
    const Spec spec = load_text(text, "lab.toml", {}, ".");
    REQUIRE(spec.autoscaling_group.size() == 1);
    REQUIRE(spec.subnet.size() == 4);
    REQUIRE(spec.subnet[2].name == "app-a");
    return stratus::cloud::instance_pull_path(
        spec, spec.autoscaling_group[0], spec.subnet[2],
        "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api:1");
}

TEST_CASE("an outbound rule to S3's prefix list lets the image layers through the gateway endpoint",
          "[network][egress]") {
    using stratus::cloud::PullWay;
    // Without it, 443 reaches only the VPC: the registry through the ECR endpoints (private DNS)
    // answers, the layers in S3 (public addresses, through the gateway endpoint) cannot come.
    const auto vpc_only = lab33_pull(lab33_egress(""));
    CHECK(vpc_only.auth == PullWay::InterfaceEndpoint);
    CHECK(vpc_only.manifest == PullWay::InterfaceEndpoint);
    CHECK(vpc_only.layers == PullWay::Blocked);
    CHECK(vpc_only.failure == stratus::cloud::PullPath::Layers);
    CHECK(contains(vpc_only.why,
                   "the layers in Amazon S3 through its gateway endpoint: security "
                   "group ecs-node-sg allows nothing out on 443 to 0.0.0.0/0 (the "
                   "internet) or to the prefix list of gateway endpoint s3"));
    // Terraform's prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id], named as the endpoint.
    const auto s3 = lab33_pull(lab33_egress(", { port = 443, prefix_list_ids = [\"s3\"] }"));
    CHECK(s3.layers == PullWay::GatewayEndpoint);
    CHECK_FALSE(s3.blocked());
    // The rule must cover the port: 80 to S3 does not carry HTTPS.
    const auto http = lab33_pull(lab33_egress(", { port = 80, prefix_list_ids = [\"s3\"] }"));
    CHECK(http.layers == PullWay::Blocked);
}

TEST_CASE("an outbound rule's prefix list must be a gateway endpoint's", "[network][egress]") {
    const std::string base = lab33_egress(", { port = 443, prefix_list_ids = [\"NAME\"] }");
    auto with_name = [&](const std::string& name) {
        std::string t = base;
        t.replace(t.find("NAME"), 4, name);
        return t;
    };
    const std::string line = "egress = [{ port = 443";
    // Line of the egress key: 1-based, counted in the file.
    const std::string text = with_name("pl-0123456789abcdef0");
    const auto at = text.find(line);
    const int row = static_cast<int>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
    const auto unknown =
        about(errors_of(text), "security_group[ecs-node-sg].egress[1].prefix_list_ids");
    CHECK(unknown.pos.line == row);
    CHECK(contains(unknown.message,
                   "unknown gateway endpoint (prefix list) `pl-0123456789abcdef0`; "
                   "known: `s3`"));
    const auto interface = about(errors_of(with_name("ecr-api")),
                                 "security_group[ecs-node-sg].egress[1].prefix_list_ids");
    CHECK(contains(interface.message,
                   "`ecr-api` is an interface endpoint, which has no prefix list"));
    // As a user runs it: the file, line, column and key, exit 2, nothing written.
    const fs::path file = fs::temp_directory_path() / "stratus-net-prefix-list.toml";
    { std::ofstream(file) << text; }
    const Result r = run_cli("validate '" + file.string() + "'");
    fs::remove(file);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "stratus-net-prefix-list.toml:" + std::to_string(row) + ":"));
    CHECK(contains(r.err, "security_group[ecs-node-sg].egress[1].prefix_list_ids"));
}

}  // namespace test_network_validation
