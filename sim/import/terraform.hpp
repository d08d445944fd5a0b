#pragma once
// `stratus import terraform FILE.json`: Terraform's JSON (a plan or a state, see
// terraform_json.hpp) -> a scenario TOML. Each section carries a comment naming the Terraform
// address it came from; a [[workload]] placeholder stands for the traffic Terraform does not
// know; everything left out or carried over with a caveat is listed (docs/terraform.md).
#include <string>
#include <string_view>
#include <vector>

namespace stratus::tfimport {

struct Finding {
    enum Kind { Skipped, Note };
    Kind kind = Note;
    std::string address;  // the Terraform address (or "" for the whole file)
    std::string message;
    std::string text() const;  // "skipped: aws_iam_role.x: resource type not modelled"
};

struct ImportResult {
    std::string scenario;           // the scenario TOML
    std::vector<Finding> findings;  // in the order of the file's resources
    std::string region;             // the region the scenario uses ("" when none was found)
};

// Converts the JSON text of `file` (its name is used in messages and comments). Throws
// ImportError when the text is not Terraform JSON of a supported version.
ImportResult import_terraform(std::string_view json_text, const std::string& file);

}  // namespace stratus::tfimport
