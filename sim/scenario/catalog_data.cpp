#include "sim/scenario/catalog_data.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/core/csv.hpp"

namespace stratus::scenario {

namespace catalog_text {
// Defined in the generated source (cmake/embed_catalog.cmake).
extern const char* const k_instance_types_csv;
extern const char* const k_ec2_prices_csv;
extern const char* const k_regions_csv;
extern const char* const k_service_prices_csv;
}  // namespace catalog_text

namespace {

// One data file's records, checked against its header.
class Table {
  public:
    Table(const char* file, const std::string& text, std::vector<const char*> columns)
        : file_(file), columns_(std::move(columns)) {
        int incomplete = 0;
        records_ = core::parse_csv(text, &incomplete);
        if (incomplete)
            fail(incomplete, "the last line has no line break or a quote is not closed");
        if (records_.empty()) fail(1, "the file is empty; expected a header line");
        const auto& header = records_.front();
        if (header.fields.size() != columns_.size()) fail(1, expected_header());
        for (std::size_t i = 0; i < columns_.size(); ++i)
            if (header.fields[i] != columns_[i]) fail(1, expected_header());
        for (std::size_t r = 1; r < records_.size(); ++r)
            if (records_[r].fields.size() != columns_.size())
                fail(records_[r].line, fmt::format("expected {} fields, found {}", columns_.size(),
                                                   records_[r].fields.size()));
    }

    std::size_t rows() const { return records_.size() - 1; }
    int line(std::size_t row) const { return records_[row + 1].line; }
    const std::string& text(std::size_t row, std::size_t column) const {
        return records_[row + 1].fields[column];
    }
    double number(std::size_t row, std::size_t column) const {
        const std::string& s = text(row, column);
        double value = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (ec != std::errc() || end != s.data() + s.size() || s.empty() || value < 0)
            fail(line(row),
                 fmt::format("{}: expected a number >= 0, found \"{}\"", columns_[column], s));
        return value;
    }
    [[noreturn]] void fail(int line, const std::string& message) const {
        throw CatalogDataError(fmt::format("{}:{}: {}", file_, line, message));
    }

  private:
    std::string expected_header() const {
        std::string out = "expected the header line \"";
        for (std::size_t i = 0; i < columns_.size(); ++i)
            out += (i ? "," : "") + std::string(columns_[i]);
        return out + "\"";
    }

    const char* file_;
    std::vector<const char*> columns_;
    std::vector<core::CsvRecord> records_;
};

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

void parse_types(const std::string& text, CatalogData& out) {
    Table t(kCatalogFiles[0], text,
            {"instance_type", "vcpu", "memory_gib", "network_performance", "ebs_bandwidth_mbps",
             "baseline_percent_per_vcpu", "cpu_credits_per_hour", "max_cpu_credits", "processor",
             "source", "as_of"});
    for (std::size_t r = 0; r < t.rows(); ++r) {
        CatalogInstanceType row;
        row.instance_type = t.text(r, 0);
        row.vcpu = static_cast<int>(t.number(r, 1));
        row.memory_gib = t.number(r, 2);
        row.network_performance = t.text(r, 3);
        row.ebs_bandwidth_mbps = t.number(r, 4);
        row.baseline_percent = t.number(r, 5);
        row.credits_per_hour = t.number(r, 6);
        row.max_credits = t.number(r, 7);
        row.processor = t.text(r, 8);
        row.source = t.text(r, 9);
        row.as_of = t.text(r, 10);
        row.line = t.line(r);
        out.instance_types.push_back(std::move(row));
    }
}

void parse_prices(const std::string& text, CatalogData& out) {
    Table t(kCatalogFiles[1], text,
            {"instance_type", "region", "on_demand_hourly_usd", "source", "as_of"});
    for (std::size_t r = 0; r < t.rows(); ++r)
        out.ec2_prices.push_back(
            {t.text(r, 0), t.text(r, 1), t.number(r, 2), t.text(r, 3), t.text(r, 4), t.line(r)});
}

void parse_regions(const std::string& text, CatalogData& out) {
    Table t(kCatalogFiles[2], text,
            {"region", "location", "availability_zones", "default_zones", "source", "as_of"});
    for (std::size_t r = 0; r < t.rows(); ++r)
        out.regions.push_back({t.text(r, 0), t.text(r, 1), words(t.text(r, 2)), words(t.text(r, 3)),
                               t.text(r, 4), t.text(r, 5), t.line(r)});
}

void parse_services(const std::string& text, CatalogData& out) {
    Table t(kCatalogFiles[3], text, {"region", "item", "value", "unit", "source", "as_of"});
    for (std::size_t r = 0; r < t.rows(); ++r)
        out.service_prices.push_back({t.text(r, 0), t.text(r, 1), t.number(r, 2), t.text(r, 3),
                                      t.text(r, 4), t.text(r, 5), t.line(r)});
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CatalogDataError(fmt::format("{}: cannot read the file", path));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

const CatalogInstanceType* CatalogData::find_type(std::string_view instance_type) const {
    for (const auto& t : instance_types)
        if (t.instance_type == instance_type) return &t;
    return nullptr;
}

const CatalogRegion* CatalogData::find_region(std::string_view region) const {
    for (const auto& r : regions)
        if (r.region == region) return &r;
    return nullptr;
}

CatalogData parse_catalog(const CatalogTexts& texts) {
    CatalogData out;
    parse_types(texts.instance_types, out);
    parse_prices(texts.ec2_prices, out);
    parse_regions(texts.regions, out);
    parse_services(texts.service_prices, out);
    return out;
}

CatalogTexts builtin_catalog_texts() {
    return {catalog_text::k_instance_types_csv, catalog_text::k_ec2_prices_csv,
            catalog_text::k_regions_csv, catalog_text::k_service_prices_csv};
}

const CatalogData& builtin_catalog_data() {
    // Immutable once parsed; the files were checked by the test suite before this binary was
    // built (a malformed file fails here at the first use, naming file and line).
    static const CatalogData data = parse_catalog(builtin_catalog_texts());
    return data;
}

CatalogTexts read_catalog_dir(const std::string& dir) {
    auto path = [&](const char* file) {
        std::string name = file;
        return dir + "/" + name.substr(name.rfind('/') + 1);
    };
    return {read_file(path(kCatalogFiles[0])), read_file(path(kCatalogFiles[1])),
            read_file(path(kCatalogFiles[2])), read_file(path(kCatalogFiles[3]))};
}

}  // namespace stratus::scenario
