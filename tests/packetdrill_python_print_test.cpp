// print() in a script's %{ }% blocks: packetdrill's Python writes it to stdout, so `wirestep packetdrill`
// prints it too, in script order, before the script's verdict; also from blocks that ran before a failure.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/packetdrill/script_parser.hpp"
#include "tests/packetdrill_test_support.hpp"
#include "tests/test_support.hpp"
#include "ui/cli/packetdrill_command.hpp"

namespace wirestep {
namespace packetdrill_python_print_test {

// The server script of packetdrill_test_support.hpp with two blocks after accept() (line 8) and one at the
// end.
std::string with_prints(const std::string& last_assert) {
  std::string s = packetdrill::test::kServer;
  const std::string accept_line = "+0 accept(3, ..., ...) = 4\n";
  s.insert(s.find(accept_line) + accept_line.size(),
           "+0 %{ print(tcpi_snd_cwnd) }%\n+0 %{ print(\"mss\", tcpi_snd_mss, tcpi_snd_mss * 2) }%\n");
  return s + "+0 %{ print('done'); assert " + last_assert + " }%\n";
}

packetdrill::RunResult run_text(const std::string& text) {
  auto script = packetdrill::parse_script(text, "print.pkt");
  EXPECT_TRUE(script.ok());
  packetdrill::RunOptions o;
  o.tcp = TcpConfig::for_profile(TcpProfile::Linux);
  return packetdrill::run_script(*script, o);
}

TEST(PacketdrillPythonPrint, PrintedLinesAreKeptInScriptOrder) {
  const packetdrill::RunResult r = run_text(with_prints("tcpi_snd_mss == 1000"));
  EXPECT_EQ(r.outcome, packetdrill::Outcome::Pass) << packetdrill::test::describe(r);
  EXPECT_EQ(r.printed, "10\nmss 1000 2000\ndone\n");
}

// A failed assert stops the run, but what earlier prints (and its own block's print) wrote stays.
TEST(PacketdrillPythonPrint, OutputBeforeAFailedAssertIsKept) {
  const packetdrill::RunResult r = run_text(with_prints("tcpi_snd_mss == 1"));
  EXPECT_EQ(r.outcome, packetdrill::Outcome::Fail);
  EXPECT_EQ(r.printed, "10\nmss 1000 2000\ndone\n");
}

TEST(PacketdrillPythonPrint, TheCommandWritesItToStdoutBeforeTheVerdict) {
  const testing::TempDir dir;
  const std::string path = dir.file("print.pkt");
  std::ofstream(path) << with_prints("tcpi_snd_mss == 1000");
  PacketdrillCommandOptions o;
  o.files = {path};
  std::ostringstream out, err;
  EXPECT_EQ(packetdrill_command(o, out, err), 0) << out.str() << err.str();
  EXPECT_EQ(out.str(), "10\nmss 1000 2000\ndone\n" + path + ": pass\n") << err.str();
}

TEST(PacketdrillPythonPrint, AScriptWithoutPrintWritesOnlyItsVerdict) {
  const packetdrill::RunResult r = run_text(packetdrill::test::kServer);
  EXPECT_EQ(r.outcome, packetdrill::Outcome::Pass) << packetdrill::test::describe(r);
  EXPECT_TRUE(r.printed.empty()) << r.printed;
}

}  // namespace packetdrill_python_print_test
}  // namespace wirestep
