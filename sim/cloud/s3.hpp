#pragma once
// Amazon S3 buckets as their bill sees them (docs/model.md, "S3"). A bucket's objects are
// written at a steady rate in its storage class. The objects written on one UTC day share their
// class, size and age, so they are kept together as one cohort: no state per object. At each
// midnight UTC the bucket's lifecycle rules move cohorts down the storage classes or delete
// them, as S3 does: an object's action is due at its creation time plus the rule's days,
// rounded up to the next midnight UTC, so every object of a day's cohort is due at the same
// midnight. Leaving a class before its minimum storage duration costs the remaining days,
// billed in the month it leaves (s3_early_delete_gb_months).
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

using scenario::S3StorageClass;
constexpr int kS3Classes = scenario::kS3StorageClassCount;
constexpr double kKbPerGb = 1024.0 * 1024.0;  // S3 counts binary units: 1 GB = 2^30 bytes

// What a storage class bills beyond its price, by AWS's storage class documentation.
struct S3ClassRules {
    int minimum_days = 0;             // a shorter stay is billed for the remaining days
    double minimum_object_kb = 0;     // a smaller object is billed at this size
    double archive_overhead_kb = 0;   // per object, at the class's own rate
    double standard_overhead_kb = 0;  // per object, at STANDARD's rate
    bool readable = true;             // a GET reads it (the archive classes need a restore)
    bool retrieval_fee = false;       // a GET pays per GB it reads
    bool monitored = false;           // a monitoring fee per object (INTELLIGENT_TIERING)
};
S3ClassRules s3_class_rules(S3StorageClass c);
// "STANDARD", "STANDARD_IA", ...
std::string_view to_string(S3StorageClass c);

// INTELLIGENT_TIERING monitors (and bills the fee for) objects of at least this size; lifecycle
// rules do not move smaller objects (S3's default since September 2024).
constexpr double kS3SmallObjectKb = 128;

// Does a lifecycle rule's object size filter (filter.object_size_greater_than / _less_than,
// bytes, strict) take objects of this size? A bucket without an object size: every rule.
bool s3_size_filter_matches(const scenario::S3LifecycleRuleSpec& rule, double object_size_kb);

// Mean days short of `minimum_days` for objects that stayed in their class between
// `shortest` and `longest` days, spread evenly (a day's writes); equal bounds: one stay.
double s3_early_days(double minimum_days, double shortest, double longest);

// GB-months billed when `gb` leaves its class at simulated time `at` `days` short of the
// class's minimum storage duration: the storage of those days, prorated by day and billed in
// the month the objects leave, as S3 bills byte-hours: gb x days x 24 h over the hours of
// that calendar month (run starting at Unix time `start_epoch_s`). 100 GB leaving STANDARD_IA
// 20 days short in January: 100 x 480 / 744 GB-months; in February 2026: 100 x 480 / 672.
double s3_early_delete_gb_months(double gb, double days, std::int64_t start_epoch_s, SimTime at);

// The objects one UTC day wrote (or the bucket held at the start), together.
struct S3Cohort {
    double objects = 0;  // 0 when the bucket gives no object size
    double gb = 0;       // their data
    S3StorageClass storage_class = S3StorageClass::STANDARD;
    SimTime due_from = 0;  // the midnight their lifecycle days count from
    // They entered their class between these times (one instant after a transition).
    SimTime entered_from = 0, entered_to = 0;
    // Noncurrent versions (a versioned bucket): due_from is then the midnight after they
    // became noncurrent, which noncurrent_days count from.
    bool noncurrent = false;
    // Where the keys stand in the order overwrites take them (oldest first), in GB from the
    // first key the bucket held: a current cohort's keys are [pos, pos + gb); a noncurrent
    // cohort's keys have their current version at [pos, pos + gb), or none (pos < 0: a
    // delete marker is current). `newer`: how many newer noncurrent versions each of a
    // noncurrent cohort's keys has (newer_noncurrent_versions).
    double pos = 0;
    int newer = 0;
    // The keys' current version is a delete marker: `pos` is then in the order the markers
    // were made (S3Bucket's markers_), not the overwrites'.
    bool marked = false;
};

// A bucket's storage at one time, by class (S3StorageClass order).
struct S3Usage {
    std::array<double, kS3Classes> gb{};        // data and archive overhead at each class's rate
    std::array<double, kS3Classes> small_gb{};  // what objects under a class's minimum size add
    std::array<double, kS3Classes> objects{};
    std::array<double, kS3Classes> noncurrent_objects{};  // of objects[]: a GET reads none
    double monitored_objects = 0;  // INTELLIGENT_TIERING objects that pay the monitoring fee
    // INTELLIGENT_TIERING's data in its infrequent access and archive instant access tiers
    // (not in gb[], which keeps the frequent access tier's).
    double it_ia_gb = 0, it_aia_gb = 0;
    double delete_markers = 0;  // billed in gb[STANDARD] at key_name_bytes each
    double upload_gb = 0;       // incomplete multipart uploads' parts, in gb[storage_class]
    // Restored copies of archived objects that can be read now, by class (not in gb[]: their
    // own storage at STANDARD's rate; S3Bucket::add_restored).
    std::array<double, kS3Classes> restored_objects{};
    double restored_gb = 0;
};

// INTELLIGENT_TIERING moves a monitored object that nobody read for 30 consecutive days to its
// infrequent access tier, and for 90 to its archive instant access tier (a GET brings it back
// to frequent access).
constexpr double kS3TierIaDays = 30, kS3TierAiaDays = 90;

// Restores (restore_requests_per_day): RestoreObject's retrieval tiers.
enum class S3RestoreTier { Expedited, Standard, Bulk };
S3RestoreTier s3_restore_tier(std::string_view name);  // "Standard", "Bulk", "Expedited"
// How long a restore from class `c` takes before its copy can be read: the end of the range
// S3's archive retrieval options give (GLACIER: Expedited 1-5 min, Standard 3-5 h, Bulk 5-12
// h; DEEP_ARCHIVE: Standard within 12 h, Bulk within 48 h); -1: no such tier (Expedited from
// DEEP_ARCHIVE) or not an archive class.
SimTime s3_restore_delay(S3StorageClass c, S3RestoreTier tier);

// What a stretch's restores did: requests made (billed) and their data, by class; those that
// failed (no archived object to take, or a tier the class does not have), unbilled.
struct S3RestoreResult {
    std::array<double, kS3Classes> objects{}, gb{};
    double failed = 0;
};

// The bucket's own requests at their daily rates, by kind.
enum class S3Request { GetObject, PutObject, ListBucket };
constexpr int kS3RequestKinds = 3;

// Whether the requester of one kind of request may make it (get_requests_from,
// put_requests_from; docs/iam.md, "S3 access"), decided once when the run starts. A denied
// request fails with 403 AccessDenied: counted, not billed, and a denied PUT writes nothing.
struct S3RequestAccess {
    bool checked = false;  // a requester was named (else the owner: not checked)
    bool allowed = true;
    std::string requester;  // "anonymous", "user/NAME", ...
    std::string action;     // "s3:GetObject"
    std::string resource;   // the ARN decided: a key under the bucket's key_prefix
    std::string decision;   // "allowed", "explicit deny", "implicit deny"
    std::string statement;  // the deciding statements, or why nothing allowed it
    // GETs through a presigned URL (presigned_by): decided as the signer's request at each
    // minute of the URL's life (s3:signatureAge changes); allowed only within `valid`, 403
    // before it and after expiry, for `expiry` (docs/iam.md, "Presigned URLs").
    bool presigned = false;
    std::vector<std::pair<SimTime, SimTime>> valid;  // [from, to) in simulated time
    std::string expiry;  // "expired: X-Amz-Expires 3600 s after signing", ...
    // The first moment the requests are denied (the event log's s3_request_denied), and why;
    // -1 when they never are. A presigned URL's: its expiry, or the first minute refused.
    SimTime denied_from = -1;
    std::string denied_decision;  // "explicit deny", "implicit deny", "expired"
    std::string denied_statement;
};
using S3Access = std::array<S3RequestAccess, kS3RequestKinds>;

// What one midnight's lifecycle run did, by class.
struct S3LifecycleResult {
    std::array<double, kS3Classes> transitioned{};     // objects moved into each class
    std::array<double, kS3Classes> early_gb_months{};  // billed for leaving each class early
    double expired_objects = 0;
    double expired_gb = 0;
    // Versioning: current versions an expiration made noncurrent (a delete marker each), and
    // versions overwrites made noncurrent (Enabled) or deleted (Suspended, Disabled).
    double delete_markers = 0;
    double overwritten_objects = 0, overwritten_gb = 0;
    double markers_removed = 0;  // expired object delete markers removed
    double aborted_gb = 0;       // parts of incomplete multipart uploads aborted
};

class S3Bucket {
  public:
    // `lifecycle`: the bucket's configuration, if any; `start_epoch_s`: the run's start (Unix
    // time, UTC), for midnights and calendar months.
    S3Bucket(const scenario::S3BucketSpec& spec,
             const scenario::S3BucketLifecycleConfigurationSpec* lifecycle,
             std::int64_t start_epoch_s, S3Access access = {});

    const scenario::S3BucketSpec& spec() const { return *spec_; }
    const std::string& name() const { return spec_->name; }
    // Written per day: objects (0 without an object size) and GB.
    double objects_per_day() const { return objects_per_day_; }
    double gb_per_day() const { return gb_per_day_; }
    // Objects its writer tries to write per day: objects_per_day(), or, when its PUTs are
    // denied from the start, the objects it tries to write (each try one request, refused).
    double put_tries_per_day() const {
        return allowed(S3Request::PutObject) || access(S3Request::PutObject).presigned
                   ? objects_per_day_
                   : denied_per_day_;
    }
    // PUT-class requests billed per object written: 1 (PutObject), or with a multipart part
    // size an object of at least that size's CreateMultipartUpload, UploadPart per part and
    // CompleteMultipartUpload, plus the incomplete_upload_percent share of uploads never
    // completed (CreateMultipartUpload and their parts).
    double put_requests_per_object() const { return put_requests_per_object_; }
    // Days of writes in [from, to): their length, or for PUTs through a presigned URL the part
    // of it the URL is valid in (no object is written while it is not).
    double written_days(SimTime from, SimTime to) const;
    // Whether objects can ever be in class `c` (written in it, or a rule moves them there).
    bool may_hold(S3StorageClass c) const { return reachable_[static_cast<int>(c)]; }
    bool has_lifecycle() const { return !rules_.empty(); }
    // Whether objects can leave their class before their minimum duration: a lifecycle rule,
    // or overwrites in a bucket that keeps no noncurrent versions.
    bool deletes_early() const { return has_lifecycle() || (overwrite_ > 0 && !versioned_); }
    bool versioned() const { return versioned_; }
    // Whether delete markers can be billed: a versioned bucket with object sizes, key names of
    // key_name_bytes and a rule that expires current versions.
    bool bills_delete_markers() const;
    // Delete markers now current (one per key an expiration deleted, until removed).
    double delete_markers() const;
    const S3RequestAccess& access(S3Request kind) const { return access_[static_cast<int>(kind)]; }
    bool allowed(S3Request kind) const { return access(kind).allowed; }
    // PUT-class requests answered (and billed) and PUTs denied with 403.
    void count_puts(double answered, double denied) {
        sent_[static_cast<int>(S3Request::PutObject)] += answered;
        denied_[static_cast<int>(S3Request::PutObject)] += denied;
    }
    // The requests of `kind` its requesters sent over `days`, counted as allowed or denied
    // (the cost meter bills the allowed ones).
    void count_requests(S3Request kind, double requests, double share = -1) {
        if (share < 0) share = allowed(kind) ? 1 : 0;
        sent_[static_cast<int>(kind)] += requests * share;
        denied_[static_cast<int>(kind)] += requests * (1 - share);
    }
    // The share of [from, to) in which requests of `kind` are allowed: 1 or 0, or for a
    // presigned URL the part of it inside its valid spans.
    double allowed_share(S3Request kind, SimTime from, SimTime to) const;
    // Since the start: requests answered (billed) and denied with 403, by kind.
    double requests(S3Request kind) const { return sent_[static_cast<int>(kind)]; }
    double denied(S3Request kind) const { return denied_[static_cast<int>(kind)]; }

    // The first midnight UTC at or after `t` (simulated time).
    SimTime midnight_at_or_after(SimTime t) const;
    // Storage at `t`, the open day's writes up to `t` included; INTELLIGENT_TIERING's data
    // all in gb[] (its frequent access tier) until intelligent_tiers() splits it.
    S3Usage usage(SimTime t) const;
    // Moves the INTELLIGENT_TIERING data of `u` (usage(t)) that its access tiers hold at `t`
    // out of gb[] into it_ia_gb and it_aia_gb (docs/model.md, "S3").
    void intelligent_tiers(SimTime t, S3Usage& u) const;
    // At midnight `at`: closes the day's cohort, then runs the lifecycle rules on every cohort.
    S3LifecycleResult run_lifecycle(SimTime at);

    // Restores in [from, to), spread over the archived current objects of `u` (the usage in
    // its middle) by their number, at restore_tier; each restored copy can be read
    // s3_restore_delay later and expires at the first midnight UTC restore_days after that.
    S3RestoreResult restore(SimTime from, SimTime to, const S3Usage& u);
    // Sets u.restored_objects and u.restored_gb to the copies readable at `t` and drops the
    // expired ones: `t` never goes back from one call to the next.
    void add_restored(SimTime t, S3Usage& u);
    // GETs of archived objects without a readable copy: failed with 403 InvalidObjectState.
    void count_invalid_gets(double gets) { invalid_gets_ += gets; }
    double invalid_gets() const { return invalid_gets_; }
    // Since the start: restores made (billed), their GB, and restores that failed.
    double restores() const { return restores_; }
    double restored_gb() const { return restored_total_gb_; }
    double failed_restores() const { return failed_restores_; }

    // Totals since the start.
    double objects_transitioned() const { return objects_transitioned_; }
    double objects_expired() const { return objects_expired_; }
    std::size_t cohorts() const { return cohorts_.size(); }

  private:
    // A transition: at `days`, to `to`; noncurrent ones once a key has `newer` newer
    // noncurrent versions too.
    struct Move {
        int days = 0;
        S3StorageClass to = S3StorageClass::GLACIER;
        int newer = 0;
    };
    struct Rule {
        std::vector<Move> transitions;
        bool size_filter = false;  // filter.object_size_*: the default minimum size is off
        std::optional<int> expiration_days;
        std::vector<Move> noncurrent_transitions;
        std::optional<int> noncurrent_expiration_days;
        int noncurrent_expiration_newer = 0;
        bool expired_object_delete_marker = false;
        std::optional<int> abort_incomplete_days;
    };
    // Keys at [from, from + gb) got a newer version: the noncurrent cohorts whose keys' current
    // version is there count one more newer noncurrent version, and their keys' current version
    // is now at `to` + the same offset (to < 0: a delete marker, no current version). Splits
    // the cohorts that straddle the range.
    void renew_keys(double from, double gb, double to, bool marked = false);
    // At midnight `at`: removes the delete markers whose keys have no version left, when a
    // rule expires current versions or sets expired_object_delete_marker.
    void remove_expired_markers(S3LifecycleResult& r);
    // At midnight `at`: the day's incomplete uploads (`days` of writes) begin; the rules abort
    // those due.
    void close_uploads(SimTime at, double days, S3LifecycleResult& r);
    // At midnight `at`: the current versions an expiration deletes in a versioned bucket get a
    // delete marker (they become noncurrent); marks them, by index, as done for this midnight.
    std::vector<char> delete_markers(SimTime at, S3LifecycleResult& r);
    // At midnight `at`: the rules' action due on `c`, if any (a move or a deletion).
    void apply_rules(S3Cohort& c, SimTime at, S3LifecycleResult& r);
    // At midnight `at`, the day's overwrites: the share overwrite_ of `written` (the day's
    // cohort) taken from the oldest current cohorts, kept as noncurrent versions or deleted.
    void overwrite(const S3Cohort& written, SimTime at, S3LifecycleResult& r);
    // The class a cohort of `age_days` moves to, or nullopt; `expire` set when it is deleted.
    std::optional<S3StorageClass> due_action(const S3Cohort& c, int age_days, bool& expire) const;
    // Billed GB of a cohort in its class (data and the minimum size), for early deletion.
    double billed_gb(const S3Cohort& c) const;
    void leave_class(const S3Cohort& c, SimTime at, S3LifecycleResult& r) const;
    void add(const S3Cohort& c, double sign);

    const scenario::S3BucketSpec* spec_;
    std::int64_t start_epoch_s_;
    S3Access access_;
    std::array<double, kS3RequestKinds> sent_{}, denied_{};
    double denied_per_day_ = 0;
    double put_requests_per_object_ = 1;
    double objects_per_day_ = 0, gb_per_day_ = 0;
    std::vector<Rule> rules_;  // the enabled rules whose filter matches the objects' keys
    std::array<bool, kS3Classes> reachable_{};
    std::vector<S3Cohort> cohorts_;  // closed cohorts, oldest first
    std::array<double, kS3Classes> closed_gb_{}, closed_objects_{}, noncurrent_objects_{};
    SimTime open_from_ = 0;  // the day's writes so far began here
    double next_pos_ = 0;    // the position of the next key written (S3Cohort::pos)
    // Keys whose current version is a delete marker: [from, from + gb) in the markers' order.
    std::vector<std::pair<double, double>> markers_;
    double next_marker_pos_ = 0;
    bool removes_markers_ = false;  // a rule expires current versions or expired markers
    // Incomplete multipart uploads: (the midnight a rule aborts them, or never; their GB).
    std::vector<std::pair<SimTime, double>> uploads_;
    double upload_gb_ = 0;           // their sum
    std::optional<int> abort_days_;  // the earliest abort of the rules
    double objects_transitioned_ = 0, objects_expired_ = 0;
    bool versioned_ = false;          // versioning = "Enabled"
    double overwrite_ = 0;            // overwrite_percent / 100
    bool small_to_archives_ = false;  // transition_default_minimum_object_size
                                      // = "varies_by_storage_class"
    // Restored copies, one batch per stretch of restores, by archive class (GLACIER,
    // DEEP_ARCHIVE): readable from ready_from to ready_to (spread evenly), until `expires`.
    struct RestoreBatch {
        SimTime ready_from = 0, ready_to = 0, expires = 0;
        double objects = 0, gb = 0;
    };
    std::array<std::deque<RestoreBatch>, 2> restored_;
    std::array<std::size_t, 2> ready_count_{};  // the first batches wholly readable
    std::array<double, 2> ready_objects_{}, ready_gb_{};
    double restores_ = 0, restored_total_gb_ = 0, failed_restores_ = 0, invalid_gets_ = 0;
};

}  // namespace stratus::cloud
