// Text wrapped to a width, for ImGui 1.86, which wraps only at spaces: a Chinese paragraph (no spaces)
// would break in odd places. These break after any space or CJK character, never before closing
// punctuation.
#pragma once

namespace wirestep::gui {

// The most lines a wrapped_selectable shows; a longer text is cut after them.
inline constexpr int kWrappedSelectableLines = 4;

// `text` as wrapped lines `width` wide, at the cursor.
void wrapped_text(const char* text, float width);
// `text` wrapped to the width available, selectable as one row; true when clicked. Drawn in the current
// text colour. Give each row its own ImGui ID (PushID) when several are drawn.
bool wrapped_selectable(const char* text, bool selected);

}  // namespace wirestep::gui
