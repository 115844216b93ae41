// The process's heap: tcmalloc's memory carved from one region advised for transparent huge pages.
//
// A run touches about 20 MB of fresh heap, and on this kind of virtual machine each first touch of a
// 4 KiB page costs microseconds: page faults were a quarter of a run's CPU time. Served from a
// region the kernel may back with 2 MiB pages, the same heap arrives in a handful of faults.
#ifdef HF2SWIFT_TCMALLOC
#include <gperftools/malloc_extension.h>
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>

namespace {

/// Hands tcmalloc consecutive pieces of one reservation; past its end, tcmalloc's own allocator.
/// Nothing comes back: tcmalloc never returns system memory to its allocator.
class HugePageRegion : public SysAllocator {
public:
    explicit HugePageRegion(SysAllocator* fallback) : fallback_(fallback) {
        // Reserved, not committed: pages cost only when touched. 64 MiB holds the real families'
        // run three times over; a larger run continues through the fallback.
        constexpr size_t kHuge = size_t(2) << 20, kReserve = size_t(64) << 20;
        void* p = mmap(nullptr, kReserve + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (p == MAP_FAILED) return;
        next_ = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
        end_ = next_ + kReserve;
        // Advice only: where transparent huge pages are off, the region faults in 4 KiB pages.
        madvise(reinterpret_cast<void*>(next_), kReserve, MADV_HUGEPAGE);
    }

    void* Alloc(size_t size, size_t* actual_size, size_t alignment) override {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            uintptr_t start = (next_ + alignment - 1) & ~(uintptr_t(alignment) - 1);
            if (next_ != 0 && start + size <= end_) {
                next_ = start + size;
                if (actual_size) *actual_size = size;
                return reinterpret_cast<void*>(start);
            }
        }
        return fallback_ ? fallback_->Alloc(size, actual_size, alignment) : nullptr;
    }

private:
    SysAllocator* fallback_;
    std::mutex mutex_;
    uintptr_t next_ = 0, end_ = 0;
};

}  // namespace

/// tcmalloc asks for its system allocator once, at its first allocation (before main and before any
/// static constructor here), through this weak hook. The region is built in static storage: the
/// heap it serves does not exist yet.
SysAllocator* tc_get_sysalloc_override(SysAllocator* fallback) {
    alignas(HugePageRegion) static unsigned char storage[sizeof(HugePageRegion)];
    return new (storage) HugePageRegion(fallback);
}
#endif
