#pragma once
// IPv4 CIDR blocks as AWS VPCs and subnets use them: strict parsing, the address range, the 5
// addresses AWS reserves in every subnet, containment and overlap. Rules: the Amazon VPC User
// Guide (VPC CIDR blocks, subnet sizing); choices in docs/model.md ("Schedules and
// CIDR"). Plain values, no state.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stratus::scenario {

// A malformed address or block. The message quotes the text and says what is wrong, e.g.
//   CIDR "10.5.21.70/28": host bits are set; the network address is 10.5.21.64/28
class CidrError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// AWS accepts VPC and subnet blocks from /16 (65,536 addresses) to /28 (16 addresses).
constexpr int kAwsMinPrefix = 16;
constexpr int kAwsMaxPrefix = 28;
// Every subnet loses its network address, base + 1 (VPC router), base + 2 (DNS), base + 3
// (future use) and its last address (broadcast, which AWS does not support).
constexpr int kAwsReservedPerSubnet = 5;

// Dotted quad, four decimal octets 0-255 without leading zeros (so "010" is not read as
// octal by one tool and decimal by another). Throws CidrError.
std::uint32_t parse_ipv4(std::string_view text);
std::string format_ipv4(std::uint32_t address);

struct Cidr {
    std::uint32_t base = 0;  // the network address; no host bits set
    int prefix = 32;         // 0-32

    // "a.b.c.d/n". Any prefix 0-32 parses (aws_size_error() says whether AWS accepts it);
    // host bits set are an error that gives the network address. Throws CidrError.
    static Cidr parse(std::string_view text);

    std::uint32_t mask() const { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }
    std::uint32_t network() const { return base; }
    std::uint32_t broadcast() const { return base | ~mask(); }
    std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix); }

    // What an AWS subnet of this block can hand out: base + 4 to broadcast - 1, size - 5 of
    // them. Meaningful for the sizes AWS accepts; usable() is 0 for blocks of 4 or fewer
    // addresses.
    std::uint32_t first_usable() const { return base + 4; }
    std::uint32_t last_usable() const { return broadcast() - 1; }
    std::uint64_t usable() const {
        return size() > kAwsReservedPerSubnet ? size() - kAwsReservedPerSubnet : 0;
    }

    bool contains(std::uint32_t address) const { return (address & mask()) == base; }
    // The whole of other lies inside this block (a block contains itself).
    bool contains(const Cidr& other) const {
        return other.prefix >= prefix && contains(other.base);
    }
    // Any address in common. Aligned blocks either nest or are disjoint, so this is
    // containment one way or the other.
    bool overlaps(const Cidr& other) const { return contains(other) || other.contains(*this); }

    std::string to_string() const;

    friend bool operator==(const Cidr& a, const Cidr& b) {
        return a.base == b.base && a.prefix == b.prefix;
    }
    friend bool operator!=(const Cidr& a, const Cidr& b) { return !(a == b); }
};

// Why AWS would refuse this block as a VPC or subnet CIDR (outside /16 to /28), or nothing.
std::optional<std::string> aws_size_error(const Cidr& block);

// The text `stratus cidr <block>` prints: the range, the size, the usable addresses of an AWS
// subnet and the 5 reserved ones with what each is for. A size AWS refuses gets the range,
// the size and a note instead of the AWS lines. Throws CidrError on a malformed block.
std::string describe_cidr(std::string_view text);

}  // namespace stratus::scenario
