#include "sim/cloud/s3.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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

S3RestoreTier s3_restore_tier(std::string_view name) {
    if (name == "Expedited") return S3RestoreTier::Expedited;
    if (name == "Bulk") return S3RestoreTier::Bulk;
    return S3RestoreTier::Standard;
}

SimTime s3_restore_delay(S3StorageClass c, S3RestoreTier tier) {
    if (c == S3StorageClass::GLACIER) {
        switch (tier) {
            case S3RestoreTier::Expedited:
                return 5 * kMinute;
            case S3RestoreTier::Standard:
                return 5 * kHour;
            case S3RestoreTier::Bulk:
                return 12 * kHour;
        }
    }
    if (c == S3StorageClass::DEEP_ARCHIVE && tier != S3RestoreTier::Expedited)
        return tier == S3RestoreTier::Standard ? 12 * kHour : 48 * kHour;
    return -1;
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
    // Denied PUTs write nothing (a shrinking bucket deletes: not a PUT); through a presigned
    // URL they write while it is valid (written_days).
    if (!allowed(S3Request::PutObject) && !S3Bucket::access(S3Request::PutObject).presigned &&
        gb_per_day_ > 0) {
        denied_per_day_ = size > 0 ? gb_per_day_ * kKbPerGb / size : 0;
        gb_per_day_ = 0;
    }
    objects_per_day_ = size > 0 ? gb_per_day_ * kKbPerGb / size : 0;
    const double part_kb = spec.multipart_part_size_mb * 1024;
    if (part_kb > 0 && size >= part_kb) {
        // Create, the parts and Complete; an upload left incomplete has no Complete.
        const double parts = std::ceil(size / part_kb);
        put_requests_per_object_ = parts + 2 + spec.incomplete_upload_percent / 100 * (parts + 1);
    }
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
                rule.transitions.push_back({t.days, t.storage_class, 0});
                if (s3_transition_supported(spec.storage_class, t.storage_class))
                    reachable_[static_cast<int>(t.storage_class)] = true;
            }
            rule.expiration_days = r.expiration_days;
            for (const auto& t : r.noncurrent_transition) {
                rule.noncurrent_transitions.push_back(
                    {t.days, t.storage_class, t.newer_noncurrent_versions});
                if (versioned_ && s3_transition_supported(spec.storage_class, t.storage_class))
                    reachable_[static_cast<int>(t.storage_class)] = true;
            }
            rule.noncurrent_expiration_days = r.noncurrent_expiration_days;
            rule.noncurrent_expiration_newer = r.noncurrent_expiration_newer;
            rule.expired_object_delete_marker = r.expired_object_delete_marker;
            removes_markers_ =
                removes_markers_ || r.expired_object_delete_marker || r.expiration_days;
            if (r.abort_incomplete_days &&
                (!abort_days_ || *r.abort_incomplete_days < *abort_days_))
                abort_days_ = r.abort_incomplete_days;
            rules_.push_back(std::move(rule));
        }
    }
    if (spec.storage_gb != 0) {
        S3Cohort c;
        c.gb = spec.storage_gb;
        c.objects = size > 0 ? spec.storage_gb * kKbPerGb / size : 0;
        c.storage_class = spec.storage_class;
        c.due_from = midnight_at_or_after(0);  // created at the start of the run
        c.pos = 0;
        next_pos_ = c.gb;
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
    const double open_days = written_days(open_from_, t);
    const int written = static_cast<int>(spec_->storage_class);
    // Without versioning an overwrite replaces an older object, taken here from the class the
    // bucket writes in (at midnight, from the oldest objects' class: overwrite()).
    const double kept = versioned_ ? 1 : 1 - overwrite_;
    gb[written] += gb_per_day_ * open_days * kept;
    objects[written] += objects_per_day_ * open_days * kept;
    const double size = spec_->object_size_kb;
    S3Usage u;
    u.noncurrent_objects = noncurrent_objects_;
    // Delete markers are stored in STANDARD at their key name's size; the parts of incomplete
    // uploads in the class the bucket writes in, the open day's growing as its writes do.
    u.delete_markers = delete_markers();
    u.gb[0] += u.delete_markers * spec_->key_name_bytes / (1024 * kKbPerGb);
    u.upload_gb = upload_gb_ + gb_per_day_ * open_days * spec_->incomplete_upload_percent / 100;
    u.gb[written] += u.upload_gb;
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
    // The GETs pick objects at random among the current ones, archived too (a GET of an
    // archived object without a restored copy fails: cost_meter_s3.cpp).
    double readable = 0;
    for (int k = 0; k < kS3Classes; ++k)
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
    // noncurrent, under the same rules, and only once their keys have the rule's
    // newer_noncurrent_versions newer noncurrent versions.
    const bool small = spec_->object_size_kb > 0 && spec_->object_size_kb < kS3SmallObjectKb;
    for (const Rule& r : rules_) {
        const auto& expiration = c.noncurrent ? r.noncurrent_expiration_days : r.expiration_days;
        const int keep = c.noncurrent ? r.noncurrent_expiration_newer : 0;
        if (expiration && *expiration <= age_days && c.newer >= keep) expire = true;
        for (const Move& m : c.noncurrent ? r.noncurrent_transitions : r.transitions) {
            const S3StorageClass cls = m.to;
            const bool archive =
                cls == S3StorageClass::GLACIER || cls == S3StorageClass::DEEP_ARCHIVE;
            if (small && !r.size_filter && !(small_to_archives_ && archive)) continue;
            if (m.days > age_days || c.newer < m.newer) continue;
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
// The new versions take the first keys of the day's cohort (`written`), in the order of the
// keys they replace, so that each key's versions follow one another (renew_keys).
void S3Bucket::overwrite(const S3Cohort& written, SimTime at, S3LifecycleResult& r) {
    double gb = written.gb * overwrite_;
    double to = written.pos;  // where the next new version goes
    std::vector<S3Cohort> kept;
    std::vector<std::array<double, 3>> renewed;  // keys [from, from + gb) now at `to`
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
        c.pos += piece.gb;
        r.overwritten_objects += piece.objects;
        r.overwritten_gb += piece.gb;
        if (!versioned_) {
            leave_class(piece, at, r);
            continue;
        }
        renewed.push_back({piece.pos, piece.gb, to});
        piece.noncurrent = true;
        piece.due_from = at;
        piece.pos = to;
        piece.newer = 0;
        to += piece.gb;
        add(piece, +1);
        kept.push_back(piece);
    }
    for (const auto& [from, size, at_pos] : renewed)
        renew_keys(from, size, at_pos);
    cohorts_.insert(cohorts_.end(), kept.begin(), kept.end());
}

void S3Bucket::renew_keys(double from, double gb, double to, bool marked) {
    if (gb <= 0) return;
    const double end = from + gb;
    std::vector<S3Cohort> parts;
    for (S3Cohort& c : cohorts_) {
        if (!c.noncurrent || c.marked || c.gb <= 0) continue;
        const double total = c.gb, first = c.pos, last = c.pos + c.gb;
        const double eps = 1e-9 * std::max(1.0, total);  // the positions' rounding
        double lo = std::max(first, from), hi = std::min(last, end);
        if (hi - lo <= eps) continue;
        if (lo - first <= eps) lo = first;
        if (last - hi <= eps) hi = last;
        auto part = [&](double a, double b) {
            S3Cohort p = c;
            p.gb = total * ((b - a) / total);
            p.objects = c.objects * ((b - a) / total);
            p.pos = a;
            return p;
        };
        if (lo > first) parts.push_back(part(first, lo));
        if (hi < last) parts.push_back(part(hi, last));
        if (lo > first || hi < last) c = part(lo, hi);
        c.newer += 1;
        c.pos = to + (lo - from);
        c.marked = marked;
    }
    cohorts_.insert(cohorts_.end(), parts.begin(), parts.end());
}

S3LifecycleResult S3Bucket::run_lifecycle(SimTime at) {
    S3LifecycleResult r;
    if (at > open_from_) close_uploads(at, written_days(open_from_, at), r);
    if (at > open_from_ && gb_per_day_ != 0) {
        S3Cohort c;
        const double days = written_days(open_from_, at);
        c.gb = gb_per_day_ * days;
        c.objects = objects_per_day_ * days;
        c.storage_class = spec_->storage_class;
        c.due_from = at;
        c.entered_from = open_from_;
        c.entered_to = at;
        c.pos = next_pos_;
        next_pos_ += c.gb;
        add(c, +1);
        cohorts_.push_back(c);
        if (overwrite_ > 0) overwrite(c, at, r);
    }
    open_from_ = std::max(open_from_, at);
    if (!rules_.empty()) {
        // Delete markers first: the versions they make noncurrent are one more newer
        // noncurrent version for their keys' older ones, which the rules then look at.
        remove_expired_markers(r);
        const std::vector<char> marked = delete_markers(at, r);
        for (std::size_t i = 0; i < cohorts_.size(); ++i)
            if (i >= marked.size() || !marked[i]) apply_rules(cohorts_[i], at, r);
    }
    cohorts_.erase(std::remove_if(cohorts_.begin(), cohorts_.end(),
                                  [](const S3Cohort& c) { return c.gb == 0 && c.objects == 0; }),
                   cohorts_.end());
    return r;
}

std::vector<char> S3Bucket::delete_markers(SimTime at, S3LifecycleResult& r) {
    std::vector<char> marked(cohorts_.size(), 0);
    for (std::size_t i = 0; versioned_ && i < marked.size(); ++i) {
        S3Cohort& c = cohorts_[i];
        if (c.noncurrent || at < c.due_from) continue;
        bool expire = false;
        due_action(c, static_cast<int>((at - c.due_from) / (86400 * kSecond)), expire);
        if (!expire) continue;
        // A delete marker becomes current: the version stays, noncurrent from now.
        add(c, -1);
        c.noncurrent = true;
        c.due_from = at;
        const double from = c.pos, gb = c.gb;
        c.pos = next_marker_pos_;  // no current version any more
        c.marked = true;
        c.newer = 0;
        add(c, +1);
        r.delete_markers += c.objects;
        marked[i] = 1;
        markers_.emplace_back(next_marker_pos_, gb);
        next_marker_pos_ += gb;
        renew_keys(from, gb, markers_.back().first, true);  // may add cohorts: `c` is dead
    }
    return marked;
}

void S3Bucket::apply_rules(S3Cohort& c, SimTime at, S3LifecycleResult& r) {
    if (at < c.due_from) return;
    bool expire = false;
    const int age = static_cast<int>((at - c.due_from) / (86400 * kSecond));
    const auto to = due_action(c, age, expire);
    if (!expire && !to) return;
    leave_class(c, at, r);
    add(c, -1);
    if (expire) {
        r.expired_objects += c.objects;
        r.expired_gb += c.gb;
        objects_expired_ += c.objects;
        c.objects = c.gb = 0;  // removed by run_lifecycle
        return;
    }
    c.storage_class = *to;
    c.entered_from = c.entered_to = at;
    add(c, +1);
    r.transitioned[static_cast<int>(*to)] += c.objects;
    objects_transitioned_ += c.objects;
}

bool S3Bucket::bills_delete_markers() const {
    return versioned_ && removes_markers_ && spec_->key_name_bytes > 0 && spec_->object_size_kb > 0;
}

double S3Bucket::delete_markers() const {
    if (spec_->object_size_kb <= 0) return 0;
    double gb = 0;
    for (const auto& m : markers_)
        gb += m.second;
    return gb * kKbPerGb / spec_->object_size_kb;
}

// A marker's keys keep it while a noncurrent version of theirs (a marked cohort over its
// range) is left; the rest of its range goes.
void S3Bucket::remove_expired_markers(S3LifecycleResult& r) {
    if (!removes_markers_ || markers_.empty()) return;
    std::vector<std::pair<double, double>> held;  // [from, to) of the marked versions' keys
    for (const S3Cohort& c : cohorts_)
        if (c.marked && c.gb > 0) held.emplace_back(c.pos, c.pos + c.gb);
    std::sort(held.begin(), held.end());
    std::vector<std::pair<double, double>> kept;
    double removed = 0;
    for (const auto& [from, gb] : markers_) {
        double at = from;
        const double end = from + gb, eps = 1e-9 * std::max(1.0, gb);
        for (const auto& [lo, hi] : held) {
            if (hi <= at + eps || lo >= end - eps) continue;
            if (lo > at + eps) removed += lo - at;
            const double top = std::min(hi, end);
            if (top > std::max(lo, at)) kept.emplace_back(std::max(lo, at), top - std::max(lo, at));
            at = std::max(at, top);
        }
        if (end > at + eps) removed += end - at;
    }
    markers_ = std::move(kept);
    if (spec_->object_size_kb > 0) r.markers_removed += removed * kKbPerGb / spec_->object_size_kb;
}

// Uploads begun on the day ending at `at` are aborted `abort_days_` days later, at a midnight
// as every lifecycle action: at + abort_days_ days.
void S3Bucket::close_uploads(SimTime at, double days, S3LifecycleResult& r) {
    const double share = spec_->incomplete_upload_percent / 100;
    if (share > 0 && gb_per_day_ > 0) {
        const SimTime never = std::numeric_limits<SimTime>::max();
        const SimTime due = abort_days_ ? at + *abort_days_ * 86400 * kSecond : never;
        uploads_.emplace_back(due, gb_per_day_ * days * share);
        upload_gb_ += uploads_.back().second;
    }
    while (!uploads_.empty() && uploads_.front().first <= at) {
        r.aborted_gb += uploads_.front().second;
        upload_gb_ -= uploads_.front().second;
        uploads_.erase(uploads_.begin());
    }
    if (uploads_.empty()) upload_gb_ = 0;  // no rounding left behind
}

double S3Bucket::written_days(SimTime from, SimTime to) const {
    const double days = to_seconds(std::max<SimTime>(0, to - from)) / 86400.0;
    if (!access(S3Request::PutObject).presigned) return days;
    return days * allowed_share(S3Request::PutObject, from, to);
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

// Restores pick archived current objects at random: each archive class takes its share by
// number. Restoring an object whose copy is still there (S3 then only moves its expiry) is
// counted as another restore: the model does not tell the objects apart.
S3RestoreResult S3Bucket::restore(SimTime from, SimTime to, const S3Usage& u) {
    S3RestoreResult r;
    const double n = spec_->restore_requests_per_day * to_seconds(to - from) / 86400.0;
    if (n <= 0) return r;
    constexpr S3StorageClass kArchive[2] = {S3StorageClass::GLACIER, S3StorageClass::DEEP_ARCHIVE};
    double archived = 0;
    for (const S3StorageClass c : kArchive)
        archived += u.objects[static_cast<int>(c)] - u.noncurrent_objects[static_cast<int>(c)];
    if (archived <= 0) r.failed = n;
    const S3RestoreTier tier = s3_restore_tier(spec_->restore_tier);
    const SimTime day = 86400 * kSecond;
    for (int j = 0; j < 2 && archived > 0; ++j) {
        const int k = static_cast<int>(kArchive[j]);
        const double objects = n * (u.objects[k] - u.noncurrent_objects[k]) / archived;
        const SimTime delay = s3_restore_delay(kArchive[j], tier);
        if (objects <= 0) continue;
        if (delay < 0) {
            r.failed += objects;
            continue;
        }
        RestoreBatch batch;
        batch.ready_from = from + delay;
        batch.ready_to = to + delay;
        // Expiry: the restore's completion plus its days, rounded up to midnight UTC.
        batch.expires =
            midnight_at_or_after(from + (to - from) / 2 + delay + spec_->restore_days * day);
        batch.objects = objects;
        batch.gb = objects * spec_->object_size_kb / kKbPerGb;
        restored_[j].push_back(batch);
        r.objects[k] = objects;
        r.gb[k] = batch.gb;
        restores_ += objects;
        restored_total_gb_ += batch.gb;
    }
    failed_restores_ += r.failed;
    return r;
}

void S3Bucket::add_restored(SimTime t, S3Usage& u) {
    constexpr int kArchive[2] = {static_cast<int>(S3StorageClass::GLACIER),
                                 static_cast<int>(S3StorageClass::DEEP_ARCHIVE)};
    u.restored_gb = 0;
    for (int j = 0; j < 2; ++j) {
        auto& batches = restored_[j];
        // Batches expire in the order they were made, after they are wholly readable.
        while (!batches.empty() && batches.front().expires <= t) {
            if (ready_count_[j] > 0) {
                ready_objects_[j] -= batches.front().objects;
                ready_gb_[j] -= batches.front().gb;
                --ready_count_[j];
            }
            batches.pop_front();
        }
        if (batches.empty()) ready_objects_[j] = ready_gb_[j] = 0;  // no rounding left behind
        while (ready_count_[j] < batches.size() && batches[ready_count_[j]].ready_to <= t) {
            ready_objects_[j] += batches[ready_count_[j]].objects;
            ready_gb_[j] += batches[ready_count_[j]].gb;
            ++ready_count_[j];
        }
        double objects = ready_objects_[j], gb = ready_gb_[j];
        for (std::size_t i = ready_count_[j]; i < batches.size(); ++i) {
            const RestoreBatch& b = batches[i];
            if (b.ready_from >= t) break;
            const double share = static_cast<double>(t - b.ready_from) /
                                 static_cast<double>(b.ready_to - b.ready_from);
            objects += b.objects * share;
            gb += b.gb * share;
        }
        u.restored_objects[kArchive[j]] = objects;
        u.restored_gb += gb;
    }
}

}  // namespace stratus::cloud
