#pragma once
// Command-line flags for `nn`: "--name value", "--name=value" and bare switches, each checked
// against the command's list so a typo is an error (with a suggestion), not silently ignored.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scratchnet/defaults.h"

namespace sn::cli {

// A mistake in how `nn` was called: printed as one line, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct FlagSpec {
  std::string name;  // without "--"
  bool takes_value;
};

class Args {
 public:
  Args(const std::string& command, const std::vector<std::string>& words,
       const std::vector<FlagSpec>& flags);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string str(const std::string& name, const std::string& fallback) const;
  std::optional<std::string> maybe(const std::string& name) const;
  // Whole-token integer/float parsing within [lo, hi]; the message names the flag and range.
  long long integer(const std::string& name, long long fallback, long long lo, long long hi) const;
  double real(const std::string& name, double fallback, double lo, double hi) const;
  // The same within one of the engine's input ranges (defaults.h).
  long long integer(const std::string& name, long long fallback, Range r) const {
    return integer(name, fallback, static_cast<long long>(r.min), static_cast<long long>(r.max));
  }
  double real(const std::string& name, double fallback, Range r) const {
    return real(name, fallback, r.min, r.max);
  }
  // "0,1" or "3, 8" -> {0, 1}; empty when the flag is absent.
  std::vector<int> int_list(const std::string& name, int lo, int hi) const;

 private:
  std::string command_;
  std::map<std::string, std::string> values_;
};

}  // namespace sn::cli
