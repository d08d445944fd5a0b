#include "sim/cloud/s3.hpp"

#include <algorithm>
#include <cmath>

#include "sim/cloud/billing.hpp"

namespace stratus::cloud {

S3ClassRules s3_class_rules(S3StorageClass c) {
    S3ClassRules r;
    switch (c) {
        case S3StorageClass::STANDARD:
            break;
        case S3StorageClass::STANDARD_IA:
        case S3StorageClass::ONEZONE_IA:
            r.minimum_days = 30;
            r.minimum_object_kb = 128;
            r.retrieval_fee = true;
            break;
        case S3StorageClass::INTELLIGENT_TIERING:
            r.monitored = true;  // no minimum duration since 2021, no retrieval fee
            break;
        case S3StorageClass::GLACIER_IR:
            r.minimum_days = 90;
            r.minimum_object_kb = 128;
            r.retrieval_fee = true;
            break;
        case S3StorageClass::GLACIER:
        case S3StorageClass::DEEP_ARCHIVE:
            r.minimum_days = c == S3StorageClass::GLACIER ? 90 : 180;
            r.archive_overhead_kb = 32;  // the index, at the archive class's rate
            r.standard_overhead_kb = 8;  // the name and metadata, at STANDARD's rate
            r.readable = false;
            break;
    }
    return r;
}

std::string_view to_string(S3StorageClass c) {
    switch (c) {
        case S3StorageClass::STANDARD:
            return "STANDARD";
        case S3StorageClass::STANDARD_IA:
            return "STANDARD_IA";
        case S3StorageClass::ONEZONE_IA:
            return "ONEZONE_IA";
        case S3StorageClass::INTELLIGENT_TIERING:
            return "INTELLIGENT_TIERING";
        case S3StorageClass::GLACIER_IR:
            return "GLACIER_IR";
        case S3StorageClass::GLACIER:
            return "GLACIER";
        case S3StorageClass::DEEP_ARCHIVE:
            return "DEEP_ARCHIVE";
    }
    return "";
}

double s3_early_days(double minimum_days, double shortest, double longest) {
    if (longest <= shortest) return std::max(0.0, minimum_days - shortest);
    if (minimum_days <= shortest) return 0;
    if (minimum_days >= longest) return minimum_days - (shortest + longest) / 2;
    // Only the stays shorter than the minimum pay: the triangle's area over the spread.
    const double short_by = minimum_days - shortest;
    return short_by * short_by / (2 * (longest - shortest));
}

double s3_early_delete_gb_months(double gb, double days, std::int64_t start_epoch_s, SimTime at) {
    if (days <= 0) return 0;
    return gb * days * 24 / calendar_month_at(start_epoch_s, at).hours();
}

bool s3_size_filter_matches(const scenario::S3LifecycleRuleSpec& rule, double object_size_kb) {
    if (object_size_kb <= 0) return true;  // a bucket without objects: validate refuses filters
    const double bytes = object_size_kb * 1024;
    return (!rule.object_size_greater_than || bytes > *rule.object_size_greater_than) &&
           (!rule.object_size_less_than || bytes < *rule.object_size_less_than);
}

S3Bucket::S3Bucket(const scenario::S3BucketSpec& spec,
                   const scenario::S3BucketLifecycleConfigurationSpec* lifecycle,
                   std::int64_t start_epoch_s, S3Access access)
    : spec_(&spec), start_epoch_s_(start_epoch_s), access_(std::move(access)) {
    const double size = spec.object_size_kb;
    gb_per_day_ = spec.growth_gb_per_day + spec.objects_per_day * size / kKbPerGb;
    // Denied PUTs write nothing (a shrinking bucket deletes: not a PUT).
    if (!allowed(S3Request::PutObject) && gb_per_day_ > 0) {
        denied_per_day_ = size > 0 ? gb_per_day_ * kKbPerGb / size : 0;
        gb_per_day_ = 0;
    }
    objects_per_day_ = size > 0 ? gb_per_day_ * kKbPerGb / size : 0;
    reachable_[static_cast<int>(spec.storage_class)] = true;
    versioned_ = spec.versioning == "Enabled";
    overwrite_ = spec.overwrite_percent / 100;
    if (lifecycle) {
        small_to_archives_ =
            lifecycle->transition_default_minimum_object_size == "varies_by_storage_class";
        for (const auto& r : lifecycle->rule) {
            if (!r.enabled || spec.key_prefix.rfind(r.prefix, 0) != 0 ||
                !s3_size_filter_matches(r, size) ||
                !scenario::s3_tag_filter_matches(r, spec.object_tags))
                continue;
            Rule rule;
            rule.size_filter = r.object_size_greater_than || r.object_size_less_than;
            for (const auto& t : r.transition) {
                rule.transitions.emplace_back(t.days, t.storage_class);
                if (s3_transition_supported(spec.storage_class, t.storage_class))
                    reachable_[static_cast<int>(t.storage_class)] = true;
            }
            rule.expiration_days = r.expiration_days;
            for (const auto& t : r.noncurrent_transition) {
                rule.noncurrent_transitions.emplace_back(t.days, t.storage_class);
                if (versioned_ && s3_transition_supported(spec.storage_class, t.storage_class))
                    reachable_[static_cast<int>(t.storage_class)] = true;
            }
            rule.noncurrent_expiration_days = r.noncurrent_expiration_days;
            rules_.push_back(std::move(rule));
        }
    }
    if (spec.storage_gb != 0) {
        S3Cohort c;
        c.gb = spec.storage_gb;
        c.objects = size > 0 ? spec.storage_gb * kKbPerGb / size : 0;
        c.storage_class = spec.storage_class;
        c.due_from = midnight_at_or_after(0);  // created at the start of the run
        add(c, +1);
        cohorts_.push_back(c);
    }
}

SimTime S3Bucket::midnight_at_or_after(SimTime t) const {
    // Midnights are whole multiples of a day in Unix time.
    const std::int64_t day_s = 86400;
    std::int64_t since = (start_epoch_s_ % day_s + day_s) % day_s;  // the start's time of day
    const SimTime first = since == 0 ? 0 : (day_s - since) * kSecond;
    if (t <= first) return first;
    const SimTime day = day_s * kSecond;
    return first + (t - first + day - 1) / day * day;
}

void S3Bucket::add(const S3Cohort& c, double sign) {
    const int k = static_cast<int>(c.storage_class);
    closed_gb_[k] += sign * c.gb;
    closed_objects_[k] += sign * c.objects;
    if (c.noncurrent) noncurrent_objects_[k] += sign * c.objects;
}

S3Usage S3Bucket::usage(SimTime t) const {
    std::array<double, kS3Classes> gb = closed_gb_, objects = closed_objects_;
    const double open_days = to_seconds(std::max<SimTime>(0, t - open_from_)) / 86400.0;
    const int written = static_cast<int>(spec_->storage_class);
    // Without versioning an overwrite replaces an older object, taken here from the class the
    // bucket writes in (at midnight, from the oldest objects' class: overwrite()).
    const double kept = versioned_ ? 1 : 1 - overwrite_;
    gb[written] += gb_per_day_ * open_days * kept;
    objects[written] += objects_per_day_ * open_days * kept;
    const double size = spec_->object_size_kb;
    S3Usage u;
    u.noncurrent_objects = noncurrent_objects_;
    for (int k = 0; k < kS3Classes; ++k) {
        const S3ClassRules rules = s3_class_rules(static_cast<S3StorageClass>(k));
        u.objects[k] = objects[k];
        u.gb[k] += gb[k] + objects[k] * rules.archive_overhead_kb / kKbPerGb;
        u.gb[0] += objects[k] * rules.standard_overhead_kb / kKbPerGb;
        if (size > 0 && size < rules.minimum_object_kb)
            u.small_gb[k] = objects[k] * (rules.minimum_object_kb - size) / kKbPerGb;
        if (rules.monitored && size >= kS3SmallObjectKb) u.monitored_objects += objects[k];
    }
    return u;
}

// Each object's GETs arrive at random at `reads_per_object_day` (the bucket's GETs spread over
// its readable objects, taken as steady): the chance that nobody read it in the last d days is
// exp(-d x rate). An object older than 30 days in the class is in the infrequent access tier
// with the chance of no read in 30 days, one older than 90 in the archive instant access tier
// with the chance of none in 90; a cohort's objects entered the class spread evenly between
// its entered_from and entered_to, so a share of them is old enough.
void S3Bucket::intelligent_tiers(SimTime t, S3Usage& u) const {
    if (u.monitored_objects <= 0) return;
    // The GETs pick objects at random among those a GET can read (cost_meter_s3.cpp).
    double readable = 0;
    for (int k = 0; k < kS3Classes; ++k)
        if (s3_class_rules(static_cast<S3StorageClass>(k)).readable)
            readable += u.objects[k] - u.noncurrent_objects[k];
    const bool reads = allowed(S3Request::GetObject) && spec_->get_requests_per_day > 0;
    const double reads_per_object_day =
        reads && readable > 0 ? spec_->get_requests_per_day / readable : 0;
    const double day = 86400.0 * kSecond;
    const double quiet_ia = std::exp(-kS3TierIaDays * reads_per_object_day);
    const double quiet_aia = std::exp(-kS3TierAiaDays * reads_per_object_day);
    auto older_than = [&](const S3Cohort& c, double days) {
        const double since = static_cast<double>(t) - days * day;  // entered at or before
        if (c.entered_to <= c.entered_from) return since >= c.entered_from ? 1.0 : 0.0;
        return std::clamp((since - c.entered_from) / (c.entered_to - c.entered_from), 0.0, 1.0);
    };
    for (const S3Cohort& c : cohorts_) {
        if (c.storage_class != S3StorageClass::INTELLIGENT_TIERING) continue;
        // Nobody reads a noncurrent version (a GET reads the current one).
        const double aia = older_than(c, kS3TierAiaDays) * (c.noncurrent ? 1 : quiet_aia);
        const double ia = older_than(c, kS3TierIaDays) * (c.noncurrent ? 1 : quiet_ia) - aia;
        u.it_ia_gb += c.gb * ia;
        u.it_aia_gb += c.gb * aia;
    }
    u.gb[static_cast<int>(S3StorageClass::INTELLIGENT_TIERING)] -= u.it_ia_gb + u.it_aia_gb;
}

double S3Bucket::billed_gb(const S3Cohort& c) const {
    const double minimum = s3_class_rules(c.storage_class).minimum_object_kb;
    const double size = spec_->object_size_kb;
    return c.gb + (size > 0 && size < minimum ? c.objects * (minimum - size) / kKbPerGb : 0);
}

std::optional<S3StorageClass> S3Bucket::due_action(const S3Cohort& c, int age_days,
                                                   bool& expire) const {
    expire = false;
    std::optional<S3StorageClass> to;
    // Deletion wins over any transition; among transitions S3 supports from the cohort's
    // class (not ONEZONE_IA to GLACIER_IR), the class furthest down (S3 picks the cheaper
    // class when rules disagree). Objects under 128 KB move only by a rule
    // with a size filter, or to GLACIER and DEEP_ARCHIVE under varies_by_storage_class.
    // Noncurrent versions follow the noncurrent actions, by the days since they became
    // noncurrent, under the same rules.
    const bool small = spec_->object_size_kb > 0 && spec_->object_size_kb < kS3SmallObjectKb;
    for (const Rule& r : rules_) {
        const auto& expiration = c.noncurrent ? r.noncurrent_expiration_days : r.expiration_days;
        if (expiration && *expiration <= age_days) expire = true;
        for (const auto& [days, cls] : c.noncurrent ? r.noncurrent_transitions : r.transitions) {
            const bool archive =
                cls == S3StorageClass::GLACIER || cls == S3StorageClass::DEEP_ARCHIVE;
            if (small && !r.size_filter && !(small_to_archives_ && archive)) continue;
            if (days > age_days) continue;
            if (!s3_transition_supported(c.storage_class, cls) ||
                (to && s3_class_rank(cls) <= s3_class_rank(*to)))
                continue;
            to = cls;
        }
    }
    return expire ? std::nullopt : to;
}

// Objects leaving a class before its minimum duration pay the rest of it, as GB-months of the
// class in the month they leave (s3_early_delete_gb_months).
void S3Bucket::leave_class(const S3Cohort& c, SimTime at, S3LifecycleResult& r) const {
    const int minimum = s3_class_rules(c.storage_class).minimum_days;
    if (minimum == 0) return;
    const double day = 86400.0 * kSecond;
    const double days = s3_early_days(minimum, static_cast<double>(at - c.entered_to) / day,
                                      static_cast<double>(at - c.entered_from) / day);
    if (days <= 0) return;
    r.early_gb_months[static_cast<int>(c.storage_class)] +=
        s3_early_delete_gb_months(billed_gb(c), days, start_epoch_s_, at);
}

// The day's overwrites replace the objects written longest ago: a versioned bucket keeps them
// as noncurrent versions, in their class, noncurrent from this midnight's day (their
// noncurrent_days count from `at`); otherwise they are deleted (early, maybe).
void S3Bucket::overwrite(const S3Cohort& written, SimTime at, S3LifecycleResult& r) {
    double gb = written.gb * overwrite_;
    std::vector<S3Cohort> kept;
    for (S3Cohort& c : cohorts_) {
        if (gb <= 0) break;
        if (c.noncurrent || c.gb <= 0) continue;
        S3Cohort piece = c;
        const double share = std::min(1.0, gb / c.gb);
        piece.gb = share < 1 ? c.gb * share : c.gb;
        piece.objects = share < 1 ? c.objects * share : c.objects;
        gb -= piece.gb;
        add(piece, -1);
        c.gb -= piece.gb;
        c.objects -= piece.objects;
        r.overwritten_objects += piece.objects;
        r.overwritten_gb += piece.gb;
        if (!versioned_) {
            leave_class(piece, at, r);
            continue;
        }
        piece.noncurrent = true;
        piece.due_from = at;
        add(piece, +1);
        kept.push_back(piece);
    }
    cohorts_.insert(cohorts_.end(), kept.begin(), kept.end());
}

S3LifecycleResult S3Bucket::run_lifecycle(SimTime at) {
    S3LifecycleResult r;
    if (at > open_from_ && gb_per_day_ != 0) {
        S3Cohort c;
        const double days = to_seconds(at - open_from_) / 86400.0;
        c.gb = gb_per_day_ * days;
        c.objects = objects_per_day_ * days;
        c.storage_class = spec_->storage_class;
        c.due_from = at;
        c.entered_from = open_from_;
        c.entered_to = at;
        add(c, +1);
        cohorts_.push_back(c);
        if (overwrite_ > 0) overwrite(c, at, r);
    }
    open_from_ = std::max(open_from_, at);
    for (S3Cohort& c : cohorts_) {
        if (rules_.empty() || at < c.due_from) continue;
        bool expire = false;
        const int age = static_cast<int>((at - c.due_from) / (86400 * kSecond));
        const auto to = due_action(c, age, expire);
        if (!expire && !to) continue;
        if (expire && versioned_ && !c.noncurrent) {
            // A delete marker becomes current: the version stays, noncurrent from now.
            add(c, -1);
            c.noncurrent = true;
            c.due_from = at;
            add(c, +1);
            r.delete_markers += c.objects;
            continue;
        }
        leave_class(c, at, r);
        add(c, -1);
        if (expire) {
            r.expired_objects += c.objects;
            r.expired_gb += c.gb;
            objects_expired_ += c.objects;
            c.objects = c.gb = 0;  // removed below
            continue;
        }
        c.storage_class = *to;
        c.entered_from = c.entered_to = at;
        add(c, +1);
        r.transitioned[static_cast<int>(*to)] += c.objects;
        objects_transitioned_ += c.objects;
    }
    cohorts_.erase(std::remove_if(cohorts_.begin(), cohorts_.end(),
                                  [](const S3Cohort& c) { return c.gb == 0 && c.objects == 0; }),
                   cohorts_.end());
    return r;
}

double S3Bucket::allowed_share(S3Request kind, SimTime from, SimTime to) const {
    const S3RequestAccess& a = access(kind);
    if (!a.presigned) return a.allowed ? 1 : 0;
    if (to <= from) return 0;
    SimTime in = 0;
    for (const auto& [lo, hi] : a.valid)
        in += std::max<SimTime>(0, std::min(hi, to) - std::max(lo, from));
    return static_cast<double>(in) / static_cast<double>(to - from);
}

}  // namespace stratus::cloud
