// A failed socket call's reason in 简体中文, for the Chinese detail of an expectation: "line 7: connect:
// connection refused: RST in answer to our SYN (ECONNREFUSED)" becomes "第 7 行：connect：连接被拒绝：对方以
// RST 回应我方 SYN（ECONNREFUSED）". The errno name stays as the seed notes and man pages spell it; its
// explanation is translated. The model cannot use the analysis layer's event translation
// (docs/architecture.md), so the few sentences a call can fail with are listed here.
#pragma once

#include <string>
#include <string_view>

namespace wirestep {

// `english` with every known phrase translated; an unknown phrase stays English, the errno name always
// stays.
std::string call_error_zh(std::string_view english);

}  // namespace wirestep
