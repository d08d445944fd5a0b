#pragma once
// The report to hand over for one run: one self-contained HTML file (inline CSS and SVG, no
// script, nothing fetched) with the windowed SLO verdict and its windows, the bill by line
// item and by tag, charts of requests, latency percentiles, errors by code, in-service
// instances per AZ, desired capacity and cost over time with every fault, alarm transition
// and scaling activity marked, and the scenario's description. It is made from a run's
// output files (summary.json, timeseries.csv, windows.csv, events.jsonl, bill.csv), so
// `stratus report OUT_DIR` and `stratus run --report` give the same page. Every figure taken
// from summary.json carries it in data-key/data-value attributes (the test compares them).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stratus::html {

// A CSV file as rows of text cells.
struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    std::ptrdiff_t col(const std::string& name) const;         // -1 when absent
    double number(std::size_t row, std::ptrdiff_t col) const;  // NaN when empty or absent
};
CsvTable parse_table(const std::string& text, const std::string& file_name);

struct RunOutputs {
    nlohmann::ordered_json summary;
    CsvTable timeseries, windows, bill;
    std::vector<nlohmann::json> events;
};

// The texts of the output files, as written (events.jsonl: one JSON object per line). Throws
// std::runtime_error naming the file for one that does not parse.
RunOutputs parse_run_outputs(const std::string& summary_json, const std::string& timeseries_csv,
                             const std::string& windows_csv, const std::string& events_jsonl,
                             const std::string& bill_csv);
// The same from an output folder. Throws std::runtime_error naming a missing or bad file.
RunOutputs read_run_outputs(const std::string& dir);

std::string run_report_html(const RunOutputs& run);

}  // namespace stratus::html
