// The UI's words in English and Simplified Chinese. One table, looked up by id; the menu switches language.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/gui/view_state.hpp"

namespace wirestep::gui {

enum class T : std::uint16_t {
  MenuFile,
  MenuOpen,
  MenuQuit,
  MenuView,
  MenuLanguage,
  MenuHelp,
  ShowEvents,
  ShowAcks,
  RelativeSeq,
  Scenarios,
  Timeline,
  Inspector,
  TcpState,
  Comparison,
  Legend,
  Play,
  Pause,
  StepBack,
  StepForward,
  Start,
  End,
  Speed,
  Time,
  ZoomFit,
  NoStep,
  KindData,
  KindControl,
  KindAck,
  KindRetrans,
  KindDupAck,
  KindOutOfOrder,
  KindZeroWindow,
  KindLinkCopy,
  KindDatagram,
  KindOther,
  Lost,
  Folded,
  SelectPacketHint,
  NetworkPart,
  HostPart,
  Payload,
  DecodedUtf8,
  DecodedGbk,
  Binary,
  HexDump,
  NoPayload,
  Sent,
  Arrived,
  LostOnLink,
  LostInQueue,
  DroppedByHost,
  StillInFlight,
  Cause,
  Flight,
  StateVariables,
  NoTcp,
  Endpoint,
  TransitionTaken,
  CaptureUnavailable,
  OpenFailed,
  NoCjkFont,
  Explanation,
  Run,
  Hosts,
  Loaded,
  PacketsWord,
  EventsWord,
  OpenPrompt,
  OpenButton,
  Cancel,
  KeysHelp,
  Metric,
  // -- graphs --
  // -- captures and files --
  // -- scenario editing --
  // -- teaching --
  // -- live --
  Count,
};

const char* tr(Lang lang, T id);
// A row name of the TCP-vs-UDP table (ui/cli/comparison_table.cpp writes them in English).
const char* comparison_row_name(const std::string& english, Lang lang);
// Every string of one language (the font loader adds their characters to the glyph ranges).
std::vector<const char*> all_texts(Lang lang);

}  // namespace wirestep::gui
