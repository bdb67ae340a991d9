// Prediction mode for teaching: the next TCP segment after the cursor keeps its sequence and
// acknowledgement numbers (or, for handshake and teardown segments, its flags) hidden until the learner
// guesses them; then each field is marked right or wrong with the reason, written from the Trace: which
// earlier segment the number follows from, which one it acknowledges, why these flags.
// Window-free and unit-tested; the App owns one PredictionSession, prediction_panel.cpp draws it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "sim/analysis/packet_fields.hpp"
#include "sim/analysis/packet_ref.hpp"
#include "sim/analysis/relative_seq.hpp"
#include "sim/analysis/step_order.hpp"
#include "sim/trace/trace.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

// What the learner predicts: the numbers of an ordinary segment, the flags of a segment that opens or
// closes the connection (SYN, FIN, RST, and the ACKs that answer a SYN or a FIN).
enum class PredictKind : std::uint8_t { Numbers, Flags };

// The flags the learner chooses from.
inline constexpr std::uint8_t kPredictedFlags =
    wire::tcp_flag::kSyn | wire::tcp_flag::kAck | wire::tcp_flag::kFin | wire::tcp_flag::kRst;

struct PredictionQuestion {
  PacketRef packet;
  PredictKind kind = PredictKind::Numbers;
  bool relative = true;  // numbers as the timeline shows them: relative to each side's ISN, or raw
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  bool has_ack = false;    // the ACK flag is set, so the acknowledgement number means something
  std::uint8_t flags = 0;  // the segment's SYN/ACK/FIN/RST bits
};

struct PredictionGuess {
  std::optional<std::uint32_t> seq;
  std::optional<std::uint32_t> ack;
  std::uint8_t flags = 0;
  bool shown = false;  // the learner pressed "show" instead of guessing
};

enum class Verdict : std::uint8_t { NotAsked, Right, Wrong, Shown };

struct PredictionResult {
  PredictionQuestion question;
  PredictionGuess guess;
  Verdict seq = Verdict::NotAsked;
  Verdict ack = Verdict::NotAsked;
  Verdict flags = Verdict::NotAsked;
};

PredictKind predict_kind(const Trace& trace, std::uint32_t packet);
// `rel` null: absolute numbers.
PredictionQuestion make_question(const Trace& trace, const RelativeSeq* rel, PacketRef packet);
// Digits only (spaces around them allowed), at most 4294967295.
std::optional<std::uint32_t> parse_guess_number(std::string_view text);
PredictionResult check_guess(const PredictionQuestion& q, const PredictionGuess& g);
// A numbers question can be checked once every number it asks for is filled in.
bool guess_complete(const PredictionQuestion& q, const PredictionGuess& g);

// The reasons, each starting with the answer: "ack = 1001: the receiver acknowledges the next byte it
// expects: seq 1 + len 1000 (#5)". Numbers are relative when `rel` is given.
std::string seq_reason(const Trace& trace, std::uint32_t packet, const RelativeSeq* rel, Lang lang);
std::string ack_reason(const Trace& trace, std::uint32_t packet, const RelativeSeq* rel, Lang lang);
std::string flags_reason(const Trace& trace, std::uint32_t packet, const RelativeSeq* rel, Lang lang);
// Every sentence the reasons are made of, in one language (the font loader adds their characters).
std::vector<const char*> prediction_texts(Lang lang);

// The timeline's label for a hidden segment: "seq=? ack=? len=1000", "ACK ?", "flags ?".
std::size_t format_hidden_label(char* buf, std::size_t size, const Trace& trace, std::uint32_t packet,
                                PredictKind kind);
// Replaces the values of the inspector fields that would give the answer away with "?" and returns the
// byte ranges (offset, length) the hex dump must hide too.
std::vector<std::pair<std::uint32_t, std::uint32_t>> hide_fields(std::vector<Field>& fields,
                                                                 PredictKind kind);

// The first TCP segment sent after the cursor, as a step; copies the link made are skipped (they repeat a
// segment already asked about). Looks at most `max_steps` steps ahead.
std::optional<TimelineStep> next_segment_send(const StepOrder& steps, std::span<const Trace* const> traces,
                                              const Cursor& cursor, std::size_t max_steps = 100'000);

// The App's prediction state: which segment is hidden, which were revealed, the last answer.
class PredictionSession {
 public:
  bool enabled() const { return enabled_; }
  // Turning the mode on starts afresh: every segment is hidden again.
  void set_enabled(bool on);
  // A new document: nothing revealed, nothing asked.
  void clear();
  // Finds the segment to ask about after the cursor. `rels[k]` null: trace k shows absolute numbers.
  void update(const StepOrder& steps, std::span<const Trace* const> traces,
              std::span<const RelativeSeq* const> rels, const Cursor& cursor);

  // The segment whose numbers or flags are hidden now (none when the mode is off or it was revealed).
  std::optional<PacketRef> hidden() const;
  std::optional<PredictKind> hidden_kind() const;
  // The segment asked about, revealed or not, and the step that sends it.
  const std::optional<PredictionQuestion>& question() const { return question_; }
  const std::optional<TimelineStep>& question_step() const { return step_; }
  // Whether stepping onto `next` has to wait for a guess: it sends the hidden segment.
  bool blocks(const std::optional<TimelineStep>& next) const;
  // A step or playback stopped at the hidden segment: the panel says why until the question changes.
  void note_blocked() { blocked_ = true; }
  bool blocked() const { return blocked_; }

  // Checks the guess against the current question and reveals its segment.
  void submit(const PredictionGuess& guess);
  const std::optional<PredictionResult>& result() const { return result_; }
  // Right / asked, over the session, for the panel's score.
  int right() const { return right_; }
  int asked() const { return asked_; }

 private:
  static std::uint64_t key(PacketRef p) { return (std::uint64_t{p.trace} << 32) | p.packet; }
  bool enabled_ = false;
  std::set<std::uint64_t> revealed_;
  std::optional<PredictionQuestion> question_;
  std::optional<TimelineStep> step_;
  std::optional<PredictionResult> result_;
  bool blocked_ = false;
  int right_ = 0, asked_ = 0;
};

}  // namespace wirestep
