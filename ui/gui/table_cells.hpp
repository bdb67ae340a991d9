// What the tables of conversations (the Flows tab, the conversation overview) put in a cell.
#pragma once

#include <imgui.h>

#include <algorithm>

#include "ui/gui/palette.hpp"

namespace wirestep::gui {

// A number right-aligned in its table cell, so the digits of a column line up.
inline void right_aligned(const char* text, unsigned hex = kTextHex) {
  const float w = ImGui::CalcTextSize(text).x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, ImGui::GetContentRegionAvail().x - w));
  ImGui::TextColored(ImColor(rgb(hex)), "%s", text);
}

}  // namespace wirestep::gui
