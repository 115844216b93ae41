// Runs independent jobs on the machine's cores and keeps their results in job order.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace hf2swift {

/// Calls `job(i)` for every i in [0, n), on up to one thread per core. Each job writes only its
/// own slot of the caller's results, so the outcome does not depend on the schedule; the
/// exception of the lowest-numbered failing job, if any, is rethrown once all have finished.
template <typename Job>
void parallel_for(size_t n, Job&& job) {
    size_t cores = std::max(1u, std::thread::hardware_concurrency());
    size_t workers = std::min(n, cores);
    if (workers <= 1) {
        for (size_t i = 0; i < n; ++i) job(i);
        return;
    }
    std::vector<std::exception_ptr> failures(n);
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i = next++; i < n; i = next++) {
            try {
                job(i);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> threads;
    for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    for (const auto& f : failures) {
        if (f) std::rethrow_exception(f);
    }
}

}  // namespace hf2swift
