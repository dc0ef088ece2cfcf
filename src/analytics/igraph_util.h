// RAII owners for the igraph handles analytics uses, and the one graph
// algorithm it needs from igraph: weighted directed PageRank.
//
// The Debian igraph build is not thread-safe (IGRAPH_THREAD_SAFE is 0): its
// error handler and internal state are process-wide. Every call into igraph
// therefore goes through IgraphCallScope, which serialises callers and turns
// igraph errors into return codes instead of the default abort().
#pragma once

#include <igraph.h>

#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "core/status.h"

namespace earshot::analytics {

// Holds the process-wide igraph lock and installs the "ignore" error
// handler (igraph then returns error codes) for the scope's lifetime,
// restoring the previous handler on exit. Not reentrant.
class IgraphCallScope {
 public:
  IgraphCallScope();
  ~IgraphCallScope();
  IgraphCallScope(const IgraphCallScope&) = delete;
  IgraphCallScope& operator=(const IgraphCallScope&) = delete;

 private:
  std::unique_lock<std::mutex> lock_;
  igraph_error_handler_t* previous_;
};

// Owns an igraph_t; destroys it on scope exit.
class IgraphGraph {
 public:
  IgraphGraph() = default;
  ~IgraphGraph() { Reset(); }
  IgraphGraph(const IgraphGraph&) = delete;
  IgraphGraph& operator=(const IgraphGraph&) = delete;

  // Creates a graph of `nodes` vertices from `edges` (from, to, from, to ...).
  // Returns InvalidArgument for an odd edge list or an out-of-range vertex,
  // ResourceExhausted when igraph cannot allocate.
  // REQUIRES: an IgraphCallScope is alive.
  Status Create(std::span<const igraph_integer_t> edges, int64_t nodes, bool directed);

  // Returns the graph, or nullptr before a successful Create.
  igraph_t* get() { return created_ ? &graph_ : nullptr; }

 private:
  void Reset();
  igraph_t graph_{};
  bool created_ = false;
};

// Owns an igraph_vector_t; destroys it on scope exit.
class IgraphVector {
 public:
  IgraphVector() = default;
  ~IgraphVector();
  IgraphVector(const IgraphVector&) = delete;
  IgraphVector& operator=(const IgraphVector&) = delete;

  // Allocates `size` zeros. Returns ResourceExhausted when igraph cannot allocate `size` reals.
  // REQUIRES: an IgraphCallScope is alive.
  Status Init(int64_t size);

  // Returns the vector, or nullptr before a successful Init.
  igraph_vector_t* get() { return initialized_ ? &vector_ : nullptr; }

 private:
  igraph_vector_t vector_{};
  bool initialized_ = false;
};

// A directed graph as parallel edge arrays: edge i goes from[i] -> to[i]
// with weight[i] > 0.
struct WeightedEdges {
  int64_t nodes = 0;
  std::vector<int32_t> from;
  std::vector<int32_t> to;
  std::vector<double> weight;
};

// Returns the PageRank of every vertex of `graph` (directed, weighted,
// PRPACK, the given damping), summing to 1. Consumes the edge arrays to keep
// peak memory down. Empty graph: empty vector. Errors: InvalidArgument for
// inconsistent arrays or weights <= 0, ResourceExhausted or Internal from igraph.
// Thread-safe (serialised through IgraphCallScope).
Result<std::vector<double>> WeightedPageRank(WeightedEdges graph, double damping);

}  // namespace earshot::analytics
