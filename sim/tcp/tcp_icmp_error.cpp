// ICMP errors about a connection's own segments (issue #18), as Linux's tcp_v4_err handles them.
#include "sim/tcp/tcp_connection.hpp"

namespace wirestep {

void TcpConnection::on_icmp_error(SimTime now, SeqNum seq, const std::string& why) {
  // Linux tcp_v4_err: an error quoting a sequence number outside SND.UNA..SND.NXT is stale or forged.
  if (state_ == TcpState::Closed || !(snd_una_ <= seq && seq <= snd_nxt_)) return;
  if (state_ == TcpState::SynSent) {
    // Linux: in SYN-SENT every destination-unreachable or time-exceeded error is hard: connect fails with
    // its errno at once. Deviation (RFC 1122 §4.2.3.9): the RFC treats host/net unreachable as soft.
    fail(now, why);
    return;
  }
  // RFC 1122 §4.2.3.9 and Linux: once connected, TCP keeps retrying; the error is only remembered.
  soft_error_ = why;
}

}  // namespace wirestep
