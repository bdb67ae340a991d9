#include "ui/gui/file_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/save_pcap.hpp"

namespace wirestep::gui {
namespace fs = std::filesystem;
namespace {

T kind_text(FileKind k) {
  switch (k) {
    case FileKind::Parent:
    case FileKind::Folder:
      return T::KindFolder;
    case FileKind::Pcap:
      return T::KindPcapFile;
    case FileKind::Pcapng:
      return T::KindPcapngFile;
    case FileKind::Scenario:
      return T::KindScenarioFile;
    case FileKind::Script:
      return T::KindScriptFile;
    case FileKind::Other:
      return T::KindOtherFile;
  }
  return T::KindOtherFile;
}

}  // namespace

void FileDialog::show(Mode mode, const std::string& folder, const std::string& file_name) {
  mode_ = mode;
  open_request_ = true;
  message_.clear();
  confirm_.clear();
  browser_.open_folder(folder);
  enter_folder_listing();
  std::snprintf(name_buf_, sizeof name_buf_, "%s", file_name.c_str());
  focus_field_ = mode == Mode::Save;
}

void FileDialog::enter_folder_listing() {
  selected_ = -1;
  std::string d = browser_.directory();
  if (d.empty() || d.back() != '/') d += '/';
  std::snprintf(path_buf_, sizeof path_buf_, "%s", d.c_str());
}

void FileDialog::choose(const std::string& path, const Document& doc, Lang lang, FileCommands& c) {
  std::error_code ec;
  if (mode_ == Mode::Open) {
    if (!fs::is_regular_file(path, ec)) {
      message_ = std::string(tr(lang, T::NoSuchFile)) + ": " + path;
      return;
    }
    c.open_path = path;
    ImGui::CloseCurrentPopup();
    return;
  }
  confirm_.clear();
  for (const std::string& p : save_paths(path, save_labels(doc)))
    if (fs::exists(p, ec)) confirm_.push_back(p);
  if (!confirm_.empty()) {
    confirm_target_ = path;
    return;
  }
  c.save_path = path;
  ImGui::CloseCurrentPopup();
}

// The folder's entries; returns true when the keyboard moved the selection (the caller keeps it in view).
bool FileDialog::draw_list(const Document& doc, Lang lang, FileCommands& c) {
  const auto& entries = browser_.entries();
  const ImGuiIO& io = ImGui::GetIO();
  const int count = static_cast<int>(entries.size());
  bool moved = false;
  // Keys act on the list while no text field has the keyboard.
  if (!io.WantTextInput && count > 0 && confirm_.empty()) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) {
      selected_ = std::min(selected_ + 1, count - 1);
      moved = true;
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) {
      selected_ = std::max(selected_ - 1, 0);
      moved = true;
    }
  }
  std::optional<std::size_t> activate;
  if (!io.WantTextInput && confirm_.empty() && selected_ >= 0 && selected_ < count &&
      (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false)))
    activate = static_cast<std::size_t>(selected_);

  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable;
  if (ImGui::BeginTable("files", 3, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr(lang, T::ColName), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(tr(lang, T::ColSize), ImGuiTableColumnFlags_WidthFixed, 90.0f);
    ImGui::TableSetupColumn(tr(lang, T::ColKind), ImGuiTableColumnFlags_WidthFixed, 150.0f);
    ImGui::TableHeadersRow();
    auto row = [&](int i) {
      const BrowserEntry& e = entries[static_cast<std::size_t>(i)];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(i);
      const bool folder = e.kind == FileKind::Folder || e.kind == FileKind::Parent;
      if (folder) ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(0x1F5FBF)).Value);
      char label[300];
      std::snprintf(label, sizeof label, "%s%s", e.name.c_str(), e.kind == FileKind::Folder ? "/" : "");
      if (ImGui::Selectable(label, selected_ == i,
                            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
        selected_ = i;
        if (ImGui::IsMouseDoubleClicked(0)) activate = static_cast<std::size_t>(i);
      }
      if (folder) ImGui::PopStyleColor();
      if (moved && selected_ == i) ImGui::SetScrollHereY(0.5f);
      ImGui::TableSetColumnIndex(1);
      if (e.size) {
        const std::string s = format_size(*e.size);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x -
                             ImGui::CalcTextSize(s.c_str()).x);
        ImGui::TextUnformatted(s.c_str());
      }
      ImGui::TableSetColumnIndex(2);
      ImGui::TextDisabled("%s", e.kind == FileKind::Parent ? "" : tr(lang, kind_text(e.kind)));
      ImGui::PopID();
    };
    if (moved) {
      // The selected row must be submitted for the scroll to reach it: draw every row this once.
      for (int i = 0; i < count; ++i) row(i);
    } else {
      ImGuiListClipper clipper;
      clipper.Begin(count);
      while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) row(i);
    }
    const bool only_parent = count == 0 || (count == 1 && entries[0].kind == FileKind::Parent);
    if (only_parent && browser_.error().empty()) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextDisabled("%s", tr(lang, T::NoMatchingFiles));
    }
    ImGui::EndTable();
  }

  if (activate) {
    const bool save_name = mode_ == Mode::Save && entries[*activate].kind != FileKind::Folder &&
                           entries[*activate].kind != FileKind::Parent;
    if (save_name) {
      std::snprintf(name_buf_, sizeof name_buf_, "%s", entries[*activate].name.c_str());
    } else if (auto path = browser_.activate(*activate)) {
      choose(*path, doc, lang, c);
    } else {
      enter_folder_listing();
      message_.clear();
    }
  }
  return moved;
}

void FileDialog::draw(const Document& doc, Lang lang, FileCommands& c) {
  if (open_request_) {
    ImGui::OpenPopup("###file-dialog");
    open_request_ = false;
  }
  char title[96];
  std::snprintf(title, sizeof title, "%s###file-dialog",
                mode_ == Mode::Open ? tr(lang, T::MenuOpen) : tr(lang, T::SaveTitle));
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowSize(
      {std::min(820.0f, io.DisplaySize.x - 40.0f), std::min(580.0f, io.DisplaySize.y - 40.0f)},
      ImGuiCond_Appearing);
  ImGui::SetNextWindowPos({io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f}, ImGuiCond_Appearing,
                          {0.5f, 0.5f});
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  // Fields and checkboxes stand out from the white dialog.
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImColor(rgb(0xE6EAF0)).Value);
  const ImU32 red = rgb(kLostHex);

  // The folder: up, and the path field (type a folder to go there, or a file to open it).
  const bool has_parent = !browser_.entries().empty() && browser_.entries()[0].kind == FileKind::Parent;
  if (ImGui::Button(tr(lang, T::FolderUp)) && has_parent) {
    browser_.activate(0);
    enter_folder_listing();
    message_.clear();
  }
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(lang, T::PathLabel));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::InputText("##path", path_buf_, sizeof path_buf_, ImGuiInputTextFlags_EnterReturnsTrue)) {
    message_.clear();
    if (auto path = browser_.submit(path_buf_))
      choose(*path, doc, lang, c);
    else
      enter_folder_listing();
  }
  if (!browser_.error().empty()) ImGui::TextColored(ImColor(red), "%s", browser_.error().c_str());
  if (!message_.empty()) ImGui::TextColored(ImColor(red), "%s", message_.c_str());

  // Below the list: the filter switch, the save name and what a save writes, the buttons.
  const float line = ImGui::GetFrameHeightWithSpacing();
  const float footer = line * (mode_ == Mode::Save ? 3.0f : 2.0f) +
                       ImGui::GetTextLineHeightWithSpacing() * (mode_ == Mode::Save ? 1.0f : 0.0f) + 4.0f;
  ImGui::BeginChild("list", ImVec2(0, -footer), false, ImGuiWindowFlags_NoScrollbar);
  draw_list(doc, lang, c);
  ImGui::EndChild();

  bool all = browser_.all_files();
  if (ImGui::Checkbox(tr(lang, T::AllFiles), &all)) {
    browser_.set_all_files(all);
    selected_ = -1;
  }
  ImGui::SameLine();
  ImGui::TextDisabled(".pcap .pcapng .cap .toml .pkt");

  bool save_now = false;
  if (mode_ == Mode::Save) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr(lang, T::FileNameLabel));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1.0f);
    if (focus_field_) {
      ImGui::SetKeyboardFocusHere();
      focus_field_ = false;
    }
    save_now = ImGui::InputText("##name", name_buf_, sizeof name_buf_, ImGuiInputTextFlags_EnterReturnsTrue);
    char what[256];
    const std::string n = format_count(packets_to_save(doc));
    if (doc.capture)
      std::snprintf(what, sizeof what, tr(lang, T::SaveWhatCapture), n.c_str());
    else if (doc.traces.size() > 1)
      std::snprintf(what, sizeof what, "%s", tr(lang, T::SaveWhatComparison));
    else
      std::snprintf(what, sizeof what, tr(lang, T::SaveWhatRun), n.c_str());
    ImGui::TextDisabled("%s", what);
  }

  if (!confirm_.empty()) {
    std::string names;
    for (const std::string& p : confirm_)
      names += (names.empty() ? "" : ", ") + fs::path(p).filename().string();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImColor(red), "%s %s", names.c_str(), tr(lang, T::AlreadyExists));
    ImGui::SameLine();
    if (ImGui::Button(tr(lang, T::ReplaceButton))) {
      c.save_path = confirm_target_;
      confirm_.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(lang, T::Cancel))) confirm_.clear();
  } else {
    const char* action = tr(lang, mode_ == Mode::Open ? T::OpenButton : T::SaveButton);
    if (ImGui::Button(action) || save_now) {
      message_.clear();
      const auto& entries = browser_.entries();
      if (mode_ == Mode::Open && selected_ >= 0 && static_cast<std::size_t>(selected_) < entries.size()) {
        if (auto path = browser_.activate(static_cast<std::size_t>(selected_)))
          choose(*path, doc, lang, c);
        else
          enter_folder_listing();
      } else if (mode_ == Mode::Open) {
        if (auto path = browser_.submit(path_buf_))
          choose(*path, doc, lang, c);
        else
          enter_folder_listing();
      } else if (const std::string name = with_pcap_extension(name_buf_); !name.empty()) {
        if (auto path = browser_.submit(name)) {
          choose(*path, doc, lang, c);
        } else {
          enter_folder_listing();
          name_buf_[0] = 0;
        }
      }
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(lang, T::Cancel)) ||
        (!io.WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)))
      ImGui::CloseCurrentPopup();
  }
  ImGui::PopStyleColor();
  ImGui::EndPopup();
}

}  // namespace wirestep::gui
