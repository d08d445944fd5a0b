// Spelling suggestions ("did you mean `health_check_grace_period`?"). The names they choose
// among come from the grammar (settings.hpp) or from the scenario itself.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"

namespace stratus::scenario::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment distance: a swap of two neighbours counts as one edit.
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j)
        d[0][j] = j;
    auto lower = [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    };
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 0;
    // Allow about one edit per three characters, at least two: catches typos and case slips
    // without proposing unrelated names.
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    for (const auto& c : candidates) {
        std::size_t dist = edit_distance(word, c);
        // A word that is a prefix or suffix of a known one (grace_period) is also close.
        bool affix = word.size() >= 4 && c.size() > word.size() &&
                     (c.find(std::string(word)) != std::string::npos);
        if (affix) dist = std::min(dist, limit);
        if (dist <= limit && (best.empty() || dist < best_distance)) {
            best = c;
            best_distance = dist;
        }
    }
    return best;
}

std::string quoted_list(const std::vector<std::string>& names, std::size_t limit) {
    if (names.empty()) return "(none)";
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
        if (i > 0) out += ", ";
        out += fmt::format("`{}`", names[i]);
    }
    if (names.size() > limit) out += fmt::format(" and {} more", names.size() - limit);
    return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string c = closest(word, candidates);
    return c.empty() ? std::string() : fmt::format("did you mean `{}`?", c);
}

}  // namespace stratus::scenario::detail
