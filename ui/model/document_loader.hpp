// Reading a document from a file: a scenario (.toml) is run (a comparison twice, over TCP and over UDP), a
// capture (.pcap, .pcapng, .cap) is read and analysed in one pass. Also the documents made in memory: a Trace
// handed over by a test or a benchmark, and a scenario run again after an edit.
#pragma once

#include <memory>
#include <string>

#include "sim/core/result.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/trace/trace.hpp"
#include "ui/model/document.hpp"
#include "ui/model/scenario_edit.hpp"

namespace wirestep {

// A document read from a file; for a scenario also its TOML, kept editable (the Link tab and the packet
// actions change it and run it again).
struct LoadedDocument {
  Document doc;
  std::unique_ptr<EditableScenario> scenario;  // null for captures
};

// Not yet finished (finish_document): the caller numbers it. Fails with the file's own message (a scenario's
// line and column, a capture's frame and offset).
Result<LoadedDocument> load_document(const std::string& path);

// A document holding one Trace built in memory, titled `title` (also its source).
Document trace_document(Trace trace, const std::string& title);

// Runs a scenario into `d`: one Trace, or a comparison's TCP and UDP runs with their table.
void run_scenario_into(Document& d, const Scenario& sc);

// One spelling per file, so the lesson opened as "scenarios/x.toml" on the command line is the lesson the
// list shows as "/work/.../scenarios/x.toml" (a path that cannot be resolved is kept as given).
std::string canonical_path(const std::string& path);

}  // namespace wirestep
