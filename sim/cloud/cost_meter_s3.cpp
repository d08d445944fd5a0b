// The S3 part of the cost meter: each bucket's storage by class, its requests, retrieval,
// lifecycle transitions, early deletions and data transfer out (docs/pricing.md, "S3").
#include <algorithm>
#include <array>
#include <cmath>

#include "sim/cloud/cost_meter.hpp"

namespace stratus::cloud {
namespace {

// The usage types' class codes, as S3's usage types name the classes.
constexpr const char* kCode[kS3Classes] = {"", "SIA", "ZIA", "INT", "GIR", "Glacier", "GDA"};

std::string storage_usage_type(int k) {
    switch (static_cast<S3StorageClass>(k)) {
        case S3StorageClass::STANDARD:
            return "TimedStorage-ByteHrs";
        case S3StorageClass::INTELLIGENT_TIERING:
            return "TimedStorage-INT-FA-ByteHrs";  // the frequent access tier
        case S3StorageClass::GLACIER:
            return "TimedStorage-GlacierByteHrs";
        default:
            return std::string("TimedStorage-") + kCode[k] + "-ByteHrs";
    }
}

std::string early_usage_type(int k) {
    return static_cast<S3StorageClass>(k) == S3StorageClass::GLACIER
               ? "EarlyDelete-ByteHrs"
               : std::string("EarlyDelete-") + kCode[k];
}

// Requests-Tier1 (PUT, COPY, POST, LIST) and Tier2 (GET) of STANDARD; the other classes'
// have their code.
std::string request_usage_type(int k, int tier) {
    const std::string code = k == 0 ? "" : std::string(kCode[k]) + "-";
    return "Requests-" + code + "Tier" + std::to_string(tier);
}

// Restore requests: Requests-Tier3 (Standard), -Tier5 (Bulk), -Tier6 (Expedited) from
// GLACIER, Requests-GDA-Tier3 and -Tier5 from DEEP_ARCHIVE; the GB they retrieve:
// Standard-Retrieval-Bytes, Bulk-Retrieval-Bytes, Expedited-Retrieval-Bytes (S3's usage types).
std::string restore_usage_type(int k, S3RestoreTier tier) {
    const char* n = tier == S3RestoreTier::Standard ? "3" : tier == S3RestoreTier::Bulk ? "5" : "6";
    const bool gda = static_cast<S3StorageClass>(k) == S3StorageClass::DEEP_ARCHIVE;
    return std::string(gda ? "Requests-GDA-Tier" : "Requests-Tier") + n;
}

const char* retrieval_usage_type(S3RestoreTier tier) {
    return tier == S3RestoreTier::Standard ? "Standard-Retrieval-Bytes"
           : tier == S3RestoreTier::Bulk   ? "Bulk-Retrieval-Bytes"
                                           : "Expedited-Retrieval-Bytes";
}

// The per-1,000 request and per-GB prices of a restore from `p`'s class at `tier`.
std::pair<double, double> restore_prices(const scenario::PriceList::S3ClassPrices& p,
                                         S3RestoreTier tier) {
    switch (tier) {
        case S3RestoreTier::Expedited:
            return {p.restore_expedited_1000, p.retrieval_expedited_gb};
        case S3RestoreTier::Bulk:
            return {p.restore_bulk_1000, p.retrieval_bulk_gb};
        case S3RestoreTier::Standard:
            break;
    }
    return {p.restore_standard_1000, p.retrieval_standard_gb};
}

}  // namespace

void CostMeter::start_s3() {
    if (!s3_ || s3_->empty()) return;
    for (const S3Bucket& b : *s3_)
        s3_lines_.push_back(s3_lines(b));
    s3_usage_.resize(s3_->size());
    sim_.schedule_at(0, this, kS3Tick);
}

// The lines a bucket can ever use, opened at the start (storage and monitoring running).
CostMeter::S3Lines CostMeter::s3_lines(const S3Bucket& b) {
    const auto& spec = b.spec();
    S3Lines lines;
    auto add = [&](std::string usage_type, PricingUnit unit, double rate,
                   LineItem item = LineItem::S3) {
        return ledger_.add(
            s3_charge(spec.name, item, std::move(usage_type), unit, rate, spec.tags));
    };
    const bool objects = spec.object_size_kb > 0;
    for (int k = 0; k < kS3Classes; ++k) {
        const auto cls = static_cast<S3StorageClass>(k);
        const S3ClassRules rules = s3_class_rules(cls);
        const auto& price = prices_.s3[k];
        // STANDARD also holds the 8 KB of every archived object.
        // And delete markers.
        const bool standard_overhead =
            k == 0 && ((objects && (b.may_hold(S3StorageClass::GLACIER) ||
                                    b.may_hold(S3StorageClass::DEEP_ARCHIVE))) ||
                       b.bills_delete_markers());
        if (b.may_hold(cls) || standard_overhead) {
            lines.storage[k] =
                add(storage_usage_type(k), PricingUnit::GbMonth, prices_.s3_storage_gb_month(cls));
            ledger_.start(*lines.storage[k], 0);
        }
        if (!b.may_hold(cls)) continue;
        if (objects && spec.object_size_kb < rules.minimum_object_kb) {
            lines.small[k] = add(std::string("TimedStorage-") + kCode[k] + "-SmObjects",
                                 PricingUnit::GbMonth, prices_.s3_storage_gb_month(cls));
            ledger_.start(*lines.small[k], 0);
        }
        if (b.deletes_early() && rules.minimum_days > 0)
            lines.early[k] =
                add(early_usage_type(k), PricingUnit::GbMonth, prices_.s3_storage_gb_month(cls));
        if (cls == spec.storage_class && b.objects_per_day() > 0)
            lines.put[k] =
                add(request_usage_type(k, 1), PricingUnit::Requests, price.put_1000 / 1000);
        if (cls != spec.storage_class && b.has_lifecycle())
            lines.transition[k] = add(std::string("Requests-") + kCode[k] + "-Transition",
                                      PricingUnit::Requests, price.transition_1000 / 1000);
        // GETs of archived objects are billed when a restored copy answers them.
        const bool restores = spec.restore_requests_per_day > 0;
        if (spec.get_requests_per_day > 0 && (rules.readable || restores) &&
            b.allowed(S3Request::GetObject)) {
            lines.get[k] =
                add(request_usage_type(k, 2), PricingUnit::Requests, price.get_1000 / 1000);
            if (rules.retrieval_fee)
                lines.retrieval[k] =
                    add(std::string("Retrieval-") + kCode[k], PricingUnit::Gb, price.retrieval_gb);
        }
        if (rules.monitored && spec.object_size_kb >= kS3SmallObjectKb) {
            lines.monitoring = add("Monitoring-Automation-INT", PricingUnit::ObjectMonth,
                                   prices_.s3_intelligent_tiering_monitoring_1000 / 1000);
            ledger_.start(*lines.monitoring, 0);
            lines.it_ia = add("TimedStorage-INT-IA-ByteHrs", PricingUnit::GbMonth,
                              prices_.s3_intelligent_tiering_ia_gb_month);
            ledger_.start(*lines.it_ia, 0);
            lines.it_aia = add("TimedStorage-INT-AIA-ByteHrs", PricingUnit::GbMonth,
                               prices_.s3_intelligent_tiering_aia_gb_month);
            ledger_.start(*lines.it_aia, 0);
        }
    }
    s3_restore_lines(b, lines);
    // Every object carries the bucket's object_tags, in whatever class.
    if (objects && !spec.object_tags.empty()) {
        lines.tags =
            add("TagStorage-TagHrs", PricingUnit::TagMonth, prices_.s3_object_tags_10000 / 10000);
        ledger_.start(*lines.tags, 0);
    }
    // LIST requests are billed at STANDARD's PUT rate whatever the objects' class.
    const bool lists = spec.list_requests_per_day > 0 && b.allowed(S3Request::ListBucket);
    if (lists && !lines.put[0])
        lines.put[0] =
            add(request_usage_type(0, 1), PricingUnit::Requests, prices_.s3[0].put_1000 / 1000);
    if (spec.gets_from_internet && spec.get_requests_per_day > 0 && b.allowed(S3Request::GetObject))
        lines.egress = add("DataTransfer-Out-Bytes", PricingUnit::Gb, 0, LineItem::DataTransfer);
    return lines;
}

// A restore's request and retrieved GB at its tier's rates, by archive class the bucket can
// hold; its copy at STANDARD's (first tier) rate: S3 bills the copy as Reduced Redundancy or
// Standard storage, whichever costs less, and STANDARD does in every built-in region.
void CostMeter::s3_restore_lines(const S3Bucket& b, S3Lines& lines) {
    const auto& spec = b.spec();
    if (spec.restore_requests_per_day <= 0) return;
    const S3RestoreTier tier = s3_restore_tier(spec.restore_tier);
    for (const S3StorageClass cls : {S3StorageClass::GLACIER, S3StorageClass::DEEP_ARCHIVE}) {
        const int k = static_cast<int>(cls);
        if (!b.may_hold(cls) || s3_restore_delay(cls, tier) < 0) continue;
        const auto [per_1000, per_gb] = restore_prices(prices_.s3[k], tier);
        lines.restore[k] =
            ledger_.add(s3_charge(spec.name, LineItem::S3, restore_usage_type(k, tier),
                                  PricingUnit::Requests, per_1000 / 1000, spec.tags));
        lines.restore_gb[k] =
            ledger_.add(s3_charge(spec.name, LineItem::S3, retrieval_usage_type(tier),
                                  PricingUnit::Gb, per_gb, spec.tags));
        if (!lines.restored) {
            lines.restored = ledger_.add(
                s3_charge(spec.name, LineItem::S3, "TimedStorage-Restored-ByteHrs",
                          PricingUnit::GbMonth, prices_.s3_standard_gb_month, spec.tags));
            ledger_.start(*lines.restored, 0);
        }
    }
}

void CostMeter::s3_tick() {
    const SimTime now = sim_.now();
    s3_accrue_requests(now);
    for (std::size_t i = 0; i < s3_->size(); ++i) {
        S3Bucket& b = (*s3_)[i];
        if (b.midnight_at_or_after(now) != now) continue;
        s3_bill_lifecycle(s3_lines_[i], b.run_lifecycle(now));
    }
    // Ticks every minute and at every midnight, to the end of the run: each stretch is billed
    // at its midpoint's size, exact while the day's writes grow linearly.
    // A stretch that reaches a storage volume tier ends there.
    SimTime next = std::min({now + kMinute, (*s3_)[0].midnight_at_or_after(now + 1),
                             std::max(now + 1, spec_.simulation.duration)});
    next = s3_set_sizes(now, next);
    if (next < spec_.simulation.duration) sim_.schedule_at(next, this, kS3Tick);
}

SimTime CostMeter::s3_set_sizes(SimTime now, SimTime next) {
    const SimTime mid = now + (next - now) / 2;
    for (std::size_t i = 0; i < s3_->size(); ++i) {
        s3_usage_[i] = (*s3_)[i].usage(mid);
        (*s3_)[i].intelligent_tiers(mid, s3_usage_[i]);
        if (s3_lines_[i].restored) (*s3_)[i].add_restored(mid, s3_usage_[i]);
    }
    next = s3_volume_tiers(now, next);
    for (std::size_t i = 0; i < s3_->size(); ++i) {
        const S3Usage& u = s3_usage_[i];
        const S3Lines& lines = s3_lines_[i];
        for (int k = 0; k < kS3Classes; ++k) {
            if (lines.storage[k]) ledger_.set_size(*lines.storage[k], u.gb[k], now);
            if (lines.small[k]) ledger_.set_size(*lines.small[k], u.small_gb[k], now);
        }
        if (lines.monitoring) ledger_.set_size(*lines.monitoring, u.monitored_objects, now);
        if (lines.tags) {
            double objects = 0;
            for (int k = 0; k < kS3Classes; ++k)
                objects += u.objects[k];
            const auto& tags = (*s3_)[i].spec().object_tags;
            ledger_.set_size(*lines.tags, objects * static_cast<double>(tags.size()), now);
        }
        if (lines.it_ia) ledger_.set_size(*lines.it_ia, u.it_ia_gb, now);
        if (lines.it_aia) ledger_.set_size(*lines.it_aia, u.it_aia_gb, now);
        if (lines.restored) ledger_.set_size(*lines.restored, u.restored_gb, now);
    }
    return next;
}

SimTime CostMeter::s3_volume_tiers(SimTime now, SimTime next) {
    if (now < s3_volume_month_.begin || now >= s3_volume_month_.end) {
        s3_volume_month_ = calendar_month_at(spec_.simulation.start_epoch_s, now);
        for (S3VolumeTier& v : s3_volume_)
            v.gb_months = 0;
    }
    const double month_hours = s3_volume_month_.hours();
    for (S3VolumeTier& v : s3_volume_) {
        const int k = static_cast<int>(v.storage_class);
        const auto tiers = prices_.s3_storage_tiers(v.storage_class);
        // Within a part per million of a GB-month of the bound: the stretch before ended on it.
        int tier = 0;
        while (tier < 2 && v.gb_months >= tiers[tier].up_to_gb_months - 1e-6)
            ++tier;
        if (tier != v.tier) {
            v.tier = tier;
            for (const S3Lines& lines : s3_lines_)
                if (lines.storage[k])
                    ledger_.set_rate(*lines.storage[k], tiers[tier].usd_per_gb_month, now);
        }
        double gb = 0;
        for (std::size_t i = 0; i < s3_lines_.size(); ++i)
            if (s3_lines_[i].storage[k]) gb += s3_usage_[i].gb[k];
        if (gb <= 0) continue;
        // The moment the month's GB-months reach the tier's bound, rounded up to a microsecond.
        const double room_hours = (tiers[tier].up_to_gb_months - v.gb_months) * month_hours / gb;
        if (room_hours < to_seconds(next - now) / 3600)
            next = now + std::max<SimTime>(1, static_cast<SimTime>(std::ceil(room_hours * kHour)));
    }
    for (S3VolumeTier& v : s3_volume_) {
        const int k = static_cast<int>(v.storage_class);
        for (std::size_t i = 0; i < s3_lines_.size(); ++i)
            if (s3_lines_[i].storage[k])
                v.gb_months += s3_usage_[i].gb[k] * to_seconds(next - now) / 3600 / month_hours;
    }
    return next;
}

// PUTs and LISTs at their daily rates; restores and GETs (s3_accrue_reads). Requests their
// requester may not make are counted by the bucket (403) and billed nothing.
void CostMeter::s3_accrue_requests(SimTime now) {
    if (!s3_ || now <= s3_last_) return;
    const double days = to_seconds(now - s3_last_) / 86400.0;
    const SimTime from = s3_last_;
    s3_last_ = now;
    for (std::size_t i = 0; i < s3_->size(); ++i) {
        S3Bucket& b = (*s3_)[i];
        const auto& spec = b.spec();
        const S3Lines& lines = s3_lines_[i];
        const int written = static_cast<int>(spec.storage_class);
        // PUTs (a multipart upload's requests each) while they are allowed: through a
        // presigned URL, while it is valid.
        const double put_share = b.allowed_share(S3Request::PutObject, from, now);
        const double tries = b.put_tries_per_day() * days;
        const double puts = b.objects_per_day() * days * put_share * b.put_requests_per_object();
        b.count_puts(puts, tries * (1 - put_share));
        b.count_requests(S3Request::ListBucket, spec.list_requests_per_day * days);
        const double share = b.allowed_share(S3Request::GetObject, from, now);
        b.count_requests(S3Request::GetObject, spec.get_requests_per_day * days, share);
        if (puts > 0) ledger_.accrue(*lines.put[written], puts);
        if (spec.list_requests_per_day > 0 && b.allowed(S3Request::ListBucket))
            ledger_.accrue(*lines.put[0], spec.list_requests_per_day * days);
        s3_accrue_reads(b, lines, from, now, spec.get_requests_per_day * days * share);
    }
}

// Restores take archived objects (S3Bucket::restore). GETs read current objects picked at
// random, by their number (all objects of a bucket have one size), at the stretch's middle: a
// GET of an archived object is answered, at its class's GET rate, when a restored copy of it
// is there (the copies' share of the class's objects), and fails with 403 InvalidObjectState
// otherwise (counted, billed nothing).
void CostMeter::s3_accrue_reads(S3Bucket& b, const S3Lines& lines, SimTime from, SimTime to,
                                double gets) {
    const auto& spec = b.spec();
    const bool restores = spec.restore_requests_per_day > 0;
    if (gets <= 0 && !restores) return;
    S3Usage u = b.usage(from + (to - from) / 2);
    if (lines.restored) b.add_restored(from + (to - from) / 2, u);
    if (restores) {
        const S3RestoreResult r = b.restore(from, to, u);
        for (int k = 0; k < kS3Classes; ++k) {
            if (r.objects[k] > 0 && lines.restore[k])
                ledger_.accrue(*lines.restore[k], r.objects[k]);
            if (r.gb[k] > 0 && lines.restore_gb[k]) ledger_.accrue(*lines.restore_gb[k], r.gb[k]);
        }
    }
    if (gets <= 0) return;
    std::array<double, kS3Classes> current{};
    double all = 0;
    for (int k = 0; k < kS3Classes; ++k) {
        current[k] = std::max(0.0, u.objects[k] - u.noncurrent_objects[k]);
        all += current[k];
    }
    if (all <= 0) return;
    double out_gb = 0, failed = 0;
    for (int k = 0; k < kS3Classes; ++k) {
        if (current[k] <= 0) continue;
        double read = gets * current[k] / all;
        if (!s3_class_rules(static_cast<S3StorageClass>(k)).readable) {
            const double answered = read * std::min(1.0, u.restored_objects[k] / current[k]);
            failed += read - answered;
            read = answered;
        }
        if (!lines.get[k] || read <= 0) continue;
        const double gb = read * spec.object_size_kb / kKbPerGb;
        ledger_.accrue(*lines.get[k], read);
        if (lines.retrieval[k]) ledger_.accrue(*lines.retrieval[k], gb);
        out_gb += gb;
    }
    b.count_invalid_gets(failed);
    if (lines.egress && out_gb > 0) add_internet_egress(*lines.egress, out_gb);
}

void CostMeter::s3_bill_lifecycle(const S3Lines& lines, const S3LifecycleResult& r) {
    for (int k = 0; k < kS3Classes; ++k) {
        if (r.transitioned[k] > 0 && lines.transition[k])
            ledger_.accrue(*lines.transition[k], r.transitioned[k]);
        if (r.early_gb_months[k] > 0 && lines.early[k])
            ledger_.accrue(*lines.early[k], r.early_gb_months[k]);
    }
}

}  // namespace stratus::cloud
