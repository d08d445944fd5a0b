#pragma once
// The AWS API calls the workloads' applications make while serving requests
// (WorkloadSpec::aws_call; docs/iam.md, "IAM in a run"). An application acts as its instance's
// instance profile (a launch template's iam_instance_profile) or its task's role
// (task_role_arn). Every (workload, call, principal) is decided once, when the run starts,
// by the scenario's IAM account (iam_account.hpp): the run only reads the verdicts. A request
// that makes a denied call fails with 500; the first one logs an aws_call_denied event with
// the statement that decided.
//
// Which requests make a call: a call of fraction f is made by the requests the application
// takes, spread evenly (a counter in billionths: with f = 0.1, every tenth request exactly),
// so a run's counts are a hand calculation, and no random number is drawn.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/s3.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// The decision of one call for one principal, in words.
struct AwsCallVerdict {
    bool allowed = false;
    const char* decision = "";  // "allowed", "explicit deny", "implicit deny", "no credentials"
    std::string role_arn;
    std::string statement;  // the deciding statements, or why nothing allowed it
};

// A call's counts since the start of the run.
struct AwsCallCounts {
    std::uint64_t calls = 0;   // requests taken by the application that made the call
    std::uint64_t denied = 0;  // of them, denied (each answered 500)
};

class AwsCalls {
  public:
    // Decides every call of every workload for every principal the scenario's instances and
    // tasks can have. Throws std::logic_error on a principal the loader did not check.
    AwsCalls(const scenario::Spec& spec, RunObserver& observer);

    // The principal's index: "" (no credentials), "instance-profile/NAME", "role/NAME".
    // -1 for one the scenario does not give an instance or task.
    int principal_index(const std::string& principal) const;

    // A request of workload `w` taken by an application acting as `principal` (an index):
    // makes the workload's calls whose turn it is; true when one of them is denied (the
    // first denial of each call and principal is logged, naming `instance`).
    bool serve(std::size_t w, int principal, const std::string& instance, SimTime now);

    bool any() const { return any_; }
    // Whether some launch template or task definition has no profile or role: the principal
    // "" (index 0) can serve requests.
    bool none_possible() const { return none_possible_; }
    const std::vector<std::string>& principals() const { return principals_; }
    const AwsCallVerdict& verdict(std::size_t w, std::size_t call, int principal) const {
        return calls_[w][call].verdicts[static_cast<std::size_t>(principal)];
    }
    const AwsCallCounts& counts(std::size_t w, std::size_t call) const {
        return calls_[w][call].counts;
    }

  private:
    static constexpr std::uint64_t kOne = 1000000000;  // a whole call, in billionths
    struct Call {
        const scenario::AwsCallSpec* spec = nullptr;
        std::uint64_t step = 0;  // fraction in billionths
        std::uint64_t owed = 0;  // billionths accumulated since the last call
        AwsCallCounts counts;
        std::vector<AwsCallVerdict> verdicts;  // by principal
        std::vector<bool> logged;              // by principal
    };

    const scenario::Spec& spec_;
    RunObserver& observer_;
    std::vector<std::string> principals_;
    std::vector<std::vector<Call>> calls_;  // by workload
    bool any_ = false;
    bool none_possible_ = false;
};

class IamAccount;

// A bucket's GETs, PUTs and LISTs as its requesters send them (get_requests_from,
// put_requests_from): each kind decided once, on a key under the bucket's key_prefix
// (arn:aws:s3:::BUCKET/PREFIXobject) or on the bucket for a LIST. Not checked: the kinds whose
// requester is the bucket owner ("").
// A role session's credentials, and so the presigned URLs it signs, last 1 h (AssumeRole's
// default DurationSeconds; choice for instance profiles, whose credentials EC2 rotates).
constexpr SimTime kPresignedSessionDuration = kHour;

S3Access decide_s3_access(const IamAccount& account, const scenario::S3BucketSpec& bucket);

// The event log's s3_request_denied: each bucket's first 403 of each kind, at its moment
// (S3RequestAccess::denied_from, before the horizon), scheduled when the run starts so the log
// stays in time order.
class S3DenialLog final : public EventHandler {
  public:
    void start(Simulation& sim, RunObserver& observer, const std::vector<S3Bucket>& buckets,
               SimTime horizon);
    void on_event(const Event& event) override;

  private:
    RunObserver* observer_ = nullptr;
    const std::vector<S3Bucket>* buckets_ = nullptr;
};

}  // namespace stratus::cloud
