#include "sim/net/impairment.hpp"

#include "sim/wire/transport.hpp"

namespace wirestep {

std::string_view to_string(PacketKind k) {
  switch (k) {
    case PacketKind::Any:
      return "any";
    case PacketKind::Datagram:
      return "datagram";
    case PacketKind::Syn:
      return "syn";
    case PacketKind::SynAck:
      return "syn-ack";
    case PacketKind::Data:
      return "data";
    case PacketKind::Ack:
      return "ack";
    case PacketKind::Fin:
      return "fin";
    case PacketKind::Rst:
      return "rst";
  }
  return "?";
}

std::optional<PacketKind> packet_kind_from_string(std::string_view s) {
  for (auto k : {PacketKind::Any, PacketKind::Datagram, PacketKind::Syn, PacketKind::SynAck, PacketKind::Data,
                 PacketKind::Ack, PacketKind::Fin, PacketKind::Rst}) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

bool packet_is_kind(PacketKind k, Transport proto, std::uint8_t flags, std::uint32_t payload_len) {
  using namespace wire::tcp_flag;
  const bool tcp = proto == Transport::Tcp;
  switch (k) {
    case PacketKind::Any:
      return true;
    case PacketKind::Datagram:
      return proto == Transport::Udp;
    case PacketKind::Syn:
      return tcp && (flags & kSyn) && !(flags & kAck);
    case PacketKind::SynAck:
      return tcp && (flags & kSyn) && (flags & kAck);
    case PacketKind::Data:
      return tcp && payload_len > 0;
    case PacketKind::Ack:
      return tcp && (flags & kAck) && payload_len == 0 && !(flags & (kSyn | kFin | kRst));
    case PacketKind::Fin:
      return tcp && (flags & kFin);
    case PacketKind::Rst:
      return tcp && (flags & kRst);
  }
  return false;
}

std::string format_ppm_percent(Ppm ppm) {
  // ppm / 10000 = percent; print up to four decimals, trailing zeros trimmed.
  std::string whole = std::to_string(ppm / 10000);
  std::uint32_t frac = ppm % 10000;
  if (frac == 0) return whole + "%";
  std::string f = std::to_string(frac);
  f.insert(0, 4 - f.size(), '0');
  while (!f.empty() && f.back() == '0') f.pop_back();
  return whole + "." + f + "%";
}

namespace {
struct Describe {
  std::string operator()(const BernoulliLoss& b) const {
    return "bernoulli loss " + format_ppm_percent(b.loss);
  }
  std::string operator()(const GilbertElliottLoss& g) const {
    return "gilbert-elliott loss p=" + format_ppm_percent(g.p) + " r=" + format_ppm_percent(g.r);
  }
  // "scripted drop of datagram #3 between 2000 ms and end": what the rule picks.
  template <typename Scripted>
  static std::string selection(const Scripted& s) {
    std::string out;
    if (s.proto != Transport::Other && s.kind == PacketKind::Any)
      out += s.proto == Transport::Tcp ? "tcp packets" : "udp packets";
    else
      out += s.kind == PacketKind::Any ? "packets" : std::string(to_string(s.kind));
    if (!s.nth.empty()) {
      out += " #";
      for (std::size_t i = 0; i < s.nth.size(); ++i) out += (i ? "," : "") + std::to_string(s.nth[i]);
    }
    if (s.from || s.until) {
      out += " between " + (s.from ? format_millis(*s.from) + " ms" : std::string("start")) + " and " +
             (s.until ? format_millis(*s.until) + " ms" : std::string("end"));
    }
    return out;
  }
  std::string operator()(const ScriptedDrop& s) const { return "scripted drop of " + selection(s); }
  std::string operator()(const ScriptedDelay& s) const {
    return "scripted delay of " + selection(s) + " (+" + format_millis(s.delay) + " ms)";
  }
  std::string operator()(const ScriptedDuplicate& s) const { return "scripted copy of " + selection(s); }
  std::string operator()(const ScriptedCorrupt& s) const { return "scripted corruption of " + selection(s); }
  std::string operator()(const Duplicate& d) const { return "duplication " + format_ppm_percent(d.chance); }
  std::string operator()(const Reorder& r) const {
    return "reordering " + format_ppm_percent(r.chance) + " (+" + format_millis(r.extra_delay) + " ms)";
  }
  std::string operator()(const Corrupt& c) const { return "corruption " + format_ppm_percent(c.chance); }
};
}  // namespace

std::string describe(const ImpairmentKind& k) {
  return std::visit(Describe{}, k);
}

}  // namespace wirestep
