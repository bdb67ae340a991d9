// packetdrill's grammar, hand-written as recursive descent over the characters: newlines are plain white
// space (a sendmsg may span lines), `//` and `/* */` are comments, every event starts with its time.
#include "sim/packetdrill/script_parser.hpp"

#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/wire/transport.hpp"

namespace wirestep::packetdrill {
namespace {

using namespace wire::tcp_flag;

// Thrown inside the parser only; parse_script turns it into an Error.
struct ParseFailure {
  SourcePos pos;
  std::string reason;
};

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// packetdrill's flag letters (parser.y): F S R P . (ACK) U E W (CWR).
std::uint8_t flag_bit(char c) {
  switch (c) {
    case 'F':
      return kFin;
    case 'S':
      return kSyn;
    case 'R':
      return kRst;
    case 'P':
      return kPsh;
    case '.':
      return kAck;
    case 'U':
      return kUrg;
    case 'E':
      return kEce;
    case 'W':
      return kCwr;
    default:
      return 0;
  }
}

class Parser {
 public:
  Parser(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

  Script parse() {
    Script script;
    skip_space();
    while (!at_end()) {
      if (script.events.size() >= limits_.max_events)
        fail(here(), "more than " + std::to_string(limits_.max_events) + " events");
      if (starts_with("--")) {
        script.options.push_back(parse_option());
      } else if (peek() == '`') {
        Event e;
        e.pos = here();
        e.body = parse_shell();
        script.events.push_back(std::move(e));
      } else {
        script.events.push_back(parse_event());
      }
      skip_space();
    }
    return script;
  }

  [[noreturn]] void fail(SourcePos pos, std::string reason) { throw ParseFailure{pos, std::move(reason)}; }
  SourcePos here() const { return pos_; }

 private:
  bool at_end() const { return i_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0'; }
  bool starts_with(std::string_view s) const { return text_.substr(i_).starts_with(s); }
  void advance(std::size_t n = 1) {
    for (; n > 0 && i_ < text_.size(); --n, ++i_) {
      if (text_[i_] == '\n') {
        ++pos_.line;
        pos_.column = 1;
      } else {
        ++pos_.column;
      }
    }
  }
  void expect(char c, const char* what) {
    skip_space();
    if (peek() != c) fail(here(), std::string("expected ") + what + found());
    advance();
  }
  std::string found() const {
    if (at_end()) return ", found the end of the script";
    const char c = peek();
    if (c == '\n') return ", found the end of the line";
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
      return ", found byte 0x" + hex(static_cast<unsigned char>(c));
    return std::string(", found '") + c + "'";
  }
  static std::string hex(unsigned v) {
    const char* digits = "0123456789abcdef";
    return std::string{digits[(v >> 4) & 15], digits[v & 15]};
  }

  // White space, newlines and both kinds of comment.
  void skip_space() {
    while (!at_end()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        advance();
      } else if (c == '/' && peek(1) == '/') {
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        const SourcePos start = here();
        advance(2);
        while (!at_end() && !starts_with("*/")) advance();
        if (at_end()) fail(start, "unterminated comment: /* has no matching */");
        advance(2);
      } else {
        return;
      }
    }
  }

  std::string identifier() {
    std::string out;
    while (is_ident_char(peek())) {
      out += peek();
      advance();
    }
    return out;
  }

  ScriptOption parse_option() {
    ScriptOption o;
    o.pos = here();
    advance(2);
    o.name = identifier();
    if (o.name.empty()) fail(o.pos, "expected an option name after --");
    if (peek() == '=') {
      advance();
      while (!at_end() && peek() != '\n' && peek() != ' ' && peek() != '\t' && peek() != '\r') {
        o.value += peek();
        advance();
      }
    }
    return o;
  }

  ShellCommand parse_shell() {
    const SourcePos start = here();
    advance();  // `
    ShellCommand cmd;
    while (!at_end() && peek() != '`') {
      cmd.text += peek();
      advance();
    }
    if (at_end()) fail(start, "unterminated shell command: ` has no closing `");
    advance();
    return cmd;
  }

  PythonBlock parse_python() {
    const SourcePos start = here();
    advance(2);  // %{
    PythonBlock block;
    while (!at_end() && !starts_with("}%")) {
      block.text += peek();
      advance();
    }
    if (at_end()) fail(start, "unterminated Python block: %{ has no matching }%");
    advance(2);
    return block;
  }

  // Seconds as packetdrill writes them ("0", ".1", "0.200", "2") in microseconds, exact (no floating point).
  std::int64_t seconds_usecs() {
    const SourcePos start = here();
    std::int64_t whole = 0;
    int digits = 0;
    while (is_digit(peek())) {
      if (++digits > 9) fail(start, "time too large (more than 999999999 seconds)");
      whole = whole * 10 + (peek() - '0');
      advance();
    }
    std::int64_t frac = 0;
    int frac_digits = 0;
    // "0...0.200": a '.' followed by '.' is the ellipsis, not a decimal point.
    if (peek() == '.' && peek(1) != '.') {
      advance();
      while (is_digit(peek())) {
        if (frac_digits < 6) {
          frac = frac * 10 + (peek() - '0');
          ++frac_digits;
        }
        ++digits;
        advance();
      }
    }
    if (digits == 0) fail(start, "expected a time in seconds" + found());
    for (; frac_digits < 6; ++frac_digits) frac *= 10;
    return whole * 1'000'000 + frac;
  }

  TimeSpec parse_time() {
    TimeSpec t;
    if (peek() == '*') {
      advance();
      t.kind = TimeSpec::Kind::Any;
      return t;
    }
    t.kind = TimeSpec::Kind::Absolute;
    if (peek() == '+') {
      advance();
      t.kind = TimeSpec::Kind::Relative;
    }
    t.usecs = seconds_usecs();
    if (peek() == '~') {
      advance();
      if (peek() == '+') {
        advance();
        t.range_end_relative = true;
      }
      t.range_end_usecs = seconds_usecs();
    }
    return t;
  }

  Event parse_event() {
    Event e;
    e.pos = here();
    const char c = peek();
    if (!(c == '*' || c == '+' || c == '.' || is_digit(c)))
      fail(here(), "expected an event time (0, +0.1, *, ...)" + found());
    e.time = parse_time();
    std::optional<std::int64_t> end;
    if (starts_with("...")) {
      advance(3);
      end = seconds_usecs();
    }
    skip_space();
    if (peek() == '<' || peek() == '>') {
      if (end) fail(e.pos, "only a system call can block (t...end); a packet cannot");
      e.body = parse_packet();
    } else if (starts_with("%{")) {
      e.body = parse_python();
    } else if (peek() == '`') {
      e.body = parse_shell();
    } else if (is_ident_start(peek())) {
      Syscall call = parse_syscall();
      call.end_usecs = end;
      e.body = std::move(call);
    } else {
      fail(here(), "expected a system call, a packet (< or >), a `shell command` or %{ python }%" + found());
    }
    return e;
  }

  std::uint32_t uint32_value(const char* what) {
    skip_space();
    const SourcePos start = here();
    if (!is_digit(peek())) fail(start, std::string("expected ") + what + found());
    std::uint64_t v = 0;
    while (is_digit(peek())) {
      v = v * 10 + static_cast<std::uint64_t>(peek() - '0');
      if (v > 0xFFFFFFFFull) fail(start, std::string(what) + " does not fit in 32 bits");
      advance();
    }
    return static_cast<std::uint32_t>(v);
  }

  Packet parse_packet() {
    Packet p;
    p.inbound = peek() == '<';
    advance();
    skip_space();
    const SourcePos flags_pos = here();
    std::string word;
    while (!at_end() && peek() != ' ' && peek() != '\t' && peek() != '\n' && peek() != '\r') {
      word += peek();
      advance();
      if (word.size() > 16) break;
    }
    if (word.empty()) fail(flags_pos, "expected TCP flags (S, S., P., F., R, .)" + found());
    if (word == "udp" || word == "icmp" || word == "sctp")
      fail(flags_pos, "unsupported: " + word + " packets (only TCP scripts are read)");
    for (const char c : word) {
      const std::uint8_t bit = flag_bit(c);
      if (!bit) fail(flags_pos, "unknown TCP flag '" + std::string(1, c) + "' in \"" + word + "\"");
      if (p.flags & bit) fail(flags_pos, "TCP flag '" + std::string(1, c) + "' twice in \"" + word + "\"");
      p.flags |= bit;
    }
    skip_space();
    const SourcePos seq_pos = here();
    p.seq = uint32_value("a sequence number (seq:end(len))");
    expect(':', "':' in seq:end(len)");
    p.end = uint32_value("the end sequence number (seq:end(len))");
    expect('(', "'(' in seq:end(len)");
    p.len = uint32_value("a payload length (seq:end(len))");
    expect(')', "')' in seq:end(len)");
    if (p.end - p.seq != p.len)
      fail(seq_pos, "sequence range " + std::to_string(p.seq) + ":" + std::to_string(p.end) + " is " +
                        std::to_string(p.end - p.seq) + " bytes, but the length says " +
                        std::to_string(p.len));
    for (;;) {
      skip_space();
      if (starts_with("ack") && !is_ident_char(peek(3))) {
        advance(3);
        p.ack = uint32_value("an acknowledgment number after 'ack'");
      } else if (starts_with("win") && !is_ident_char(peek(3))) {
        advance(3);
        p.window = uint32_value("a window after 'win'");
        if (*p.window > 0xFFFF)
          fail(here(), "window " + std::to_string(*p.window) + " does not fit in 16 bits");
      } else if (peek() == '<') {
        parse_options(p);
      } else {
        break;
      }
    }
    return p;
  }

  void parse_options(Packet& p) {
    const SourcePos start = here();
    if (p.options_kind != Packet::Options::None) fail(start, "a second TCP option list");
    advance();  // <
    skip_space();
    if (starts_with("...")) {
      advance(3);
      expect('>', "'>' after <...");
      p.options_kind = Packet::Options::Any;
      return;
    }
    p.options_kind = Packet::Options::List;
    for (;;) {
      skip_space();
      const SourcePos opt_pos = here();
      const std::string name = identifier();
      TcpOption o;
      if (name == "mss") {
        o.kind = TcpOption::Kind::Mss;
        o.value = uint32_value("an MSS value");
        if (o.value > 0xFFFF) fail(opt_pos, "mss " + std::to_string(o.value) + " does not fit in 16 bits");
      } else if (name == "sackOK") {
        o.kind = TcpOption::Kind::SackPermitted;
      } else if (name == "TS") {
        o.kind = TcpOption::Kind::Timestamp;
        skip_space();
        if (identifier() != "val") fail(here(), "expected 'val' after TS");
        o.value = uint32_value("a TS val");
        skip_space();
        if (identifier() != "ecr") fail(here(), "expected 'ecr' after TS val");
        o.echo = uint32_value("a TS ecr");
      } else if (name == "nop") {
        o.kind = TcpOption::Kind::Nop;
      } else if (name == "eol") {
        o.kind = TcpOption::Kind::Eol;
      } else if (name == "wscale") {
        o.kind = TcpOption::Kind::WindowScale;
        o.value = uint32_value("a window scale");
        if (o.value > 255) fail(opt_pos, "wscale " + std::to_string(o.value) + " does not fit in a byte");
      } else if (name == "sack") {
        o.kind = TcpOption::Kind::Sack;
        for (;;) {
          skip_space();
          if (!is_digit(peek())) break;
          const std::uint32_t left = uint32_value("a SACK block's left edge");
          expect(':', "':' in a SACK block");
          const std::uint32_t right = uint32_value("a SACK block's right edge");
          // RFC 2018 §3: at most 4 blocks fit in the 40 option bytes.
          if (o.sack_blocks.size() == 4) fail(opt_pos, "more than 4 SACK blocks (RFC 2018 §3)");
          o.sack_blocks.emplace_back(left, right);
        }
        if (o.sack_blocks.empty()) fail(opt_pos, "sack needs at least one block left:right");
      } else if (name.empty()) {
        fail(opt_pos, "expected a TCP option (mss, sackOK, TS, nop, wscale, sack, eol)" + found());
      } else {
        fail(opt_pos, "unknown TCP option '" + name + "'");
      }
      p.options.push_back(std::move(o));
      if (p.options.size() > 40) fail(opt_pos, "more than 40 TCP options (the option space is 40 bytes)");
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '>') {
        advance();
        return;
      }
      fail(here(), "expected ',' or '>' in the TCP option list" + found());
    }
  }

  Syscall parse_syscall() {
    Syscall call;
    call.name = identifier();
    expect('(', ("'(' after " + call.name).c_str());
    skip_space();
    if (peek() != ')') {
      for (;;) {
        call.args.push_back(parse_expr(0));
        skip_space();
        if (peek() == ',') {
          advance();
          continue;
        }
        break;
      }
    }
    expect(')', ("')' closing the arguments of " + call.name).c_str());
    expect('=', ("'= result' after " + call.name + "(...)").c_str());
    call.result = parse_expr(0);
    // `= -1 ENAME (text)`: the errno and strace's note are on the same line as the result.
    const std::size_t saved_i = i_;
    const SourcePos saved_pos = pos_;
    while (peek() == ' ' || peek() == '\t') advance();
    if (peek() == 'E' && is_ident_char(peek(1))) {
      call.errno_name = identifier();
      while (peek() == ' ' || peek() == '\t') advance();
      if (peek() == '(') {
        const SourcePos open = here();
        advance();
        int depth = 1;
        while (!at_end() && peek() != '\n') {
          if (peek() == '(') ++depth;
          if (peek() == ')' && --depth == 0) break;
          call.errno_text += peek();
          advance();
        }
        if (peek() != ')') fail(open, "unterminated errno note: '(' has no ')' on its line");
        advance();
      }
    } else {
      i_ = saved_i;
      pos_ = saved_pos;
    }
    return call;
  }

  Expr parse_expr(std::uint32_t depth) {
    skip_space();
    Expr first = parse_term(depth);
    skip_space();
    if (peek() != '|') return first;
    Expr any;
    any.kind = Expr::Kind::BitOr;
    any.pos = first.pos;
    any.items.push_back(std::move(first));
    while (peek() == '|') {
      advance();
      skip_space();
      any.items.push_back(parse_term(depth));
      skip_space();
    }
    return any;
  }

  void enter(std::uint32_t depth) {
    if (depth >= limits_.max_depth)
      fail(here(), "nested more than " + std::to_string(limits_.max_depth) + " levels deep");
  }

  std::vector<Expr> expr_list(std::uint32_t depth, char close, const char* what) {
    std::vector<Expr> items;
    skip_space();
    if (peek() == close) {
      advance();
      return items;
    }
    for (;;) {
      items.push_back(parse_expr(depth + 1));
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == close) {
        advance();
        return items;
      }
      fail(here(), std::string("expected ',' or '") + close + "' in " + what + found());
    }
  }

  Expr parse_term(std::uint32_t depth) {
    Expr e;
    e.pos = here();
    const char c = peek();
    if (starts_with("...")) {
      advance(3);
      e.kind = Expr::Kind::Ellipsis;
    } else if (c == '-' || is_digit(c)) {
      e.kind = Expr::Kind::Integer;
      e.integer = integer_value();
    } else if (c == '"') {
      e.kind = Expr::Kind::String;
      advance();
      while (!at_end() && peek() != '"' && peek() != '\n') {
        if (peek() == '\\' && (peek(1) == '"' || peek(1) == '\\')) advance();
        e.text += peek();
        advance();
      }
      if (peek() != '"') fail(e.pos, "unterminated string");
      advance();
    } else if (c == '[') {
      enter(depth);
      advance();
      e.kind = Expr::Kind::Array;
      e.items = expr_list(depth, ']', "an array");
    } else if (c == '{') {
      enter(depth);
      advance();
      e.kind = Expr::Kind::Struct;
      parse_struct_fields(e, depth);
    } else if (is_ident_start(c)) {
      e.text = identifier();
      if (peek() == '(') {
        enter(depth);
        advance();
        e.kind = Expr::Kind::Call;
        e.items = expr_list(depth, ')', "a call's arguments");
      } else {
        e.kind = Expr::Kind::Symbol;
      }
    } else {
      fail(here(), "expected an expression (a number, a name, ..., [ ], { } or \"text\")" + found());
    }
    return e;
  }

  // { name=value, name(...)=value, value, ... }
  void parse_struct_fields(Expr& e, std::uint32_t depth) {
    skip_space();
    if (peek() == '}') {
      advance();
      return;
    }
    for (;;) {
      skip_space();
      std::string name;
      const std::size_t saved_i = i_;
      const SourcePos saved_pos = pos_;
      if (is_ident_start(peek())) {
        name = identifier();
        if (peek() == '(') {  // msg_iov(1)=...: the count belongs to the name
          const std::size_t open = i_;
          int level = 0;
          while (!at_end() && peek() != '\n') {
            if (peek() == '(') ++level;
            if (peek() == ')' && --level == 0) break;
            advance();
          }
          if (peek() == ')') advance();
          name += std::string(text_.substr(open, i_ - open));
        }
        skip_space();
        if (peek() == '=') {
          advance();
        } else {
          name.clear();
          i_ = saved_i;
          pos_ = saved_pos;
        }
      }
      e.field_names.push_back(name);
      e.items.push_back(parse_expr(depth + 1));
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return;
      }
      fail(here(), "expected ',' or '}' in a struct" + found());
    }
  }

  std::int64_t integer_value() {
    const SourcePos start = here();
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      advance();
    }
    std::uint64_t v = 0;
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      advance(2);
      int n = 0;
      for (;; ++n) {
        const char c = peek();
        int d = is_digit(c)              ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) break;
        if (v > (0x7FFFFFFFFFFFFFFFull >> 4)) fail(start, "number does not fit in 63 bits");
        v = v * 16 + static_cast<std::uint64_t>(d);
        advance();
      }
      if (n == 0) fail(start, "expected hex digits after 0x");
    } else {
      if (!is_digit(peek())) fail(start, "expected a number" + found());
      while (is_digit(peek())) {
        const auto d = static_cast<std::uint64_t>(peek() - '0');
        if (v > (0x7FFFFFFFFFFFFFFFull - d) / 10) fail(start, "number does not fit in 63 bits");
        v = v * 10 + d;
        advance();
      }
    }
    if (is_ident_char(peek())) fail(here(), "unexpected character in a number" + found());
    return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  }

  std::string_view text_;
  const ParseLimits& limits_;
  std::size_t i_ = 0;
  SourcePos pos_{1, 1};
};

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

Result<Script> parse_script(std::string_view text, const std::string& file, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes)
    return Error{file, "line 1, column 1",
                 "script is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                     std::to_string(limits.max_bytes)};
  if (text.find('\0') != std::string_view::npos) {
    std::uint32_t line = 1;
    for (char c : text.substr(0, text.find('\0')))
      if (c == '\n') ++line;
    return Error{file, "line " + std::to_string(line), "a NUL byte: this is not a text file"};
  }
  Parser parser(text, limits);
  try {
    Script script = parser.parse();
    script.file = file;
    script.lines = split_lines(text);
    return script;
  } catch (const ParseFailure& f) {
    return Error{file, "line " + std::to_string(f.pos.line) + ", column " + std::to_string(f.pos.column),
                 f.reason};
  }
}

Result<Script> parse_script_file(const std::string& path, const ParseLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "", "cannot open the file: " + std::string(std::strerror(errno))};
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limits.max_bytes)
      return Error{path, "",
                   "file is larger than the limit of " + std::to_string(limits.max_bytes) + " bytes"};
  }
  return parse_script(text, path, limits);
}

std::string flags_to_string(std::uint8_t flags) {
  std::string out;
  for (const char c : std::string_view("FSRPUEW"))
    if (flags & flag_bit(c)) out += c;
  if (flags & kAck) out += '.';
  return out;
}

std::string packet_to_string(const Packet& p) {
  std::string out = flags_to_string(p.flags) + " " + std::to_string(p.seq) + ":" + std::to_string(p.end) +
                    "(" + std::to_string(p.len) + ")";
  if (p.ack) out += " ack " + std::to_string(*p.ack);
  if (p.window) out += " win " + std::to_string(*p.window);
  if (p.options_kind == Packet::Options::Any) out += " <...>";
  if (p.options_kind == Packet::Options::List) {
    out += " <";
    for (std::size_t i = 0; i < p.options.size(); ++i) {
      const TcpOption& o = p.options[i];
      if (i) out += ",";
      switch (o.kind) {
        case TcpOption::Kind::Mss:
          out += "mss " + std::to_string(o.value);
          break;
        case TcpOption::Kind::SackPermitted:
          out += "sackOK";
          break;
        case TcpOption::Kind::Timestamp:
          out += "TS val " + std::to_string(o.value) + " ecr " + std::to_string(o.echo);
          break;
        case TcpOption::Kind::Nop:
          out += "nop";
          break;
        case TcpOption::Kind::WindowScale:
          out += "wscale " + std::to_string(o.value);
          break;
        case TcpOption::Kind::Sack:
          out += "sack";
          for (const auto& [l, r] : o.sack_blocks) out += " " + std::to_string(l) + ":" + std::to_string(r);
          break;
        case TcpOption::Kind::Eol:
          out += "eol";
          break;
      }
    }
    out += ">";
  }
  return out;
}

}  // namespace wirestep::packetdrill
