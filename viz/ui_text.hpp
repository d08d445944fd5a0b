#pragma once
// The viewer's UI strings in English and Korean (the AWS Korea console's words). Drawing code
// writes the English string and asks ui() for the one to show; a string not in the table is
// shown as written (names, numbers, AWS's own codes).
#include <string>

namespace stratus::viz {

enum class Lang { English, Korean };

const char* ui(Lang lang, const char* english);

// A chart marker's label ("AZ ap-northeast-2a down", "DB failover", ...) in the language.
std::string marker_text(Lang lang, const std::string& english);

}  // namespace stratus::viz
