// The labs' Korean texts against docs/glossary.md: no avoided term, and the console's Korean
// term wherever the English text uses a term the table requires.
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "sim/report/lab.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_glossary {

using namespace stratus;
namespace fs = std::filesystem;

namespace {

struct Term {
    std::string english, korean;
    std::vector<std::string> avoid;
    bool required = false;
};

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(' ');
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(' ') - a + 1);
}

std::vector<std::string> split(const std::string& s, const std::string& by) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (true) {
        const auto next = s.find(by, at);
        out.push_back(trim(s.substr(at, next == std::string::npos ? next : next - at)));
        if (next == std::string::npos) break;
        at = next + by.size();
    }
    return out;
}

std::vector<Term> read_glossary() {
    std::stringstream in(testing::read_file(std::string(STRATUS_SOURCE_DIR) + "/docs/glossary.md"));
    std::vector<Term> terms;
    std::string line;
    bool header_seen = false;
    while (std::getline(in, line)) {
        if (line.rfind("| English |", 0) == 0) {
            header_seen = true;
            continue;
        }
        if (!header_seen || line.rfind("|---", 0) == 0 || line.rfind("| ", 0) != 0) continue;
        const auto cells = split(line.substr(1, line.size() - 2), "|");
        REQUIRE(cells.size() == 4);
        Term t{cells[0], cells[1], {}, cells[3] == "yes"};
        if (!cells[2].empty()) t.avoid = split(cells[2], ", ");
        terms.push_back(t);
    }
    return terms;
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// `word` in `text` as a word (not inside a longer one), in any case; a plural "s" counts.
bool has_word(const std::string& text, const std::string& word) {
    const std::string t = lower(text), w = lower(word);
    for (auto at = t.find(w); at != std::string::npos; at = t.find(w, at + 1)) {
        const bool start = at == 0 || !word_char(t[at - 1]);
        std::size_t end = at + w.size();
        if (end < t.size() && t[end] == 's') ++end;
        const bool stop = end >= t.size() || !word_char(t[end]);
        if (start && stop) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("Every lab's Korean text follows the glossary", "[labs][glossary]") {
    const auto terms = read_glossary();
    REQUIRE(terms.size() >= 30);
    int labs = 0, required_checks = 0;
    for (const auto& e : fs::directory_iterator(fs::path(STRATUS_SOURCE_DIR) / "scenarios/labs")) {
        if (e.path().extension() != ".toml") continue;
        ++labs;
        const auto lab =
            report::parse_lab_text(scenario::load_file(e.path().string()).simulation.description);
        INFO(e.path().filename().string());
        REQUIRE(lab.korean.present);
        REQUIRE(lab.english.present);
        for (const auto& t : terms) {
            for (const auto& avoid : t.avoid) {
                INFO("avoid \"" << avoid << "\" (say \"" << t.korean << "\")");
                CHECK(lab.korean.text.find(avoid) == std::string::npos);
            }
            if (!t.required || !has_word(lab.english.text, t.english)) continue;
            ++required_checks;
            INFO("the English text says \"" << t.english << "\"");
            CHECK(lab.korean.text.find(t.korean) != std::string::npos);
        }
    }
    CHECK(labs >= 16);
    CHECK(required_checks > 50);
}

TEST_CASE("Glossary matching: words, plurals and case", "[labs][glossary]") {
    CHECK(has_word("Two Availability Zones.", "Availability Zone"));
    CHECK(has_word("an alarm", "alarm"));
    CHECK_FALSE(has_word("alarms_x", "alarm"));
    CHECK_FALSE(has_word("subnetwork", "subnet"));
}

TEST_CASE("The viewer's Korean UI strings follow the glossary and keep every placeholder",
          "[viz][glossary]") {
    const auto pairs = testing::viewer_ui_text();
    REQUIRE(pairs.size() > 100);
    auto placeholders = [](const std::string& s) {
        std::vector<std::string> out;
        for (auto a = s.find('{'); a != std::string::npos; a = s.find('{', a + 1))
            out.push_back(s.substr(a, s.find('}', a) - a + 1));
        return out;
    };
    const auto terms = read_glossary();
    REQUIRE(terms.size() >= 30);
    for (const auto& [en, ko] : pairs) {
        INFO(en << " -> " << ko);
        // fmt formats the Korean with the English's arguments: the same placeholders in order.
        CHECK(placeholders(en) == placeholders(ko));
        for (const auto& t : terms)
            for (const auto& avoid : t.avoid)
                CHECK(ko.find(avoid) == std::string::npos);
    }
}

}  // namespace test_glossary
