#pragma once
// Consistency of the catalog's data files (`stratus catalog check`, and a test on the files
// compiled in): every row well formed and sourced, every instance type priced in every region
// that offers its family, burstable figures on T types only and agreeing with each other,
// sizes in order with prices rising, derived prices agreeing with the rows they come from,
// every region with its zones and every figure the bill reads.
#include <string>
#include <vector>

#include "sim/scenario/catalog_data.hpp"

namespace stratus::scenario {

struct CatalogProblem {
    enum Severity { Error, Warning };
    Severity severity = Error;
    std::string file;  // "data/catalog/ec2_prices.csv"
    int line = 0;      // 0: the file as a whole
    std::string message;
};

struct CatalogCheck {
    std::vector<CatalogProblem> problems;
    // Rows by the kind of their source: "aws-price-list", "derived", "unconfirmed", ...
    std::vector<std::pair<std::string, int>> ec2_sources, service_sources;
    std::size_t errors() const;
};

CatalogCheck check_catalog(const CatalogData& data);

// "data/catalog/ec2_prices.csv:12: error: ..." lines and a summary line.
std::string format_catalog_check(const CatalogData& data, const CatalogCheck& check);

}  // namespace stratus::scenario
