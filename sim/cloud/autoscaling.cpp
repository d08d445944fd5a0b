#include "sim/cloud/autoscaling.hpp"

#include "sim/report/recorder.hpp"

namespace stratus::cloud {

AutoScalingGroup::AutoScalingGroup(int index, const scenario::AutoScalingGroupSpec& spec,
                                   GroupLaunchSettings launch, std::vector<int> zones,
                                   std::vector<TargetGroup*> target_groups, std::uint64_t seed,
                                   Simulation& sim, Fleet& fleet, report::Recorder& recorder)
    : index_(index),
      spec_(spec),
      launch_(std::move(launch)),
      zones_(std::move(zones)),
      target_groups_(std::move(target_groups)),
      sim_(sim),
      fleet_(fleet),
      recorder_(recorder),
      boot_stream_(seed, "boot/" + spec.name),
      app_start_stream_(seed, "app_start/" + spec.name),
      desired_(spec.desired_capacity) {}

void AutoScalingGroup::start() {
    for (int i = 0; i < desired_; ++i)
        launch_one();
}

int AutoScalingGroup::zone_with_fewest_instances() const {
    // AWS launches into the AZ with the fewest instances; ties go to the AZ listed first.
    int best = zones_.front();
    int best_count = -1;
    for (int z : zones_) {
        int count = 0;
        for (std::uint32_t i : instances_) {
            const Instance& inst = fleet_[i];
            if (inst.config().availability_zone == z &&
                inst.lifecycle() != LifecycleState::Terminated) {
                ++count;
            }
        }
        if (best_count < 0 || count < best_count) {
            best = z;
            best_count = count;
        }
    }
    return best;
}

void AutoScalingGroup::launch_one() {
    const scenario::LaunchTemplateSpec& lt = *launch_.launch_template;
    InstanceConfig cfg;
    cfg.instance_type = launch_.instance_type.name;
    cfg.availability_zone = zone_with_fewest_instances();
    cfg.group = index_;
    cfg.launch_template_version = lt.version;
    cfg.vcpu = launch_.instance_type.vcpu;
    cfg.speed = launch_.instance_type.speed;
    cfg.workers = launch_.instance_type.vcpu * lt.workers_per_vcpu;
    cfg.max_queue = lt.max_queue;
    Instance& inst = fleet_.create(std::move(cfg));
    inst.launch();
    instances_.push_back(inst.index());
    recorder_.instance_launched();
    recorder_.log().add(sim_.now(), "instance_launched",
                        {{"instance", inst.name()},
                         {"autoscaling_group", spec_.name},
                         {"availability_zone", fleet_.zone_name(inst.config().availability_zone)},
                         {"instance_type", inst.config().instance_type},
                         {"launch_template", lt.name},
                         {"launch_template_version", lt.version}});
    sim_.schedule_in(boot_stream_.sample(lt.boot_time), this, kBootDone, inst.index());
}

void AutoScalingGroup::on_event(const Event& e) {
    Instance& inst = fleet_[e.arg];
    switch (e.kind) {
        case kBootDone: {
            // EC2 status checks pass: the group puts the instance InService and registers it
            // with its target groups; the application starts on its own time.
            inst.boot_done();
            inst.set_lifecycle(LifecycleState::InService);
            recorder_.instance_in_service(+1);
            recorder_.log().add(sim_.now(), "instance_in_service",
                                {{"instance", inst.name()}, {"autoscaling_group", spec_.name}});
            for (TargetGroup* tg : target_groups_)
                tg->register_target(inst.index());
            const auto& lt = *launch_.launch_template;
            sim_.schedule_in(app_start_stream_.sample(lt.app_start_time), this, kAppStarted,
                             inst.index());
            break;
        }
        case kAppStarted:
            inst.app_started();
            recorder_.log().add(sim_.now(), "application_started",
                                {{"instance", inst.name()}, {"autoscaling_group", spec_.name}});
            break;
        default:
            break;
    }
}

}  // namespace stratus::cloud
