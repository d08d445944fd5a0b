#pragma once
// ECS's cluster query language (the Amazon ECS Developer Guide, "Create expressions to define
// container instances for Amazon ECS tasks"): the expressions of memberOf placement
// constraints. An expression is `subject operator [argument]`, combined with and (&&), or (||),
// not (!) and parentheses (and binds tighter than or).
//
// Subjects: attribute:NAME (ECS's built-in ecs.availability-zone, ecs.instance-type,
// ecs.subnet-id, ecs.os-type, ecs.cpu-architecture, ecs.ami-id, ecs.vpc-id, ecs.os-family;
// any other name is a custom attribute, which no modelled instance has), ec2InstanceId and
// runningTasksCount. task:group, agentVersion, agentConnected and registeredAt are refused
// (not modelled). Operators: == (equals), != (not_equals), in, !in (not_in) with a list
// [a, b], =~ (matches), !~ (not_matches) with a Java regular expression matched against the
// whole value (ECMAScript regular expressions here, the same for the patterns in use:
// `t3.*`), exists, !exists (not_exists), and >, >=, <, <= (greater_than, ...) on numbers.
// On an attribute the instance lacks, ==, in, =~, exists and the numeric operators are false
// and their negations true (as not(...) of them gives; the guide does not say).
//
// Parsing is strict: an error says what was expected where. Values, no global state.
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::scenario {

class ClusterQueryError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// What an expression reads of a container instance. Empty text: the attribute is absent.
struct ContainerInstanceFacts {
    std::string_view availability_zone;
    std::string_view instance_type;
    std::string_view subnet_id;
    std::string_view ec2_instance_id;
    std::string_view cpu_architecture = "x86_64";
    std::string_view os_type = "linux";
    int running_tasks = 0;
};

class ClusterQuery {
  public:
    // Throws ClusterQueryError naming the token and what was expected.
    static ClusterQuery parse(std::string_view text);
    bool matches(const ContainerInstanceFacts& facts) const;
    const std::string& text() const { return text_; }

    enum class Subject {
        AvailabilityZone,
        InstanceType,
        SubnetId,
        CpuArchitecture,
        OsType,
        Ec2InstanceId,
        RunningTasksCount,
        Absent  // an attribute no modelled instance has (ecs.ami-id, custom ones)
    };
    enum class Op { Eq, Ne, In, NotIn, Matches, NotMatches, Exists, NotExists, Gt, Ge, Lt, Le };

  private:
    enum class Kind { Compare, And, Or, Not };
    struct Node {
        Kind kind = Kind::Compare;
        int left = -1, right = -1;  // children (Not: left)
        Subject subject = Subject::Absent;
        Op op = Op::Eq;
        std::vector<std::string> args;
        std::optional<std::regex> pattern;
    };
    class Parser;
    bool eval(int node, const ContainerInstanceFacts& facts) const;
    bool compare(const Node& n, const ContainerInstanceFacts& facts) const;

    std::string text_;
    std::vector<Node> nodes_;
    int root_ = -1;
};

}  // namespace stratus::scenario
