// Runs the earshot binary as a user would, capturing stdout, stderr and the
// exit status.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "testutil.h"

namespace earshot::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `earshot <args>` through the shell (args must be shell-quoted by the
// caller), with stdin from `stdin_path` when given.
inline RunResult RunEarshot(const std::string& args, const std::string& stdin_path = "") {
  TempDir tmp;
  std::string out_path = tmp.str() + "/out", err_path = tmp.str() + "/err";
  std::string cmd = std::string(EARSHOT_BIN) + " " + args + " >" + out_path + " 2>" + err_path;
  cmd += stdin_path.empty() ? " </dev/null" : " <" + stdin_path;
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFileOrDie(out_path);
  r.err = ReadFileOrDie(err_path);
  return r;
}

// Returns `s` single-quoted for the shell.
inline std::string Sh(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

}  // namespace earshot::testing
