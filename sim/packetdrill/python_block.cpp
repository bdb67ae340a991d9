#include "sim/packetdrill/python_block.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "sim/tcp/tcp_connection.hpp"

namespace wirestep::packetdrill {

// --- the tcp_info snapshot

TcpInfo tcp_info_of(const TcpConnection& c) {
  TcpInfo i;
  const std::uint64_t mss = std::max<std::uint32_t>(1, c.effective_mss());
  const auto segs = [mss](std::uint64_t bytes) { return static_cast<std::int64_t>((bytes + mss - 1) / mss); };
  const TcpConnection::RecoveryView rv = c.recovery_view();
  i.snd_mss = static_cast<std::int64_t>(mss);
  i.advmss = c.config().mss;
  i.snd_cwnd = static_cast<std::int64_t>(c.cwnd() / mss);
  // Both algorithms start ssthresh at UINT32_MAX / 2 bytes (RFC 5681 §3.1 "arbitrarily high"); Linux starts
  // it at TCP_INFINITE_SSTHRESH segments and reports that number.
  i.snd_ssthresh =
      c.ssthresh() >= UINT32_MAX / 2 ? kInfiniteSsthresh : static_cast<std::int64_t>(c.ssthresh() / mss);
  const SeqNum una = c.snd_una();
  const SeqNum max = rv.snd_max > c.snd_nxt() ? rv.snd_max : c.snd_nxt();
  i.unacked = max > una ? segs(static_cast<std::uint32_t>(max - una)) : 0;

  const SackScoreboard* sb = rv.scoreboard;
  const auto sacked_at = [sb](SeqNum s) -> const SackBlock* {
    if (!sb) return nullptr;
    for (const SackBlock& b : sb->sacked_ranges())
      if (b.contains(s)) return &b;
    return nullptr;
  };
  if (sb)
    for (const SackBlock& b : sb->sacked_ranges())
      if (b.end > una) i.sacked += segs(b.start > una ? b.length() : static_cast<std::uint32_t>(b.end - una));

  // Lost and retransmitted segments, walked one MSS at a time over what is not SACKed (bounded by the
  // flight).
  const SeqNum rxt_end = rv.rto_recovery ? c.snd_nxt() : (sb && rv.fast_recovery ? sb->high_rxt() : una);
  std::uint64_t steps = 0;
  for (SeqNum s = una; s < max && steps < (1u << 20); ++steps) {
    if (const SackBlock* b = sacked_at(s)) {
      s = b->end;
      continue;
    }
    // tcp_enter_loss marks everything not SACKed lost after a timeout (RFC 6675 §5.1 resends it all).
    bool lost = rv.rto_recovery || (sb && sb->is_lost(s));
    for (const SackBlock& b : rv.rack_lost) lost = lost || b.contains(s);
    if (lost) ++i.lost;
    if (s < rxt_end) ++i.retrans;
    s = s + static_cast<std::uint32_t>(mss);
  }
  if (!sb && rv.fast_recovery) {
    // NewReno (RFC 6582) resends the head alone: Linux's Reno marks just it lost (tcp_mark_head_lost).
    i.lost = std::max<std::int64_t>(i.lost, 1);
    i.retrans = std::max<std::int64_t>(i.retrans, 1);
  }

  // Linux's tcp_set_ca_state: Loss after a timeout, Recovery in fast recovery, Disorder while duplicate
  // ACKs or SACKs are seen; CWR (ECN) is not modelled.
  const std::uint32_t dups = std::max(rv.dup_acks, sb ? sb->dup_acks() : 0u);
  i.ca_state = rv.rto_recovery              ? TcpCaState::Loss
               : rv.fast_recovery           ? TcpCaState::Recovery
               : (dups > 0 || i.sacked > 0) ? TcpCaState::Disorder
                                            : TcpCaState::Open;
  i.reordering = rv.reordering_seen ? -1 : 3;  // -1: seen but not measured (the evaluator refuses it)
  return i;
}

// --- the evaluator

namespace {

struct Token {
  enum class Kind : std::uint8_t { Name, Int, Str, Op, Unknown, Newline, End };
  Kind kind = Kind::End;
  std::string text;  // the name, the operator, the string's contents
  std::int64_t value = 0;
  std::size_t begin = 0;  // byte offsets in the block's text
  std::size_t end = 0;
};

struct Value {
  enum class Kind : std::uint8_t { Int, Bool, Str };
  Kind kind = Kind::Int;
  std::int64_t i = 0;
  std::string s;

  bool truthy() const { return kind == Kind::Str ? !s.empty() : i != 0; }
  std::string repr() const {
    if (kind == Kind::Bool) return i ? "True" : "False";
    if (kind == Kind::Str) return "'" + s + "'";
    return std::to_string(i);
  }
  std::string str() const { return kind == Kind::Str ? s : repr(); }
};

Value int_value(std::int64_t v) {
  return Value{Value::Kind::Int, v, {}};
}
Value bool_value(bool b) {
  return Value{Value::Kind::Bool, b ? 1 : 0, {}};
}

struct Abort {
  PythonOutcome outcome;
};

bool name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Words Python reserves that the subset does not have: a script using them is beyond this evaluator.
bool unsupported_keyword(const std::string& w) {
  static const char* const kWords[] = {
      "if",     "elif",  "else",    "for",      "while", "def",      "class", "lambda", "import", "from",
      "return", "is",    "in",      "None",     "try",   "except",   "with",  "del",    "global", "pass",
      "yield",  "raise", "finally", "continue", "break", "nonlocal", "async", "await"};
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* k) { return w == k; });
}

const std::pair<const char*, TcpCaState> kCaStates[] = {{"TCP_CA_Open", TcpCaState::Open},
                                                        {"TCP_CA_Disorder", TcpCaState::Disorder},
                                                        {"TCP_CA_CWR", TcpCaState::Cwr},
                                                        {"TCP_CA_Recovery", TcpCaState::Recovery},
                                                        {"TCP_CA_Loss", TcpCaState::Loss}};

class Evaluator {
 public:
  Evaluator(const std::string& text, const std::optional<TcpInfo>& info,
            std::map<std::string, std::int64_t>& vars, std::string& printed)
      : text_(text), info_(info), vars_(vars), printed_(printed) {}

  void run() {
    if (text_.size() > PythonSession::kMaxTextBytes)
      fail_unsupported(0, "a Python block longer than 64 KiB", "超过 64 KiB 的 Python 代码块");
    tokenize();
    while (peek().kind != Token::Kind::End) {
      if (peek().kind == Token::Kind::Newline || is_op(";")) {
        ++pos_;
        continue;
      }
      statement();
      refuse_unknown();
      if (peek().kind != Token::Kind::End && peek().kind != Token::Kind::Newline && !is_op(";"))
        fail(peek().begin, "SyntaxError: \"" + peek_text() + "\" after a statement",
             "语法错误：语句之后的 \"" + peek_text() + "\"");
    }
  }

 private:
  // --- errors

  [[noreturn]] void stop(PythonOutcome::Kind kind, std::size_t at, std::string en, std::string zh) {
    PythonOutcome o;
    o.kind = kind;
    at = std::min(at, text_.size());
    for (std::size_t k = 0; k < at; ++k) {
      if (text_[k] == '\n') {
        ++o.line;
        o.column = 0;
      } else {
        ++o.column;
      }
    }
    o.actual = actual_.empty() ? en : actual_;
    o.en = std::move(en);
    o.zh = std::move(zh);
    throw Abort{std::move(o)};
  }
  [[noreturn]] void fail_unsupported(std::size_t at, const std::string& en, const std::string& zh) {
    stop(PythonOutcome::Kind::Unsupported, at, "unsupported: " + en, "不支持：" + zh);
  }
  [[noreturn]] void fail(std::size_t at, const std::string& en, const std::string& zh) {
    stop(PythonOutcome::Kind::Failed, at, en, zh);
  }

  // --- tokens

  void tokenize() {
    std::size_t i = 0, depth = 0;
    const std::string& t = text_;
    while (i < t.size()) {
      const char c = t[i];
      if (c == '#') {
        while (i < t.size() && t[i] != '\n') ++i;
        continue;
      }
      if (c == '\\' && i + 1 < t.size() && t[i + 1] == '\n') {  // explicit line joining
        i += 2;
        continue;
      }
      if (c == '\n') {
        if (depth == 0) tokens_.push_back({Token::Kind::Newline, "\n", 0, i, i + 1});
        ++i;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        ++i;
        continue;
      }
      const std::size_t b = i;
      if (name_start(c)) {
        while (i < t.size() && name_char(t[i])) ++i;
        tokens_.push_back({Token::Kind::Name, t.substr(b, i - b), 0, b, i});
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c))) {
        tokens_.push_back(number(i));
        continue;
      }
      if (c == '"' || c == '\'') {
        ++i;
        std::string s;
        while (i < t.size() && t[i] != c && t[i] != '\n' && t[i] != '\\') s += t[i++];
        if (i < t.size() && t[i] == '\\')
          fail_unsupported(i, "escape sequences in strings", "字符串中的转义序列");
        if (i >= t.size() || t[i] != c)
          fail(b, "SyntaxError: unterminated string", "语法错误：字符串没有结束");
        ++i;
        tokens_.push_back({Token::Kind::Str, s, 0, b, i});
        continue;
      }
      static const char* const kOps[] = {"==", "!=", "<=", ">=", "//", "+=", "-=", "*=", "<", ">",
                                         "+",  "-",  "*",  "%",  "(",  ")",  ",",  "=",  ";"};
      const char* op = nullptr;
      for (const char* o : kOps) {
        const std::size_t n = std::char_traits<char>::length(o);
        if (t.compare(i, n, o) == 0) {
          op = o;
          break;
        }
      }
      // `**`, `/` (true division gives a float), `//=`, `<<`, `[`, `.`... are Python but not this subset:
      // kept as an Unknown token, refused where the parser meets it (after a keyword it may refuse first).
      if (!op || t.compare(i, 2, "**") == 0 || t.compare(i, 3, "//=") == 0 || t.compare(i, 2, "<<") == 0 ||
          t.compare(i, 2, ">>") == 0) {
        std::size_t e = i + 1;
        while (e < t.size() && std::ispunct(static_cast<unsigned char>(t[e])) && e - i < 3 &&
               std::string("()[]{}\"'#,;.").find(t[e]) == std::string::npos)
          ++e;
        tokens_.push_back({Token::Kind::Unknown, t.substr(i, e - i), 0, b, e});
        i = e;
        continue;
      }
      const std::string o(op);
      if (o == "(") {
        if (++depth > PythonSession::kMaxDepth)
          fail_unsupported(i, "more than 64 nested parentheses", "超过 64 层嵌套括号");
      }
      if (o == ")" && depth > 0) --depth;
      i += o.size();
      tokens_.push_back({Token::Kind::Op, o, 0, b, i});
    }
    tokens_.push_back({Token::Kind::End, "", 0, t.size(), t.size()});
  }

  Token number(std::size_t& i) {
    const std::string& t = text_;
    const std::size_t b = i;
    int base = 10;
    if (t[i] == '0' && i + 1 < t.size() && (t[i + 1] == 'x' || t[i + 1] == 'X')) {
      base = 16;
      i += 2;
    }
    std::int64_t v = 0;
    std::size_t digits = 0;
    while (i < t.size()) {
      const char c = t[i];
      int d = -1;
      if (std::isdigit(static_cast<unsigned char>(c))) d = c - '0';
      if (base == 16 && std::isxdigit(static_cast<unsigned char>(c)) && d < 0)
        d = std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
      if (c == '_') {
        ++i;
        continue;
      }
      if (d < 0) break;
      if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
        fail_unsupported(b, "an integer beyond 64 bits", "超过 64 位的整数");
      ++digits;
      ++i;
    }
    if (i < t.size() && (t[i] == '.' || t[i] == 'e' || t[i] == 'E' || t[i] == 'j' || name_char(t[i])))
      fail_unsupported(b, "the number \"" + token_word(b) + "\" (only integers)",
                       "数字 \"" + token_word(b) + "\"（只支持整数）");
    if (digits == 0) fail(b, "SyntaxError: invalid number", "语法错误：无效的数字");
    if (base == 10 && t[b] == '0' && v != 0)
      fail(b, "SyntaxError: leading zeros in a decimal integer", "语法错误：十进制整数有前导零");
    return {Token::Kind::Int, t.substr(b, i - b), v, b, i};
  }

  std::string token_word(std::size_t b) const {
    std::size_t e = b;
    while (e < text_.size() && (name_char(text_[e]) || text_[e] == '.')) ++e;
    return text_.substr(b, std::min<std::size_t>(e - b, 40));
  }

  const Token& peek() const { return tokens_[std::min(pos_, tokens_.size() - 1)]; }
  std::string peek_text() const {
    const Token& t = peek();
    return t.kind == Token::Kind::End ? "end of block"
                                      : text_.substr(t.begin, std::min<std::size_t>(t.end - t.begin, 40));
  }
  bool is_op(const char* o) const { return peek().kind == Token::Kind::Op && peek().text == o; }
  bool is_name(const char* n) const { return peek().kind == Token::Kind::Name && peek().text == n; }
  void refuse_unknown() {
    if (peek().kind == Token::Kind::Unknown)
      fail_unsupported(peek().begin, "operator \"" + peek().text + "\"", "运算符 \"" + peek().text + "\"");
  }
  void expect_op(const char* o) {
    refuse_unknown();
    if (!is_op(o))
      fail(peek().begin, std::string("SyntaxError: expected \"") + o + "\" at " + peek_text(),
           std::string("语法错误：在 ") + peek_text() + " 处应为 \"" + o + "\"");
    ++pos_;
  }

  // --- statements

  void statement() {
    const Token& t = peek();
    if (t.kind == Token::Kind::Name && t.text == "assert") return assert_statement();
    if (t.kind == Token::Kind::Name && t.text == "print") return print_statement();
    if (t.kind == Token::Kind::Name && pos_ + 1 < tokens_.size() &&
        tokens_[pos_ + 1].kind == Token::Kind::Op) {
      const std::string& op = tokens_[pos_ + 1].text;
      if (op == "=" || op == "+=" || op == "-=" || op == "*=") return assignment();
    }
    expression(true);  // an expression statement: evaluated, its value dropped (as Python does)
  }

  void assert_statement() {
    const std::size_t at = peek().begin;
    ++pos_;
    const std::size_t cond_begin = peek().begin;
    names_seen_.clear();
    collecting_ = true;
    const Value cond = expression(true);
    collecting_ = false;
    const std::size_t cond_end = tokens_[pos_ - 1].end;
    std::optional<Value> message;
    std::string message_text;
    if (is_op(",")) {
      ++pos_;
      const std::size_t mb = peek().begin;
      message = expression(!cond.truthy());  // Python evaluates the message only when the assert fails
      message_text = text_.substr(mb, tokens_[pos_ - 1].end - mb);
    }
    if (cond.truthy()) return;
    std::string values_en, values_zh;
    for (const auto& [name, value] : names_seen_) {
      actual_ += (actual_.empty() ? "" : ", ") + name + " = " + value;
      values_en += (values_en.empty() ? "" : ", ") + name + " is " + value;
      values_zh += (values_zh.empty() ? "" : "，") + name + " 为 " + value;
    }
    const bool message_named = std::any_of(names_seen_.begin(), names_seen_.end(),
                                           [&](const auto& nv) { return nv.first == message_text; });
    if (message && !message_named) {
      values_en += (values_en.empty() ? "" : "; ") + message->str();
      values_zh += (values_zh.empty() ? "" : "；") + message->str();
    }
    const std::string cond_text = text_.substr(cond_begin, cond_end - cond_begin);
    fail(at, "assertion failed: " + cond_text + (values_en.empty() ? "" : " (" + values_en + ")"),
         "断言失败：" + cond_text + (values_zh.empty() ? "" : "（" + values_zh + "）"));
  }

  void print_statement() {
    const std::size_t at = peek().begin;
    ++pos_;
    if (!is_op("(")) fail_unsupported(at, "print without parentheses", "不带括号的 print");
    ++pos_;
    std::string line;
    bool first = true;
    while (!is_op(")")) {
      if (!first) expect_op(",");
      if (is_op(")")) break;  // a trailing comma
      if (peek().kind == Token::Kind::Name && pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].text == "=")
        fail_unsupported(peek().begin, "print's keyword arguments", "print 的关键字参数");
      line += (first ? "" : " ") + expression(true).str();
      first = false;
    }
    ++pos_;
    if (printed_.size() < 64 * 1024) printed_ += line + "\n";
  }

  void assignment() {
    const Token name = peek();
    const std::string op = tokens_[pos_ + 1].text;
    pos_ += 2;
    if (name.text.rfind("tcpi_", 0) == 0 || name.text.rfind("TCP_CA_", 0) == 0 ||
        unsupported_keyword(name.text) || name.text == "assert" || name.text == "True" ||
        name.text == "False")
      fail_unsupported(name.begin, "assigning to " + name.text, "给 " + name.text + " 赋值");
    const Value v = expression(true);
    if (v.kind == Value::Kind::Str) fail_unsupported(name.begin, "string variables", "字符串变量");
    std::int64_t result = v.i;
    if (op != "=") {
      const auto it = vars_.find(name.text);
      if (it == vars_.end())
        fail(name.begin, "NameError: name '" + name.text + "' is not defined",
             "名称错误：名称 '" + name.text + "' 未定义");
      result = arith(name.begin, op.substr(0, 1), it->second, v.i);
    }
    if (!vars_.count(name.text) && vars_.size() >= PythonSession::kMaxVariables)
      fail_unsupported(name.begin, "more than 1024 variables", "超过 1024 个变量");
    vars_[name.text] = result;
  }

  // --- expressions; `live` false: parsed but not evaluated (the unevaluated side of and/or)

  Value expression(bool live) {
    depth_ = 0;
    return or_expr(live);
  }

  Value or_expr(bool live) {
    Value v = and_expr(live);
    while (is_name("or")) {
      ++pos_;
      const bool take_right = live && !v.truthy();
      Value r = and_expr(take_right);
      if (take_right) v = r;
    }
    return v;
  }

  Value and_expr(bool live) {
    Value v = not_expr(live);
    while (is_name("and")) {
      ++pos_;
      const bool take_right = live && v.truthy();
      Value r = not_expr(take_right);
      if (take_right) v = r;
    }
    return v;
  }

  Value not_expr(bool live) {
    if (is_name("not")) {
      nest();
      ++pos_;
      const Value v = not_expr(live);
      --depth_;
      return bool_value(!v.truthy());
    }
    return comparison(live);
  }

  Value comparison(bool live) {
    Value left = arith_expr(live);
    bool result = true, any = false;
    while (peek().kind == Token::Kind::Op &&
           (is_op("==") || is_op("!=") || is_op("<") || is_op("<=") || is_op(">") || is_op(">="))) {
      const Token op = peek();
      ++pos_;
      const Value right = arith_expr(live);
      if (live && result) result = compare(op, left, right);
      left = right;
      any = true;
    }
    return any ? bool_value(result) : left;
  }

  bool compare(const Token& op, const Value& a, const Value& b) {
    const bool a_str = a.kind == Value::Kind::Str, b_str = b.kind == Value::Kind::Str;
    if (a_str || b_str) {
      if (op.text == "==") return a_str == b_str && a.s == b.s;
      if (op.text == "!=") return !(a_str == b_str && a.s == b.s);
      if (!(a_str && b_str))
        fail(op.begin, "TypeError: \"" + op.text + "\" between a string and a number",
             "类型错误：字符串与数字之间的 \"" + op.text + "\"");
      const int c = a.s.compare(b.s);
      return op.text == "<" ? c < 0 : op.text == "<=" ? c <= 0 : op.text == ">" ? c > 0 : c >= 0;
    }
    const std::int64_t x = a.i, y = b.i;
    if (op.text == "==") return x == y;
    if (op.text == "!=") return x != y;
    if (op.text == "<") return x < y;
    if (op.text == "<=") return x <= y;
    if (op.text == ">") return x > y;
    return x >= y;
  }

  Value arith_expr(bool live) {
    Value v = term(live);
    while (is_op("+") || is_op("-")) {
      const Token op = peek();
      ++pos_;
      const Value r = term(live);
      if (live) v = int_value(arith(op.begin, op.text, number_of(op, v), number_of(op, r)));
    }
    return v;
  }

  Value term(bool live) {
    Value v = factor(live);
    while (is_op("*") || is_op("//") || is_op("%")) {
      const Token op = peek();
      ++pos_;
      const Value r = factor(live);
      if (live) v = int_value(arith(op.begin, op.text, number_of(op, v), number_of(op, r)));
    }
    return v;
  }

  Value factor(bool live) {
    if (is_op("-") || is_op("+")) {
      const Token op = peek();
      nest();
      ++pos_;
      const Value v = factor(live);
      --depth_;
      if (!live) return v;
      return int_value(op.text == "-" ? arith(op.begin, "-", 0, number_of(op, v)) : number_of(op, v));
    }
    return primary(live);
  }

  std::int64_t number_of(const Token& op, const Value& v) {
    if (v.kind == Value::Kind::Str)
      fail_unsupported(op.begin, "\"" + op.text + "\" on strings", "字符串的 \"" + op.text + "\"");
    return v.i;
  }

  // Python's integer arithmetic: floor division and a modulo with the divisor's sign.
  std::int64_t arith(std::size_t at, const std::string& op, std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    bool overflow = false;
    if (op == "+") overflow = __builtin_add_overflow(a, b, &r);
    if (op == "-") overflow = __builtin_sub_overflow(a, b, &r);
    if (op == "*") overflow = __builtin_mul_overflow(a, b, &r);
    if (op == "//" || op == "%") {
      if (b == 0)
        fail(at, "ZeroDivisionError: integer division or modulo by zero",
             "除零错误：整数除法或取模的除数为零");
      if (a == INT64_MIN && b == -1) overflow = true;
      if (!overflow) {
        std::int64_t q = a / b, m = a % b;
        if (m != 0 && ((m < 0) != (b < 0))) {
          --q;
          m += b;
        }
        r = op == "//" ? q : m;
      }
    }
    if (overflow) fail_unsupported(at, "an integer beyond 64 bits", "超过 64 位的整数");
    return r;
  }

  Value primary(bool live) {
    const Token t = peek();
    switch (t.kind) {
      case Token::Kind::Int:
        ++pos_;
        return int_value(t.value);
      case Token::Kind::Str:
        ++pos_;
        return Value{Value::Kind::Str, 0, t.text};
      case Token::Kind::Name:
        ++pos_;
        if (is_op("(")) fail_unsupported(t.begin, "calling " + t.text + "()", "调用 " + t.text + "()");
        return name_value(t, live);
      case Token::Kind::Op:
        if (t.text == "(") {
          nest();
          ++pos_;
          if (is_op(")")) fail_unsupported(t.begin, "tuples", "元组");
          const Value v = or_expr(live);
          if (is_op(",")) fail_unsupported(peek().begin, "tuples", "元组");
          expect_op(")");
          --depth_;
          return v;
        }
        break;
      case Token::Kind::Unknown:
        refuse_unknown();
        break;
      case Token::Kind::Newline:
      case Token::Kind::End:
        break;
    }
    fail(t.begin, "SyntaxError: expected a value at " + peek_text(),
         "语法错误：在 " + peek_text() + " 处应为一个值");
  }

  void nest() {
    if (++depth_ > PythonSession::kMaxDepth)
      fail_unsupported(peek().begin, "more than 64 nested operators", "超过 64 层嵌套运算");
  }

  Value name_value(const Token& t, bool live) {
    const std::string& n = t.text;
    if (n == "True" || n == "False") return bool_value(n == "True");
    if (unsupported_keyword(n) || n == "assert" || n == "print")
      fail_unsupported(t.begin, "the keyword \"" + n + "\"", "关键字 \"" + n + "\"");
    std::optional<std::int64_t> v;
    for (const auto& [name, state] : kCaStates)
      if (n == name) v = static_cast<std::int64_t>(state);
    if (!v && n.rfind("tcpi_", 0) == 0) v = tcp_info_field(t);
    if (!v) {
      const auto it = vars_.find(n);
      if (it != vars_.end()) v = it->second;
    }
    if (!v) {
      if (!live) return int_value(0);
      fail(t.begin, "NameError: name '" + n + "' is not defined", "名称错误：名称 '" + n + "' 未定义");
    }
    if (collecting_ && live && n.rfind("TCP_CA_", 0) != 0 &&
        std::none_of(names_seen_.begin(), names_seen_.end(), [&](const auto& nv) { return nv.first == n; }))
      names_seen_.emplace_back(n, std::to_string(*v));
    return int_value(*v);
  }

  std::int64_t tcp_info_field(const Token& t) {
    const std::string& n = t.text;
    static const char* const kKnown[] = {
        "tcpi_snd_cwnd", "tcpi_snd_ssthresh", "tcpi_ca_state",   "tcpi_unacked", "tcpi_sacked",
        "tcpi_lost",     "tcpi_retrans",      "tcpi_reordering", "tcpi_advmss",  "tcpi_snd_mss"};
    if (std::none_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return n == k; }))
      fail_unsupported(t.begin, "tcp_info field " + n + " (not modelled)",
                       "tcp_info 字段 " + n + "（未建模）");
    if (!info_)
      fail(t.begin, "no connected socket to read " + n + " from", "没有可读取 " + n + " 的已连接套接字");
    const TcpInfo& i = *info_;
    if (n == "tcpi_snd_cwnd") return i.snd_cwnd;
    if (n == "tcpi_snd_ssthresh") return i.snd_ssthresh;
    if (n == "tcpi_ca_state") return static_cast<std::int64_t>(i.ca_state);
    if (n == "tcpi_unacked") return i.unacked;
    if (n == "tcpi_sacked") return i.sacked;
    if (n == "tcpi_lost") return i.lost;
    if (n == "tcpi_retrans") return i.retrans;
    if (n == "tcpi_advmss") return i.advmss;
    if (n == "tcpi_snd_mss") return i.snd_mss;
    // Linux raises tp->reordering to the distance it saw (tcp_check_sack_reordering); the simulator's RACK
    // notes that reordering happened, not how far, so the number is known only while there was none.
    if (i.reordering < 0)
      fail_unsupported(t.begin,
                       "tcpi_reordering after reordering (the simulator does not measure its degree)",
                       "出现乱序后的 tcpi_reordering（模拟器不度量乱序程度）");
    return i.reordering;
  }

  const std::string& text_;
  const std::optional<TcpInfo>& info_;
  std::map<std::string, std::int64_t>& vars_;
  std::string& printed_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  bool collecting_ = false;
  std::string actual_;  // "tcpi_snd_cwnd = 12": what a failed assert read
  std::vector<std::pair<std::string, std::string>> names_seen_;  // names an assert's condition read
};

}  // namespace

PythonOutcome PythonSession::run(const std::string& text, const std::optional<TcpInfo>& info) {
  try {
    Evaluator(text, info, variables_, printed_).run();
  } catch (const Abort& a) {
    return a.outcome;
  }
  return {};
}

}  // namespace wirestep::packetdrill
