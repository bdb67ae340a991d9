#include "capture/pcapng_reader.hpp"

#include <algorithm>
#include <cstring>

#include "capture/capture_error.hpp"

namespace wirestep {
namespace {

// libpcap's snapshot length for an interface that gives none (its MAXIMUM_SNAPLEN, more for a few link
// types); a record longer than its interface's snapshot length is cut to it, as libpcap does, so results
// match.
std::uint32_t max_snaplen_for(int dlt) {
  switch (dlt) {
    case 231:  // DLT_DBUS
      return 128 * 1024 * 1024;
    case 279:  // DLT_EBHSCR
      return 8 * 1024 * 1024;
    case 249:  // DLT_USBPCAP
      return 1024 * 1024;
    default:
      return 262144;
  }
}

}  // namespace

int dlt_for_linktype(std::uint32_t linktype) {
  switch (linktype) {
    case 100:  // LINKTYPE_ATM_RFC1483
      return 11;
    case 101:  // LINKTYPE_RAW
      return 12;
    case 102:  // LINKTYPE_SLIP_BSDOS
      return 15;
    case 103:  // LINKTYPE_PPP_BSDOS
      return 16;
    case 106:  // LINKTYPE_ATM_CLIP
      return 19;
    default:
      return static_cast<int>(linktype);
  }
}

PcapngReader::PcapngReader(std::string path) : path_(std::move(path)), file_(path_) {}

bool PcapngReader::stop(std::uint64_t at, const std::string& reason, const std::string& reason_zh,
                        bool truncated) {
  done_ = true;
  truncated_ = truncated;
  error_offset_ = at;
  read_error_ = offset_where(at) + ": " + reason;
  read_error_zh_ = offset_where_zh(at) + "：" + (reason_zh.empty() ? reason : reason_zh);
  return false;
}

Result<bool> PcapngReader::open() {
  if (!file_.is_open())
    return file_error(path_, std::string("cannot open: ") + std::strerror(file_.open_errno()),
                      std::string("无法打开文件：") + std::strerror(file_.open_errno()));
  const Result<pcapng::Block> first = pcapng::read_block(file_, path_, 0, false);
  if (!first) return first.error();
  if (first->type != pcapng::kSectionHeaderBlock)
    return offset_error(path_, 0, "not a pcapng file: no Section Header Block",
                        "不是 pcapng 文件：没有节头块（Section Header Block）");
  const std::optional<std::uint16_t> major = pcapng::section_major_version(file_, *first);
  if (!major)
    return offset_error(path_, 0, "Section Header Block too short for its fields",
                        "节头块（Section Header Block）太短，放不下它的字段");
  if (*major != 1)
    return offset_error(path_, 0, "pcapng major version " + std::to_string(*major) + " (only 1 is defined)",
                        "pcapng 主版本号是 " + std::to_string(*major) + "（只定义了 1）");
  return true;
}

// §4.1: a new section has its own byte order and starts with no interfaces.
bool PcapngReader::take_section(const pcapng::Block& b) {
  const std::optional<std::uint16_t> major = pcapng::section_major_version(file_, b);
  if (!major)
    return stop(b.start, "Section Header Block too short for its fields",
                "节头块（Section Header Block）太短，放不下它的字段");
  if (*major != 1)
    return stop(b.start, "section of pcapng major version " + std::to_string(*major) + " (only 1 is defined)",
                "这一节的 pcapng 主版本号是 " + std::to_string(*major) + "（只定义了 1）");
  big_endian_ = b.big_endian;
  section_interfaces_.clear();
  ++sections_;
  return true;
}

bool PcapngReader::take_interface(const pcapng::Block& b) {
  const std::optional<pcapng::InterfaceDescription> d = pcapng::interface_description(file_, b);
  if (!d)
    return stop(b.start, "Interface Description Block too short for its fields",
                "接口描述块（Interface Description Block）太短，放不下它的字段");
  PcapngInterface i;
  i.dlt = dlt_for_linktype(d->link_type);
  // libpcap 1.10 keeps a larger snapshot length as given; 0 (none) and values that are negative as its int
  // become the link type's maximum.
  i.snaplen = d->snaplen == 0 || d->snaplen > 0x7FFFFFFF ? max_snaplen_for(i.dlt) : d->snaplen;
  i.spb_snaplen = d->snaplen;
  i.name = d->name;
  i.tsresol = d->tsresol;
  i.tsoffset_s = d->tsoffset_s;
  i.section = sections_ - 1;
  section_interfaces_.push_back(static_cast<std::uint32_t>(interfaces_.size()));
  interfaces_.push_back(std::move(i));
  return true;
}

bool PcapngReader::take_packet(const pcapng::Block& b, PcapngFrame& out) {
  const std::optional<pcapng::PacketStamp> stamp = pcapng::packet_stamp(file_, b);
  const std::optional<pcapng::PacketData> data = pcapng::packet_data(file_, b);
  if (!stamp || !data)
    return stop(b.start, "packet block too short for its fields", "数据包块太短，放不下它的字段");
  // §4.3: the interface id refers to an Interface Description Block of the same section.
  if (stamp->interface >= section_interfaces_.size())
    return stop(b.start,
                "packet on interface " + std::to_string(stamp->interface) + ", but the section has " +
                    std::to_string(section_interfaces_.size()) + " interfaces",
                "数据包属于接口 " + std::to_string(stamp->interface) + "，但这一节只有 " +
                    std::to_string(section_interfaces_.size()) + " 个接口");
  const std::uint64_t room = b.end() - 4 - data->offset;
  if (data->captured_len > room)
    return stop(b.start,
                "captured length " + std::to_string(data->captured_len) + " runs past its block (" +
                    std::to_string(room) + " bytes of packet data)",
                "抓取长度 " + std::to_string(data->captured_len) + " 超出了所在的块（块里只有 " +
                    std::to_string(room) + " 字节数据包数据）");
  const std::uint32_t global = section_interfaces_[stamp->interface];
  const PcapngInterface& i = interfaces_[global];
  std::uint32_t caplen = data->captured_len;
  // §4.4: a Simple Packet Block holds at most the interface's snapshot length.
  if (b.type == pcapng::kSimplePacketBlock && i.spb_snaplen != 0) caplen = std::min(caplen, i.spb_snaplen);
  out.interface = global;
  out.epoch_ns = stamp->ticks ? pcapng::timestamp_ns(*stamp->ticks, i.tsresol, i.tsoffset_s) : 0;
  out.stored_len = caplen;
  out.caplen = std::min(caplen, i.snaplen);
  out.len = data->wire_len;
  out.data_offset = data->offset;
  out.data = file_.view(data->offset, out.caplen);
  if (!out.data) return stop(b.start, "cannot read the packet data", "无法读取数据包数据");
  return true;
}

bool PcapngReader::next(PcapngFrame& out) {
  // Every step moves forward by at least 12 bytes, so the walk ends.
  while (!done_ && pos_ < file_.size()) {
    const std::uint64_t left = file_.size() - pos_;
    const Result<pcapng::Block> b = pcapng::read_block(file_, path_, pos_, big_endian_);
    if (!b) {
      // The file ending inside a block (or its header) is a cut file; any other bad length is damage.
      const std::optional<std::uint32_t> total = file_.u32(pos_ + 4, big_endian_);
      const bool cut = left < pcapng::kBlockOverhead ||
                       (total && *total >= pcapng::kBlockOverhead && *total % 4 == 0 && *total > left);
      const Error& e = b.error();
      const std::string& zh = e.reason_zh.empty() ? e.reason : e.reason_zh;
      return stop(pos_, cut ? "truncated: " + e.reason : e.reason, cut ? "文件被截断：" + zh : zh, cut);
    }
    pos_ = b->end();
    switch (b->type) {
      case pcapng::kSectionHeaderBlock:
        if (!take_section(*b)) return false;
        break;
      case pcapng::kInterfaceDescriptionBlock:
        if (!take_interface(*b)) return false;
        break;
      case pcapng::kEnhancedPacketBlock:
      case pcapng::kSimplePacketBlock:
      case pcapng::kObsoletePacketBlock:
        return take_packet(*b, out);
      default:
        break;  // statistics, name resolution, custom, unknown: nothing a frame needs
    }
  }
  return false;
}

}  // namespace wirestep
