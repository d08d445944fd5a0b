#pragma once
// The images a container instance holds (docs/model.md, "Image pulls and VPC endpoints"): the
// ECS container agent pulls a task's image and Docker keeps a local copy. With the agent's
// default ECS_IMAGE_PULL_BEHAVIOR (`default`), a later task of the same image on the same
// instance pulls again, but every layer is already there: only the manifest is fetched (the
// model: no time, no bytes), and when that pull fails the agent starts the task from the cached
// image. Fargate has no such cache: each task pulls its image in full.
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class ImageCache {
  public:
    bool has(std::uint32_t instance, const std::string& image) const {
        return images_.count({instance, image}) > 0;
    }
    // Every image of the task definition's containers is on the instance (false without one).
    bool has_all(std::uint32_t instance, const scenario::EcsTaskDefinitionSpec& td) const;
    // The instance pulled the task definition's images.
    void add_all(std::uint32_t instance, const scenario::EcsTaskDefinitionSpec& td);

  private:
    std::set<std::pair<std::uint32_t, std::string>> images_;  // (fleet index, image)
};

}  // namespace stratus::cloud
