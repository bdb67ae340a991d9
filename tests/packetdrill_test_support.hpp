// Shared by the packetdrill runner and trace tests: a small passing server script and a failure printer.
#pragma once

#include <string>

#include "sim/packetdrill/script_runner.hpp"

namespace wirestep::packetdrill::test {

inline std::string describe(const RunResult& r) {
  return "line " + std::to_string(r.line) + ": " + r.reason.en + "\n  expected: " + r.expected +
         "\n  actual:   " + r.actual;
}

// A server: handshake, 1000 bytes out, close (RFC 9293 §3.5, §3.6). Lines 1..14.
inline const char* const kServer =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 1) = 0\n"
    "+.1 < S 0:0(0) win 32792 <mss 1000>\n"
    "+0 > S. 0:0(0) ack 1 <...>\n"
    "+.1 < . 1:1(0) ack 1 win 32792\n"
    "+0 accept(3, ..., ...) = 4\n"
    "+0 write(4, ..., 1000) = 1000\n"
    "+0 > P. 1:1001(1000) ack 1\n"
    "+.1 < . 1:1(0) ack 1001 win 32792\n"
    "+0 close(4) = 0\n"
    "+0 > F. 1001:1001(0) ack 1\n"
    "+.1 < . 1:1(0) ack 1002 win 32792\n";

}  // namespace wirestep::packetdrill::test
