#include "sim/core/csv.hpp"

namespace stratus::core {

std::string csv_field(const std::string& field) {
    const bool quote = field.find_first_of(",\"\r\n") != std::string::npos ||
                       (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) return field;
    std::string out = "\"";
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += csv_field(fields[i]);
    }
    return out + '\n';
}

std::vector<CsvRecord> parse_csv(const std::string& text, int* incomplete) {
    std::vector<CsvRecord> out;
    for_each_csv_record(text, incomplete, [&](CsvRecord& rec) { out.push_back(std::move(rec)); });
    return out;
}

void for_each_csv_record(const std::string& text, int* incomplete,
                         const std::function<void(CsvRecord&)>& f) {
    *incomplete = 0;
    std::size_t i = 0;
    int line = 1;
    while (i < text.size()) {
        CsvRecord rec;
        rec.line = line;
        const std::size_t start = i;
        std::string field;
        bool in_quotes = false, ended = false;
        while (i < text.size()) {
            const char c = text[i];
            if (in_quotes) {
                if (c == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if (c == '\n') ++line;
                    field += c;
                }
            } else if (c == '"' && field.empty()) {
                in_quotes = true;
            } else if (c == ',') {
                rec.fields.push_back(std::move(field));
                field.clear();
            } else if (c == '\n') {
                ++line;
                ++i;
                ended = true;
                break;
            } else if (c != '\r') {
                field += c;
            }
            ++i;
        }
        if (!ended) {
            *incomplete = rec.line;
            break;
        }
        rec.fields.push_back(std::move(field));
        rec.text = text.substr(start, i - start);
        f(rec);
    }
}

}  // namespace stratus::core
