#pragma once
// ASCII case folding for names and filters typed by users (AWS names are ASCII; a locale's
// rules must not change how a scenario reads).

#include <cctype>
#include <string>

namespace stratus {

inline std::string ascii_lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace stratus
