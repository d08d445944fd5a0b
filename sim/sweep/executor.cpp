#include "sim/sweep/executor.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace stratus::sweep {

void LocalExecutor::execute(const Plan& plan, const std::vector<std::uint64_t>& runs,
                            const RowSink& sink) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex sink_mutex;
    std::exception_ptr first_error;
    auto work = [&]() {
        while (!failed.load()) {
            const std::size_t i = next.fetch_add(1);
            if (i >= runs.size()) return;
            try {
                std::string line = plan.run_row(runs[i]);
                std::lock_guard<std::mutex> lock(sink_mutex);
                sink(runs[i], line);
            } catch (...) {
                std::lock_guard<std::mutex> lock(sink_mutex);
                if (!first_error) first_error = std::current_exception();
                failed = true;
            }
        }
    };
    const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(jobs_), runs.size());
    if (threads <= 1) {
        work();
    } else {
        std::vector<std::thread> pool;
        for (std::size_t t = 0; t < threads; ++t)
            pool.emplace_back(work);
        for (auto& th : pool)
            th.join();
    }
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace stratus::sweep
