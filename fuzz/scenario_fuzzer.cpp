// libFuzzer target over everything a scenario file reaches: the TOML loader and the
// conversion to a Spec, --set overrides, validation, `explain` (and loading its output again),
// the run limits and a short capped run with its [[action]]s and every report rendered in
// memory; and a sweep's inputs: results files, manifests, design files, --grid arguments, and
// merging them (fuzz/scenario_pipeline.hpp).
// Build with -DSTRATUS_FUZZ=ON and clang++; see docs/hardening.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/scenario_pipeline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > stratus::fuzz::kMaxInputBytes) return 0;
    (void)stratus::fuzz::exercise_input(
        std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
