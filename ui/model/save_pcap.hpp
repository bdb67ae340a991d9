// File > Save pcap: what the open document's packets become on disk. A simulated run goes through the
// exporter (capture/pcap_export.hpp), which rebuilds every packet; a capture keeps its real frames, copied
// from the original file (capture/frame_copy.hpp). Every write goes to "NAME.part" and is renamed at the end.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "capture/frame_copy.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"
#include "ui/model/document.hpp"

namespace wirestep {

// "1,234,567".
std::string format_count(std::uint64_t n);

// The files one save writes for a document whose traces carry `labels`: one trace (or a capture) goes to
// `chosen`; a simulated TCP-vs-UDP comparison writes each run beside it, NAME-tcp.pcap and NAME-udp.pcap.
std::vector<std::string> save_paths(const std::string& chosen, const std::vector<std::string>& labels);

// Writes a simulated run through the exporter. Returns the number of packets written.
Result<std::size_t> write_trace_pcap(const Trace& trace, const std::string& out);

// The labels save_paths() names a document's files by: one per run of a simulated document; none for a
// capture, which is saved as one file whatever the timeline shows.
std::vector<std::string> save_labels(const Document& doc);
// What a save would write, in packets: the frames of the flows the timeline shows, or the whole run.
std::uint64_t packets_to_save(const Document& doc);
// A file name that says what would be saved: the document's, plus which flows of a capture.
std::string suggested_save_name(const Document& doc);

struct WrittenFile {
  std::size_t packets = 0;
  std::string path;
};
// Saves the document as pcap: a run (each run of a comparison beside `path`, save_paths) through the
// exporter; a capture's frames of the flows the timeline shows, copied unchanged from its file. Stops at
// the first file that fails.
Result<std::vector<WrittenFile>> save_document_pcap(const Document& doc, const std::string& path);

}  // namespace wirestep
