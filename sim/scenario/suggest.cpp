// Spelling suggestions ("did you mean `health_check_grace_period`?"). The names they choose
// among come from the grammar (settings.hpp) or from the scenario itself.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"

namespace stratus::scenario::detail {

namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::size_t length_difference(std::size_t a, std::size_t b) {
    return a > b ? a - b : b - a;
}

}  // namespace

std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit) {
    // Optimal string alignment distance: a swap of two neighbours counts as one edit. Three
    // rows of the table, not the table; rows never get smaller from one to the next, so once a
    // whole row is beyond `limit` the distance is too (the cutoff).
    const std::size_t n = a.size(), m = b.size();
    if (length_difference(n, m) > limit) return limit + 1;
    std::vector<std::size_t> before(m + 1), previous(m + 1), row(m + 1);
    for (std::size_t j = 0; j <= m; ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        row[0] = i;
        std::size_t row_min = row[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                row[j] = std::min(row[j], before[j - 2] + 1);
            row_min = std::min(row_min, row[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(before, previous);
        std::swap(previous, row);
    }
    return std::min(previous[m], limit + 1);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    return edit_distance_within(a, b, std::max(a.size(), b.size()));
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    // Names and keys are short: a word longer than this gets no suggestion, so that a 5 MB
    // key or a 100,000-character name costs nothing here (a suggestion costs the word's length
    // times each candidate's).
    if (word.empty() || word.size() > kMaxSuggestedWord) return "";
    std::string best;
    std::size_t best_distance = 0;
    // Allow about one edit per three characters, at least two: catches typos and case slips
    // without proposing unrelated names.
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    // At most this many table cells over all candidates (a few milliseconds): a list of a
    // hundred thousand names is looked at up to there, in order, so the answer stays the same.
    std::size_t work = 0;
    for (const auto& c : candidates) {
        if (work > kMaxSuggestionWork) break;
        ++work;
        // A word that is a part of a known one (grace_period) is also close.
        bool affix = false;
        if (word.size() >= 4 && c.size() > word.size() && c.size() <= 2 * kMaxSuggestedWord) {
            work += word.size() * c.size();
            affix = c.find(word) != std::string::npos;
        }
        std::size_t dist = limit + 1;
        if (length_difference(word.size(), c.size()) <= limit) {
            work += word.size() * c.size() + 1;
            dist = edit_distance_within(word, c, limit);
        }
        if (affix) dist = std::min(dist, limit);
        if (dist <= limit && (best.empty() || dist < best_distance)) {
            best = c;
            best_distance = dist;
        }
    }
    return best;
}

std::string shortened(std::string_view name, std::size_t shown) {
    if (name.size() <= shown + 20) return std::string(name);
    std::size_t cut = shown;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80)
        --cut;  // not inside a UTF-8 sequence
    return fmt::format("{}... ({} bytes)", name.substr(0, cut), name.size());
}

std::string shortened_words(std::string_view message) {
    std::string out;
    std::size_t start = 0;
    while (start < message.size()) {
        std::size_t end = message.find_first_of(" \n\t`\"'", start);
        if (end == std::string_view::npos) end = message.size();
        const std::string_view word = message.substr(start, end - start);
        if (word.size() > kMaxMessageWord)
            out += shortened(word);
        else
            out += word;
        if (end < message.size()) out += message[end];
        start = end + 1;
    }
    return out;
}

std::string shortened_path(std::string_view path) {
    std::string out;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find_first_of(".[]", start);
        if (end == std::string_view::npos) end = path.size();
        out += shortened(path.substr(start, end - start));
        if (end < path.size()) out += path[end];
        start = end + 1;
    }
    return out;
}

std::string quoted_list(const std::vector<std::string>& names, std::size_t limit) {
    if (names.empty()) return "(none)";
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
        if (i > 0) out += ", ";
        out += fmt::format("`{}`", shortened(names[i]));
    }
    if (names.size() > limit) out += fmt::format(" and {} more", names.size() - limit);
    return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string c = closest(word, candidates);
    return c.empty() ? std::string() : fmt::format("did you mean `{}`?", shortened(c));
}

}  // namespace stratus::scenario::detail
