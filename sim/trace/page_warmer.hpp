// Faults fresh memory in on a background thread, ahead of the code that will write it.
//
// Why: on the VMs this project runs on, the kernel zeroing a fresh page on first touch costs about a third
// of loading a 2-million-frame capture (`clear_page_erms` from Trace::add_packet, docs/design-notes.md),
// and it ran on the loading thread. The memory has to be faulted in somewhere; the loading thread is the
// one the user waits for, and the other core is half idle. MADV_POPULATE_WRITE (Linux 5.14) faults pages
// in without writing to them, so warming a range that the Trace is already writing is harmless: a page
// either was faulted in by the warmer or is faulted in by the writer, its contents are never touched. Where
// the kernel refuses, nothing happens and the writer faults its pages in as before.
#pragma once

#include <cstddef>

namespace wirestep {

// Queues [start, start + bytes) to be faulted in writable by the warmer thread (started on first use, one
// per process). Returns at once. The range may be unmapped or reused before the warmer reaches it: the
// kernel then refuses or faults in the new mapping's pages, which changes no byte of it.
void warm_pages_ahead(void* start, std::size_t bytes);

}  // namespace wirestep
