// Prediction mode (sim/analysis/prediction.hpp): which segment is asked about, what counts as right, what the
// timeline and inspector hide, and the reasons written from the Trace: the earlier segment a sequence
// number follows from, the one an acknowledgement number acknowledges, why a segment carries its flags.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "hand_built_tcp.hpp"
#include "sim/analysis/prediction.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/trace/packet_bytes.hpp"

namespace wirestep::gui {
namespace prediction_test {

namespace tf = wire::tcp_flag;

// Conversations here: A's ISN is 100, B's 500, over a 10 ms link (tests/hand_built_tcp.hpp).
using Conversation = HandBuiltTcp;

constexpr Direction kAB = Direction::AtoB;
constexpr Direction kBA = Direction::BtoA;

// SYN, SYN-ACK, ACK, 1000 bytes from A, B's ACK of them.
struct Handshake {
  Conversation c;
  std::uint32_t syn, syn_ack, ack, data, data_ack;
  Handshake() {
    syn = c.send(0, kAB, tf::kSyn, 100, 0, 0);
    syn_ack = c.send(10, kBA, tf::kSyn | tf::kAck, 500, 101, 0);
    ack = c.send(20, kAB, tf::kAck, 101, 501, 0, Cause::PureAck);
    data = c.send(20, kAB, tf::kAck | tf::kPsh, 101, 501, 1000);
    data_ack = c.send(30, kBA, tf::kAck, 501, 1101, 0, Cause::PureAck);
  }
};

RunResult run_lesson(const std::string& name) {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(sc.ok());
  return run_scenario(*sc);
}

TEST(PredictionReasons, AckNamesTheSegmentItAcknowledgesAndAddsItsLength) {
  Handshake h;
  const RelativeSeq rel(h.c.trace());
  EXPECT_EQ(ack_reason(h.c.trace(), h.data_ack, &rel, Lang::En),
            "ack = 1001: the receiver acknowledges the next byte it expects: seq 1 + len 1000 (#4).");
}

TEST(PredictionReasons, AckOfASynCountsTheSynAsOneSequenceNumber) {
  Handshake h;
  const RelativeSeq rel(h.c.trace());
  EXPECT_EQ(ack_reason(h.c.trace(), h.syn_ack, &rel, Lang::En),
            "ack = 1: acknowledges A's SYN (#1), which counts as one sequence number: seq 0 + 1.");
}

TEST(PredictionReasons, AnAckThatDidNotMoveSaysNothingNewArrived) {
  Handshake h;
  const RelativeSeq rel(h.c.trace());
  // A's data segment carries the same ack as its handshake ACK just before it.
  const std::string why = ack_reason(h.c.trace(), h.data, &rel, Lang::En);
  EXPECT_EQ(why.rfind("ack = 1: acknowledges B's SYN (#2)", 0), 0u) << why;
  EXPECT_NE(why.find("same as in #3"), std::string::npos) << why;
}

TEST(PredictionReasons, AbsoluteNumbersWithoutRelativeNumbering) {
  Handshake h;
  EXPECT_EQ(ack_reason(h.c.trace(), h.data_ack, nullptr, Lang::En),
            "ack = 1101: the receiver acknowledges the next byte it expects: seq 101 + len 1000 (#4).");
  EXPECT_EQ(
      seq_reason(h.c.trace(), h.syn, nullptr, Lang::En).rfind("seq = 100: a SYN carries A's initial", 0), 0u);
}

TEST(PredictionReasons, SeqAfterTheSynIsTheIsnPlusOne) {
  Handshake h;
  const RelativeSeq rel(h.c.trace());
  EXPECT_EQ(seq_reason(h.c.trace(), h.ack, &rel, Lang::En),
            "seq = 1: the SYN (#1, seq 0) used up one sequence number, so the next byte is 0 + 1.");
  // The data segment after a pure ACK starts where the ACK stood: an ACK uses no sequence number.
  EXPECT_EQ(seq_reason(h.c.trace(), h.data, &rel, Lang::En),
            "seq = 1: the same as #3: a segment without data, SYN or FIN uses no sequence number.");
}

TEST(PredictionReasons, SeqAfterDataIsTheEndOfThePreviousSegment) {
  Handshake h;
  const auto next = h.c.send(31, kAB, tf::kAck, 1101, 501, 1000);
  const RelativeSeq rel(h.c.trace());
  EXPECT_EQ(seq_reason(h.c.trace(), next, &rel, Lang::En),
            "seq = 1001: the next byte A has not sent yet: #4 had seq 1 + len 1000.");
}

TEST(PredictionReasons, RetransmissionRepeatsTheBytesOfItsFirstTransmission) {
  Handshake h;
  const auto second = h.c.send(31, kAB, tf::kAck, 1101, 501, 1000, Cause::FirstTransmission, true);
  const auto again = h.c.send(250, kAB, tf::kAck, 1101, 501, 1000, Cause::RtoRetransmission);
  const RelativeSeq rel(h.c.trace());
  EXPECT_EQ(
      seq_reason(h.c.trace(), again, &rel, Lang::En),
      "seq = 1001: a retransmission (the retransmission timer expired) repeats the bytes first sent in #" +
          std::to_string(second + 1) + ", which started at seq 1001.");
}

TEST(PredictionReasons, DuplicateAckSaysTheByteIsStillMissing) {
  Handshake h;
  h.c.send(31, kAB, tf::kAck, 1101, 501, 1000, Cause::FirstTransmission, /*lost=*/true);
  const auto third = h.c.send(32, kAB, tf::kAck, 2101, 501, 1000);
  const auto dup = h.c.send(42, kBA, tf::kAck, 501, 1101, 0, Cause::DuplicateAck);
  const RelativeSeq rel(h.c.trace());
  EXPECT_EQ(
      ack_reason(h.c.trace(), dup, &rel, Lang::En),
      "ack = 1001 again: #" + std::to_string(third + 1) +
          " (seq 2001) arrived, but byte 1001 is still missing, so the receiver repeats its ACK for 1001 (a "
          "duplicate ACK): it acknowledges only bytes that arrived in order.");
}

TEST(PredictionReasons, CumulativeAckJumpsWhenARetransmissionFillsTheGap) {
  Handshake h;
  h.c.send(31, kAB, tf::kAck, 1101, 501, 1000, Cause::FirstTransmission, /*lost=*/true);
  h.c.send(32, kAB, tf::kAck, 2101, 501, 1000);
  h.c.send(42, kBA, tf::kAck, 501, 1101, 0, Cause::DuplicateAck);
  const auto resent = h.c.send(250, kAB, tf::kAck, 1101, 501, 1000, Cause::RtoRetransmission);
  const auto jump = h.c.send(260, kBA, tf::kAck, 501, 3101, 0, Cause::PureAck);
  const RelativeSeq rel(h.c.trace());
  EXPECT_EQ(ack_reason(h.c.trace(), jump, &rel, Lang::En),
            "ack = 3001: #" + std::to_string(resent + 1) +
                " (seq 1001 + len 1000) filled the gap; the bytes after it up to 3001 - 1 had already "
                "arrived, so the "
                "cumulative ACK jumps to 3001.");
}

TEST(PredictionReasons, SynAckAnswersTheClientsSyn) {
  Handshake h;
  EXPECT_EQ(flags_reason(h.c.trace(), h.syn_ack, nullptr, Lang::En),
            "SYN,ACK: the server answers a SYN with its own SYN and acknowledges the client's (#1).");
}

TEST(PredictionReasons, ThirdHandshakeSegmentAcknowledgesTheServersSyn) {
  Handshake h;
  EXPECT_EQ(
      flags_reason(h.c.trace(), h.ack, nullptr, Lang::En),
      "ACK: A acknowledges B's SYN (#2); this third segment completes the three-way handshake and carries "
      "no SYN of its own.");
}

TEST(PredictionReasons, TeardownReasonsSayWhoClosedAndQuoteTheStateChange) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  const Trace& t = run.trace;
  // #6 A's FIN, #7 B's ACK of it, #8 B's FIN, #9 A's last ACK (see scenarios/tcp-handshake.toml).
  const std::string fin = flags_reason(t, 5, nullptr, Lang::En);
  EXPECT_EQ(fin.rfind("FIN,ACK: A's application closed its side", 0), 0u) << fin;
  EXPECT_NE(fin.find("(A: ESTABLISHED -> FIN-WAIT-1"), std::string::npos) << fin;
  const std::string close_wait = flags_reason(t, 6, nullptr, Lang::En);
  EXPECT_NE(close_wait.find("CLOSE-WAIT"), std::string::npos) << close_wait;
  const std::string passive = flags_reason(t, 7, nullptr, Lang::En);
  EXPECT_EQ(passive.rfind("FIN,ACK: B had received A's FIN (#6)", 0), 0u) << passive;
  const std::string last = flags_reason(t, 8, nullptr, Lang::En);
  EXPECT_NE(last.find("waits in TIME-WAIT"), std::string::npos) << last;
}

TEST(PredictionReasons, ChineseReasonsCarryTheSameNumbers) {
  Handshake h;
  const RelativeSeq rel(h.c.trace());
  const std::string why = ack_reason(h.c.trace(), h.data_ack, &rel, Lang::Zh);
  EXPECT_EQ(why, "ack = 1001：接收方确认它期望的下一个字节：seq 1 + len 1000（#4）。");
  EXPECT_EQ(prediction_texts(Lang::Zh).size(), prediction_texts(Lang::En).size());
}

TEST(PredictionKind, HandshakeAndTeardownSegmentsAskForFlagsTheRestForNumbers) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  ASSERT_EQ(run.trace.packet_count(), 9u);
  std::vector<PredictKind> kinds;
  for (std::uint32_t i = 0; i < 9; ++i) kinds.push_back(predict_kind(run.trace, i));
  using K = PredictKind;
  EXPECT_EQ(kinds, (std::vector<K>{K::Flags, K::Flags, K::Flags, K::Numbers, K::Numbers, K::Flags, K::Flags,
                                   K::Flags, K::Flags}));
}

TEST(PredictionQuestion, NumbersAreTheOnesTheTimelineShows) {
  Handshake h;
  const RelativeSeq rel(h.c.trace());
  const PredictionQuestion relative = make_question(h.c.trace(), &rel, {0, h.data_ack});
  EXPECT_EQ(relative.kind, PredictKind::Numbers);
  EXPECT_TRUE(relative.relative);
  EXPECT_EQ(relative.seq, 1u);
  EXPECT_EQ(relative.ack, 1001u);
  EXPECT_TRUE(relative.has_ack);
  const PredictionQuestion absolute = make_question(h.c.trace(), nullptr, {0, h.data_ack});
  EXPECT_FALSE(absolute.relative);
  EXPECT_EQ(absolute.seq, 501u);
  EXPECT_EQ(absolute.ack, 1101u);
  const PredictionQuestion syn_ack = make_question(h.c.trace(), &rel, {0, h.syn_ack});
  EXPECT_EQ(syn_ack.kind, PredictKind::Flags);
  EXPECT_EQ(syn_ack.flags, tf::kSyn | tf::kAck);
}

TEST(PredictionGuessCheck, EachFieldIsRightOrWrongOnItsOwn) {
  PredictionQuestion q;
  q.seq = 1;
  q.ack = 1001;
  q.has_ack = true;
  PredictionGuess g;
  g.seq = 1;
  g.ack = 1000;
  const PredictionResult r = check_guess(q, g);
  EXPECT_EQ(r.seq, Verdict::Right);
  EXPECT_EQ(r.ack, Verdict::Wrong);
  EXPECT_EQ(r.flags, Verdict::NotAsked);
}

TEST(PredictionGuessCheck, FlagsMustMatchExactlyAmongSynAckFinRst) {
  PredictionQuestion q;
  q.kind = PredictKind::Flags;
  q.flags = tf::kFin | tf::kAck;
  PredictionGuess g;
  g.flags = tf::kFin | tf::kAck | tf::kPsh;  // PSH is not one of the choices: ignored
  EXPECT_EQ(check_guess(q, g).flags, Verdict::Right);
  g.flags = tf::kFin;
  EXPECT_EQ(check_guess(q, g).flags, Verdict::Wrong);
  EXPECT_EQ(check_guess(q, g).seq, Verdict::NotAsked);
}

TEST(PredictionGuessCheck, ShowRevealsWithoutAVerdict) {
  PredictionQuestion q;
  q.has_ack = true;
  PredictionGuess g;
  g.shown = true;
  EXPECT_TRUE(guess_complete(q, g));
  EXPECT_EQ(check_guess(q, g).seq, Verdict::Shown);
  EXPECT_EQ(check_guess(q, g).ack, Verdict::Shown);
}

TEST(PredictionGuessCheck, NumbersQuestionNeedsEveryNumberFilledIn) {
  PredictionQuestion q;
  q.has_ack = true;
  PredictionGuess g;
  g.seq = 1;
  EXPECT_FALSE(guess_complete(q, g));
  g.ack = 1;
  EXPECT_TRUE(guess_complete(q, g));
  q.has_ack = false;
  g.ack.reset();
  EXPECT_TRUE(guess_complete(q, g));
}

TEST(PredictionGuessParse, AcceptsDecimalNumbersUpToTwoToTheThirtyTwoMinusOne) {
  EXPECT_EQ(parse_guess_number("1001"), 1001u);
  EXPECT_EQ(parse_guess_number("  7 "), 7u);
  EXPECT_EQ(parse_guess_number("4294967295"), 4294967295u);
  EXPECT_FALSE(parse_guess_number(""));
  EXPECT_FALSE(parse_guess_number("12a"));
  EXPECT_FALSE(parse_guess_number("-1"));
  EXPECT_FALSE(parse_guess_number("4294967296"));
  EXPECT_FALSE(parse_guess_number("99999999999"));
}

TEST(PredictionHiding, TheLabelKeepsOnlyWhatIsNotAsked) {
  Handshake h;
  char buf[64];
  format_hidden_label(buf, sizeof buf, h.c.trace(), h.data, PredictKind::Numbers);
  EXPECT_STREQ(buf, "seq=? ack=? len=1000");
  format_hidden_label(buf, sizeof buf, h.c.trace(), h.data_ack, PredictKind::Numbers);
  EXPECT_STREQ(buf, "ACK ?");
  format_hidden_label(buf, sizeof buf, h.c.trace(), h.syn_ack, PredictKind::Flags);
  EXPECT_STREQ(buf, "flags ?");
  format_hidden_label(buf, 6, h.c.trace(), h.data, PredictKind::Numbers);
  EXPECT_STREQ(buf, "seq=?");  // truncated, still terminated
}

TEST(PredictionHiding, InspectorFieldsAndBytesOfTheAnswerAreHidden) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  std::vector<std::uint8_t> bytes;
  rebuild_packet(run.trace, 0, LinkLayer::Ethernet, bytes);  // the SYN, with options
  auto value_of = [](const std::vector<Field>& fields, const std::string& name) {
    const auto it =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name == name; });
    return it == fields.end() ? std::string("(missing)") : it->value;
  };
  std::vector<Field> numbers = describe_frame(bytes, FrameContext{});
  const auto numbers_hidden = hide_fields(numbers, PredictKind::Numbers);
  EXPECT_EQ(value_of(numbers, "sequence number"), "?");
  EXPECT_EQ(value_of(numbers, "acknowledgment number"), "?");
  EXPECT_NE(value_of(numbers, "flags"), "?");
  // Ethernet 14 + IPv4 20: seq at 38, ack at 42, four bytes each.
  EXPECT_NE(
      std::find(numbers_hidden.begin(), numbers_hidden.end(), std::pair<std::uint32_t, std::uint32_t>{38, 4}),
      numbers_hidden.end());
  EXPECT_NE(
      std::find(numbers_hidden.begin(), numbers_hidden.end(), std::pair<std::uint32_t, std::uint32_t>{42, 4}),
      numbers_hidden.end());

  std::vector<Field> flags = describe_frame(bytes, FrameContext{});
  const auto flags_hidden = hide_fields(flags, PredictKind::Flags);
  EXPECT_EQ(value_of(flags, "flags"), "?");
  EXPECT_NE(value_of(flags, "sequence number"), "?");
  // The SYN's options (MSS) would give it away: every byte after the 20 fixed ones is hidden too.
  std::uint32_t hidden_option_bytes = 0;
  for (const auto& [offset, length] : flags_hidden)
    if (offset >= 54) hidden_option_bytes += length;
  EXPECT_GT(hidden_option_bytes, 0u);
}

TEST(PredictionStep, TheQuestionIsTheNextTcpSegmentSentAfterTheCursor) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder steps;
  steps.add_trace(run.trace);
  const Trace* traces[] = {&run.trace};
  const auto first = next_segment_send(steps, traces, Cursor{INT64_MIN, std::nullopt});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, StepKind::Send);
  EXPECT_EQ(first->index, 0u);
  // From the SYN's send the next segment is the SYN-ACK, past the SYN's arrival and B's state change.
  const auto second = next_segment_send(steps, traces, Cursor{first->time_ns, first});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->index, 1u);
  const auto last = next_segment_send(steps, traces, Cursor{INT64_MAX, std::nullopt});
  EXPECT_FALSE(last);
}

TEST(PredictionSession, SteppingOntoTheHiddenSegmentWaitsUntilItIsGuessed) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder steps;
  steps.add_trace(run.trace);
  const RelativeSeq rel(run.trace);
  const Trace* traces[] = {&run.trace};
  const RelativeSeq* rels[] = {&rel};
  PredictionSession s;
  Cursor cursor{INT64_MIN, std::nullopt};
  s.update(steps, traces, rels, cursor);
  EXPECT_FALSE(s.hidden()) << "off until enabled";

  s.set_enabled(true);
  s.update(steps, traces, rels, cursor);
  ASSERT_TRUE(s.hidden());
  EXPECT_EQ(*s.hidden(), (PacketRef{0, 0}));
  EXPECT_EQ(s.hidden_kind(), PredictKind::Flags);
  // Step through the socket calls before the SYN; the SYN's own send is where stepping stops.
  std::optional<TimelineStep> next = steps.next(cursor);
  while (next && !s.blocks(next)) {
    cursor = Cursor{next->time_ns, next};
    s.update(steps, traces, rels, cursor);
    next = steps.next(cursor);
  }
  ASSERT_TRUE(next);
  EXPECT_EQ(next->kind, StepKind::Send);
  EXPECT_EQ(next->index, 0u);

  PredictionGuess g;
  g.flags = tf::kSyn;
  s.submit(g);
  EXPECT_FALSE(s.hidden());
  EXPECT_FALSE(s.blocks(next));
  ASSERT_TRUE(s.result());
  EXPECT_EQ(s.result()->flags, Verdict::Right);
  EXPECT_EQ(s.right(), 1);
  EXPECT_EQ(s.asked(), 1);

  // Onto the SYN's send: the next question is the SYN-ACK, hidden again.
  cursor = Cursor{next->time_ns, next};
  s.update(steps, traces, rels, cursor);
  ASSERT_TRUE(s.hidden());
  EXPECT_EQ(s.hidden()->packet, 1u);
  PredictionGuess wrong;
  wrong.flags = tf::kSyn;
  s.submit(wrong);
  EXPECT_EQ(s.result()->flags, Verdict::Wrong);
  EXPECT_EQ(s.right(), 1);
  EXPECT_EQ(s.asked(), 2);
}

TEST(PredictionSession, ShowRevealsWithoutScoringAndTurningOnAgainHidesEverythingAgain) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder steps;
  steps.add_trace(run.trace);
  const Trace* traces[] = {&run.trace};
  const RelativeSeq* rels[] = {nullptr};
  PredictionSession s;
  s.set_enabled(true);
  const Cursor start{INT64_MIN, std::nullopt};
  s.update(steps, traces, rels, start);
  PredictionGuess show;
  show.shown = true;
  s.submit(show);
  EXPECT_FALSE(s.hidden());
  EXPECT_EQ(s.asked(), 0);
  EXPECT_EQ(s.result()->flags, Verdict::Shown);
  s.set_enabled(false);
  s.set_enabled(true);
  s.update(steps, traces, rels, start);
  EXPECT_TRUE(s.hidden());
  EXPECT_FALSE(s.result());
}

}  // namespace prediction_test
}  // namespace wirestep::gui
