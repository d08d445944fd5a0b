#pragma once
// The outputs of a run, as docs/scenario-format.md describes them: summary.json, timeseries.csv and
// events.jsonl, plus the short human summary printed on stdout. Files are written to a
// temporary name and renamed into place, so an interrupted run never leaves half a file.
#include <cstdio>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cloud/events.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"

namespace stratus::report {

struct RunTiming {
    double wall_s = 0;
    bool include = true;  // false: leave the wall-clock figures out (byte-identical reruns)
};

nlohmann::ordered_json make_summary(const Run& run, const RunTiming& timing);
// The summary without the wall-clock figures: the same inputs give the same bytes.
nlohmann::ordered_json make_summary(const Run& run);
std::string timeseries_csv(const Run& run);
std::string events_jsonl(const Run& run);
// One row per SLO window (report/slo.hpp): what the clients got in it (answers by code,
// availability, error rate, latency percentiles of every answer), whether it was judged and
// which objectives it missed.
std::string windows_csv(const Run& run);
std::string human_summary(const Run& run, const nlohmann::ordered_json& summary,
                          const std::string& out_dir);

// Writes `content` to `path` through a temporary file in the same folder and a rename.
void write_file_atomically(const std::string& path, const std::string& content);
// The same, with the content written by `write` (the temporary file is removed if it throws).
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

// One line of timeseries.csv (with its newline), its header, and one line of events.jsonl.
std::string timeseries_header(const cloud::World& world);
std::string timeseries_row(const PeriodRow& row);
std::string event_line(const cloud::EventRecord& record);
// An event's fields as events.jsonl writes them (without `t` and `type`).
nlohmann::ordered_json event_subjects(const cloud::EventRecord& record);

// Streams the time series and the events to unnamed temporary files as the run produces them,
// so the memory of a run does not grow with its horizon; write_outputs copies them into place,
// byte for byte what timeseries_csv and events_jsonl would have rendered. Attach it before the
// run (what was recorded before is spooled first) and keep it until write_outputs.
class OutputSpool final : public PeriodRowSink, public EventSink {
  public:
    explicit OutputSpool(Run& run);
    ~OutputSpool() override;
    OutputSpool(const OutputSpool&) = delete;
    OutputSpool& operator=(const OutputSpool&) = delete;

    void period_closed(const PeriodRow& row) override;
    void event_added(const cloud::EventRecord& record) override;
    void write_timeseries(std::ostream& out) const;
    void write_events(std::ostream& out) const;

  private:
    void append(std::FILE* f, const std::string& text);
    void copy(std::FILE* from, std::ostream& to) const;
    void close();

    Run& run_;
    std::FILE* timeseries_ = nullptr;
    std::FILE* events_ = nullptr;
    mutable int failed_ = 0;  // the first write error (an errno), 0 while all is well
};

// Why the outputs could not be written into `dir`, or empty if they can: checked before a run
// starts, without creating anything, so a bad --out costs no simulation and leaves no trace.
// (`dir` or its first existing ancestor must be a writable folder, and no output name in it
// may be a folder.)
std::string output_dir_problem(const std::string& dir);

// The names write_outputs writes, in the order it renames them into place (summary last).
const std::vector<std::string>& output_file_names();

// Creates `dir` if needed and writes the output files into it. Only these names are
// replaced; nothing else in the folder is touched. SIGINT, SIGTERM and SIGHUP are held
// while the files are renamed into place, so an interrupted run leaves either all of the
// new files or none of them.
// With `report_html` (run --report), report.html is written with them, before summary.json.
void write_outputs(const std::string& dir, const Run& run, const nlohmann::ordered_json& summary,
                   const OutputSpool* spool = nullptr, const std::string& report_html = "");

}  // namespace stratus::report
