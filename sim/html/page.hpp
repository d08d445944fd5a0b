#pragma once
// The frame every HTML report shares: the document head with its inline style sheet, and the
// end. One place for the look of the run and the sweep reports.
#include <string>

namespace stratus::html {

// "<!DOCTYPE html>...<body>" with the title and the inline CSS (no external resource). The
// text column is at most `max_width` pixels wide (the sweep's wide table asks for more).
std::string page_begin(const std::string& title, int max_width = 1000);
// The footer line and "</body></html>".
std::string page_end();

}  // namespace stratus::html
