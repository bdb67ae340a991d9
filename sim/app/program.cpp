#include "sim/app/program.hpp"

#include <algorithm>

#include "sim/scenario/text_encoding.hpp"
#include "sim/trace/bulk_payload.hpp"

namespace wirestep {

ProgramRunner::ProgramRunner(Network& net, HostId host, const ScenarioProgram& program, ProgramReport& report)
    : net_(net), host_(host), program_(program), report_(report) {
  report_.name = program.name;
  report_.host = program.host;
  report_.tcp = program.tcp;
}

void ProgramRunner::start() {
  Host& h = net_.host(host_);
  sockets_["main"] = program_.tcp ? h.tcp_socket() : h.udp_socket();
  report_.socket_calls = 1;  // socket()
  step(0, 0);
}

void ProgramRunner::on_run_end() {
  if (waiting_) report_.blocked_in = waiting_;
}

void ProgramRunner::print(const std::string& line) {
  report_.output.push_back(line);
  // Quoted: the program's words are its own (ping prints English on every system), the note around them is
  // translated.
  if (!line.empty())
    net_.trace().add_event(TraceEvent{net_.now(), EventKind::Note, host_, TraceEvent::kNone, 0,
                                      "\"" + program_.name + "\" printed \"" + line + "\""});
}

void ProgramRunner::fail(const Step& s, const std::string& reason) {
  waiting_.reset();
  report_.error = "line " + std::to_string(s.line) + ": " + reason;
  net_.trace().add_event(TraceEvent{net_.now(), EventKind::Note, host_, TraceEvent::kNone, 0,
                                    program_.name + " stopped: " + reason});
}

SocketId ProgramRunner::socket_for(const Step& s) {
  auto it = sockets_.find(s.on.empty() ? current_ : s.on);
  return it == sockets_.end() ? kNoSocket : it->second;
}

std::vector<std::uint8_t> ProgramRunner::payload_for(const Step& s, std::uint32_t n) const {
  if (s.text.empty()) {
    std::vector<std::uint8_t> bytes(s.size);
    fill_bulk_payload(std::uint64_t{n - 1} * s.size, bytes.data(), bytes.size());
    return bytes;
  }
  std::string text = s.text;
  // "{n}" numbers repeated sends from 1, so a receiver (and a learner) can see which ones went missing.
  for (std::size_t pos; (pos = text.find("{n}")) != std::string::npos;)
    text.replace(pos, 3, std::to_string(n));
  std::string why;
  auto bytes = encode_text(text, s.encoding, why);
  std::vector<std::uint8_t> out = bytes ? *bytes : std::vector<std::uint8_t>{};  // checked at load time
  if (out.size() < s.pad_to) {
    const std::size_t from = out.size();
    out.resize(s.pad_to);
    fill_bulk_payload(from, out.data() + from, out.size() - from);
  }
  return out;
}

void ProgramRunner::repeat_or_next(std::size_t index, std::uint32_t repetition) {
  const Step& s = program_.steps[index];
  if (repetition + 1 >= s.count) return next(index);
  // "one every 10 ms": keep to the schedule even when a call blocked for a while.
  const SimTime due = repeat_start_ + s.interval * (repetition + 1);
  net_.loop().at(std::max(due, net_.now()),
                 [this, index, repetition](SimTime) { step(index, repetition + 1); });
}

void ProgramRunner::step(std::size_t index, std::uint32_t repetition) {
  waiting_.reset();
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
  if (repetition == 0) repeat_start_ = net_.now();
  const SocketId sock = socket_for(s);
  if (sock == kNoSocket && s.call != Step::Call::Sleep)
    return fail(s, "no socket named \"" + (s.on.empty() ? current_ : s.on) + "\"");
  if (s.call != Step::Call::Sleep) ++report_.socket_calls;
  switch (s.call) {
    case Step::Call::Bind: {
      if (auto st = host.bind(sock, s.port); !st) return fail(s, st.error().reason);
      return next(index);
    }
    case Step::Call::SendTo: {
      if (s.to_sender && !last_sender_)
        return fail(s, "sendto the sender: no datagram has been received yet");
      const auto payload = payload_for(s, repetition + 1);
      const auto to = s.to_sender ? *last_sender_ : std::pair{s.to_addr, s.to_port};
      if (auto st = host.sendto(sock, payload, to.first, to.second); !st) return fail(s, st.error().reason);
      ++report_.datagrams_sent;
      repeat_or_next(index, repetition);
      return;
    }
    case Step::Call::RecvFrom: {
      waiting_ = "recvfrom(" + std::to_string(s.size) + ")";
      host.recvfrom(sock, s.size, [this, index, repetition, &s](SimTime now, RecvFromResult r) {
        waiting_.reset();
        if (!r.error.empty()) return fail(s, r.error);
        if (r.closed) return;
        report_.recv_sizes.push_back(static_cast<std::uint32_t>(r.datagram.data.size()));
        last_sender_ = std::pair{r.datagram.from, r.datagram.from_port};
        report_.received.push_back(
            ReceivedMessage{now, std::move(r.datagram.data),
                            r.datagram.from.to_string() + ":" + std::to_string(r.datagram.from_port)});
        if (repetition + 1 < program_.steps[index].count)
          step(index, repetition + 1);
        else
          next(index);
      });
      return;
    }
    case Step::Call::Sleep:
      waiting_ = "sleep";
      net_.loop().after(s.duration, [this, index](SimTime) { next(index); });
      return;
    case Step::Call::Close: {
      if (auto st = host.close(sock); !st) return fail(s, st.error().reason);
      return next(index);
    }
    case Step::Call::Listen: {
      if (auto st = host.listen(sock, s.backlog); !st) return fail(s, st.error().reason);
      return next(index);
    }
    case Step::Call::Accept: {
      waiting_ = "accept()";
      host.accept(sock, [this, index, &s](SimTime, Result<SocketId> r) {
        if (!r) return fail(s, r.error().reason);
        ++report_.connections_accepted;
        const std::string name = s.as.empty() ? "conn" : s.as;
        sockets_[name] = *r;
        current_ = name;  // conn, addr = s.accept(): the following calls talk on the new socket
        next(index);
      });
      return;
    }
    case Step::Call::Ping: {
      waiting_ = "ping";
      ping_ = std::make_unique<PingProgram>(
          net_, host_, s, [this](const std::string& l) { print(l); }, [this, index] { next(index); });
      ping_->start();
      return;
    }
    case Step::Call::Traceroute: {
      waiting_ = "traceroute";
      traceroute_ = std::make_unique<TracerouteProgram>(
          net_, host_, s, [this](const std::string& l) { print(l); }, [this, index] { next(index); });
      traceroute_->start();
      return;
    }
    case Step::Call::Connect: {
      if (!host.is_tcp(sock)) {
        // connect() on a UDP socket: remembers the peer; ICMP errors about it reach the socket (udp(7)).
        if (auto st = host.udp_connect(sock, s.to_addr, s.to_port); !st) return fail(s, st.error().reason);
        return next(index);
      }
      waiting_ = "connect()";
      host.connect(sock, s.to_addr, s.to_port, [this, index, &s](SimTime now, Status st) {
        if (!st) return fail(s, st.error().reason);
        report_.connected_at = now;
        next(index);
      });
      return;
    }
    case Step::Call::Send: {
      if (!host.is_tcp(sock)) {
        std::vector<std::uint8_t> payload;
        if (!s.text.empty()) {
          payload = payload_for(s, repetition + 1);
        } else {
          payload.resize(static_cast<std::size_t>(std::min<std::uint64_t>(s.send_bytes, 65507)));
          fill_bulk_payload(0, payload.data(), payload.size());
        }
        if (auto st = host.udp_send(sock, payload); !st) return fail(s, st.error().reason);
        ++report_.datagrams_sent;
        repeat_or_next(index, repetition);
        return;
      }
      waiting_ = "send()";
      std::vector<std::uint8_t> literal;
      if (!s.text.empty()) literal = payload_for(s, repetition + 1);
      host.send(sock, std::move(literal), s.text.empty() ? s.send_bytes : 0,
                [this, index, repetition, &s](SimTime, Result<std::uint64_t> r) {
                  if (!r) return fail(s, r.error().reason);
                  report_.stream_bytes_sent += *r;
                  repeat_or_next(index, repetition);
                });
      return;
    }
    case Step::Call::Recv: {
      waiting_ = "recv(" + std::to_string(s.size) + ")";
      host.recv(sock, s.size, [this, index, repetition, &s](SimTime, Result<std::vector<std::uint8_t>> r) {
        if (!r) return fail(s, r.error().reason);
        report_.recv_sizes.push_back(static_cast<std::uint32_t>(r->size()));
        if (r->empty()) {
          ++report_.recv_returned_zero;
          return next(index);  // end of stream ends any recv loop
        }
        report_.stream_bytes_received += r->size();
        report_.recv_log.emplace_back(net_.now(), report_.stream_bytes_received);
        if (report_.stream_received.size() + r->size() <= ProgramReport::kMaxStoredStream)
          report_.stream_received.insert(report_.stream_received.end(), r->begin(), r->end());
        if (s.until_eof || repetition + 1 < s.count)
          step(index, repetition + 1);
        else
          next(index);
      });
      return;
    }
    case Step::Call::Shutdown: {
      if (auto st = host.shutdown_send(sock); !st) return fail(s, st.error().reason);
      return next(index);
    }
  }
}

}  // namespace wirestep
