// Output for a person on a terminal, like git's: colour and a pager.
//
// Colour: only when stdout is a terminal and NO_COLOR is unset or empty (no-color.org); never
// in a pipe, a file or --json. A pager: only when stdout is a terminal, the text is longer than
// the terminal is high (wrapped lines counted) and --no-pager was not given; the command is
// $PAGER (default `less -FRX`: quits when it fits, keeps colours, leaves the text on screen),
// run by /bin/sh. `PAGER=cat` or `PAGER=` means no pager. Never for --json output.
//
// Thread-safety: for main's thread.
#ifndef ARCHIVIST_CLI_PAGER_H_
#define ARCHIVIST_CLI_PAGER_H_

#include <string>
#include <string_view>

namespace archivist::cli {

bool StdoutIsTerminal();
bool ColourWanted();  // stdout is a terminal and NO_COLOR is unset or empty

enum class Colour { kRed, kGreen, kYellow, kBlue, kMagenta, kCyan, kBold };
// `text` between the SGR sequence of `colour` and a reset.
std::string Paint(std::string_view text, Colour colour);

// Writes `text`, which is ready for the terminal when stdout is one (TerminalSafe, coloured),
// to stdout, through the pager when it is wanted (above). False on a write error (a pager that
// quits early, like less on `q`, is not one).
bool WritePaged(std::string_view text, bool no_pager);

// The number of terminal rows `text` takes on a terminal `columns` wide (escape sequences take
// no room). For WritePaged; exposed for tests.
int RowsOf(std::string_view text, int columns);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_PAGER_H_
