// IPv4 CIDR blocks for VPCs and subnets (the Amazon VPC User Guide's rules, docs/model.md):
// ranges, the 5 reserved addresses, containment, overlap and strict parsing.
#include <catch2/catch.hpp>

#include <string>

#include "sim/scenario/cidr.hpp"

namespace test_cidr {

using namespace stratus::scenario;

namespace {

std::string error_of(const std::string& text) {
    try {
        Cidr::parse(text);
    } catch (const CidrError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("A /28 subnet: 16 addresses, 11 usable", "[cidr]") {
    const Cidr c = Cidr::parse("10.5.21.64/28");
    CHECK(c.prefix == 28);
    CHECK(format_ipv4(c.network()) == "10.5.21.64");
    CHECK(format_ipv4(c.broadcast()) == "10.5.21.79");
    CHECK(c.size() == 16);
    CHECK(c.usable() == 11);
    CHECK(format_ipv4(c.first_usable()) == "10.5.21.68");
    CHECK(format_ipv4(c.last_usable()) == "10.5.21.78");
    CHECK(c.last_usable() - c.first_usable() + 1 == c.usable());
    CHECK(c.to_string() == "10.5.21.64/28");
    CHECK_FALSE(aws_size_error(c));
}

TEST_CASE("Sizes: /24 gives 251, /16 65531", "[cidr]") {
    const Cidr c24 = Cidr::parse("192.168.1.0/24");
    CHECK(c24.size() == 256);
    CHECK(c24.usable() == 251);
    CHECK(format_ipv4(c24.first_usable()) == "192.168.1.4");
    CHECK(format_ipv4(c24.last_usable()) == "192.168.1.254");
    CHECK(format_ipv4(c24.broadcast()) == "192.168.1.255");

    const Cidr c16 = Cidr::parse("10.0.0.0/16");
    CHECK(c16.size() == 65536);
    CHECK(c16.usable() == 65531);
    CHECK(format_ipv4(c16.broadcast()) == "10.0.255.255");
    CHECK(format_ipv4(c16.last_usable()) == "10.0.255.254");

    // The extremes parse; AWS refuses them.
    const Cidr all = Cidr::parse("0.0.0.0/0");
    CHECK(all.size() == 4294967296ULL);
    CHECK(format_ipv4(all.broadcast()) == "255.255.255.255");
    const Cidr host = Cidr::parse("10.1.2.3/32");
    CHECK(host.size() == 1);
    CHECK(host.usable() == 0);
    CHECK(Cidr::parse("10.1.2.0/29").usable() == 3);
    CHECK_THAT(*aws_size_error(Cidr::parse("10.0.0.0/8")),
               Catch::Contains("10.0.0.0/8 is larger than AWS allows"));
    CHECK_THAT(*aws_size_error(Cidr::parse("10.0.0.0/29")), Catch::Contains("smaller"));
    CHECK_FALSE(aws_size_error(c16));
}

TEST_CASE("Containment and overlap", "[cidr]") {
    const Cidr vpc = Cidr::parse("10.5.0.0/16");
    const Cidr a = Cidr::parse("10.5.21.64/28");
    const Cidr b = Cidr::parse("10.5.21.80/28");
    const Cidr wide = Cidr::parse("10.5.21.0/24");
    const Cidr other = Cidr::parse("10.6.0.0/16");

    CHECK(vpc.contains(a));
    CHECK(vpc.contains(vpc));
    CHECK_FALSE(a.contains(vpc));
    CHECK_FALSE(vpc.contains(other));
    CHECK(vpc.contains(parse_ipv4("10.5.255.255")));
    CHECK_FALSE(vpc.contains(parse_ipv4("10.6.0.0")));
    CHECK(a.contains(parse_ipv4("10.5.21.79")));
    CHECK_FALSE(a.contains(parse_ipv4("10.5.21.80")));

    // Neighbours touch but do not overlap; a block overlaps what holds it, both ways.
    CHECK_FALSE(a.overlaps(b));
    CHECK_FALSE(b.overlaps(a));
    CHECK(a.overlaps(wide));
    CHECK(wide.overlaps(a));
    CHECK(a.overlaps(a));
    CHECK_FALSE(vpc.overlaps(other));
    CHECK(Cidr::parse("0.0.0.0/0").overlaps(other));
}

TEST_CASE("IPv4 addresses", "[cidr]") {
    CHECK(parse_ipv4("0.0.0.0") == 0);
    CHECK(parse_ipv4("255.255.255.255") == 0xffffffffU);
    CHECK(parse_ipv4("10.5.21.64") == 0x0a051540U);
    CHECK(format_ipv4(0x0a051540U) == "10.5.21.64");
    CHECK_THROWS_WITH(parse_ipv4("10.5.21"),
                      "IPv4 address \"10.5.21\": address \"10.5.21\" has 3 octets, expected 4");
}

TEST_CASE("CIDR errors say what is wrong", "[cidr]") {
    CHECK(error_of("10.5.21.70/28") ==
          "CIDR \"10.5.21.70/28\": host bits are set; the network address is 10.5.21.64/28");
    CHECK_THAT(error_of("10.0.0.1/16"), Catch::Contains("the network address is 10.0.0.0/16"));
    CHECK_THAT(error_of("10.5.256.0/24"), Catch::Contains("octet 3 \"256\" is above 255"));
    CHECK_THAT(error_of("10.5.1000.0/24"), Catch::Contains("octet 3 \"1000\" is above 255"));
    CHECK_THAT(error_of("10.05.0.0/16"), Catch::Contains("octet 2 \"05\" has a leading zero"));
    CHECK_THAT(error_of("10.a.0.0/16"), Catch::Contains("octet 2 \"a\" is not a number"));
    CHECK_THAT(error_of("10..0.0/16"), Catch::Contains("octet 2 is empty"));
    CHECK_THAT(error_of("10.0.0.0.0/16"), Catch::Contains("has 5 octets, expected 4"));
    CHECK_THAT(error_of("10.0.0/16"), Catch::Contains("has 3 octets, expected 4"));
    CHECK_THAT(error_of("-1.0.0.0/8"), Catch::Contains("octet 1 \"-1\" is not a number"));
    CHECK_THAT(error_of("10.0.0.0"), Catch::Contains("no prefix length; expected a.b.c.d/n"));
    CHECK_THAT(error_of("10.0.0.0/"), Catch::Contains("prefix length is empty"));
    CHECK_THAT(error_of("10.0.0.0/33"), Catch::Contains("prefix length \"33\" is above 32"));
    CHECK_THAT(error_of("10.0.0.0/x"), Catch::Contains("prefix length \"x\" is not a number"));
    CHECK_THAT(error_of("10.0.0.0/16/2"), Catch::Contains("not a number"));
    CHECK_THAT(error_of(" 10.0.0.0/16"), Catch::Contains("not a number"));
    CHECK_THAT(error_of(""), Catch::Contains("empty"));
    CHECK(error_of("10.0.0.0/16").empty());
}

TEST_CASE("describe_cidr explains the block", "[cidr]") {
    const std::string text = describe_cidr("10.5.21.64/28");
    CHECK(text ==
          "10.5.21.64/28: 10.5.21.64 to 10.5.21.79, 16 addresses\n"
          "  11 usable in an AWS subnet: 10.5.21.68 to 10.5.21.78\n"
          "  5 reserved by AWS:\n"
          "    10.5.21.64       network address\n"
          "    10.5.21.65       VPC router\n"
          "    10.5.21.66       DNS (the Amazon DNS server is at the VPC's base + 2)\n"
          "    10.5.21.67       reserved for future use\n"
          "    10.5.21.79       broadcast address (AWS does not support broadcast)\n");
    CHECK_THAT(describe_cidr("10.0.0.0/16"), Catch::Contains("65531 usable"));
    const std::string big = describe_cidr("10.0.0.0/8");
    CHECK_THAT(big, Catch::Contains("10.0.0.0 to 10.255.255.255, 16777216 addresses"));
    CHECK_THAT(big, Catch::Contains("larger than AWS allows"));
    CHECK_THAT(big, !Catch::Contains("usable"));
    CHECK_THROWS_AS(describe_cidr("10.5.21.70/28"), CidrError);
}

}  // namespace test_cidr
