// A packetdrill script as typed data: timed events (system calls, packets, shell lines, Python blocks) with
// the line and column each came from. The grammar is packetdrill's (google/packetdrill, parser.y), read by
// script_parser.cpp; what the runner can do with each event is script_runner.cpp's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace wirestep::packetdrill {

struct SourcePos {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in bytes
};

// When an event happens, in microseconds (packetdrill's unit). `+t` is relative to the previous event's
// script time; `a~b` is a range the event may fall in; `*` is any time.
struct TimeSpec {
  enum class Kind : std::uint8_t { None, Absolute, Relative, Any };
  Kind kind = Kind::None;  // None: a setup line outside the timeline (a top-level shell command)
  std::int64_t usecs = 0;
  std::optional<std::int64_t> range_end_usecs;  // `~b`
  bool range_end_relative = false;              // `~+b`
};

// An argument or result of a system call.
struct Expr {
  enum class Kind : std::uint8_t { Ellipsis, Integer, Symbol, String, Array, Struct, Call, BitOr };
  Kind kind = Kind::Ellipsis;
  SourcePos pos;
  std::int64_t integer = 0;
  std::string text;                      // Symbol name, String contents, Call name
  std::vector<Expr> items;               // Array items, Struct values, Call arguments, BitOr terms
  std::vector<std::string> field_names;  // Struct only, parallel to items ("" for a positional value)
};

struct Syscall {
  std::string name;
  std::vector<Expr> args;
  Expr result;
  std::string errno_name;  // `= -1 EINPROGRESS (Operation now in progress)`: "EINPROGRESS"
  std::string errno_text;  // ... and "Operation now in progress"
  // `t...end`: the call blocks and returns at `end` (relative to the previous event when t is relative).
  std::optional<std::int64_t> end_usecs;
};

struct TcpOption {
  enum class Kind : std::uint8_t { Mss, SackPermitted, Timestamp, Nop, WindowScale, Sack, Eol };
  Kind kind = Kind::Nop;
  std::uint32_t value = 0;  // mss, wscale, TS val
  std::uint32_t echo = 0;   // TS ecr
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sack_blocks;
};

struct Packet {
  bool inbound = false;    // `<`: from the remote peer into the host; `>`: the host must send it
  std::uint8_t flags = 0;  // wire::tcp_flag bits
  std::uint32_t seq = 0;   // `seq:end(len)`
  std::uint32_t end = 0;
  std::uint32_t len = 0;
  std::optional<std::uint32_t> ack;
  std::optional<std::uint32_t> window;
  enum class Options : std::uint8_t { None, Any, List };  // none written, `<...>`, or a list
  Options options_kind = Options::None;
  std::vector<TcpOption> options;
};

struct ShellCommand {
  std::string text;  // between the backticks
};

struct PythonBlock {
  std::string text;  // between %{ and }%, evaluated by python_block.hpp
};

struct Event {
  SourcePos pos;
  TimeSpec time;
  std::variant<Syscall, Packet, ShellCommand, PythonBlock> body;
};

struct ScriptOption {
  SourcePos pos;
  std::string name;  // `--tolerance_usecs=10000`: "tolerance_usecs"
  std::string value;
};

struct Script {
  std::string file;
  std::vector<ScriptOption> options;
  std::vector<Event> events;       // in file order
  std::vector<std::string> lines;  // the script's text by line (index = line - 1), for messages
};

}  // namespace wirestep::packetdrill
