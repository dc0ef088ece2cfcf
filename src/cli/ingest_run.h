// Running an ingest from the CLI (shared by `ingest` and `demo`).
#pragma once

#include <string>
#include <vector>

#include "ingest/input_reader.h"
#include "pipeline/ingest_pipeline.h"

namespace earshot::cli {

// Ingests `paths` into the store in `data_dir`, with progress on a terminal
// unless `json`. Rejected records are kept in <data_dir>/rejected/.
Result<pipeline::IngestReport> RunIngest(const std::string& data_dir, const std::vector<std::string>& paths,
                                         const ingest::InputOptions& input, bool json);

// Prints the report: JSON {"read","stored","updated","duplicates","rejected",
// "skipped","errors":[{"file","record","line","reason"}]} or text.
void PrintIngestReport(const pipeline::IngestReport& r, bool json);

}  // namespace earshot::cli
