// Every line the command line prints for a person, in English and 简体中文: one id per message, one table
// with both texts (cli_text.cpp). Placeholders are numbered, "{0}", "{1}", so a translation may reorder
// them; numbers and units stay ASCII in both ("1460 字节", "200 ms"), so a wrap never splits a number from
// its unit. JSON output is a machine format and stays English; this catalog is only for human output.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "sim/analysis/lang.hpp"
#include "sim/core/result.hpp"

namespace wirestep {

enum class Msg : std::uint16_t {
  // run: header, summary, programs
  SeedLine,
  OverTcp,
  OverUdp,
  SummaryAfter,
  DatagramsOnWire,
  SegmentsOnWire,
  CopiesByLink,
  Delivered,
  LostOnLink,
  DroppedByQueue,
  DroppedByHost,
  StillInFlight,
  Reordered,
  Corrupted,
  WireBytes,
  OfWhichHeaders,
  Overhead,
  OfWhichPayload,
  DecodedAsGbk,
  Bytes,
  Programs,
  ProgramOnHost,
  ListSeparator,
  SentDatagram,
  SentDatagrams,
  ConnectedAt,
  AcceptedConnection,
  AcceptedConnections,
  SentBytes,
  ReceivedBytes,
  ThenRecvReturnedZero,
  ReceivedDatagram,
  ReceivedDatagrams,
  TextFrom,
  FailedAt,
  StillBlockedIn,
  Finished,
  ComparisonTitle,
  Expectations,
  Pass,
  Fail,
  PassedFailed,
  WrotePackets,
  WrotePcapng,
  WroteSvg,
  WroteJson,
  CannotWriteSvg,
  CannotOpenForWriting,
  WriteFailed,
  // the SVG ladder (ladder_svg.cpp): titles, axis, legend
  TitleOverTcp,
  TitleOverUdp,
  SvgTimeAxis,
  SvgTimeSkipped,
  SvgFirstShown,
  SvgRtoRetransmission,
  SvgFastRetransmission,
  SvgPartialAckRetransmission,
  SvgRackRetransmission,
  SvgTailLossProbe,
  SvgSynAckAgain,
  SvgDuplicateAck,
  SvgWindowProbe,
  SvgReset,
  SvgLinkCopy,
  SvgAcknowledgement,
  SvgUdpDatagram,
  SvgTcpSegment,
  SvgLostX,
  // --seed
  SeedNotANumber,
  SeedTooLarge,
  // comparison table rows (the English text is what comparison_rows() returns)
  RowDelivered,
  RowLost,
  RowDuplicated,
  RowOutOfOrder,
  RowPackets,
  RowWireBytes,
  RowHeaderBytes,
  RowLastDelivered,
  RowLatencyMean,
  RowLatencyP99,
  // the text ladder
  TimeMs,
  Arrives,
  LostBecause,
  ArrivesDroppedByReceiver,
  CorruptedBecause,
  StillInFlightAtEnd,
  LinkDuplicateMark,
  ReorderedMark,
  MoreLines,
  HiddenEvents,
  TagRto,
  TagFast,
  TagPartialAck,
  TagRack,
  TagTlp,
  TagSynAckAgain,
  TagProbe,
  TagDupAck,
  TagWindowUpdate,
  TagKeepAlive,
  // scenarios
  NoScenarioDirectory,
  CannotLoad,
  // analyze
  InterfaceLine,
  Snaplen,
  NoSnaplen,
  FrameCount,
  FramesCount,
  LinkTypeNotDecoded,
  OtherLinkFrames,
  FileHeader,
  NotDecodedAll,
  FramesLine,
  MatchingFilter,
  FlowsCount,
  FramesCutShort,
  RecordsOverSnaplen,
  NonIpFrames,
  Fragments,
  BadChecksums,
  TimeWentBackwards,
  DecodeErrorsBelow,
  Truncated,
  ReadingStopped,
  EveryFrameKept,
  TcpStreamsTitle,
  ColStream,
  ColInitiator,
  ColPackets,
  ColBytes,
  ColInitialRtt,
  UdpFlowsTitle,
  UdpIcmpErrors,
  IcmpArpTitle,
  ColMessages,
  IcmpMessages,
  ArpMessages,
  QuotedByIcmpErrors,
  ColFirstSender,
  ColDatagrams,
  ColSizes,
  ColGaps,
  NonIpFlow,
  OtherFlows,
  WhyTitle,
  StreamFrame,
  StreamMore,
  DecodeErrorsTitle,
  FrameAtOffset,
  MoreDecodeErrors,
  // follow
  FollowTitle,
  FollowFilter,
  FollowNode,
  BytesMissing,
  TruncatedAt,
  NoStream,
  BadFormat,
  BadEncoding,
  FlowOrStream,
  // interfaces
  ColInterface,
  ColState,
  ColAddress,
  ColNetworkPart,
  ColHostPart,
  StateUp,
  StateDown,
  StateRunning,
  StateLoopback,
  StateCapture,
  NoAddress,
  PrefixExplained,
  // capture
  CapturingOn,
  CaptureFilter,
  CaptureWriting,
  CtrlCStops,
  Malformed,
  SeeAnalyze,
  NotIp,
  NotTcpOrUdp,
  FramesCaptured,
  CountTcp,
  CountUdp,
  CountOther,
  CountMalformed,
  InFlow,
  InFlows,
  DroppedByKernel,
  WrittenTo,
  // live
  LiveCaptured,
  LiveTcp,
  LiveEveryByte,
  LiveUdp,
  // the --lang option
  BadLang,
  // hosts: a scenario's hosts as `ip a` and `ipconfig` show them
  HostsIpTitle,
  HostsIpconfigTitle,
  HostsAddressParts,
  HostsBits,
  HostsOneBit,
  HostsBroadcast,
  HostsNoBroadcast31,
  HostsNoBroadcast32,
  HostsDifferentSubnets,
  HostsSimulatedNote,
  IpconfigTitle,
  IpconfigAdapter,
  IpconfigDnsSuffix,
  IpconfigIpv4,
  IpconfigMask,
  IpconfigGateway,
  IpconfigNoGateway,
  Count  // not a message: the number of ids
};

struct MessageText {
  Msg id;
  std::string_view en;
  std::string_view zh;
};

// The whole table, one entry per id in the enum's order.
std::span<const MessageText> message_catalog();

std::string_view message_pattern(Lang lang, Msg id);

// `pattern` with each "{n}" replaced by args[n]; a placeholder without an argument stays as it is.
std::string format_message(std::string_view pattern, std::initializer_list<std::string_view> args);

// `english` in `lang` when it is one of the catalog's texts without placeholders (labels that other layers
// hand over in English, such as the comparison table's rows); else `english` unchanged.
std::string_view translate_label(Lang lang, std::string_view english);

namespace detail {
inline std::string_view message_arg(std::string_view s) {
  return s;
}
inline std::string message_arg(std::integral auto v) {
  return std::to_string(v);
}
}  // namespace detail

// cli_text(lang, Msg::SentBytes, 1460) == "sent 1460 bytes" / "发送了 1460 字节".
template <class... Args>
std::string cli_text(Lang lang, Msg id, const Args&... args) {
  // Integers become strings first; the temporaries live until format_message returns.
  return [&](const auto&... converted) {
    return format_message(message_pattern(lang, id), {std::string_view(converted)...});
  }(detail::message_arg(args)...);
}

// An Error for a person in `lang`: the producer's Chinese where it gave one (the scenario loader does), else
// its English; file and position are the same in both.
inline std::string error_text(const Error& e, Lang lang) {
  return lang == Lang::Zh ? e.message_zh() : e.message();
}

}  // namespace wirestep
