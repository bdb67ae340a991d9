// The inspector's model: a frame's bytes split into layers and fields, each with the byte range it occupies,
// so the panel can show the header tree and highlight the selected field in the hex dump. Window-free; built
// once per selection (it allocates strings, never per frame).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wirestep {

enum class Layer : std::uint8_t { Link, Network, Transport, Payload };

struct Field {
  Layer layer = Layer::Link;
  bool header = false;  // the layer's title row ("IPv4, 10.0.0.1 → 10.0.0.2")
  std::string name;
  std::string value;
  std::uint32_t offset = 0;  // byte range in the frame
  std::uint32_t length = 0;
};

struct FrameContext {
  bool ethernet = true;     // the frame starts with an Ethernet II header (else: raw IP)
  int src_prefix_len = -1;  // the sending host's prefix, for network/host part; -1 unknown
  int dst_prefix_len = -1;
  // Relative numbering like Wireshark: subtract these (the ISNs) to show relative seq/ack beside raw values.
  std::optional<std::uint32_t> seq_base;
  std::optional<std::uint32_t> ack_base;
  bool chinese = false;  // layer titles in Chinese
};

struct PayloadText {
  std::string text;  // UTF-8, control characters escaped
  enum class Encoding : std::uint8_t { None, Utf8, Gbk, Binary } encoding = Encoding::None;
};
// UTF-8 if every byte is valid UTF-8, else GBK if valid GBK (the seed's example sends GBK), else binary.
PayloadText decode_payload(std::span<const std::uint8_t> payload);

std::vector<Field> describe_frame(std::span<const std::uint8_t> frame, const FrameContext& ctx);

}  // namespace wirestep
