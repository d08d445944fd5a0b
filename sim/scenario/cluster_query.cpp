#include "sim/scenario/cluster_query.hpp"

#include <cctype>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

namespace stratus::scenario {

namespace {

struct OpName {
    const char* text;
    ClusterQuery::Op op;
};
constexpr OpName kOps[] = {{"==", ClusterQuery::Op::Eq},
                           {"equals", ClusterQuery::Op::Eq},
                           {"!=", ClusterQuery::Op::Ne},
                           {"not_equals", ClusterQuery::Op::Ne},
                           {"in", ClusterQuery::Op::In},
                           {"!in", ClusterQuery::Op::NotIn},
                           {"not_in", ClusterQuery::Op::NotIn},
                           {"=~", ClusterQuery::Op::Matches},
                           {"matches", ClusterQuery::Op::Matches},
                           {"!~", ClusterQuery::Op::NotMatches},
                           {"not_matches", ClusterQuery::Op::NotMatches},
                           {"exists", ClusterQuery::Op::Exists},
                           {"!exists", ClusterQuery::Op::NotExists},
                           {"not_exists", ClusterQuery::Op::NotExists},
                           {">", ClusterQuery::Op::Gt},
                           {"greater_than", ClusterQuery::Op::Gt},
                           {">=", ClusterQuery::Op::Ge},
                           {"greater_than_equal", ClusterQuery::Op::Ge},
                           {"<", ClusterQuery::Op::Lt},
                           {"less_than", ClusterQuery::Op::Lt},
                           {"<=", ClusterQuery::Op::Le},
                           {"less_than_equal", ClusterQuery::Op::Le}};

struct SubjectName {
    const char* text;
    ClusterQuery::Subject subject;
};
constexpr SubjectName kSubjects[] = {
    {"attribute:ecs.availability-zone", ClusterQuery::Subject::AvailabilityZone},
    {"attribute:ecs.instance-type", ClusterQuery::Subject::InstanceType},
    {"attribute:ecs.subnet-id", ClusterQuery::Subject::SubnetId},
    {"attribute:ecs.cpu-architecture", ClusterQuery::Subject::CpuArchitecture},
    {"attribute:ecs.os-type", ClusterQuery::Subject::OsType},
    {"attribute:ecs.ami-id", ClusterQuery::Subject::Absent},
    {"attribute:ecs.vpc-id", ClusterQuery::Subject::Absent},
    {"attribute:ecs.os-family", ClusterQuery::Subject::Absent},
    {"ec2InstanceId", ClusterQuery::Subject::Ec2InstanceId},
    {"runningTasksCount", ClusterQuery::Subject::RunningTasksCount}};

bool numeric(ClusterQuery::Op op) {
    using Op = ClusterQuery::Op;
    return op == Op::Gt || op == Op::Ge || op == Op::Lt || op == Op::Le;
}

// Words, with ( ) [ ] , as tokens of their own; '...' or "..." quote a word.
std::vector<std::string> tokens(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
            out.emplace_back(1, c);
            ++i;
        } else if (c == '\'' || c == '"') {
            const std::size_t end = text.find(c, i + 1);
            if (end == std::string_view::npos)
                throw ClusterQueryError(fmt::format("unterminated quote {} at {}", c, i + 1));
            out.emplace_back(1, '\x01');  // a quoted word is never an operator or a keyword
            out.back() += text.substr(i + 1, end - i - 1);
            i = end + 1;
        } else {
            std::size_t end = i;
            while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
                   std::string_view("()[],").find(text[end]) == std::string_view::npos)
                ++end;
            out.emplace_back(text.substr(i, end - i));
            i = end;
        }
    }
    return out;
}

std::string unquoted(const std::string& token) {
    return !token.empty() && token[0] == '\x01' ? token.substr(1) : token;
}

}  // namespace

class ClusterQuery::Parser {
  public:
    Parser(ClusterQuery& q, std::vector<std::string> t) : q_(q), t_(std::move(t)) {}

    int expression() {
        int left = conjunction();
        while (at("or") || at("||")) {
            ++i_;
            left = add(Kind::Or, left, conjunction());
        }
        return left;
    }
    void finish() {
        if (i_ < t_.size())
            throw ClusterQueryError(
                fmt::format("unexpected \"{}\" after a complete expression", unquoted(t_[i_])));
    }

  private:
    bool at(const char* word) const { return i_ < t_.size() && t_[i_] == word; }
    const std::string& next(const char* expected) {
        if (i_ >= t_.size())
            throw ClusterQueryError(fmt::format("expected {} at the end", expected));
        return t_[i_++];
    }
    int add(Kind kind, int left, int right) {
        Node n;
        n.kind = kind;
        n.left = left;
        n.right = right;
        q_.nodes_.push_back(std::move(n));
        return static_cast<int>(q_.nodes_.size() - 1);
    }
    int conjunction() {
        int left = unary();
        while (at("and") || at("&&")) {
            ++i_;
            left = add(Kind::And, left, unary());
        }
        return left;
    }
    int unary() {
        if (at("not") || at("!")) {
            ++i_;
            return add(Kind::Not, unary(), -1);
        }
        if (at("(")) {
            ++i_;
            const int inner = expression();
            if (next("\")\"") != ")") throw ClusterQueryError("expected \")\"");
            return inner;
        }
        return comparison();
    }
    int comparison();
    void arguments(Node& n);

    ClusterQuery& q_;
    std::vector<std::string> t_;
    std::size_t i_ = 0;
};

int ClusterQuery::Parser::comparison() {
    Node n;
    const std::string subject = unquoted(next("a subject (attribute:NAME, ...)"));
    bool known = false;
    for (const auto& s : kSubjects)
        if (subject == s.text) {
            n.subject = s.subject;
            known = true;
        }
    if (!known && (subject.rfind("attribute:ecs.", 0) == 0 || subject.rfind("attribute:", 0) != 0))
        throw ClusterQueryError(fmt::format(
            "unknown subject \"{}\": expected attribute:ecs.availability-zone, "
            "attribute:ecs.instance-type, attribute:ecs.subnet-id, "
            "attribute:ecs.cpu-architecture, attribute:ecs.os-type, attribute:ecs.ami-id, "
            "attribute:ecs.vpc-id, attribute:ecs.os-family, attribute:CUSTOM, ec2InstanceId or "
            "runningTasksCount (task:group, agentVersion, agentConnected and registeredAt are "
            "not modelled)",
            subject));
    const std::string op = next("an operator (==, !=, in, !in, =~, !~, exists, ...)");
    bool found = false;
    for (const auto& o : kOps)
        if (op == o.text) {
            n.op = o.op;
            found = true;
        }
    if (!found)
        throw ClusterQueryError(fmt::format(
            "unknown operator \"{}\" after {}: expected ==, !=, in, !in, =~, !~, exists, "
            "!exists, >, >=, <, <= or their names (equals, not_in, matches, ...)",
            unquoted(op), subject));
    const bool counts = n.subject == Subject::RunningTasksCount;
    if (numeric(n.op) != counts && n.op != Op::Eq && n.op != Op::Ne)
        throw ClusterQueryError(
            counts ? fmt::format("runningTasksCount takes ==, !=, >, >=, <, <=, found \"{}\"", op)
                   : fmt::format("\"{}\" compares numbers: {} is text", op, subject));
    arguments(n);
    q_.nodes_.push_back(std::move(n));
    return static_cast<int>(q_.nodes_.size() - 1);
}

void ClusterQuery::Parser::arguments(Node& n) {
    if (n.op == Op::Exists || n.op == Op::NotExists) return;
    if (n.op == Op::In || n.op == Op::NotIn) {
        if (next("a list [a, b, ...]") != "[")
            throw ClusterQueryError("in and !in take a list: [a, b, ...]");
        for (;;) {
            n.args.push_back(unquoted(next("a value")));
            const std::string& sep = next("\",\" or \"]\"");
            if (sep == "]") break;
            if (sep != ",")
                throw ClusterQueryError(fmt::format("expected \",\" or \"]\", found \"{}\"", sep));
        }
        return;
    }
    n.args.push_back(unquoted(next("a value")));
    if (n.op == Op::Matches || n.op == Op::NotMatches) {
        try {
            n.pattern.emplace(n.args.back());
        } catch (const std::regex_error&) {
            throw ClusterQueryError(
                fmt::format("\"{}\" is not a regular expression", n.args.back()));
        }
    }
    if (n.subject == Subject::RunningTasksCount) {
        char* end = nullptr;
        const std::string& v = n.args.back();
        static_cast<void>(std::strtol(v.c_str(), &end, 10));
        if (v.empty() || *end != '\0')
            throw ClusterQueryError(
                fmt::format("runningTasksCount compares with a whole "
                            "number, found \"{}\"",
                            v));
    }
}

ClusterQuery ClusterQuery::parse(std::string_view text) {
    ClusterQuery q;
    q.text_ = std::string(text);
    Parser p(q, tokens(text));
    q.root_ = p.expression();
    p.finish();
    return q;
}

bool ClusterQuery::matches(const ContainerInstanceFacts& facts) const {
    return root_ >= 0 && eval(root_, facts);
}

bool ClusterQuery::eval(int node, const ContainerInstanceFacts& facts) const {
    const Node& n = nodes_[static_cast<std::size_t>(node)];
    switch (n.kind) {
        case Kind::And:
            return eval(n.left, facts) && eval(n.right, facts);
        case Kind::Or:
            return eval(n.left, facts) || eval(n.right, facts);
        case Kind::Not:
            return !eval(n.left, facts);
        case Kind::Compare:
            break;
    }
    return compare(n, facts);
}

bool ClusterQuery::compare(const Node& n, const ContainerInstanceFacts& facts) const {
    if (n.subject == Subject::RunningTasksCount) {
        const long v = std::strtol(n.args.front().c_str(), nullptr, 10);
        const long x = facts.running_tasks;
        switch (n.op) {
            case Op::Eq:
                return x == v;
            case Op::Ne:
                return x != v;
            case Op::Gt:
                return x > v;
            case Op::Ge:
                return x >= v;
            case Op::Lt:
                return x < v;
            default:
                return x <= v;
        }
    }
    std::string_view value;
    switch (n.subject) {
        case Subject::AvailabilityZone:
            value = facts.availability_zone;
            break;
        case Subject::InstanceType:
            value = facts.instance_type;
            break;
        case Subject::SubnetId:
            value = facts.subnet_id;
            break;
        case Subject::CpuArchitecture:
            value = facts.cpu_architecture;
            break;
        case Subject::OsType:
            value = facts.os_type;
            break;
        case Subject::Ec2InstanceId:
            value = facts.ec2_instance_id;
            break;
        default:
            break;
    }
    const bool present = !value.empty();
    bool positive = false;  // the operator without its negation
    switch (n.op) {
        case Op::Eq:
        case Op::Ne:
            positive = present && value == n.args.front();
            break;
        case Op::In:
        case Op::NotIn:
            for (const auto& a : n.args)
                positive = positive || (present && value == a);
            break;
        case Op::Matches:
        case Op::NotMatches:
            positive = present && std::regex_match(value.begin(), value.end(), *n.pattern);
            break;
        case Op::Exists:
        case Op::NotExists:
            positive = present;
            break;
        default:
            return false;  // numeric on text: refused by the parser
    }
    const bool negated =
        n.op == Op::Ne || n.op == Op::NotIn || n.op == Op::NotMatches || n.op == Op::NotExists;
    return negated ? !positive : positive;
}

}  // namespace stratus::scenario
