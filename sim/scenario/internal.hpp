#pragma once
// Shared pieces of the scenario loader that do not depend on TOML++: value syntax (durations,
// date-times), enum names and spelling suggestions.
// Not part of the public interface; loader.cpp, validate.cpp and explain.cpp use it.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::scenario::detail {

constexpr std::size_t kMaxErrors = 50;

// Collects diagnostics; stops recording errors (and warnings) after kMaxErrors so one bad file
// cannot flood the terminal.
class Diagnostics {
  public:
    void error(SourcePos pos, std::string key_path, std::string message);
    void warning(SourcePos pos, std::string key_path, std::string message);
    bool has_errors() const { return !errors_.empty(); }
    // No more errors are recorded: callers skip the work of describing them (suggestions).
    bool full() const { return errors_.size() >= kMaxErrors; }
    std::vector<Diagnostic>& errors() { return errors_; }
    std::vector<Diagnostic>& warnings() { return warnings_; }
    // Sorted by position (file order), errors about overrides and whole-file problems first.
    void sort();

  private:
    std::vector<Diagnostic> errors_;
    std::vector<Diagnostic> warnings_;
    bool truncated_ = false;
    std::size_t dropped_warnings_ = 0;  // beyond kMaxErrors, counted by the last warning
};

// ---- values ----------------------------------------------------------------------------------

// "250ms", "90s", "1.5s", "500us", "5m", "2h", "7d", also "1h30m"; nullopt if not a duration.
std::optional<SimTime> parse_duration(std::string_view text);
// The shortest exact form: 45000000 -> "45s", 250000 -> "250ms", 5400 s -> "90m".
std::string format_duration(SimTime t);
// The mean of a distribution of durations (uniform: the midpoint; empirical: the samples').
SimTime mean_duration(const DurationDist& d);
// RFC 3339 date-time ("2026-01-05T00:00:00Z", "2026-01-05T09:00:00+09:00") -> Unix seconds.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
// "14:00" or "14:30:15" -> time of day.
std::optional<SimTime> parse_time_of_day(std::string_view text);

// A sample file's contents: one value per row (first column), an optional header row.
struct CsvRow {
    int line = 0;
    std::vector<std::string> cells;
};
// The rows of a data file one at a time (blank and `#` lines skipped), reusing one CsvRow:
// memory stays that of the text, however many rows it has. `text` must outlive the range.
//   for (const CsvRow& row : read_csv(text)) ...
class CsvRows {
  public:
    class iterator {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = CsvRow;
        using difference_type = std::ptrdiff_t;
        using pointer = const CsvRow*;
        using reference = const CsvRow&;
        iterator() = default;
        explicit iterator(std::string_view text) : rest_(text), done_(false) { advance(); }
        const CsvRow& operator*() const { return row_; }
        const CsvRow* operator->() const { return &row_; }
        iterator& operator++() {
            advance();
            return *this;
        }
        bool operator==(const iterator& o) const { return done_ == o.done_; }
        bool operator!=(const iterator& o) const { return !(*this == o); }

      private:
        void advance();
        std::string_view rest_;
        CsvRow row_;
        int line_ = 0;
        bool done_ = true;
    };
    explicit CsvRows(std::string_view text) : text_(text) {}
    iterator begin() const { return iterator(text_); }
    iterator end() const { return iterator(); }

  private:
    std::string_view text_;
};
inline CsvRows read_csv(std::string_view text) {
    return CsvRows(text);
}

// ---- names -----------------------------------------------------------------------------------

template <class E>
struct Named {
    const char* name;
    E value;
};

template <class E, std::size_t N>
const char* name_of(const Named<E> (&table)[N], E value) {
    for (const auto& n : table)
        if (n.value == value) return n.name;
    return "?";
}

template <class E, std::size_t N>
std::vector<std::string> names_of(const Named<E> (&table)[N]) {
    std::vector<std::string> out;
    for (const auto& n : table)
        out.emplace_back(n.name);
    return out;
}

inline constexpr Named<Fidelity> kFidelity[] = {{"request", Fidelity::Request},
                                                {"fluid", Fidelity::Fluid}};
inline constexpr Named<DistKind> kDistKind[] = {
    {"constant", DistKind::Constant}, {"exponential", DistKind::Exponential},
    {"normal", DistKind::Normal},     {"lognormal", DistKind::Lognormal},
    {"uniform", DistKind::Uniform},   {"empirical", DistKind::Empirical}};
inline constexpr Named<RateShape> kRateShape[] = {{"constant", RateShape::Constant},
                                                  {"diurnal", RateShape::Diurnal},
                                                  {"steps", RateShape::Steps},
                                                  {"ramp", RateShape::Ramp},
                                                  {"trace", RateShape::Trace}};
inline constexpr Named<CreditSpecification> kCreditSpecification[] = {
    {"standard", CreditSpecification::Standard}, {"unlimited", CreditSpecification::Unlimited}};
inline constexpr Named<LoadBalancerType> kLoadBalancerType[] = {
    {"application", LoadBalancerType::Application},
    {"network", LoadBalancerType::Network},
    {"classic", LoadBalancerType::Classic}};
inline constexpr Named<S3StorageClass> kS3StorageClass[] = {
    {"STANDARD", S3StorageClass::STANDARD},
    {"STANDARD_IA", S3StorageClass::STANDARD_IA},
    {"ONEZONE_IA", S3StorageClass::ONEZONE_IA},
    {"INTELLIGENT_TIERING", S3StorageClass::INTELLIGENT_TIERING},
    {"GLACIER_IR", S3StorageClass::GLACIER_IR},
    {"GLACIER", S3StorageClass::GLACIER},
    {"DEEP_ARCHIVE", S3StorageClass::DEEP_ARCHIVE}};
inline constexpr Named<LoadBalancingAlgorithm> kLoadBalancingAlgorithm[] = {
    {"round_robin", LoadBalancingAlgorithm::RoundRobin},
    {"least_outstanding_requests", LoadBalancingAlgorithm::LeastOutstandingRequests}};
inline constexpr Named<TargetType> kTargetType[] = {{"instance", TargetType::Instance},
                                                    {"ip", TargetType::Ip}};
inline constexpr Named<EcsLaunchType> kEcsLaunchType[] = {{"FARGATE", EcsLaunchType::Fargate},
                                                          {"EC2", EcsLaunchType::EC2},
                                                          {"EXTERNAL", EcsLaunchType::External}};
inline constexpr Named<EcsSchedulingStrategy> kEcsSchedulingStrategy[] = {
    {"REPLICA", EcsSchedulingStrategy::Replica}, {"DAEMON", EcsSchedulingStrategy::Daemon}};
inline constexpr Named<EcsCapacityProvider> kEcsCapacityProvider[] = {
    {"FARGATE", EcsCapacityProvider::Fargate}, {"FARGATE_SPOT", EcsCapacityProvider::FargateSpot}};
inline constexpr Named<ManagedScalingStatus> kManagedScalingStatus[] = {
    {"ENABLED", ManagedScalingStatus::Enabled}, {"DISABLED", ManagedScalingStatus::Disabled}};
inline constexpr Named<ManagedTerminationProtection> kManagedTerminationProtection[] = {
    {"ENABLED", ManagedTerminationProtection::Enabled},
    {"DISABLED", ManagedTerminationProtection::Disabled}};
inline constexpr Named<ManagedDraining> kManagedDraining[] = {
    {"ENABLED", ManagedDraining::Enabled}, {"DISABLED", ManagedDraining::Disabled}};
inline constexpr Named<PlacementStrategyType> kPlacementStrategyType[] = {
    {"random", PlacementStrategyType::Random},
    {"spread", PlacementStrategyType::Spread},
    {"binpack", PlacementStrategyType::Binpack}};
inline constexpr Named<PlacementConstraintType> kPlacementConstraintType[] = {
    {"distinctInstance", PlacementConstraintType::DistinctInstance},
    {"memberOf", PlacementConstraintType::MemberOf}};
inline constexpr Named<MetricAggregationType> kMetricAggregationType[] = {
    {"Average", MetricAggregationType::Average},
    {"Minimum", MetricAggregationType::Minimum},
    {"Maximum", MetricAggregationType::Maximum}};
inline constexpr Named<NetworkMode> kNetworkMode[] = {{"awsvpc", NetworkMode::Awsvpc},
                                                      {"bridge", NetworkMode::Bridge},
                                                      {"host", NetworkMode::Host},
                                                      {"none", NetworkMode::None}};
inline constexpr Named<CpuArchitecture> kCpuArchitecture[] = {{"X86_64", CpuArchitecture::X86_64},
                                                              {"ARM64", CpuArchitecture::Arm64}};
inline constexpr Named<HealthCheckType> kHealthCheckType[] = {{"EC2", HealthCheckType::EC2},
                                                              {"ELB", HealthCheckType::ELB}};
inline constexpr Named<TerminationPolicy> kTerminationPolicy[] = {
    {"Default", TerminationPolicy::Default},
    {"OldestInstance", TerminationPolicy::OldestInstance},
    {"NewestInstance", TerminationPolicy::NewestInstance},
    {"OldestLaunchConfiguration", TerminationPolicy::OldestLaunchConfiguration},
    {"OldestLaunchTemplate", TerminationPolicy::OldestLaunchTemplate},
    {"ClosestToNextInstanceHour", TerminationPolicy::ClosestToNextInstanceHour},
    {"AllocationStrategy", TerminationPolicy::AllocationStrategy}};
inline constexpr Named<SpotAllocationStrategy> kSpotAllocationStrategy[] = {
    {"lowest-price", SpotAllocationStrategy::LowestPrice},
    {"capacity-optimized", SpotAllocationStrategy::CapacityOptimized},
    {"price-capacity-optimized", SpotAllocationStrategy::PriceCapacityOptimized}};
inline constexpr Named<PolicyType> kPolicyType[] = {
    {"SimpleScaling", PolicyType::SimpleScaling},
    {"StepScaling", PolicyType::StepScaling},
    {"TargetTrackingScaling", PolicyType::TargetTrackingScaling}};
inline constexpr Named<AdjustmentType> kAdjustmentType[] = {
    {"ChangeInCapacity", AdjustmentType::ChangeInCapacity},
    {"ExactCapacity", AdjustmentType::ExactCapacity},
    {"PercentChangeInCapacity", AdjustmentType::PercentChangeInCapacity}};
inline constexpr Named<PredefinedMetricType> kPredefinedMetricType[] = {
    {"ASGAverageCPUUtilization", PredefinedMetricType::ASGAverageCPUUtilization},
    {"ALBRequestCountPerTarget", PredefinedMetricType::ALBRequestCountPerTarget},
    {"ASGAverageNetworkIn", PredefinedMetricType::ASGAverageNetworkIn},
    {"ASGAverageNetworkOut", PredefinedMetricType::ASGAverageNetworkOut}};
inline constexpr Named<AppPolicyType> kAppPolicyType[] = {
    {"StepScaling", AppPolicyType::StepScaling},
    {"TargetTrackingScaling", AppPolicyType::TargetTrackingScaling}};
inline constexpr Named<AppPredefinedMetricType> kAppPredefinedMetricType[] = {
    {"ECSServiceAverageCPUUtilization", AppPredefinedMetricType::ECSServiceAverageCPUUtilization},
    {"ECSServiceAverageMemoryUtilization",
     AppPredefinedMetricType::ECSServiceAverageMemoryUtilization},
    {"ALBRequestCountPerTarget", AppPredefinedMetricType::ALBRequestCountPerTarget}};
inline constexpr Named<Statistic> kStatistic[] = {{"Average", Statistic::Average},
                                                  {"Sum", Statistic::Sum},
                                                  {"Minimum", Statistic::Minimum},
                                                  {"Maximum", Statistic::Maximum},
                                                  {"SampleCount", Statistic::SampleCount}};
inline constexpr Named<ComparisonOperator> kComparisonOperator[] = {
    {"GreaterThanOrEqualToThreshold", ComparisonOperator::GreaterThanOrEqualToThreshold},
    {"GreaterThanThreshold", ComparisonOperator::GreaterThanThreshold},
    {"LessThanThreshold", ComparisonOperator::LessThanThreshold},
    {"LessThanOrEqualToThreshold", ComparisonOperator::LessThanOrEqualToThreshold}};
inline constexpr Named<TreatMissingData> kTreatMissingData[] = {
    {"missing", TreatMissingData::Missing},
    {"notBreaching", TreatMissingData::NotBreaching},
    {"breaching", TreatMissingData::Breaching},
    {"ignore", TreatMissingData::Ignore}};
inline constexpr Named<EndpointService> kEndpointService[] = {
    {"s3", EndpointService::S3},
    {"dynamodb", EndpointService::DynamoDB},
    {"ecr.api", EndpointService::EcrApi},
    {"ecr.dkr", EndpointService::EcrDkr},
    {"logs", EndpointService::Logs},
    {"ecs", EndpointService::Ecs},
    {"ecs-agent", EndpointService::EcsAgent},
    {"ecs-telemetry", EndpointService::EcsTelemetry}};
inline constexpr Named<EndpointType> kEndpointType[] = {{"Gateway", EndpointType::Gateway},
                                                        {"Interface", EndpointType::Interface}};
inline constexpr Named<DbEngine> kDbEngine[] = {{"mysql", DbEngine::MySQL},
                                                {"postgres", DbEngine::Postgres}};
inline constexpr Named<FaultType> kFaultType[] = {
    {"az_outage", FaultType::AzOutage},
    {"instance_failure", FaultType::InstanceFailure},
    {"spot_interruption", FaultType::SpotInterruption},
    {"db_failover", FaultType::DbFailover},
    {"latency", FaultType::Latency}};
inline constexpr Named<SpotPriceModel> kSpotPriceModel[] = {
    {"constant", SpotPriceModel::Constant},
    {"mean_reverting", SpotPriceModel::MeanReverting},
    {"trace", SpotPriceModel::Trace}};
// The states a standalone instance's schedule may ask for.
inline constexpr Named<InstanceState> kScheduleState[] = {
    {"running", InstanceState::Running},
    {"stopped", InstanceState::Stopped},
    {"terminated", InstanceState::Terminated}};

// ---- suggestions -----------------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b);  // case-insensitive
// The same when it is at most `limit`, else limit + 1, in O(|a| |b|) time and O(|b|) memory,
// stopping as soon as the distance must exceed `limit`.
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit);
// Suggestions are bounded work (docs/hardening.md): words longer than kMaxSuggestedWord get
// none, and one suggestion looks at candidates until about kMaxSuggestionWork table cells.
constexpr std::size_t kMaxSuggestedWord = 64;
constexpr std::size_t kMaxSuggestionWork = 1u << 20;
// The closest candidate within a distance proportional to the word's length, or "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// A name as messages show it: cut to its first `shown` bytes when it is much longer, so that a
// list of long names stays a line ("aaaa... (20000 bytes)").
std::string shortened(std::string_view name, std::size_t shown = 60);
// A key path with each long name in it shortened: "workload[aaaa... (20000 bytes)].rate".
std::string shortened_path(std::string_view path);
// A message with every long word in it shortened: a word (text between spaces, quotes and
// backquotes) over kMaxMessageWord bytes can only be something the user wrote, and a message
// shows it as `shortened` does, so that no value of megabytes is printed back whole.
constexpr std::size_t kMaxMessageWord = 200;
std::string shortened_words(std::string_view message);
// `a`, `b`, `c` (at most `limit` names, each shortened, then "and N more").
std::string quoted_list(const std::vector<std::string>& names, std::size_t limit = 12);
// "did you mean `x`?" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// ---- after parsing ---------------------------------------------------------------------------

// Cross-references and ranges that involve more than one key.
void validate(Spec& spec, Diagnostics& diags);
// The IAM sections' references (validate_iam.cpp), called by validate.
void validate_iam(Spec& spec, Diagnostics& diags);

// A TOML basic string holding `s` exactly (for --set values and explain).
std::string toml_basic_string(std::string_view s);

}  // namespace stratus::scenario::detail
