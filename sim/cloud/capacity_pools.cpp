#include "sim/cloud/capacity_pools.hpp"

#include <algorithm>
#include <iterator>

namespace stratus::cloud {

CapacityPools::CapacityPools(const scenario::Spec& spec,
                             const std::vector<std::string>& zone_names) {
    auto zone_of = [&](const std::string& az) {
        const auto it = std::find(zone_names.begin(), zone_names.end(), az);
        return it == zone_names.end() ? -1
                                      : static_cast<int>(std::distance(zone_names.begin(), it));
    };
    // validate() refused unknown AZs and a pool listed twice; a pool of an AZ the region does
    // not have cannot be launched into anyway.
    for (const auto& p : spec.capacity_pool) {
        const int z = zone_of(p.availability_zone);
        if (z >= 0) pools_[Key{p.instance_type, z, false}].capacity = p.capacity;
    }
    // A zonal Reserved Instance reserves capacity for its count of the type in its AZ: a
    // limited pool holds at least the zonal RIs' instances (a pool without a limit has room
    // anyway).
    std::map<Key, int> reserved;
    for (const auto& ri : spec.reserved_instance) {
        const int z = ri.availability_zone.empty() ? -1 : zone_of(ri.availability_zone);
        if (z >= 0) reserved[Key{ri.instance_type, z, false}] += ri.instance_count;
    }
    for (const auto& [key, count] : reserved)
        if (auto it = pools_.find(key); it != pools_.end())
            it->second.capacity = std::max(it->second.capacity, count);
    for (const auto& p : spec.spot.pool) {
        const int z = zone_of(p.availability_zone);
        if (z >= 0 && p.capacity) pools_[Key{p.instance_type, z, true}].capacity = *p.capacity;
    }
}

std::optional<int> CapacityPools::capacity(const std::string& instance_type, int zone,
                                           bool spot) const {
    const auto it = pools_.find(Key{instance_type, zone, spot});
    if (it == pools_.end()) return std::nullopt;
    return it->second.capacity;
}

int CapacityPools::in_use(const std::string& instance_type, int zone, bool spot) const {
    const auto it = pools_.find(Key{instance_type, zone, spot});
    return it == pools_.end() ? 0 : it->second.in_use;
}

bool CapacityPools::has_room(const std::string& instance_type, int zone, bool spot) const {
    if (pools_.empty()) return true;
    const auto it = pools_.find(Key{instance_type, zone, spot});
    return it == pools_.end() || it->second.in_use < it->second.capacity;
}

void CapacityPools::acquire(const std::string& instance_type, int zone, bool spot) {
    if (pools_.empty()) return;
    const auto it = pools_.find(Key{instance_type, zone, spot});
    if (it != pools_.end()) ++it->second.in_use;
}

void CapacityPools::release(const std::string& instance_type, int zone, bool spot) {
    if (pools_.empty()) return;
    const auto it = pools_.find(Key{instance_type, zone, spot});
    if (it != pools_.end() && it->second.in_use > 0) --it->second.in_use;
}

}  // namespace stratus::cloud
