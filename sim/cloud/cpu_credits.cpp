#include "sim/cloud/cpu_credits.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/cloud/billing.hpp"

namespace stratus::cloud {

namespace {

// Balances within a micro-credit (one vCPU for 60 us) of zero count as zero. Without this
// the rounding of a crossing time to whole microseconds, or of the closed-form arithmetic,
// would leave 1e-12 of a credit and the instance would never be seen as out of credits.
constexpr double kEpsCredits = 1e-6;

double snap(double credits) {
    return std::abs(credits) < kEpsCredits ? 0.0 : credits;
}

double hours_of(SimTime d) {
    return static_cast<double>(d) / static_cast<double>(kHour);
}

}  // namespace

CreditFamily credit_family_of(std::string_view instance_type) {
    return instance_type.substr(0, 3) == "t2." ? CreditFamily::T2 : CreditFamily::T3;
}

CpuCreditAccount::CpuCreditAccount(const scenario::InstanceTypeInfo& type, CreditSpecification spec,
                                   CreditFamily family, SimTime launched_at,
                                   bool grant_launch_credits)
    : vcpu_(type.vcpu), spec_(spec), family_(family), last_(launched_at) {
    if (!type.burstable)
        throw std::invalid_argument("CPU credits: " + type.name + " is not burstable");
    if (type.vcpu <= 0) throw std::invalid_argument("CPU credits: " + type.name + " has no vCPU");
    // credits_per_hour is what the balance moves by, so it is the figure of record; a scenario
    // type that gives only the baseline gets credits from it (credits/h = baseline% x vCPUs x
    // 60), and one without a cap gets 24 h of earnings, AWS's definition of the cap.
    earn_per_hour_ = type.credits_per_hour > 0 ? type.credits_per_hour
                                               : type.baseline_percent / 100.0 * type.vcpu * 60;
    max_credits_ = type.max_credits > 0 ? type.max_credits : 24 * earn_per_hour_;
    grant_launch_credits_if_due(grant_launch_credits);
}

void CpuCreditAccount::grant_launch_credits_if_due(bool grant) {
    // Section 4.4: launch credits are for T2 in standard mode only.
    if (grant && family_ == CreditFamily::T2 && spec_ == CreditSpecification::Standard)
        launch_ = kLaunchCreditsPerVcpu * vcpu_;
}

double CpuCreditAccount::advance(SimTime now, double busy_vcpu_fraction) {
    if (now < last_)
        throw std::invalid_argument("CPU credits: advance to " + std::to_string(now) +
                                    " before the last update " + std::to_string(last_));
    const double busy = std::clamp(busy_vcpu_fraction, 0.0, 1.0);
    const double total = hours_of(now - last_);
    last_ = now;
    if (!running()) return 0;
    if (total == 0) return max_speed_fraction(busy);

    const double earn = earn_per_hour_;
    const double spend = busy * vcpu_ * 60;  // credits per hour
    double hours = total;
    double spent = 0;  // credits actually spent (= vCPU-minutes of work granted)

    // Phase 1: launch credits are spent first, and meanwhile every earned credit goes to the
    // balance (up to the cap: launch credits do not count toward it).
    if (launch_ > 0 && spend > 0) {
        const double t = std::min(hours, launch_ / spend);
        launch_ = t < hours ? 0.0 : snap(launch_ - spend * t);
        balance_ = std::min(max_credits_, balance_ + earn * t);
        spent += spend * t;
        hours -= t;
    }
    if (hours <= 0) return spent / (vcpu_ * 60 * total);

    // Phase 2: the balance moves at earn - spend (launch credits are now zero, or untouched
    // because nothing was spent).
    const double net = earn - spend;
    if (spec_ == CreditSpecification::Standard) {
        const double end = balance_ + net * hours;
        if (net < 0 && end <= kEpsCredits) {
            // Runs at full demand until the balance is spent, then throttled at baseline, where
            // spending equals earning and the balance stays at zero.
            const double t0 = std::min(hours, balance_ / -net);
            spent += spend * t0 + earn * (hours - t0);
            balance_ = 0;
        } else {
            spent += spend * hours;
            balance_ = snap(std::clamp(end, 0.0, max_credits_));
        }
    } else {
        // Unlimited: earnings first pay down the surplus, so balance - surplus moves as one
        // number, capped above at max_credits. Surplus beyond what 24 h can earn (the cap) is
        // charged; AWS charges it at the end of the hour, here as it accrues (same amount,
        // at most an hour earlier).
        double position = std::min(max_credits_, balance_ - surplus_ + net * hours);
        position = snap(position);
        spent += spend * hours;
        if (position >= 0) {
            balance_ = position;
            surplus_ = 0;
        } else {
            balance_ = 0;
            surplus_ = -position;
            if (surplus_ > max_credits_) {
                charged_credits_ += surplus_ - max_credits_;
                surplus_ = max_credits_;
            }
        }
    }
    return spent / (vcpu_ * 60 * total);
}

double CpuCreditAccount::surplus_charged() const {
    return surplus_credit_vcpu_hours(charged_credits_);
}

double CpuCreditAccount::settle_surplus() {
    const double credits = surplus_;
    charged_credits_ += credits;
    surplus_ = 0;
    return surplus_credit_vcpu_hours(credits);
}

double CpuCreditAccount::max_speed_fraction(double demanded) const {
    const double want = std::clamp(demanded, 0.0, 1.0);
    if (!running()) return 0;
    if (spec_ == CreditSpecification::Unlimited || launch_ > 0 || balance_ > 0) return want;
    return std::min(want, baseline_fraction());
}

SimTime CpuCreditAccount::time_until_exhausted(double utilisation) const {
    if (!running()) return kNever;
    const double spend = std::clamp(utilisation, 0.0, 1.0) * vcpu_ * 60;
    const double earn = earn_per_hour_;
    if (spend <= earn) return kNever;  // at or below baseline: the balance never falls
    // Launch credits first (the balance grows meanwhile, up to the cap), then the balance
    // falls at spend - earn. Same arithmetic as advance(), so the two agree.
    const double t_launch = launch_ / spend;
    const double balance_then = std::min(max_credits_, balance_ + earn * t_launch);
    const double hours = t_launch + balance_then / (spend - earn);
    const double micros = hours * static_cast<double>(kHour);
    if (micros >= static_cast<double>(kNever)) return kNever;
    // Rounded up so that advancing this far leaves nothing; the 1e-3 us of slack keeps an
    // exact answer (160 min) from becoming 160 min + 1 us through the last bit of a double.
    return static_cast<SimTime>(std::ceil(micros - 1e-3));
}

double CpuCreditAccount::stop(SimTime now, double busy_vcpu_fraction) {
    if (!running()) throw std::logic_error("CPU credits: stop of an instance that is not running");
    advance(now, busy_vcpu_fraction);
    const double charged = settle_surplus();
    if (family_ == CreditFamily::T2) {
        balance_ = 0;
        launch_ = 0;
    }
    state_ = State::Stopped;
    stopped_at_ = now;
    return charged;
}

void CpuCreditAccount::start(SimTime now, bool grant_launch_credits) {
    if (state_ != State::Stopped)
        throw std::logic_error("CPU credits: start of an instance that is not stopped");
    advance(now, 0);  // moves the clock only: nothing is earned while stopped
    // T3 keeps the balance for 7 days; a stop of exactly 7 days still has it.
    if (now - stopped_at_ > kStoppedBalanceKept) balance_ = 0;
    state_ = State::Running;
    grant_launch_credits_if_due(grant_launch_credits);
}

double CpuCreditAccount::terminate(SimTime now, double busy_vcpu_fraction) {
    if (terminated()) throw std::logic_error("CPU credits: instance already terminated");
    double charged = 0;
    if (running())
        charged = stop(now, busy_vcpu_fraction);
    else
        advance(now, 0);
    state_ = State::Terminated;
    balance_ = 0;
    launch_ = 0;
    return charged;
}

}  // namespace stratus::cloud
