#include "sim/cloud/image_cache.hpp"

namespace stratus::cloud {

bool ImageCache::has_all(std::uint32_t instance, const scenario::EcsTaskDefinitionSpec& td) const {
    bool any = false;
    for (const auto& c : td.containers) {
        if (c.image.empty()) continue;
        if (!has(instance, c.image)) return false;
        any = true;
    }
    return any;
}

void ImageCache::add_all(std::uint32_t instance, const scenario::EcsTaskDefinitionSpec& td) {
    for (const auto& c : td.containers)
        if (!c.image.empty()) images_.insert({instance, c.image});
}

}  // namespace stratus::cloud
