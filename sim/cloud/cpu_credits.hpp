#pragma once
// CPU credits of one burstable (T-series) instance, as a value type the instance will own.
// Rules from the EC2 User Guide (burstable performance instances), in docs/model.md
// ("Burstable CPU credits") with the choices AWS leaves open.
//
// Units: one credit is one vCPU at 100 % for one minute. Utilisation is the fraction of all the
// instance's vCPUs that is busy (0..1), so an instance at utilisation u spends
// u x vCPUs x 60 credits an hour and earns credits_per_hour. Between two calls the utilisation
// is constant, so the balance moves linearly and every crossing (launch credits spent, balance
// at zero, balance at the cap, surplus at the cap) is found in closed form: the result does not
// depend on how often the simulator calls advance().
#include <string_view>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

using scenario::CreditSpecification;

// The two credit rule sets of section 4.4. T2: 30 launch credits per vCPU at each launch or
// start in standard mode, balance lost at a stop. T3 (also T3a, T4g): no launch credits,
// balance kept for 7 days after a stop.
enum class CreditFamily { T2, T3 };

// T2 for "t2.*" type names, T3 for every other name (T3, T3a and T4g share the rules).
CreditFamily credit_family_of(std::string_view instance_type);

class CpuCreditAccount {
  public:
    static constexpr double kLaunchCreditsPerVcpu = 30;
    static constexpr SimTime kStoppedBalanceKept = 7 * kDay;  // T3 family

    // A freshly launched, running instance at `launched_at`, with an empty earned balance (AWS
    // starts every T instance at zero). `grant_launch_credits` lets the caller withhold the
    // T2 launch credits, e.g. past the account's 100 grants per rolling 24 h (not modelled
    // here: that limit is per account and Region, not per instance).
    // Throws std::invalid_argument for a type that is not burstable or has no vCPU.
    CpuCreditAccount(const scenario::InstanceTypeInfo& type, CreditSpecification spec,
                     CreditFamily family, SimTime launched_at = 0,
                     bool grant_launch_credits = true);

    // Integrates earning and spending from the last call (or launch/start) to `now`, the
    // instance having been busy `busy_vcpu_fraction` (0..1, clamped) on average over that
    // interval. Returns the utilisation the instance was actually granted on average over the
    // interval: the same in unlimited mode, less in standard mode when the credits ran out
    // part-way and the rest ran throttled at baseline. While stopped or terminated only the
    // clock moves (returns 0). Throws std::invalid_argument if `now` is before the last call.
    double advance(SimTime now, double busy_vcpu_fraction);

    // Earned credits, 0..max_credits(). Launch credits are kept apart (they do not count
    // toward the cap) and surplus credits are a separate debt, so this is never negative.
    double balance() const { return balance_; }
    double launch_credits() const { return launch_; }
    // Unlimited mode: surplus credits spent and not yet paid down by earnings nor charged,
    // 0..max_credits().
    double surplus_credits() const { return surplus_; }
    // Surplus charged so far, in vCPU-hours (credits / 60), to bill at the surplus rate.
    double surplus_charged() const;
    // Charges the outstanding surplus (AWS does at stop, terminate or a switch to standard).
    // Returns the vCPU-hours charged by this call. stop() and terminate() call it.
    double settle_surplus();

    // The utilisation (0..1) the instance may run at now when it would like `demanded`: all
    // of it while launch or earned credits last, or in unlimited mode; at most the baseline
    // once a standard-mode instance has none left. Meaningful after advance() to now.
    double max_speed_fraction(double demanded) const;
    // How long after last_update() an instance running at `utilisation` has spent its launch
    // and earned credits, so a standard instance must be throttled (an unlimited one starts
    // spending surplus). 0 if they are already spent and the utilisation is above baseline;
    // kNever if it stays at or below baseline (credits never run out) or is not running.
    // Rounded up to the microsecond: advance(last_update() + t, utilisation) leaves none.
    SimTime time_until_exhausted(double utilisation) const;

    // Stop: integrates to `now` at `busy_vcpu_fraction`, charges the surplus, then applies the
    // family's rule (T2 loses its earned and launch credits; T3 keeps its balance). Returns
    // the vCPU-hours charged. Throws std::logic_error unless running.
    double stop(SimTime now, double busy_vcpu_fraction);
    // Start after a stop: no earning happened while stopped; a T3 stopped longer than 7 days
    // has lost its balance; a T2 in standard mode gets its launch credits again (unless
    // withheld). Throws std::logic_error unless stopped.
    void start(SimTime now, bool grant_launch_credits = true);
    // Terminate: like stop, and the account takes no further start. Returns vCPU-hours charged.
    double terminate(SimTime now, double busy_vcpu_fraction);

    bool running() const { return state_ == State::Running; }
    bool terminated() const { return state_ == State::Terminated; }
    SimTime last_update() const { return last_; }
    CreditSpecification credit_specification() const { return spec_; }
    CreditFamily family() const { return family_; }
    int vcpu() const { return vcpu_; }
    double credits_per_hour() const { return earn_per_hour_; }
    double max_credits() const { return max_credits_; }
    // Utilisation at which spending equals earning: credits_per_hour / (60 x vCPUs).
    double baseline_fraction() const { return earn_per_hour_ / (60.0 * vcpu_); }

  private:
    enum class State { Running, Stopped, Terminated };

    void grant_launch_credits_if_due(bool grant);

    int vcpu_ = 0;
    double earn_per_hour_ = 0;
    double max_credits_ = 0;
    CreditSpecification spec_ = CreditSpecification::Standard;
    CreditFamily family_ = CreditFamily::T3;

    State state_ = State::Running;
    SimTime last_ = 0;
    SimTime stopped_at_ = 0;
    double balance_ = 0;
    double launch_ = 0;
    double surplus_ = 0;
    double charged_credits_ = 0;
};

}  // namespace stratus::cloud
