#include "sim/scenario/cidr.hpp"

#include <fmt/format.h>

namespace stratus::scenario {
namespace {

constexpr const char* kExpected = "expected a.b.c.d/n, e.g. 10.0.0.0/16";

// A decimal number without sign, blanks or leading zeros, at most max; what is wrong
// otherwise, in words that follow `what` ("octet 3 \"256\" is above 255").
std::optional<std::string> decimal_error(std::string_view digits, const std::string& what,
                                         unsigned max, unsigned& value) {
    if (digits.empty()) return what + " is empty";
    for (char c : digits)
        if (c < '0' || c > '9') return fmt::format("{} \"{}\" is not a number", what, digits);
    if (digits.size() > 1 && digits[0] == '0')
        return fmt::format("{} \"{}\" has a leading zero", what, digits);
    if (digits.size() > 3) return fmt::format("{} \"{}\" is above {}", what, digits, max);
    value = 0;
    for (char c : digits)
        value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > max) return fmt::format("{} \"{}\" is above {}", what, digits, max);
    return std::nullopt;
}

// The address, or why it is not one.
std::optional<std::string> ipv4_error(std::string_view text, std::uint32_t& address) {
    address = 0;
    std::size_t start = 0;
    for (int octet = 1; octet <= 4; ++octet) {
        const std::size_t dot = text.find('.', start);
        if ((dot == std::string_view::npos) != (octet == 4)) {
            int dots = 0;
            for (char c : text)
                dots += c == '.';
            return fmt::format("address \"{}\" has {} octets, expected 4", text, dots + 1);
        }
        unsigned value = 0;
        if (auto e = decimal_error(text.substr(start, dot - start), fmt::format("octet {}", octet),
                                   255, value))
            return e;
        address = address << 8 | value;
        start = dot + 1;
    }
    return std::nullopt;
}

}  // namespace

std::uint32_t parse_ipv4(std::string_view text) {
    std::uint32_t address = 0;
    if (auto e = ipv4_error(text, address))
        throw CidrError(fmt::format("IPv4 address \"{}\": {}", text, *e));
    return address;
}

std::string format_ipv4(std::uint32_t a) {
    return fmt::format("{}.{}.{}.{}", a >> 24, a >> 16 & 0xff, a >> 8 & 0xff, a & 0xff);
}

Cidr Cidr::parse(std::string_view text) {
    const auto fail = [&](const std::string& problem) {
        return CidrError(fmt::format("CIDR \"{}\": {}", text, problem));
    };
    if (text.empty()) throw fail(fmt::format("empty; {}", kExpected));
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) throw fail(fmt::format("no prefix length; {}", kExpected));

    std::uint32_t address = 0;
    if (auto e = ipv4_error(text.substr(0, slash), address)) throw fail(*e);
    unsigned prefix = 0;
    if (auto e = decimal_error(text.substr(slash + 1), "prefix length", 32, prefix)) throw fail(*e);

    Cidr block;
    block.prefix = static_cast<int>(prefix);
    block.base = address & block.mask();
    // Refused rather than rounded down, as Terraform's AWS provider does ("must contain a valid
    // network CIDR"): the writer meant some other block, and quietly picking one would hide
    // the mistake.
    if (block.base != address)
        throw fail(fmt::format("host bits are set; the network address is {}", block.to_string()));
    return block;
}

std::string Cidr::to_string() const {
    return fmt::format("{}/{}", format_ipv4(base), prefix);
}

std::optional<std::string> aws_size_error(const Cidr& block) {
    if (block.prefix >= kAwsMinPrefix && block.prefix <= kAwsMaxPrefix) return std::nullopt;
    return fmt::format(
        "{} is {} than AWS allows: a VPC or subnet block is /{} (65536 addresses) to /{} "
        "(16 addresses)",
        block.to_string(), block.prefix < kAwsMinPrefix ? "larger" : "smaller", kAwsMinPrefix,
        kAwsMaxPrefix);
}

std::string describe_cidr(std::string_view text) {
    const Cidr block = Cidr::parse(text);
    std::string out =
        fmt::format("{}: {} to {}, {} addresses\n", block.to_string(), format_ipv4(block.base),
                    format_ipv4(block.broadcast()), block.size());
    if (auto e = aws_size_error(block)) return out + "  " + *e + "\n";

    const std::uint32_t b = block.base;
    out += fmt::format("  {} usable in an AWS subnet: {} to {}\n", block.usable(),
                       format_ipv4(block.first_usable()), format_ipv4(block.last_usable()));
    out += fmt::format("  {} reserved by AWS:\n", kAwsReservedPerSubnet);
    const auto row = [](std::uint32_t address, const char* purpose) {
        return fmt::format("    {:<15}  {}\n", format_ipv4(address), purpose);
    };
    out += row(b, "network address");
    out += row(b + 1, "VPC router");
    out += row(b + 2, "DNS (the Amazon DNS server is at the VPC's base + 2)");
    out += row(b + 3, "reserved for future use");
    out += row(block.broadcast(), "broadcast address (AWS does not support broadcast)");
    return out;
}

}  // namespace stratus::scenario
