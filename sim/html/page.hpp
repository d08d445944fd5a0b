#pragma once
// The frame every HTML report shares: the document head with its inline style sheet, and the
// end. One place for the look of the run and the sweep reports.
#include <string>

namespace stratus::html {

// "<!DOCTYPE html>...<body>" with the title and the inline CSS (no external resource).
std::string page_begin(const std::string& title);
// The footer line and "</body></html>".
std::string page_end();

}  // namespace stratus::html
