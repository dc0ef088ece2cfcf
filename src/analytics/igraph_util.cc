#include "analytics/igraph_util.h"

#include <string>
#include <utility>

namespace earshot::analytics {
namespace {

// igraph keeps its error handler in process-wide state, so its callers must
// take turns; this is the one lock they share.
std::mutex& IgraphMutex() {
  static std::mutex mu;
  return mu;
}

Status FromIgraph(igraph_error_t err, const char* what) {
  if (err == IGRAPH_SUCCESS) return Status::Ok();
  std::string msg = std::string(what) + ": igraph error " + std::to_string(static_cast<int>(err)) + " (" +
                    igraph_strerror(err) + ")";
  if (err == IGRAPH_ENOMEM) return Status::ResourceExhausted(std::move(msg));
  if (err == IGRAPH_EINVAL || err == IGRAPH_EINVVID) return Status::InvalidArgument(std::move(msg));
  return Status::Internal(std::move(msg));
}

}  // namespace

IgraphCallScope::IgraphCallScope()
    : lock_(IgraphMutex()), previous_(igraph_set_error_handler(igraph_error_handler_ignore)) {}

IgraphCallScope::~IgraphCallScope() { igraph_set_error_handler(previous_); }

Status IgraphGraph::Create(std::span<const igraph_integer_t> edges, int64_t nodes, bool directed) {
  Reset();
  if (edges.size() % 2 != 0) return Status::InvalidArgument("igraph edge list has an odd length");
  igraph_vector_int_t view;
  igraph_vector_int_view(&view, edges.data(), static_cast<igraph_integer_t>(edges.size()));
  EARSHOT_RETURN_IF_ERROR(FromIgraph(igraph_create(&graph_, &view, nodes, directed), "igraph_create"));
  created_ = true;
  return Status::Ok();
}

void IgraphGraph::Reset() {
  if (created_) igraph_destroy(&graph_);
  created_ = false;
}

Status IgraphVector::Init(int64_t size) {
  if (initialized_) igraph_vector_destroy(&vector_);
  initialized_ = false;
  EARSHOT_RETURN_IF_ERROR(FromIgraph(igraph_vector_init(&vector_, size), "igraph_vector_init"));
  initialized_ = true;
  return Status::Ok();
}

IgraphVector::~IgraphVector() {
  if (initialized_) igraph_vector_destroy(&vector_);
}

Result<std::vector<double>> WeightedPageRank(WeightedEdges graph, double damping) {
  const size_t m = graph.from.size();
  if (graph.to.size() != m || graph.weight.size() != m) {
    return Status::InvalidArgument("WeightedPageRank: from, to and weight differ in length");
  }
  if (!(damping > 0 && damping < 1)) return Status::InvalidArgument("WeightedPageRank: damping must be in (0, 1)");
  if (graph.nodes <= 0) return std::vector<double>{};
  std::vector<igraph_integer_t> edges(2 * m);
  for (size_t i = 0; i < m; ++i) {
    if (graph.from[i] < 0 || graph.from[i] >= graph.nodes || graph.to[i] < 0 || graph.to[i] >= graph.nodes) {
      return Status::InvalidArgument("WeightedPageRank: edge " + std::to_string(i) + " names a vertex out of range");
    }
    if (!(graph.weight[i] > 0)) {
      return Status::InvalidArgument("WeightedPageRank: edge " + std::to_string(i) + " has a weight <= 0");
    }
    edges[2 * i] = graph.from[i];
    edges[2 * i + 1] = graph.to[i];
  }
  // The int32 arrays are no longer needed; igraph holds its own copy.
  std::vector<int32_t>().swap(graph.from);
  std::vector<int32_t>().swap(graph.to);

  IgraphCallScope scope;
  IgraphGraph g;
  EARSHOT_RETURN_IF_ERROR(g.Create(edges, graph.nodes, /*directed=*/true));
  std::vector<igraph_integer_t>().swap(edges);
  igraph_vector_t weights;
  igraph_vector_view(&weights, graph.weight.data(), static_cast<igraph_integer_t>(m));
  IgraphVector ranks;
  EARSHOT_RETURN_IF_ERROR(ranks.Init(0));
  igraph_real_t value = 0;
  EARSHOT_RETURN_IF_ERROR(FromIgraph(igraph_pagerank(g.get(), IGRAPH_PAGERANK_ALGO_PRPACK, ranks.get(), &value,
                                                     igraph_vss_all(), /*directed=*/true, damping, &weights,
                                                     /*options=*/nullptr),
                                     "igraph_pagerank"));
  std::vector<double> out(static_cast<size_t>(graph.nodes));
  for (int64_t i = 0; i < graph.nodes; ++i) out[static_cast<size_t>(i)] = VECTOR(*ranks.get())[i];
  return out;
}

}  // namespace earshot::analytics
