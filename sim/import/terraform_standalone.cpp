// Standalone resources: aws_instance -> [[instance]]; aws_eip (and aws_eip_association) ->
// [[eip]]; aws_ebs_volume -> [[ebs_volume]]; aws_db_instance (with its aws_db_subnet_group) ->
// [[db_instance]]; aws_rds_reserved_instance -> [[reserved_db_instance]]; aws_s3_bucket ->
// [[s3_bucket]]; aws_s3_bucket_lifecycle_configuration -> [[s3_bucket_lifecycle_configuration]].
#include <algorithm>

#include <fmt/format.h>

#include "sim/import/importer.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::tfimport::detail {
namespace {

const Json& first(const Json& v) {
    static const Json kNull;
    if (v.is_array()) return v.empty() ? kNull : v[0];
    return v.is_object() ? v : kNull;
}

}  // namespace

void Importer::instances() {
    for (const TfInstance* in : of_type(kInstance)) {
        const std::string type = str(in->at({"instance_type"})).value_or("");
        const TfInstance* lt =
            refer_one(*in, {"launch_template", 0, "id"}, {"aws_launch_template"}, {"id"});
        if (!lt)
            lt = refer_one(*in, {"launch_template", 0, "name"}, {"aws_launch_template"}, {"name"});
        if (type.empty() && !emitted(lt)) {
            skip(*in, "no instance_type, and no imported launch template gives one");
            continue;
        }
        TomlSection& s = add(Section::Instance, *in);
        s.set("name", toml_string(name_of(*in)));
        if (!type.empty())
            s.set("instance_type", toml_string(type));
        else
            s.set("launch_template", toml_string(name_of(*lt)));
        const TfInstance* sn = refer_one(*in, {"subnet_id"}, kSubnet, {"id"});
        if (emitted(sn)) s.set("subnet", toml_string(name_of(*sn)));
        if (auto az = str(in->at({"availability_zone"})); az && !az->empty()) {
            s.set("availability_zone", toml_string(*az));
            add_az(*az);
        } else if (sn && subnet_az.count(sn)) {
            s.set("availability_zone", toml_string(subnet_az[sn]));
            add_az(subnet_az[sn]);
        }
        std::vector<std::string> lost;
        auto sgs = refer(*in, {"vpc_security_group_ids"}, kSg, {"id"}, &lost);
        if (sgs.empty() && lost.empty())
            sgs = refer(*in, {"security_groups"}, kSg, {"name", "id"}, &lost);
        if (!emitted_names(sgs).empty()) s.set("security_groups", toml_strings(emitted_names(sgs)));
        note_lost_groups(*in, sgs, lost);
        if (type.empty()) {
            // The template gives the rest.
        } else {
            if (auto gb = integer(field(first(in->at({"root_block_device"})), "volume_size")))
                s.set("ebs_gb", toml_int(*gb));
            if (boolean(in->at({"associate_public_ip_address"})).value_or(false))
                s.set("associate_public_ip_address", toml_bool(true));
        }
        if (!boolean(in->at({"source_dest_check"})).value_or(true))
            s.set("source_dest_check", toml_bool(false));
        const std::string state = str(in->at({"instance_state"})).value_or("running");
        if (state == "stopped")
            s.set("schedule", toml_array({toml_array({toml_string("0s"), toml_string("stopped")})}),
                  "stopped in the state");
        set_tags(s, *in);
        credit_specification(*in, type,
                             field(first(in->at({"credit_specification"})), "cpu_credits"));
        if (!is_empty(in->at({"ebs_block_device"})))
            skip(in->address,
                 "extra EBS volumes (ebs_block_device) are not billed: write them as "
                 "[[ebs_volume]]");
        if (!is_empty(field(first(in->at({"instance_market_options"})), "market_type")))
            skip(in->address,
                 "a Spot Instance on its own (instance_market_options) is billed "
                 "On-Demand: stratus's Spot Instances come from groups");
        unmodelled(*in, {"ami",
                         "user_data",
                         "user_data_base64",
                         "key_name",
                         "iam_instance_profile",
                         "monitoring",
                         "ebs_optimized",
                         "placement_group",
                         "tenancy",
                         "metadata_options",
                         "disable_api_termination",
                         "hibernation",
                         "cpu_options",
                         "private_ip",
                         "secondary_private_ips",
                         "ipv6_address_count",
                         "ipv6_addresses",
                         "capacity_reservation_specification",
                         "maintenance_options",
                         "enclave_options"});
    }
}

void Importer::addresses_and_volumes() {
    // Associations made apart from the address.
    std::map<const TfInstance*, const TfInstance*> associated;
    for (const TfInstance* a : of_type({"aws_eip_association"})) {
        consumed(*a);
        const TfInstance* eip =
            refer_one(*a, {"allocation_id"}, {"aws_eip"}, {"id", "allocation_id"});
        const TfInstance* in = refer_one(*a, {"instance_id"}, kInstance, {"id"});
        if (eip && in)
            associated[eip] = in;
        else
            skip(*a, "its address or instance is not in the file");
    }
    for (const TfInstance* eip : of_type({"aws_eip"})) {
        // A NAT gateway's address is billed with the gateway ([[nat_gateway]] bills its
        // public IPv4): an [[eip]] as well would bill it twice.
        const TfInstance* of_nat = nullptr;
        for (const TfInstance* nat : of_type({"aws_nat_gateway"}))
            if (refer_one(*nat, {"allocation_id"}, {"aws_eip"}, {"id", "allocation_id"}) == eip)
                of_nat = nat;
        if (of_nat) {
            skip(*eip, fmt::format("the public address of {}, billed with the NAT gateway",
                                   of_nat->address));
            continue;
        }
        TomlSection& s = add(Section::Eip, *eip);
        s.set("name", toml_string(name_of(*eip)));
        const TfInstance* in = refer_one(*eip, {"instance"}, kInstance, {"id"});
        if (!in && associated.count(eip)) in = associated[eip];
        if (emitted(in)) s.set("instance", toml_string(name_of(*in)));
        if (!emitted(in) && !is_empty(eip->at({"network_interface"})))
            note(*eip,
                 "attached to a network interface, which is not modelled: billed as an "
                 "address without an instance");
        set_tags(s, *eip);
    }
    for (const TfInstance* v : of_type({"aws_ebs_volume"})) {
        const auto size = integer(v->at({"size"}));
        if (!size) {
            skip(*v, "its size is unknown until apply (it comes from a snapshot)");
            continue;
        }
        TomlSection& s = add(Section::EbsVolume, *v);
        s.set("name", toml_string(name_of(*v)));
        s.set("size_gb", toml_int(*size));
        if (auto az = str(v->at({"availability_zone"})); az && !az->empty()) {
            s.set("availability_zone", toml_string(*az));
            add_az(*az);
        }
        set_tags(s, *v);
        const std::string type = str(v->at({"type"})).value_or("gp3");
        if (!type.empty() && type != "gp3")
            note(*v, fmt::format("volume type {} is billed at the gp3 price (stratus's EBS price "
                                 "list has gp3)",
                                 type));
        unmodelled(*v, {"iops", "throughput", "snapshot_id", "multi_attach_enabled", "kms_key_id"});
    }
    for (const TfInstance* a : of_type({"aws_volume_attachment"}))
        skip(*a, "attachments are not modelled: a volume is billed while it exists");
}

void Importer::databases() {
    for (const TfInstance* g : of_type({"aws_db_subnet_group"}))
        consumed(*g);
    for (const TfInstance* db : of_type({"aws_db_instance"})) {
        std::string engine = str(db->at({"engine"})).value_or("");
        if (engine.rfind("aurora", 0) == 0 || !is_empty(db->at({"cluster_identifier"}))) {
            skip(*db, "an Aurora cluster instance is not modelled");
            continue;
        }
        if (engine == "mariadb") {
            note(*db, "engine mariadb is written as mysql (the same prices and port)");
            engine = "mysql";
        }
        if (engine != "mysql" && engine != "postgres" && !engine.empty()) {
            skip(*db, fmt::format("engine `{}` is not modelled (mysql and postgres are)", engine));
            continue;
        }
        if (!is_empty(db->at({"replicate_source_db"})))
            note(*db,
                 "a read replica: stratus models it as an instance of its own, without "
                 "replication traffic");
        TomlSection& s = add(Section::DbInstance, *db);
        s.set("identifier", toml_string(name_of(*db)));
        s.set("instance_class", toml_string(str(db->at({"instance_class"})).value_or("")));
        if (!engine.empty()) s.set("engine", toml_string(engine));
        if (boolean(db->at({"multi_az"})).value_or(false)) {
            s.set("multi_az", toml_bool(true));
            multi_az_dbs_.push_back(db->address);
        }
        if (auto az = str(db->at({"availability_zone"})); az && !az->empty()) {
            s.set("availability_zone", toml_string(*az));
            add_az(*az);
        }
        if (auto gb = integer(db->at({"allocated_storage"})))
            s.set("allocated_storage", toml_int(*gb));
        if (auto port = integer(db->at({"port"})); port && *port > 0)
            s.set("port", toml_int(*port));
        if (const TfInstance* group =
                refer_one(*db, {"db_subnet_group_name"}, {"aws_db_subnet_group"}, {"name", "id"})) {
            const auto in_group = refer(*group, {"subnet_ids"}, kSubnet, {"id"});
            // A Multi-AZ standby is in another zone of the group: its subnets' zones exist.
            if (!multi_az_dbs_.empty() && multi_az_dbs_.back() == db->address)
                for (const TfInstance* sn : in_group)
                    if (subnet_az.count(sn)) add_az(subnet_az[sn]);
            const auto subnets = emitted_names(in_group);
            if (!subnets.empty()) s.set("subnets", toml_strings(subnets), group->address);
        }
        const auto sgs = emitted_names(refer(*db, {"vpc_security_group_ids"}, kSg, {"id"}));
        if (!sgs.empty()) s.set("security_groups", toml_strings(sgs));
        set_tags(s, *db);
        const std::string storage = str(db->at({"storage_type"})).value_or("gp2");
        if (!storage.empty() && storage != "gp2")
            note(*db, fmt::format("{} storage is billed at the gp2 price", storage));
        unmodelled(*db, {"backup_retention_period", "max_allocated_storage", "iops",
                         "performance_insights_enabled", "monitoring_interval", "storage_encrypted",
                         "deletion_protection", "engine_version", "parameter_group_name",
                         "option_group_name", "publicly_accessible"});
    }
}

// The aws_rds_reserved_instance_offering data source a plan's reservation names by its
// offering_id (read by the plan: its values are in the prior state), or null.
const TfInstance* Importer::reservation_offering(const TfInstance& ri) const {
    const std::string prefix = "data.aws_rds_reserved_instance_offering.";
    for (const std::string& ref : strings(field(ri.expression({"offering_id"}), "references"))) {
        if (ref.rfind(prefix, 0) != 0) continue;
        std::string address = ref;
        const std::string attribute = ".offering_id";
        if (address.size() > attribute.size() &&
            address.compare(address.size() - attribute.size(), attribute.size(), attribute) == 0)
            address.resize(address.size() - attribute.size());
        if (!ri.module.empty()) address = ri.module + "." + address;
        if (const TfInstance* d = doc_.data_source(address)) return d;
    }
    return nullptr;
}

// aws_rds_reserved_instance -> [[reserved_db_instance]] with the terms a state holds (a plan
// knows them only after apply). MariaDB's DB instances are written as mysql (the same prices),
// and so is a MariaDB reservation when no MySQL DB instance in the file could take it; Oracle
// and SQL Server have no prices in the catalog. The provider keeps recurring_charge_amount as a
// whole number (its schema's TypeInt), so an hourly fee of cents is lost: it is left for the
// user to fill in, unless usage_price gives it.
void Importer::reserved_db_instances() {
    const scenario::KeyDef* key = scenario::find_key("reserved_db_instance", "product_description");
    const std::vector<std::string> products = key ? key->choices : std::vector<std::string>{};
    bool mysql_dbs = false;
    for (const TfInstance* db : of_type({"aws_db_instance"}))
        mysql_dbs = mysql_dbs || str(db->at({"engine"})).value_or("") == "mysql";
    for (const TfInstance* ri : of_type({"aws_rds_reserved_instance"})) {
        // In a plan the terms are unknown until apply: the offering data source gives them.
        const TfInstance* offering_source = reservation_offering(*ri);
        auto term = [&](const char* k) -> const Json& {
            const Json& v = ri->at({k});
            return v.is_null() && offering_source ? offering_source->at({k}) : v;
        };
        const std::string cls = str(term("db_instance_class")).value_or("");
        std::string product = str(term("product_description")).value_or("");
        const std::string offering = str(term("offering_type")).value_or("");
        if (cls.empty() || product.empty() || offering.empty()) {
            skip(*ri,
                 "its terms (class, engine, payment option) are known after apply and no "
                 "aws_rds_reserved_instance_offering data source in the file gives them: "
                 "import the state");
            continue;
        }
        if (str(ri->at({"state"})).value_or("") == "retired") {
            skip(*ri, "the reservation is retired (its term has ended)");
            continue;
        }
        if (product == "mariadb" && mysql_dbs) {
            skip(*ri,
                 "a MariaDB reservation: the scenario writes MariaDB DB instances as mysql, "
                 "and this file has MySQL DB instances it would cover as well");
            continue;
        }
        if (product == "mariadb") {
            note(*ri,
                 "a MariaDB reservation is written with product_description = \"mysql\", as "
                 "its DB instances are (the same prices; no MySQL DB instance in the file)");
            product = "mysql";
        }
        if (std::find(products.begin(), products.end(), product) == products.end()) {
            skip(*ri, fmt::format("product_description `{}` is not modelled: the catalog has "
                                  "prices for MySQL, MariaDB and PostgreSQL DB instances only",
                                  product));
            continue;
        }
        if (offering != "No Upfront" && offering != "Partial Upfront" &&
            offering != "All Upfront") {
            skip(*ri,
                 fmt::format("offering_type `{}` (a legacy offering) is not modelled", offering));
            continue;
        }
        TomlSection s("reserved_db_instance", true);
        s.set("name", toml_string(name_of(*ri)));
        if (auto id = str(term("offering_id")); id && !id->empty())
            s.set("offering_id", toml_string(*id));
        s.set("db_instance_class", toml_string(cls));
        s.set("instance_count", toml_int(integer(ri->at({"instance_count"})).value_or(1)));
        if (boolean(term("multi_az")).value_or(false)) s.set("multi_az", toml_bool(true));
        s.set("product_description", toml_string(product));
        s.set("offering_type", toml_string(offering));
        if (auto f = number(term("fixed_price")); f && *f > 0)
            s.set("fixed_price", toml_number(*f));
        if (auto d = integer(term("duration"))) s.set("duration", toml_int(*d));
        if (offering != "All Upfront") {
            if (auto u = number(ri->at({"usage_price"})); u && *u > 0) {
                s.set("recurring_charge", toml_number(*u), "usage_price");
            } else {
                s.commented_key(
                    "recurring_charge = ...  FILL IN: the offering's hourly fee "
                    "(USD/h; Terraform keeps it as a whole number)");
                note(*ri,
                     "its hourly recurring charge is not in the file (the provider keeps "
                     "recurring_charge_amount as a whole number): fill in recurring_charge "
                     "from `aws rds describe-reserved-db-instances`");
            }
        }
        if (auto st = str(ri->at({"state"})); st && *st != "active")
            note(*ri, fmt::format("its state is `{}`: billed as active", *st));
        set_tags(s, *ri);
        add(Section::ReservedDbInstance, *ri, std::move(s));
    }
}

void Importer::buckets() {
    for (const TfInstance* b : of_type({"aws_s3_bucket"})) {
        TomlSection& s = add(Section::S3Bucket, *b);
        s.set("name", toml_string(name_of(*b)));
        s.set("storage_gb", toml_number(0), "FILL IN: GB stored (Terraform does not know)");
        bucket_versioning(*b, s);
        set_tags(s, *b);
        // The bucket's own settings of provider 3.x that stratus does not model (its inline
        // lifecycle_rule, acl, policy and versioning are written). A state of provider 4.x or
        // 5.x shows every bucket's default encryption and owner grant, computed: those two are
        // listed only when the configuration writes them.
        std::vector<std::string> left{"website",
                                      "cors_rule",
                                      "logging",
                                      "replication_configuration",
                                      "object_lock_configuration",
                                      "acceleration_status"};
        if (b->config) {
            left.emplace_back("server_side_encryption_configuration");
            left.emplace_back("grant");
        }
        unmodelled(*b, left);
    }
}

namespace {

// A nested block: Terraform's state writes it as a list of one object, a plan's configuration
// sometimes as the object.
Json block(const Json& v) {
    if (v.is_array()) return v.empty() ? Json() : v[0];
    return v;
}

}  // namespace

// aws_s3_bucket_versioning -> the bucket's versioning: its versioning_configuration.status,
// else the bucket's own versioning block (provider 3.x: enabled = true). Enabled buckets keep
// their overwrites as noncurrent versions: how many writes overwrite is for the user to say.
void Importer::bucket_versioning(const TfInstance& bucket, TomlSection& s) {
    std::string status;
    for (const TfInstance* v : of_type({"aws_s3_bucket_versioning"})) {
        if (refer_one(*v, {"bucket"}, {"aws_s3_bucket"}, {"bucket", "id"}) != &bucket) continue;
        consumed(*v);
        const Json conf = block(v->at({"versioning_configuration"}));
        if (conf.is_object()) status = str(conf.value("status", Json())).value_or("");
    }
    const Json own = block(bucket.at({"versioning"}));
    if (status.empty() && own.is_object() && boolean(own.value("enabled", Json())).value_or(false))
        status = "Enabled";
    if (status != "Enabled" && status != "Suspended") return;
    s.set("versioning", toml_string(status));
    if (status == "Enabled")
        s.commented_key(
            "overwrite_percent = ...  FILL IN: % of writes that overwrite an existing key, "
            "each keeping a noncurrent version (Terraform does not know)");
}

// aws_s3_bucket_lifecycle_configuration -> [[s3_bucket_lifecycle_configuration]]: each rule's
// id, status, prefix filter, transitions and expiration by days.
void Importer::bucket_lifecycles() {
    for (const TfInstance* lc : of_type({"aws_s3_bucket_lifecycle_configuration"})) {
        const TfInstance* bucket = refer_one(*lc, {"bucket"}, {"aws_s3_bucket"}, {"bucket", "id"});
        if (!emitted(bucket)) {
            skip(*lc, "its bucket is not an aws_s3_bucket of the file");
            continue;
        }
        std::vector<TomlValue> rules;
        const Json& list = lc->at({"rule"});
        for (std::size_t i = 0; list.is_array() && i < list.size(); ++i)
            if (auto r = lifecycle_rule(*lc, list[i])) rules.push_back(*r);
        if (rules.empty()) {
            skip(*lc, "no rule with a transition or expiration by days");
            continue;
        }
        TomlSection& s = add(Section::S3BucketLifecycleConfiguration, *lc);
        s.set("bucket", toml_string(name_of(*bucket)));
        s.set("rule", toml_array(rules));
    }
}

namespace {

// The tags a filter wants, as { key = "value", ... }: its `tag` block's or its `tags` map.
std::vector<std::pair<std::string, TomlValue>> filter_tags(const Json& where) {
    std::vector<std::pair<std::string, TomlValue>> out;
    if (!where.is_object()) return out;
    const Json tag = block(where.value("tag", Json()));
    if (tag.is_object() && !str(tag.value("key", Json())).value_or("").empty())
        out.emplace_back(*str(tag.value("key", Json())),
                         toml_string(str(tag.value("value", Json())).value_or("")));
    const Json tags = where.value("tags", Json());
    if (tags.is_object())
        for (const auto& [k, v] : tags.items())
            if (v.is_string()) out.emplace_back(k, toml_string(v.get<std::string>()));
    return out;
}

// A filter's conditions as Terraform holds them (a block's absent or zero values are unset):
// prefix, tags (`tag { key, value }` or the `and` block's `tags` map) and object sizes.
std::vector<std::pair<std::string, TomlValue>> filter_conditions(const Json& where) {
    std::vector<std::pair<std::string, TomlValue>> out;
    if (!where.is_object()) return out;
    if (const auto p = str(where.value("prefix", Json())); p && !p->empty())
        out.emplace_back("prefix", toml_string(*p));
    const Json tag = block(where.value("tag", Json()));
    if (tag.is_object() && !str(tag.value("key", Json())).value_or("").empty())
        out.emplace_back(
            "tag",
            toml_inline({{"key", toml_string(*str(tag.value("key", Json())))},
                         {"value", toml_string(str(tag.value("value", Json())).value_or(""))}}));
    const Json tags = where.value("tags", Json());
    std::vector<std::pair<std::string, TomlValue>> map;
    if (tags.is_object())
        for (const auto& [k, v] : tags.items())
            if (v.is_string()) map.emplace_back(k, toml_string(v.get<std::string>()));
    if (!map.empty()) out.emplace_back("tags", toml_inline(map));
    for (const char* size : {"object_size_greater_than", "object_size_less_than"})
        if (const auto n = integer(where.value(size, Json())); n && *n > 0)
            out.emplace_back(size, toml_int(*n));
    return out;
}

}  // namespace

// A rule's filter as the scenario writes it: S3's `and` when Terraform gives one (its prefix,
// tags and sizes), else the filter's prefix, tag and sizes, else the rule's own prefix
// (deprecated in the provider). A tag filter applies to the objects carrying its tags: the
// bucket's object_tags, which Terraform does not know (a note says so).
std::optional<TomlValue> Importer::lifecycle_filter(const TfInstance& lc, const std::string& id,
                                                    const Json& rule) {
    const Json filter = block(rule.value("filter", Json()));
    auto conditions = filter_conditions(filter.is_object() ? filter : rule);
    const auto both =
        filter_conditions(filter.is_object() ? block(filter.value("and", Json())) : Json());
    if (!both.empty()) {
        // S3 takes one element or `and`: a prefix beside `and` (Terraform's default "") joins it.
        auto inside = both;
        for (const auto& c : conditions)
            if (c.first == "prefix" && std::none_of(both.begin(), both.end(), [](const auto& b) {
                    return b.first == "prefix";
                }))
                inside.insert(inside.begin(), c);
        conditions = {{"and", toml_inline(inside)}};
    }
    auto wanted = filter_tags(filter.is_object() ? filter : rule);
    for (auto& t : filter_tags(filter.is_object() ? block(filter.value("and", Json())) : Json()))
        wanted.push_back(std::move(t));
    if (!wanted.empty())
        note(lc, fmt::format("rule `{}` applies only to objects carrying the tags {}: set the "
                             "bucket's object_tags to the tags its objects are written with "
                             "(Terraform does not know them)",
                             id, toml_inline(wanted).text));
    if (conditions.empty()) return std::nullopt;
    return toml_inline(conditions);
}

// One rule as an inline table; nullopt (with a note) when it has no action the model reads.
std::optional<TomlValue> Importer::lifecycle_rule(const TfInstance& lc, const Json& rule) {
    if (!rule.is_object()) return std::nullopt;
    const std::string id = str(rule.value("id", Json())).value_or("");
    std::vector<std::pair<std::string, TomlValue>> entries{
        {"id", toml_string(id)},
        {"status", toml_string(str(rule.value("status", Json())).value_or("Enabled"))}};
    if (auto filter = lifecycle_filter(lc, id, rule)) entries.push_back({"filter", *filter});
    std::vector<TomlValue> transitions;
    const Json list = rule.value("transition", Json());
    for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
        if (!list[i].is_object()) continue;
        const auto days = integer(list[i].value("days", Json()));
        const auto cls = str(list[i].value("storage_class", Json()));
        if (!days || !cls) {
            note(lc, fmt::format("rule `{}`: a transition on a date is not modelled", id));
            continue;
        }
        transitions.push_back(
            toml_inline({{"days", toml_int(*days)}, {"storage_class", toml_string(*cls)}}));
    }
    if (!transitions.empty()) entries.push_back({"transition", toml_array(transitions)});
    const Json expiration = block(rule.value("expiration", Json()));
    bool expires = false;
    if (expiration.is_object()) {
        const auto days = integer(expiration.value("days", Json()));
        expires = (days && *days > 0) ||
                  boolean(expiration.value("expired_object_delete_marker", Json())).value_or(false);
        if (days && *days > 0)
            entries.push_back({"expiration", toml_inline({{"days", toml_int(*days)}})});
        else if (expires)
            entries.push_back(
                {"expiration", toml_inline({{"expired_object_delete_marker", toml_bool(true)}})});
        else if (!str(expiration.value("date", Json())).value_or("").empty())
            note(lc, fmt::format("rule `{}`: an expiration on a date is not modelled", id));
    }
    auto noncurrent = noncurrent_transitions(lc, id, rule);
    if (noncurrent) entries.push_back({"noncurrent_version_transition", *noncurrent});
    const Json nexp = block(rule.value("noncurrent_version_expiration", Json()));
    const auto ndays = integer(nexp.is_object() ? nexp.value("noncurrent_days", Json()) : Json());
    if (ndays && *ndays > 0) {
        std::vector<std::pair<std::string, TomlValue>> e{{"noncurrent_days", toml_int(*ndays)}};
        if (const auto n = integer(nexp.value("newer_noncurrent_versions", Json())); n && *n > 0)
            e.emplace_back("newer_noncurrent_versions", toml_int(*n));
        entries.push_back({"noncurrent_version_expiration", toml_inline(e)});
    }
    // The parts of uploads left incomplete (the bucket's incomplete_upload_percent, which
    // Terraform does not know: a note says so).
    const Json abort = block(rule.value("abort_incomplete_multipart_upload", Json()));
    const auto abort_days =
        integer(abort.is_object() ? abort.value("days_after_initiation", Json()) : Json());
    const Json filter = block(rule.value("filter", Json()));
    const bool tagged =
        !filter_tags(filter.is_object() ? filter : rule).empty() ||
        !filter_tags(filter.is_object() ? block(filter.value("and", Json())) : Json()).empty();
    if (abort_days && *abort_days > 0 && tagged)
        note(lc, fmt::format("rule `{}`: `abort_incomplete_multipart_upload` beside a tag filter "
                             "is refused by S3: left out",
                             id));
    else if (abort_days && *abort_days > 0) {
        entries.push_back({"abort_incomplete_multipart_upload",
                           toml_inline({{"days_after_initiation", toml_int(*abort_days)}})});
        note(lc, fmt::format("rule `{}` aborts incomplete multipart uploads: set the bucket's "
                             "incomplete_upload_percent to the share of bytes its writers leave "
                             "in uploads they never complete (Terraform does not know it)",
                             id));
    }
    if (transitions.empty() && !expires && !noncurrent && !(ndays && *ndays > 0) &&
        !(abort_days && *abort_days > 0 && !tagged))
        return std::nullopt;
    return toml_inline(entries);
}

// A rule's noncurrent_version_transition blocks (noncurrent_days, storage_class), or nullopt.
std::optional<TomlValue> Importer::noncurrent_transitions(const TfInstance& /*lc*/,
                                                          const std::string& /*id*/,
                                                          const Json& rule) {
    std::vector<TomlValue> out;
    const Json list = rule.value("noncurrent_version_transition", Json());
    for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
        if (!list[i].is_object()) continue;
        const auto days = integer(list[i].value("noncurrent_days", Json()));
        const auto cls = str(list[i].value("storage_class", Json()));
        if (!days || !cls) continue;
        std::vector<std::pair<std::string, TomlValue>> t{{"noncurrent_days", toml_int(*days)},
                                                         {"storage_class", toml_string(*cls)}};
        if (const auto n = integer(list[i].value("newer_noncurrent_versions", Json())); n && *n > 0)
            t.emplace_back("newer_noncurrent_versions", toml_int(*n));
        out.push_back(toml_inline(t));
    }
    if (out.empty()) return std::nullopt;
    return toml_array(out);
}

// aws_s3_bucket_policy -> [[s3_bucket_policy]]: the document as Terraform holds it, evaluated by
// the IAM engine as the bucket's resource-based policy (docs/iam.md). In a plan, a document
// from an aws_iam_policy_document that names the bucket's ARN is unknown until apply: skipped
// with the reason (the state has it).
void Importer::bucket_policies() {
    for (const TfInstance* bp : of_type({"aws_s3_bucket_policy"})) {
        const TfInstance* bucket = refer_one(*bp, {"bucket"}, {"aws_s3_bucket"}, {"bucket", "id"});
        if (!emitted(bucket)) {
            skip(*bp, "its bucket is not an aws_s3_bucket of the file");
            continue;
        }
        if (bp->is_unknown({"policy"})) {
            skip(*bp, unknown_document(*bp, "policy") +
                          ": import the state after apply, or write the [[s3_bucket_policy]] "
                          "by hand");
            continue;
        }
        const auto doc = iam_document(*bp, "policy", iam::PolicyKind::ResourceBased);
        if (!doc) continue;
        TomlSection& s = add(Section::S3BucketPolicy, *bp);
        s.set("bucket", toml_string(name_of(*bucket)));
        s.set("policy", toml_string(*doc));
    }
}

// aws_s3_bucket_acl -> [[s3_bucket_acl]]: a canned ACL. The canned ACLs that grant only the
// owner, the log delivery group or EC2 something (bucket-owner-read, bucket-owner-full-control,
// log-delivery-write, aws-exec-read) give no one else access: written as private, with a note.
// An ACL of grants (access_control_policy) is not modelled.
void Importer::bucket_acls() {
    for (const TfInstance* acl : of_type({"aws_s3_bucket_acl"})) {
        const TfInstance* bucket = refer_one(*acl, {"bucket"}, {"aws_s3_bucket"}, {"bucket", "id"});
        if (!emitted(bucket)) {
            skip(*acl, "its bucket is not an aws_s3_bucket of the file");
            continue;
        }
        const std::string canned = str(acl->at({"acl"})).value_or("");
        if (canned.empty()) {
            skip(*acl,
                 "an ACL of grants (access_control_policy) is not modelled: only the "
                 "canned ACLs are");
            continue;
        }
        TomlSection& s = add(Section::S3BucketAcl, *acl);
        s.set("bucket", toml_string(name_of(*bucket)));
        s.set("acl", toml_string(canned_acl(*acl, canned)));
    }
}

// aws_s3_bucket_public_access_block -> [[s3_bucket_public_access_block]] (its four settings)
// and aws_s3_bucket_ownership_controls -> [[s3_bucket_ownership_controls]] (rule's
// object_ownership), on a bucket of the file.
void Importer::bucket_access_settings() {
    for (const TfInstance* b : of_type({"aws_s3_bucket_public_access_block"})) {
        const TfInstance* bucket = refer_one(*b, {"bucket"}, {"aws_s3_bucket"}, {"bucket", "id"});
        if (!emitted(bucket)) {
            skip(*b, "its bucket is not an aws_s3_bucket of the file");
            continue;
        }
        TomlSection& s = add(Section::S3BucketPublicAccessBlock, *b);
        s.set("bucket", toml_string(name_of(*bucket)));
        for (const char* k : {"block_public_acls", "block_public_policy", "ignore_public_acls",
                              "restrict_public_buckets"})
            if (boolean(b->at({k})).value_or(false)) s.set(k, toml_bool(true));
    }
    for (const TfInstance* o : of_type({"aws_s3_bucket_ownership_controls"})) {
        const TfInstance* bucket = refer_one(*o, {"bucket"}, {"aws_s3_bucket"}, {"bucket", "id"});
        if (!emitted(bucket)) {
            skip(*o, "its bucket is not an aws_s3_bucket of the file");
            continue;
        }
        const auto ownership = str(field(first(o->at({"rule"})), "object_ownership"));
        if (!ownership) {
            skip(*o, "no rule.object_ownership");
            continue;
        }
        TomlSection& s = add(Section::S3BucketOwnershipControls, *o);
        s.set("bucket", toml_string(name_of(*bucket)));
        s.set("rule", toml_inline({{"object_ownership", toml_string(*ownership)}}));
    }
}

std::string Importer::canned_acl(const TfInstance& from, const std::string& canned) {
    if (canned != "bucket-owner-read" && canned != "bucket-owner-full-control" &&
        canned != "log-delivery-write" && canned != "aws-exec-read")
        return canned;
    note(from, fmt::format("the canned ACL `{}` gives no other account or anonymous user "
                           "access: written as private",
                           canned));
    return "private";
}

namespace {

// Whether an instance of `type` names `bucket` in its `bucket`.
bool has_setting(const Importer& im, const char* type, const TfInstance& bucket) {
    for (const TfInstance* x : im.of_type({type}))
        if (im.refer_one(*x, {"bucket"}, {"aws_s3_bucket"}, {"bucket", "id"}) == &bucket)
            return true;
    return false;
}

}  // namespace

// An inline lifecycle_rule of aws_s3_bucket (provider 3.x; deprecated since 4.0) in the shape of
// aws_s3_bucket_lifecycle_configuration's rule: `enabled` as status, `prefix` and `tags` as the
// filter, abort_incomplete_multipart_upload_days as its block. A rule without an id (AWS
// makes one up) is called rule-N.
Json Importer::inline_lifecycle_rule(const Json& rule, std::size_t i) {
    Json out = Json::object();
    const std::string id = str(rule.value("id", Json())).value_or("");
    out["id"] = id.empty() ? fmt::format("rule-{}", i + 1) : id;
    out["status"] = boolean(rule.value("enabled", Json())).value_or(false) ? "Enabled" : "Disabled";
    const Json prefix = rule.value("prefix", Json());
    const Json tags = rule.value("tags", Json());
    if (tags.is_object() && !tags.empty())
        out["filter"] =
            Json::array({{{"and", Json::array({{{"prefix", prefix}, {"tags", tags}}})}}});
    else
        out["filter"] = Json::array({{{"prefix", prefix}}});
    for (const char* k : {"transition", "expiration", "noncurrent_version_transition",
                          "noncurrent_version_expiration"})
        out[k] = rule.value(k, Json());
    if (auto days = integer(rule.value("abort_incomplete_multipart_upload_days", Json())); days)
        out["abort_incomplete_multipart_upload"] =
            Json::array({{{"days_after_initiation", *days}}});
    return out;
}

// A bucket's inline lifecycle_rule, acl and policy (provider 3.x wrote them on aws_s3_bucket;
// a 4.x or 5.x state still shows them, computed): written as the sections of their own
// resources when the file has none for the bucket.
void Importer::bucket_inline_settings() {
    for (const TfInstance* b : of_type({"aws_s3_bucket"})) {
        if (!emitted(b)) continue;
        const Json& rules = b->at({"lifecycle_rule"});
        if (rules.is_array() && !rules.empty() &&
            !has_setting(*this, "aws_s3_bucket_lifecycle_configuration", *b)) {
            std::vector<TomlValue> out;
            for (std::size_t i = 0; i < rules.size(); ++i)
                if (auto r = lifecycle_rule(*b, inline_lifecycle_rule(rules[i], i)))
                    out.push_back(*r);
            if (out.empty())
                note(*b, "lifecycle_rule: no rule with a transition or expiration by days");
            else {
                TomlSection& s =
                    add(Section::S3BucketLifecycleConfiguration, *b, "its lifecycle_rule");
                s.set("bucket", toml_string(name_of(*b)));
                s.set("rule", toml_array(out));
            }
        }
        const std::string acl = str(b->at({"acl"})).value_or("");
        if (!acl.empty() && !has_setting(*this, "aws_s3_bucket_acl", *b)) {
            TomlSection& s = add(Section::S3BucketAcl, *b, "its acl");
            s.set("bucket", toml_string(name_of(*b)));
            s.set("acl", toml_string(canned_acl(*b, acl)));
        }
        const std::string policy = str(b->at({"policy"})).value_or("");
        if (policy.empty() || has_setting(*this, "aws_s3_bucket_policy", *b)) continue;
        try {
            iam::parse_policy(policy, iam::PolicyKind::ResourceBased);
            TomlSection& s = add(Section::S3BucketPolicy, *b, "its policy");
            s.set("bucket", toml_string(name_of(*b)));
            s.set("policy", toml_string(policy));
        } catch (const iam::PolicyError& e) {
            note(*b, fmt::format("its policy is left out: IAM would refuse it: {}", e.what()));
        }
    }
}

}  // namespace stratus::tfimport::detail
