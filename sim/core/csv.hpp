#pragma once
// CSV as RFC 4180 writes it (sweep results, the catalog data files): fields with a comma, a quote,
// a line break or edge spaces are quoted, quotes doubled; lines end with '\n'. The reader takes the
// same back.
#include <functional>
#include <string>
#include <vector>

namespace stratus::core {

std::string csv_field(const std::string& field);
// The fields joined by commas, with the trailing '\n'.
std::string csv_line(const std::vector<std::string>& fields);

struct CsvRecord {
    std::vector<std::string> fields;
    std::string text;  // the record's bytes as read, with its '\n'
    int line = 0;      // 1-based line where it starts
};

// Parses `text` into records. A last record without its '\n' (a write cut short) is not
// returned: *incomplete is set to its starting line, 0 when the text ends cleanly. An
// unterminated quote also counts as incomplete.
std::vector<CsvRecord> parse_csv(const std::string& text, int* incomplete);
// The same one record at a time (the record may be moved from): a results file is not held
// twice in memory.
void for_each_csv_record(const std::string& text, int* incomplete,
                         const std::function<void(CsvRecord&)>& f);

}  // namespace stratus::core
