#pragma once
// The metric value a step scaling policy sizes its step from (docs/model.md, "Step scaling
// and MetricAggregationType"). AWS's API reference defines a step's bounds against "the
// aggregated CloudWatch metric", aggregated as the policy's MetricAggregationType says
// (Average when unset), both for EC2 Auto Scaling's PutScalingPolicy and for Application Auto
// Scaling's StepScalingPolicyConfiguration. The alarm decides when the policy runs, with its
// own statistic; the policy then reads the alarm's newest complete period (the datapoint the
// alarm last evaluated) with its aggregation: an alarm on Average CPU above 70 % whose minute
// held samples 60 and 90 goes to ALARM at 75; a Maximum policy steps from 90, a Minimum one
// from 60 (which may fall in no step: no change).
#include <optional>
#include <string>

#include "sim/cloud/cloudwatch.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// The statistic a MetricAggregationType reads.
scenario::Statistic statistic_of(scenario::MetricAggregationType type);

// `alarm`'s newest evaluated period of its metric, aggregated by `type`; the alarm's own
// datapoint when the store no longer holds that period; empty when the alarm has none.
std::optional<double> step_metric_value(const MetricAlarm& alarm, const MetricStore& store,
                                        scenario::MetricAggregationType type);

// For a scaling activity's cause: ", Maximum 90" ("" for Average, the alarm's usual statistic).
std::string aggregation_text(scenario::MetricAggregationType type, double value);

}  // namespace stratus::cloud
