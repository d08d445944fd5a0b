#pragma once
// EC2's capacity pools as the run sees them: a pool is an instance type in one AZ, On-Demand
// or Spot, and holds at most `capacity` of the run's instances at once ([[capacity_pool]] for
// On-Demand, [[spot.pool]] `capacity` for Spot). A launch into a full pool fails with
// InsufficientInstanceCapacity (the Auto Scaling group then tries its other pools and AZs, and
// retries with back-off: docs/model.md, "Capacity pools"). Pools not listed have no limit, and
// cost nothing: only the limited pools are counted. A zonal Reserved Instance reserves capacity:
// a limited On-Demand pool holds at least the instance_count of the zonal RIs of its type and AZ.
//
// The World counts every instance of a limited pool from its launch to its termination (a
// stopped instance keeps its place: the run never restarts one elsewhere).
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class CapacityPools {
  public:
    CapacityPools() = default;
    // zone_names: the region's AZs, which the instances refer to by index.
    CapacityPools(const scenario::Spec& spec, const std::vector<std::string>& zone_names);

    // Whether any pool has a limit (none: every launch fits, nothing is counted).
    bool limited() const { return !pools_.empty(); }
    // The pool's limit, or empty when it has none.
    std::optional<int> capacity(const std::string& instance_type, int zone, bool spot) const;
    // The run's instances in the pool now (0 for a pool without a limit: not counted).
    int in_use(const std::string& instance_type, int zone, bool spot) const;
    // Whether one more instance fits.
    bool has_room(const std::string& instance_type, int zone, bool spot) const;

    // An instance of the pool was launched / terminated.
    void acquire(const std::string& instance_type, int zone, bool spot);
    void release(const std::string& instance_type, int zone, bool spot);

  private:
    struct Pool {
        int capacity = 0;
        int in_use = 0;
    };
    using Key = std::tuple<std::string, int, bool>;  // type, zone, Spot
    std::map<Key, Pool> pools_;
};

}  // namespace stratus::cloud
