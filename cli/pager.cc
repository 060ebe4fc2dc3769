#include "cli/pager.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace archivist::cli {
namespace {

std::string_view Sgr(Colour c) {
  switch (c) {
    case Colour::kRed: return "\x1b[31m";
    case Colour::kGreen: return "\x1b[32m";
    case Colour::kYellow: return "\x1b[33m";
    case Colour::kBlue: return "\x1b[34m";
    case Colour::kMagenta: return "\x1b[35m";
    case Colour::kCyan: return "\x1b[36m";
    case Colour::kBold: return "\x1b[1m";
  }
  return "";
}

bool WriteAll(FILE* out, std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), out) == text.size();
}

// The pager's command, or "" for none.
std::string PagerCommand() {
  const char* pager = std::getenv("PAGER");
  if (pager == nullptr) return "less -FRX";
  const std::string command(pager);
  if (command.empty() || command == "cat") return "";
  return command;
}

}  // namespace

bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) != 0; }

bool ColourWanted() {
  const char* no_colour = std::getenv("NO_COLOR");
  return StdoutIsTerminal() && (no_colour == nullptr || *no_colour == '\0');
}

std::string Paint(std::string_view text, Colour colour) {
  return std::string(Sgr(colour)) + std::string(text) + "\x1b[m";
}

int RowsOf(std::string_view text, int columns) {
  if (columns <= 0) columns = 80;
  int rows = 0, column = 0;
  bool escape = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (escape) {
      escape = !(c >= 0x40 && c <= 0x7e && c != '[');
      continue;
    }
    if (c == 0x1b) {
      escape = true;
    } else if (c == '\n') {
      ++rows;
      column = 0;
    } else if ((c & 0xc0) != 0x80) {  // a character starts (UTF-8 continuation bytes do not)
      // CJK text is two columns wide: count any non-ASCII character as two (more rows is the
      // safe side: a pager that was not needed quits at once with -F).
      column += c < 0x80 ? 1 : 2;
      if (column > columns) {
        ++rows;
        column = c < 0x80 ? 1 : 2;
      }
    }
  }
  return rows + (column > 0 ? 1 : 0);
}

bool WritePaged(std::string_view text, bool no_pager) {
  struct winsize size{};
  const std::string command = PagerCommand();
  const bool page = !no_pager && !command.empty() && StdoutIsTerminal() &&
                    ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 &&
                    RowsOf(text, size.ws_col) > size.ws_row;
  if (page) {
    std::fflush(stdout);
    if (std::getenv("LESS") == nullptr) ::setenv("LESS", "FRX", 0);
    // A pager that quits before reading all (less on `q`) must not kill us with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    if (FILE* pager = ::popen(command.c_str(), "w")) {
      WriteAll(pager, text);
      ::pclose(pager);
      return true;
    }
  }
  if (!WriteAll(stdout, text)) return false;
  return std::fflush(stdout) == 0 && !std::ferror(stdout);
}

}  // namespace archivist::cli
