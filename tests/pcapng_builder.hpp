// Builds pcapng files byte by byte for the capture tests, lying lengths included: the tests spell the
// format's numbers themselves rather than take them from capture/pcapng_blocks.hpp, so a wrong constant
// there cannot hide.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace wirestep {

// Builds pcapng blocks (draft-ietf-opsawg-pcapng §4) in one byte order.
class PcapngBuilder {
 public:
  explicit PcapngBuilder(bool big_endian) : big_(big_endian) {}
  PcapngBuilder& section(std::uint32_t byte_order_magic = 0x1A2B3C4D) {
    std::vector<std::uint8_t> body;
    u32(body, byte_order_magic);
    u16(body, 1);
    u16(body, 0);
    u32(body, 0xFFFFFFFF);  // section length -1: not given
    u32(body, 0xFFFFFFFF);
    return block(0x0A0D0D0A, body);
  }
  PcapngBuilder& interface(std::uint16_t link_type) { return interface(link_type, 65535); }
  // An interface with its snapshot length and options: if_name (2), if_tsresol (9), if_tsoffset (14).
  PcapngBuilder& interface(std::uint16_t link_type, std::uint32_t snaplen, const std::string& name = "",
                           std::optional<std::uint8_t> tsresol = std::nullopt,
                           std::optional<std::int64_t> tsoffset_s = std::nullopt) {
    std::vector<std::uint8_t> body;
    u16(body, link_type);
    u16(body, 0);
    u32(body, snaplen);
    bool options = false;
    if (!name.empty()) {
      option(body, 2, std::vector<std::uint8_t>(name.begin(), name.end()));
      options = true;
    }
    if (tsresol) {
      option(body, 9, {*tsresol});
      options = true;
    }
    if (tsoffset_s) {
      std::vector<std::uint8_t> v;
      const auto o = static_cast<std::uint64_t>(*tsoffset_s);
      // A 64-bit value in the section's byte order.
      if (big_) {
        u32(v, static_cast<std::uint32_t>(o >> 32));
        u32(v, static_cast<std::uint32_t>(o));
      } else {
        u32(v, static_cast<std::uint32_t>(o));
        u32(v, static_cast<std::uint32_t>(o >> 32));
      }
      option(body, 14, v);
      options = true;
    }
    if (options) u32(body, 0);  // opt_endofopt
    return block(1, body);
  }
  PcapngBuilder& enhanced(const std::vector<std::uint8_t>& frame, std::uint32_t ts_low) {
    return enhanced_on(0, frame, 0, ts_low);
  }
  // An Enhanced Packet Block on `interface`; `captured` replaces the true captured length.
  PcapngBuilder& enhanced_on(std::uint32_t interface, const std::vector<std::uint8_t>& frame,
                             std::uint32_t ts_high, std::uint32_t ts_low,
                             std::optional<std::uint32_t> wire_len = std::nullopt) {
    std::vector<std::uint8_t> body;
    u32(body, interface);
    u32(body, ts_high);
    u32(body, ts_low);
    u32(body, static_cast<std::uint32_t>(frame.size()));
    u32(body, wire_len.value_or(static_cast<std::uint32_t>(frame.size())));
    body.insert(body.end(), frame.begin(), frame.end());
    return block(6, body);
  }
  // The obsolete Packet Block (Appendix A): a 16-bit interface id and a 16-bit drops count.
  PcapngBuilder& obsolete(std::uint16_t interface, const std::vector<std::uint8_t>& frame,
                          std::uint32_t ts_low) {
    std::vector<std::uint8_t> body;
    u16(body, interface);
    u16(body, 0);
    u32(body, 0);
    u32(body, ts_low);
    u32(body, static_cast<std::uint32_t>(frame.size()));
    u32(body, static_cast<std::uint32_t>(frame.size()));
    body.insert(body.end(), frame.begin(), frame.end());
    return block(2, body);
  }
  PcapngBuilder& simple(const std::vector<std::uint8_t>& frame,
                        std::optional<std::uint32_t> wire_len = std::nullopt) {
    std::vector<std::uint8_t> body;
    u32(body, wire_len.value_or(static_cast<std::uint32_t>(frame.size())));
    body.insert(body.end(), frame.begin(), frame.end());
    return block(3, body);
  }
  PcapngBuilder& custom() { return block(0x00000BAD, {1, 2, 3, 4}); }
  // Any block, its body padded to 32 bits; `total` and `trailer` replace the true length in the header and
  // at the end (a block that lies about its length).
  PcapngBuilder& block(std::uint32_t type, std::vector<std::uint8_t> body,
                       std::optional<std::uint32_t> total = std::nullopt,
                       std::optional<std::uint32_t> trailer = std::nullopt) {
    while (body.size() % 4) body.push_back(0);
    const auto len = static_cast<std::uint32_t>(12 + body.size());
    u32(bytes_, type);
    u32(bytes_, total.value_or(len));
    bytes_.insert(bytes_.end(), body.begin(), body.end());
    u32(bytes_, trailer.value_or(len));
    return *this;
  }
  // Raw bytes appended as they are (a block cut short, garbage).
  PcapngBuilder& raw(const std::vector<std::uint8_t>& bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  void write(const std::string& path) const {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes_.data()), static_cast<std::streamsize>(bytes_.size()));
  }

 private:
  void option(std::vector<std::uint8_t>& out, std::uint16_t code, std::vector<std::uint8_t> value) const {
    u16(out, code);
    u16(out, static_cast<std::uint16_t>(value.size()));
    while (value.size() % 4) value.push_back(0);
    out.insert(out.end(), value.begin(), value.end());
  }
  void u16(std::vector<std::uint8_t>& out, std::uint16_t v) const {
    if (big_) {
      out.push_back(static_cast<std::uint8_t>(v >> 8));
      out.push_back(static_cast<std::uint8_t>(v));
    } else {
      out.push_back(static_cast<std::uint8_t>(v));
      out.push_back(static_cast<std::uint8_t>(v >> 8));
    }
  }
  void u32(std::vector<std::uint8_t>& out, std::uint32_t v) const {
    if (big_) {
      u16(out, static_cast<std::uint16_t>(v >> 16));
      u16(out, static_cast<std::uint16_t>(v));
    } else {
      u16(out, static_cast<std::uint16_t>(v));
      u16(out, static_cast<std::uint16_t>(v >> 16));
    }
  }
  bool big_;
  std::vector<std::uint8_t> bytes_;
};

}  // namespace wirestep
