// An allocator for the simulator's large, randomly read tables (the packed
// people, the preformatted X users, the node slab). The process touches a
// few cache lines at random in each of several megabytes per mention; with
// 4 KiB pages nearly every such touch is also a TLB miss, whose page walk
// costs more than the cache miss itself (twice over in a virtual machine).
// Allocations of 1 MiB and more are therefore placed on 2 MiB boundaries and
// marked for transparent huge pages where Linux offers them (`madvise` mode,
// the common default); smaller ones go to operator new. Where huge pages are
// unavailable the advice is ignored and only the alignment remains.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace earshot::sim {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;
inline constexpr size_t kHugePageThreshold = size_t{1} << 20;

// Returns `bytes` of memory aligned to a huge page and advised to use huge
// pages; throws std::bad_alloc like operator new. Free with std::free.
inline void* AllocateHugePages(size_t bytes) {
  const size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* p = std::aligned_alloc(kHugePageBytes, rounded);
  if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Advice only: a kernel without transparent huge pages refuses it, and
  // small pages then serve as before.
  (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
  return p;
}

// A std::allocator that puts allocations of kHugePageThreshold bytes and
// more on transparent huge pages. Stateless: every instance is equal.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding is implicit by design

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageThreshold) return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    return static_cast<T*>(AllocateHugePages(bytes));
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePageThreshold) {
      ::operator delete(p, std::align_val_t{alignof(T)});
    } else {
      std::free(p);
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace earshot::sim
