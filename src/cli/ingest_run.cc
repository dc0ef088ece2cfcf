#include "cli/ingest_run.h"

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "store/store.h"

namespace earshot::cli {

Result<pipeline::IngestReport> RunIngest(const std::string& data_dir, const std::vector<std::string>& paths,
                                         const ingest::InputOptions& input, bool json) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<std::string> files, ingest::ExpandPaths(paths));
  store::StoreOptions so;
  so.data_dir = data_dir;
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, store::OpenStore(so));
  pipeline::IngestOptions po;
  po.rejected_dir = (std::filesystem::path(data_dir) / "rejected").string();
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<pipeline::IngestPipeline> p, pipeline::IngestPipeline::Start(*st, po));

  int64_t total = 0;
  for (const std::string& f : files) {
    int64_t size = ingest::InputSize(f);
    if (size < 0) {
      total = -1;
      break;
    }
    total += size;
  }
  std::atomic<int64_t> done_before{0};
  std::atomic<int64_t> in_file{0};
  {
    Progress progress(Progress::ShouldShow(json), "ingest", [&] {
      return ProgressSample{p->counters().read.load(), done_before.load() + in_file.load(), total};
    });
    for (const std::string& f : files) {
      in_file = 0;
      p->IngestFile(f, input, [&](int64_t bytes) { in_file = bytes; });
      int64_t size = ingest::InputSize(f);
      done_before += size > 0 ? size : 0;
    }
  }
  EARSHOT_ASSIGN_OR_RETURN(pipeline::IngestReport report, p->Finish());
  // Retention policies apply as new mentions arrive, so the store never
  // holds raw mentions past their source's days for longer than one ingest.
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EARSHOT_ASSIGN_OR_RETURN(report.expired, ApplyRetention(*st, now));
  return report;
}

void PrintIngestReport(const pipeline::IngestReport& r, bool json) {
  if (json) {
    nlohmann::json errors = nlohmann::json::array();
    for (const pipeline::RecordError& e : r.errors) {
      errors.push_back({{"file", e.file}, {"record", e.record}, {"line", e.line}, {"reason", e.reason}});
    }
    nlohmann::json j = {{"read", r.read},         {"stored", r.stored},     {"updated", r.updated},
                        {"duplicates", r.duplicates}, {"rejected", r.rejected}, {"skipped", r.skipped},
                        {"files", r.files},       {"errors", errors},       {"errors_not_listed", r.errors_not_listed},
                        {"expired", r.expired},   {"text_copies", r.text_copies}};
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::cout << "read " << Thousands(r.read) << " records from " << r.files << (r.files == 1 ? " file" : " files")
            << ": stored " << Thousands(r.stored) << ", updated " << Thousands(r.updated) << ", duplicates "
            << Thousands(r.duplicates) << ", rejected " << Thousands(r.rejected) << ", skipped "
            << Thousands(r.skipped);
  if (r.expired) std::cout << ", expired by retention " << Thousands(r.expired);
  std::cout << "\n";
  if (r.text_copies) {
    std::cout << "  " << Thousands(r.text_copies) << " of the stored are exact copies of a recent text, stored once\n";
  }
  for (const pipeline::RecordError& e : r.errors) {
    std::cout << "  " << TerminalSafe(e.file);
    if (e.line) std::cout << ":" << e.line;
    if (e.record) std::cout << " (record " << e.record << ")";
    std::cout << ": " << TerminalSafe(e.reason, 300) << "\n";
  }
  if (r.errors_not_listed) std::cout << "  ... and " << Thousands(r.errors_not_listed) << " more\n";
}

}  // namespace earshot::cli
