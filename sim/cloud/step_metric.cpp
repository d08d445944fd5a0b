#include "sim/cloud/step_metric.hpp"

#include <fmt/format.h>

namespace stratus::cloud {

scenario::Statistic statistic_of(scenario::MetricAggregationType type) {
    switch (type) {
        case scenario::MetricAggregationType::Minimum:
            return scenario::Statistic::Minimum;
        case scenario::MetricAggregationType::Maximum:
            return scenario::Statistic::Maximum;
        case scenario::MetricAggregationType::Average:
            break;
    }
    return scenario::Statistic::Average;
}

std::string aggregation_text(scenario::MetricAggregationType type, double value) {
    if (type == scenario::MetricAggregationType::Average) return "";
    return fmt::format(", {} {:.4g}", to_string(Stat::of(statistic_of(type))), value);
}

std::optional<double> step_metric_value(const MetricAlarm& alarm, const MetricStore& store,
                                        scenario::MetricAggregationType type) {
    const auto own = alarm.last_value();
    const auto start = alarm.last_period_start();
    if (!own || !start) return own;
    const Stat stat = Stat::of(statistic_of(type));
    if (!alarm.stat().is_percentile() && alarm.stat().statistic == stat.statistic) return own;
    const auto id = store.find(alarm.metric());
    if (!id) return own;
    const auto v = store.datapoint(*id, alarm.period(), *start, stat);
    return v ? v : own;
}

}  // namespace stratus::cloud
