#pragma once
// The sweep's CSV is the one in sim/core/csv.hpp (the catalog data files read it too).
#include "sim/core/csv.hpp"

namespace stratus::sweep {

using core::csv_field;
using core::csv_line;
using core::CsvRecord;
using core::for_each_csv_record;
using core::parse_csv;

}  // namespace stratus::sweep
