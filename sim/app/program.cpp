#include "sim/app/program.hpp"

#include "sim/scenario/text_encoding.hpp"
#include "sim/trace/packet_bytes.hpp"

namespace wirestep {

ProgramRunner::ProgramRunner(Network& net, HostId host, const ScenarioProgram& program, ProgramReport& report)
    : net_(net), host_(host), program_(program), report_(report), socket_(0) {
  report_.name = program.name;
  report_.host = program.host;
}

void ProgramRunner::start() {
  socket_ = net_.host(host_).udp_socket();
  step(0, 0);
}

void ProgramRunner::on_run_end() {
  if (waiting_) report_.blocked_in = waiting_;
}

void ProgramRunner::fail(const Step& s, const std::string& reason) {
  report_.error = "line " + std::to_string(s.line) + ": " + reason;
  net_.trace().add_event(TraceEvent{net_.now(), EventKind::Note, host_, socket_, 0,
                                    program_.name + " stopped: " + reason});
}

std::vector<std::uint8_t> ProgramRunner::payload_for(const Step& s, std::uint32_t n) const {
  if (s.text.empty()) {
    std::vector<std::uint8_t> bytes(s.size);
    const std::uint64_t base = std::uint64_t{n - 1} * s.size;
    for (std::uint32_t k = 0; k < s.size; ++k) bytes[k] = bulk_payload_byte(base + k);
    return bytes;
  }
  std::string text = s.text;
  // "{n}" numbers repeated sends from 1, so a receiver (and a learner) can see which ones went missing.
  for (std::size_t pos; (pos = text.find("{n}")) != std::string::npos;) text.replace(pos, 3, std::to_string(n));
  std::string why;
  auto bytes = encode_text(text, s.encoding, why);
  return bytes ? *bytes : std::vector<std::uint8_t>{};  // checked at load time; cannot fail here
}

void ProgramRunner::step(std::size_t index, std::uint32_t repetition) {
  if (index >= program_.steps.size()) {
    report_.finished = true;
    return;
  }
  const Step& s = program_.steps[index];
  Host& host = net_.host(host_);
  if (repetition == 0 && s.at && net_.now() < *s.at) {
    net_.loop().at(*s.at, [this, index](SimTime) { step(index, 0); });
    return;
  }
  switch (s.call) {
    case Step::Call::Bind: {
      if (auto st = host.bind(socket_, s.port); !st) return fail(s, st.error().reason);
      return next(index);
    }
    case Step::Call::SendTo: {
      const auto payload = payload_for(s, repetition + 1);
      if (auto st = host.sendto(socket_, payload, s.to_addr, s.to_port); !st) return fail(s, st.error().reason);
      ++report_.datagrams_sent;
      if (repetition + 1 < s.count) {
        net_.loop().after(s.interval, [this, index, repetition](SimTime) { step(index, repetition + 1); });
      } else {
        next(index);
      }
      return;
    }
    case Step::Call::RecvFrom: {
      waiting_ = "recvfrom(" + std::to_string(s.size) + ")";
      host.recvfrom(socket_, s.size, [this, index, repetition](SimTime now, RecvFromResult r) {
        waiting_.reset();
        if (r.closed) return;
        report_.received.push_back(ReceivedMessage{
            now, std::move(r.datagram.data),
            r.datagram.from.to_string() + ":" + std::to_string(r.datagram.from_port)});
        if (repetition + 1 < program_.steps[index].count) step(index, repetition + 1);
        else next(index);
      });
      return;
    }
    case Step::Call::Sleep:
      net_.loop().after(s.duration, [this, index](SimTime) { next(index); });
      return;
    case Step::Call::Close: {
      if (auto st = host.close(socket_); !st) return fail(s, st.error().reason);
      return next(index);
    }
  }
}

}  // namespace wirestep
