// Networking: aws_vpc -> [vpc]; aws_subnet -> [[subnet]] with the route its route table gives
// (aws_route_table, aws_route, aws_route_table_association, aws_main_route_table_association,
// aws_default_route_table, aws_internet_gateway); aws_nat_gateway -> [[nat_gateway]]; gateway
// aws_vpc_endpoint for S3 and DynamoDB -> [[vpc_endpoint]] with its route tables' subnets;
// aws_security_group with its rules in all three styles (inline blocks, aws_security_group_rule,
// aws_vpc_security_group_ingress_rule/egress_rule) -> [[security_group]].
#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "sim/import/importer.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::tfimport::detail {
namespace {

const std::vector<std::string> kId = {"id"};
const std::vector<std::string> kRouteTable = {"aws_route_table", "aws_default_route_table"};

std::string join(const std::vector<std::string>& list, const char* sep = ", ") {
    std::string out;
    for (const auto& s : list)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

long long engine_port(const std::string& engine) {
    return engine.find("postgres") != std::string::npos    ? 5432
           : engine.find("sqlserver") != std::string::npos ? 1433
           : engine.find("oracle") != std::string::npos    ? 1521
                                                           : 3306;
}

}  // namespace

void Importer::network() {
    // The ports the scenario's flows will use, so a port range can be written as the ports of
    // it that matter (a rule of the scenario format takes one port).
    for (const TfInstance& i : doc_.instances()) {
        if (i.type == "aws_lb_target_group" || i.type == "aws_alb_target_group" ||
            i.type == "aws_lb_listener" || i.type == "aws_alb_listener")
            if (auto p = integer(i.at({"port"}))) flow_ports.insert(*p);
        if (i.type == "aws_elb")
            for (const auto& l : i.at({"listener"}))
                for (const char* k : {"lb_port", "instance_port"})
                    if (auto p = integer(l.contains(k) ? l[k] : Json())) flow_ports.insert(*p);
        if (i.type == "aws_db_instance") {
            auto p = integer(i.at({"port"}));
            flow_ports.insert(p ? *p : engine_port(str(i.at({"engine"})).value_or("")));
        }
    }
    flow_ports.insert(80);   // the scenario's default target group and listener port
    flow_ports.insert(443);  // a NAT instance forwards HTTPS
    routes();
    vpc_and_subnets();
    vpc_endpoints();  // after the subnets: an endpoint lists the emitted subnets of its tables
    security_groups();
}

void Importer::vpc_and_subnets() {
    const auto vpcs = of_type(kVpc);
    // One VPC in a scenario: the one most subnets are in.
    std::map<const TfInstance*, int> subnets_in;
    for (const TfInstance* s : of_type(kSubnet))
        if (const TfInstance* v = refer_one(*s, {"vpc_id"}, kVpc, kId)) ++subnets_in[v];
    for (const TfInstance* v : vpcs)
        if (!vpc_ || subnets_in[v] > subnets_in[vpc_]) vpc_ = v;
    for (const TfInstance* v : vpcs) {
        if (v != vpc_) {
            skip(*v, fmt::format("a scenario has one VPC: `{}` was imported, with more subnets",
                                 vpc_->address));
            continue;
        }
        auto cidr = str(v->at({"cidr_block"}));
        if (!cidr) {
            skip(*v, "its cidr_block is unknown until apply (IPAM?): give [vpc] a cidr_block");
            vpc_ = nullptr;
            continue;
        }
        TomlSection& s = add(Section::Vpc, *v);
        s.set("cidr_block", toml_string(*cidr));
        set_tags(s, *v);
        unmodelled(*v,
                   {"ipv6_cidr_block", "assign_generated_ipv6_cidr_block", "ipv4_ipam_pool_id"});
    }
    for (const TfInstance* sn : of_type(kSubnet)) {
        const auto az = str(sn->at({"availability_zone"}));
        if (az) subnet_az[sn] = *az;
        const TfInstance* v = refer_one(*sn, {"vpc_id"}, kVpc, kId);
        if (!vpc_) {
            skip(*sn,
                 "its VPC is not in the file, and a scenario's subnets need the VPC's CIDR "
                 "block");
            continue;
        }
        if (v && v != vpc_) {
            skip(*sn, fmt::format("in {}, not the imported VPC", v->address));
            continue;
        }
        const auto cidr = str(sn->at({"cidr_block"}));
        if (!cidr || !az) {
            skip(*sn, "its cidr_block or availability_zone is unknown until apply");
            continue;
        }
        TomlSection& s = add(Section::Subnet, *sn);
        s.set("name", toml_string(name_of(*sn)));
        s.set("cidr_block", toml_string(*cidr));
        s.set("availability_zone", toml_string(*az));
        add_az(*az);
        if (boolean(sn->at({"map_public_ip_on_launch"})).value_or(false))
            s.set("map_public_ip_on_launch", toml_bool(true));
        auto route = subnet_route.find(sn);
        if (route != subnet_route.end() && route->second != "local")
            s.set("route", toml_string(route->second));
        set_tags(s, *sn);
        unmodelled(*sn, {"ipv6_cidr_block", "assign_ipv6_address_on_creation", "outpost_arn"});
    }
}

// The scenario's route for a table's default route (0.0.0.0/0): "igw", "nat:<name>",
// "instance:<name>", or "local" when it has none or one to a target stratus does not model.
// `table` is an aws_route_table, an aws_default_route_table, or an aws_vpc (aws_default_vpc) for
// its main route table when the file has no resource for that table (only aws_route resources on
// it).
std::string Importer::default_route_of(const TfInstance& table) {
    // Targets of one route, written inline (path = {"route", i}) or as an aws_route.
    auto target = [&](const TfInstance& owner, const Path& prefix) -> std::string {
        auto at = [&](const char* key) {
            Path p = prefix;
            p.emplace_back(key);
            return p;
        };
        if (refer_one(owner, at("gateway_id"), {"aws_internet_gateway"}, kId) ||
            str(owner.at(at("gateway_id"))).value_or("").rfind("igw-", 0) == 0)
            return "igw";
        if (const TfInstance* nat =
                refer_one(owner, at("nat_gateway_id"), {"aws_nat_gateway"}, kId))
            return "nat:" + name_of(*nat);
        if (const TfInstance* in = refer_one(owner, at("instance_id"), {"aws_instance"}, kId))
            return "instance:" + name_of(*in);
        if (const TfInstance* in = refer_one(owner, at("network_interface_id"), {"aws_instance"},
                                             {"primary_network_interface_id"}))
            return "instance:" + name_of(*in);
        auto describe = [&](const char* key) {
            const Json& v = owner.at(at(key));
            return fmt::format("?{} {}", key, v.is_string() ? v.get<std::string>() : "(unknown)");
        };
        for (const char* key : {"transit_gateway_id", "vpc_peering_connection_id",
                                "vpc_endpoint_id", "local_gateway_id", "carrier_gateway_id",
                                "core_network_arn", "egress_only_gateway_id"})
            if (!is_empty(owner.at(at(key)))) return describe(key);
        // Inline routes are one attribute in the configuration: its references, whole.
        if (!prefix.empty()) {
            const Resolved r =
                doc_.resolve(owner, {prefix.front()}, {"aws_internet_gateway", "aws_nat_gateway"});
            for (const TfInstance* i : r.instances)
                return i->type == "aws_nat_gateway" ? "nat:" + name_of(*i) : "igw";
        }
        for (const char* key :
             {"gateway_id", "nat_gateway_id", "network_interface_id", "instance_id"})
            if (!is_empty(owner.at(at(key))) || owner.is_unknown(at(key))) return describe(key);
        return "";
    };
    auto is_default = [](const Json& cidr) { return cidr == "0.0.0.0/0"; };
    std::string found;
    const Json& inline_routes = table.at({"route"});
    if (inline_routes.is_array()) {
        for (std::size_t i = 0; i < inline_routes.size(); ++i)
            if (is_default(field(inline_routes[i], "cidr_block")))
                found = target(table, {"route", i});
    } else if (table.is_unknown({"route"})) {
        // Routes unknown until apply as a whole: what the configuration's routes refer to.
        const Resolved r =
            doc_.resolve(table, {"route"}, {"aws_internet_gateway", "aws_nat_gateway"});
        for (const TfInstance* i : r.instances)
            if (found.empty()) found = i->type == "aws_nat_gateway" ? "nat:" + name_of(*i) : "igw";
    }
    for (const TfInstance* r : of_type({"aws_route"})) {
        const TfInstance* owner =
            refer_one(*r, {"route_table_id"}, kRouteTable, {"id", "default_route_table_id"});
        // A route on the VPC's main table that the file holds only as the VPC's
        // main_route_table_id (the table AWS made with the VPC).
        if (!owner && table.type != "aws_route_table" && table.type != "aws_default_route_table")
            owner = refer_one(*r, {"route_table_id"}, kVpc,
                              {"main_route_table_id", "default_route_table_id"});
        if (owner != &table) continue;
        consumed(*r);
        if (is_default(r->at({"destination_cidr_block"}))) found = target(*r, {});
    }
    if (found.rfind('?', 0) == 0) {
        note(table, fmt::format("its default route goes to {}, which stratus does not model: "
                                "its subnets are written with route = \"local\"",
                                found.substr(1)));
        return "local";
    }
    // The default VPC's main route table, made by AWS with it, routes 0.0.0.0/0 to the
    // internet gateway AWS made too (its subnets are public).
    if (found.empty() && table.type == "aws_default_vpc") return "igw";
    return found.empty() ? "local" : found;
}

void Importer::routes() {
    std::map<const TfInstance*, std::string> table_route;
    for (const TfInstance* t : of_type(kRouteTable)) {
        consumed(*t);
        table_route[t] = default_route_of(*t);
    }
    // The main route table serves the subnets with no association of their own.
    std::string main_route = "local";
    const TfInstance* main_table = nullptr;
    for (const TfInstance* t : of_type({"aws_default_route_table"})) {
        main_route = table_route[t];
        main_table = t;
    }
    for (const TfInstance* a : of_type({"aws_main_route_table_association"})) {
        consumed(*a);
        if (const TfInstance* t = refer_one(*a, {"route_table_id"}, kRouteTable, kId)) {
            main_route = table_route[t];
            main_table = t;
        }
    }
    // Without a resource for the main table, the aws_route resources on the VPC's
    // main_route_table_id give its routes.
    std::map<const TfInstance*, std::string> vpc_main_route;
    if (!main_table)
        for (const TfInstance* v : of_type(kVpc))
            vpc_main_route[v] = default_route_of(*v);
    for (const TfInstance* sn : of_type(kSubnet)) {
        subnet_route[sn] = main_route;
        if (main_table) subnet_table[sn] = main_table;
        if (const TfInstance* v = main_table ? nullptr : refer_one(*sn, {"vpc_id"}, kVpc, kId))
            subnet_route[sn] = vpc_main_route[v];
    }
    for (const TfInstance* a : of_type({"aws_route_table_association"})) {
        consumed(*a);
        const TfInstance* t = refer_one(*a, {"route_table_id"}, kRouteTable, kId);
        const TfInstance* sn = refer_one(*a, {"subnet_id"}, kSubnet, kId);
        if (t && sn) {
            subnet_route[sn] = table_route[t];
            subnet_table[sn] = t;
        }
        if (!sn && !is_empty(a->at({"gateway_id"})))
            skip(*a, "an edge association (to a gateway) is not modelled");
    }
    for (const TfInstance* igw : of_type({"aws_internet_gateway"})) {
        consumed(*igw);
        note(*igw, "written as the route `igw` of the subnets whose route table uses it");
    }
    for (const TfInstance* nat : of_type({"aws_nat_gateway"})) {
        const TfInstance* sn = refer_one(*nat, {"subnet_id"}, kSubnet, kId);
        if (!sn) {
            skip(*nat, "its subnet is not in the file");
            continue;
        }
        TomlSection& s = add(Section::NatGateway, *nat);
        s.set("name", toml_string(name_of(*nat)));
        s.set("subnet", toml_string(name_of(*sn)));
        set_tags(s, *nat);
        if (str(nat->at({"connectivity_type"})).value_or("public") == "private")
            note(*nat,
                 "a private NAT gateway: stratus bills it as a public one and routes "
                 "through it to the internet");
    }
}

// Gateway endpoints for S3 and DynamoDB -> [[vpc_endpoint]] with the subnets of their route
// tables (route_table_ids, or aws_vpc_endpoint_route_table_association); interface endpoints for
// ECR (ecr.api, ecr.dkr), CloudWatch Logs, S3 and DynamoDB with their subnets (subnet_ids, or
// aws_vpc_endpoint_subnet_association), security groups (security_group_ids, or
// aws_vpc_endpoint_security_group_association) and private_dns_enabled.
void Importer::vpc_endpoints() {
    for (const TfInstance* e : of_type({"aws_vpc_endpoint"})) {
        const std::string type = str(e->at({"vpc_endpoint_type"})).value_or("Gateway");
        const std::string service_name = str(e->at({"service_name"})).value_or("");
        // com.amazonaws.<region>.<service>: the service may hold dots (ecr.api).
        std::string service = service_name;
        for (int dots = 0; dots < 3 && service.find('.') != std::string::npos; ++dots)
            service = service.substr(service.find('.') + 1);
        const bool gateway_service = service == "s3" || service == "dynamodb";
        // The interface endpoints the scenario's grammar takes (one list, in settings.cpp).
        const scenario::KeyDef* key = scenario::find_key("vpc_endpoint", "service_name");
        const std::vector<std::string> services = key ? key->choices : std::vector<std::string>{};
        const bool interface_service =
            std::find(services.begin(), services.end(), service) != services.end();
        if ((type == "Gateway" && !gateway_service) ||
            (type == "Interface" && !interface_service) ||
            (type != "Gateway" && type != "Interface")) {
            skip(*e, fmt::format("{} {} endpoint for `{}`: gateway endpoints for S3 and DynamoDB "
                                 "and interface endpoints for {} are modelled",
                                 type == "Interface" ? "an" : "a", type, service_name,
                                 fmt::join(services, ", ")));
            continue;
        }
        if (type == "Interface") {
            interface_endpoint(*e, service);
            continue;
        }
        std::vector<const TfInstance*> tables = refer(*e, {"route_table_ids"}, kRouteTable, kId);
        for (const TfInstance* a : of_type({"aws_vpc_endpoint_route_table_association"})) {
            if (refer_one(*a, {"vpc_endpoint_id"}, {"aws_vpc_endpoint"}, kId) != e) continue;
            consumed(*a);
            if (const TfInstance* t = refer_one(*a, {"route_table_id"}, kRouteTable, kId))
                tables.push_back(t);
        }
        std::vector<const TfInstance*> subnets;
        for (const TfInstance* sn : of_type(kSubnet)) {  // in the file's order
            auto t = subnet_table.find(sn);
            if (t != subnet_table.end() &&
                std::find(tables.begin(), tables.end(), t->second) != tables.end())
                subnets.push_back(sn);
        }
        TomlSection& s = add(Section::VpcEndpoint, *e);
        s.set("name", toml_string(name_of(*e)));
        s.set("service_name", toml_string(service));
        s.set("subnets", toml_strings(emitted_names(subnets)));
        set_tags(s, *e);
        if (subnets.empty())
            note(*e, "no subnet of the file uses its route tables: it takes no traffic");
    }
}

void Importer::interface_endpoint(const TfInstance& e, const std::string& service) {
    std::vector<const TfInstance*> subnets = refer(e, {"subnet_ids"}, kSubnet, kId);
    for (const TfInstance* a : of_type({"aws_vpc_endpoint_subnet_association"}))
        if (refer_one(*a, {"vpc_endpoint_id"}, {"aws_vpc_endpoint"}, kId) == &e)
            if (const TfInstance* sn = refer_one(*a, {"subnet_id"}, kSubnet, kId))
                subnets.push_back(sn);
    if (emitted_names(subnets).empty()) {
        skip(e, "an interface endpoint without an imported subnet for its network interfaces");
        return;
    }
    std::vector<const TfInstance*> sgs = refer(e, {"security_group_ids"}, kSg, {"id"});
    for (const TfInstance* a : of_type({"aws_vpc_endpoint_subnet_association",
                                        "aws_vpc_endpoint_security_group_association"})) {
        if (refer_one(*a, {"vpc_endpoint_id"}, {"aws_vpc_endpoint"}, kId) != &e) continue;
        consumed(*a);
        if (const TfInstance* sg = refer_one(*a, {"security_group_id"}, kSg, {"id"}))
            sgs.push_back(sg);
    }
    TomlSection& s = add(Section::VpcEndpoint, e);
    s.set("name", toml_string(name_of(e)));
    s.set("service_name", toml_string(service));
    s.set("vpc_endpoint_type", toml_string("Interface"));
    s.set("subnets", toml_strings(emitted_names(subnets)));
    // The security groups are imported after the endpoints: their scenario names.
    std::vector<std::string> sg_names;
    for (const TfInstance* sg : sgs)
        sg_names.push_back(name_of(*sg));
    if (!sg_names.empty()) s.set("security_groups", toml_strings(sg_names));
    if (boolean(e.at({"private_dns_enabled"})).value_or(false))
        s.set("private_dns_enabled", toml_bool(true));
    set_tags(s, e);
}

// ---- security groups -----------------------------------------------------------------------

namespace {

// A rule whose group the plan does not know and the configuration does not name (a local
// value, or several blocks of one inline ingress or egress sharing one expression).
std::string unknown_group_text(const char* which) {
    return fmt::format(
        "its {} security group is unknown until apply and the configuration "
        "does not say which group it is: import the state after apply, or "
        "write the rule by hand",
        which);
}

}  // namespace

std::vector<SgRule> Importer::inline_rules(const TfInstance& sg, bool ingress) {
    std::vector<SgRule> out;
    const char* key = ingress ? "ingress" : "egress";
    const Json& blocks = sg.at({key});
    if (!blocks.is_array()) return out;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const Json& b = blocks[i];
        SgRule r;
        r.address = sg.address;
        r.ingress = ingress;
        r.protocol = str(field(b, "protocol")).value_or("-1");
        r.from_port = integer(field(b, "from_port")).value_or(0);
        r.to_port = integer(field(b, "to_port")).value_or(0);
        r.cidr_blocks = strings(field(b, "cidr_blocks"));
        r.ipv6_cidr_blocks = strings(field(b, "ipv6_cidr_blocks"));
        r.prefix_list_ids = strings(field(b, "prefix_list_ids"));
        r.prefix_endpoints = refer(sg, {key, i, "prefix_list_ids"}, {"aws_vpc_endpoint"},
                                   {"prefix_list_id"}, &r.unmatched_prefix_lists);
        r.self = boolean(field(b, "self")).value_or(false);
        r.source_groups =
            refer(sg, {key, i, "security_groups"}, kSg, {"id", "name"}, &r.unmatched_groups);
        r.unknown_group = r.source_groups.empty() && sg.is_unknown({key, i, "security_groups"});
        out.push_back(std::move(r));
    }
    return out;
}

void Importer::security_groups() {
    std::map<const TfInstance*, std::vector<SgRule>> rules;
    auto owner = [&](const TfInstance& r) -> const TfInstance* {
        const TfInstance* sg = refer_one(r, {"security_group_id"}, kSg, kId);
        if (!sg) skip(r, "its security group is not in the file");
        consumed(r);
        return sg;
    };
    for (const TfInstance* r : of_type({"aws_security_group_rule"})) {
        const TfInstance* sg = owner(*r);
        if (!sg) continue;
        SgRule rule;
        rule.address = r->address;
        rule.ingress = str(r->at({"type"})).value_or("ingress") == "ingress";
        rule.protocol = str(r->at({"protocol"})).value_or("-1");
        rule.from_port = integer(r->at({"from_port"})).value_or(0);
        rule.to_port = integer(r->at({"to_port"})).value_or(0);
        rule.cidr_blocks = strings(r->at({"cidr_blocks"}));
        rule.ipv6_cidr_blocks = strings(r->at({"ipv6_cidr_blocks"}));
        rule.prefix_list_ids = strings(r->at({"prefix_list_ids"}));
        rule.prefix_endpoints = refer(*r, {"prefix_list_ids"}, {"aws_vpc_endpoint"},
                                      {"prefix_list_id"}, &rule.unmatched_prefix_lists);
        rule.self = boolean(r->at({"self"})).value_or(false);
        rule.source_groups =
            refer(*r, {"source_security_group_id"}, kSg, kId, &rule.unmatched_groups);
        rule.unknown_group =
            rule.source_groups.empty() && r->is_unknown({"source_security_group_id"});
        rules[sg].push_back(std::move(rule));
    }
    for (const char* type :
         {"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"}) {
        for (const TfInstance* r : of_type({type})) {
            const TfInstance* sg = owner(*r);
            if (!sg) continue;
            SgRule rule;
            rule.address = r->address;
            rule.ingress = std::string(type).find("ingress") != std::string::npos;
            rule.protocol = str(r->at({"ip_protocol"})).value_or("-1");
            rule.from_port = integer(r->at({"from_port"})).value_or(0);
            rule.to_port = integer(r->at({"to_port"})).value_or(rule.from_port);
            rule.cidr_blocks = strings(r->at({"cidr_ipv4"}));
            rule.ipv6_cidr_blocks = strings(r->at({"cidr_ipv6"}));
            // An address block unknown until apply (a VPC's generated IPv6 block, say) is
            // reported, not lost: there is no value to write.
            if (r->is_unknown({"cidr_ipv6"}))
                rule.ipv6_cidr_blocks.push_back("a block unknown until apply");
            if (r->is_unknown({"cidr_ipv4"}))
                skip(r->address,
                     "its cidr_ipv4 is unknown until apply: the rule is left out "
                     "(import the state after apply)");
            rule.prefix_list_ids = strings(r->at({"prefix_list_id"}));
            rule.prefix_endpoints = refer(*r, {"prefix_list_id"}, {"aws_vpc_endpoint"},
                                          {"prefix_list_id"}, &rule.unmatched_prefix_lists);
            rule.source_groups =
                refer(*r, {"referenced_security_group_id"}, kSg, kId, &rule.unmatched_groups);
            rule.unknown_group =
                rule.source_groups.empty() && r->is_unknown({"referenced_security_group_id"});
            rules[sg].push_back(std::move(rule));
        }
    }
    // The rule resources of a group left out are left out with it.
    auto skip_rules_of = [&](const TfInstance& sg) {
        for (const SgRule& r : rules[&sg])
            skip(r.address, fmt::format("its security group {} is not imported", sg.address));
    };
    for (const TfInstance* sg : of_type(kSg)) {
        if (!vpc_) {
            skip(*sg, "a scenario's security groups need its [vpc], which is not in the file");
            skip_rules_of(*sg);
            continue;
        }
        const TfInstance* v = refer_one(*sg, {"vpc_id"}, kVpc, kId);
        if (v && v != vpc_) {
            skip(*sg, fmt::format("in {}, not the imported VPC", v->address));
            skip_rules_of(*sg);
            continue;
        }
        std::vector<SgRule> all = inline_rules(*sg, true);
        for (auto& r : inline_rules(*sg, false))
            all.push_back(std::move(r));
        for (auto& r : rules[sg])
            all.push_back(std::move(r));
        TomlSection& s = add(Section::SecurityGroup, *sg);
        s.set("name", toml_string(name_of(*sg)));
        emit_rules(s, *sg, all);
        set_tags(s, *sg);
    }
}

// Why a rule or part of one cannot be written, if it cannot.
void Importer::emit_rules(TomlSection& section, const TfInstance& sg,
                          const std::vector<SgRule>& rules) {
    std::vector<TomlValue> ingress;
    std::set<std::pair<long long, std::string>> written;  // (port, source) already written
    for (const SgRule& r : rules) {
        if (!r.ingress) continue;  // emit_egress
        const bool all = r.protocol == "-1" || r.protocol == "all";
        const bool tcp = r.protocol == "tcp" || r.protocol == "6";
        if (!all && !tcp) {
            skip(r.address,
                 fmt::format("an ingress rule for protocol {} of {}: stratus's flows are "
                             "TCP",
                             r.protocol, name_of(sg)));
            continue;
        }
        const long long from = all ? 0 : r.from_port, to = all ? 65535 : r.to_port;
        std::vector<long long> ports;
        if (from == to) {
            ports.push_back(from);
        } else {
            for (long long p : flow_ports)
                if (p >= from && p <= to) ports.push_back(p);
            std::vector<std::string> list;
            for (long long p : ports)
                list.push_back(std::to_string(p));
            if (ports.empty())
                skip(r.address, fmt::format("ingress on ports {}-{}: none of them is a port the "
                                            "scenario's flows use",
                                            from, to));
            else
                note(r.address, fmt::format("ingress on ports {}-{} ({}) is written for the ports "
                                            "the scenario's flows use: {} (a rule takes one port)",
                                            from, to, all ? "all traffic" : "TCP", join(list)));
        }
        std::vector<std::string> sources = names(r.source_groups);
        if (r.self) sources.push_back(name_of(sg));
        for (const auto& id : r.unmatched_groups)
            skip(r.address, fmt::format("source security group `{}` is not in the file", id));
        if (r.unknown_group) skip(r.address, unknown_group_text("source"));
        if (!r.ipv6_cidr_blocks.empty())
            skip(r.address, "IPv6 sources are not modelled: " + join(r.ipv6_cidr_blocks));
        if (!r.prefix_list_ids.empty())
            skip(r.address, "prefix list sources are not modelled: " + join(r.prefix_list_ids));
        // A rule stated twice (a state's inline ingress lists the rules that
        // aws_vpc_security_group_ingress_rule or aws_security_group_rule resources manage
        // too) is one rule on AWS: each port and source is written once.
        for (long long port : ports) {
            std::vector<std::string> cidrs;
            for (const auto& c : r.cidr_blocks)
                if (written.insert({port, "cidr:" + c}).second) cidrs.push_back(c);
            if (!cidrs.empty())
                ingress.push_back(
                    toml_inline({{"port", toml_int(port)}, {"cidr_blocks", toml_strings(cidrs)}}));
            for (const auto& src : sources)
                if (written.insert({port, "sg:" + src}).second)
                    ingress.push_back(toml_inline(
                        {{"port", toml_int(port)}, {"source_security_group", toml_string(src)}}));
        }
    }
    if (!ingress.empty()) section.set("ingress", toml_array(ingress));
    emit_egress(section, sg, rules);
}

// The outbound rules, as ranges (port, to_port) to blocks and groups. Always written: a group
// Terraform made without any has none (Terraform removes AWS's default allow-all rule), and
// `egress = []` says so, where a missing key would mean AWS's default.
void Importer::emit_egress(TomlSection& section, const TfInstance& sg,
                           const std::vector<SgRule>& rules) {
    std::vector<TomlValue> egress;
    for (const SgRule& r : rules) {
        if (r.ingress) continue;
        const bool all = r.protocol == "-1" || r.protocol == "all";
        if (!all && r.protocol != "tcp" && r.protocol != "6") {
            skip(r.address, fmt::format("an egress rule for protocol {} of {}: stratus's flows "
                                        "are TCP",
                                        r.protocol, name_of(sg)));
            continue;
        }
        std::vector<std::string> dests = names(r.source_groups);
        if (r.self) dests.push_back(name_of(sg));
        for (const auto& id : r.unmatched_groups)
            skip(r.address, fmt::format("destination security group `{}` is not in the file", id));
        if (r.unknown_group) skip(r.address, unknown_group_text("destination"));
        if (!r.ipv6_cidr_blocks.empty())
            skip(r.address, "IPv6 destinations are not modelled: " + join(r.ipv6_cidr_blocks));
        // A prefix list is an S3 or DynamoDB gateway endpoint's (the scenario names the
        // endpoint); another (a customer-managed list, an endpoint not imported) is left out.
        const std::vector<std::string> lists = emitted_names(r.prefix_endpoints);
        for (const TfInstance* e : r.prefix_endpoints)
            if (!emitted(e))
                skip(r.address,
                     fmt::format("the prefix list of {} is left out with it", e->address));
        for (const auto& id : r.unmatched_prefix_lists)
            skip(r.address, fmt::format("prefix list `{}` is not the prefix list of a gateway "
                                        "endpoint in the file (S3 or DynamoDB): not modelled",
                                        id));
        if (r.cidr_blocks.empty() && dests.empty() && lists.empty()) continue;
        const long long from = all ? 0 : r.from_port, to = all ? 65535 : r.to_port;
        std::vector<std::pair<std::string, TomlValue>> entries{{"port", toml_int(from)}};
        if (to != from) entries.push_back({"to_port", toml_int(to)});
        if (!r.cidr_blocks.empty()) entries.push_back({"cidr_blocks", toml_strings(r.cidr_blocks)});
        if (dests.size() == 1)
            entries.push_back({"destination_security_group", toml_string(dests.front())});
        else if (!dests.empty())
            entries.push_back({"security_groups", toml_strings(dests)});
        if (!lists.empty()) entries.push_back({"prefix_list_ids", toml_strings(lists)});
        egress.push_back(toml_inline(entries));
    }
    section.set("egress", toml_array(egress));
    if (egress.empty())
        note(sg,
             "has no egress rules, as written: on AWS it sends nothing out (Terraform removes "
             "the default allow-all rule), so `egress = []`: every flow out of its members is "
             "closed");
}

}  // namespace stratus::tfimport::detail
