// The event kernel: ordering, ties, cancellation, random streams.
#include <catch2/catch.hpp>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"

namespace test_kernel {

using namespace stratus;

namespace {

struct Log final : EventHandler {
    Simulation* sim = nullptr;
    std::vector<std::pair<SimTime, std::uint32_t>> seen;
    void on_event(const Event& e) override { seen.emplace_back(sim->now(), e.arg); }
};

}  // namespace

TEST_CASE("events run in time order", "[kernel]") {
    Simulation sim;
    Log log;
    log.sim = &sim;
    RandomStream rng(1, "kernel-test");
    for (std::uint32_t i = 0; i < 1000; ++i)
        sim.schedule_at(static_cast<SimTime>(rng.below(100000)), &log, 0, i);
    sim.run_until(kNever - 1);
    REQUIRE(log.seen.size() == 1000);
    for (std::size_t i = 1; i < log.seen.size(); ++i)
        CHECK(log.seen[i - 1].first <= log.seen[i].first);
}

TEST_CASE("events at the same time run in insertion order", "[kernel]") {
    Simulation sim;
    Log log;
    log.sim = &sim;
    for (std::uint32_t i = 0; i < 100; ++i)
        sim.schedule_at(5 * kSecond, &log, 0, i);
    sim.schedule_at(1 * kSecond, &log, 0, 1000);
    sim.run_until(10 * kSecond);
    REQUIRE(log.seen.size() == 101);
    CHECK(log.seen[0].second == 1000);
    for (std::uint32_t i = 0; i < 100; ++i)
        CHECK(log.seen[i + 1].second == i);
    CHECK(sim.now() == 10 * kSecond);
}

TEST_CASE("a cancelled timer never fires and its slot is reused safely", "[kernel]") {
    Simulation sim;
    Log log;
    log.sim = &sim;
    TimerHandle a = sim.timer_at(10, &log, 0, 1);
    TimerHandle b = sim.timer_at(20, &log, 0, 2);
    CHECK(sim.is_pending(a));
    sim.cancel(a);
    CHECK_FALSE(a.armed());
    sim.run_until(15);
    CHECK(log.seen.empty());
    // Cancelling twice, or after firing, does nothing.
    TimerHandle b_copy = b;
    sim.run_until(25);
    REQUIRE(log.seen.size() == 1);
    CHECK(log.seen[0].second == 2);
    CHECK_FALSE(sim.is_pending(b_copy));
    sim.cancel(b_copy);
    // Many timers armed and cancelled: only the survivors fire, in order.
    std::vector<TimerHandle> hs;
    for (std::uint32_t i = 0; i < 1000; ++i)
        hs.push_back(sim.timer_at(100 + i, &log, 0, i));
    for (std::uint32_t i = 0; i < 1000; i += 2)
        sim.cancel(hs[i]);
    sim.run_until(2000);
    REQUIRE(log.seen.size() == 1 + 500);
    for (std::uint32_t k = 0; k < 500; ++k)
        CHECK(log.seen[1 + k].second == 2 * k + 1);
}

TEST_CASE("step processes one event at a time up to a limit", "[kernel]") {
    Simulation sim;
    Log log;
    log.sim = &sim;
    sim.schedule_at(5, &log, 0, 0);
    sim.schedule_at(7, &log, 0, 1);
    CHECK(sim.next_event_time() == 5);
    CHECK(sim.step(6));
    CHECK_FALSE(sim.step(6));
    CHECK(sim.step());
    CHECK_FALSE(sim.step());
    CHECK(sim.events_processed() == 2);
}

TEST_CASE("random streams depend on the seed and the name only", "[kernel]") {
    RandomStream a(7, "arrivals/web"), b(7, "arrivals/web"), c(7, "arrivals/api"),
        d(8, "arrivals/web");
    const double x = a.uniform01();
    CHECK(x == b.uniform01());
    CHECK(x != c.uniform01());
    CHECK(x != d.uniform01());
    // The exponential draw has the right mean.
    RandomStream e(1, "exp");
    double sum = 0;
    for (int i = 0; i < 200000; ++i)
        sum += e.exponential(2.0);
    CHECK(sum / 200000 == Approx(2.0).epsilon(0.01));
    // Stream seeds are stable across builds and platforms: pin one.
    CHECK(stream_seed(1, "arrivals/web") == stream_seed(1, "arrivals/web"));
}

TEST_CASE("an event scheduled first runs before the ordinary events of its instant", "[kernel]") {
    Simulation sim;
    Log log;
    log.sim = &sim;
    sim.schedule_at(10, &log, 0, 1);
    sim.schedule_at(10, &log, 0, 2);
    sim.schedule_first_at(10, &log, 0, 100);
    sim.schedule_first_at(10, &log, 0, 101);
    sim.schedule_at(5, &log, 0, 0);
    sim.run_until(20);
    REQUIRE(log.seen.size() == 5);
    CHECK(log.seen[0].second == 0);
    CHECK(log.seen[1].second == 100);
    CHECK(log.seen[2].second == 101);
    CHECK(log.seen[3].second == 1);
    CHECK(log.seen[4].second == 2);
}

namespace {

// A reference for the queue: every event ever pushed, with its insertion index; the next one
// due is the live one with the least (time, not-first, index).
struct ReferenceEvent {
    SimTime time;
    bool first;
    std::uint32_t index;
    bool live;
};

// Pushes, pops and cancels at random, with many ties, and checks every pop against the
// reference. `sequence_limit` small: the queue renumbers its events many times on the way.
void check_against_reference(std::uint64_t sequence_limit, std::uint64_t seed) {
    EventQueue q(sequence_limit);
    Log log;
    RandomStream rng(seed, "kernel-reference");
    std::vector<ReferenceEvent> ref;
    std::vector<TimerHandle> timers;  // by insertion index (unarmed for non-timers)
    SimTime now = 0;
    std::size_t popped = 0;
    for (int round = 0; round < 20000; ++round) {
        const std::uint64_t action = rng.below(10);
        if (action < 5 || q.empty()) {
            const SimTime t = now + static_cast<SimTime>(rng.below(8));  // many equal times
            const auto index = static_cast<std::uint32_t>(ref.size());
            const std::uint64_t how = rng.below(3);
            ref.push_back(ReferenceEvent{t, how == 1, index, true});
            timers.emplace_back();
            if (how == 0) q.push(t, &log, 0, index);
            if (how == 1) q.push_first(t, &log, 0, index);
            if (how == 2) timers.back() = q.push_timer(t, &log, 0, index);
        } else if (action < 6) {
            // Cancel a random event: only timers are cancelled; others are left alone.
            const auto k = static_cast<std::size_t>(rng.below(ref.size()));
            if (q.is_pending(timers[k])) {
                REQUIRE(ref[k].live);
                q.cancel(timers[k]);
                ref[k].live = false;
                CHECK_FALSE(q.is_pending(timers[k]));
            }
        } else {
            Event e;
            REQUIRE(q.pop(&e));
            const ReferenceEvent* best = nullptr;
            for (const auto& r : ref) {
                if (!r.live) continue;
                if (!best || r.time < best->time ||
                    (r.time == best->time &&
                     (r.first > best->first || (r.first == best->first && r.index < best->index))))
                    best = &r;
            }
            REQUIRE(best != nullptr);
            REQUIRE(e.arg == best->index);
            REQUIRE(e.time == best->time);
            ref[best->index].live = false;
            CHECK_FALSE(q.is_pending(timers[best->index]));  // fired: the handle is stale
            now = e.time;
            ++popped;
        }
    }
    CHECK(popped > 5000);
}

}  // namespace

TEST_CASE("the queue pops in (time, first, insertion) order through pushes, pops and cancels",
          "[kernel]") {
    check_against_reference(EventQueue::kSequenceLimit, 1);
}

TEST_CASE("when sequence numbers run out the pending events are renumbered in order", "[kernel]") {
    // A limit of 4,096 sequence numbers: the 20,000 rounds renumber several times.
    check_against_reference(4096, 2);
    check_against_reference(4096, 3);
}

}  // namespace test_kernel
