#include "args.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sn::cli {

namespace {

int distance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j - 1] + (a[i - 1] != b[j - 1]), prev[j] + 1, cur[j - 1] + 1});
    }
    prev.swap(cur);
  }
  return prev[b.size()];
}

}  // namespace

Args::Args(const std::string& command, const std::vector<std::string>& words,
           const std::vector<FlagSpec>& flags)
    : command_(command) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() < 3 || w.compare(0, 2, "--") != 0) {
      throw UsageError("nn " + command + ": unexpected argument '" + w + "' (flags start with --)");
    }
    std::string name = w.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& f : flags) {
      if (f.name == name) spec = &f;
    }
    if (!spec) {
      std::string msg = "nn " + command + ": unknown flag --" + name;
      const FlagSpec* best = nullptr;
      int best_d = 3;
      for (const FlagSpec& f : flags) {
        if (int d = distance(name, f.name); d < best_d) best_d = d, best = &f;
      }
      if (best) msg += "; did you mean --" + best->name + "?";
      throw UsageError(msg + " (see nn help)");
    }
    if (spec->takes_value && !inline_value) {
      if (i + 1 >= words.size())
        throw UsageError("nn " + command + ": --" + name + " needs a value");
      value = words[++i];
    } else if (!spec->takes_value && inline_value) {
      throw UsageError("nn " + command + ": --" + name + " takes no value");
    }
    if (values_.count(name)) throw UsageError("nn " + command + ": --" + name + " given twice");
    values_[name] = value;
  }
}

std::string Args::str(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::optional<std::string> Args::maybe(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

long long Args::integer(const std::string& name, long long fallback, long long lo,
                        long long hi) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const std::string& s = it->second;
  char* end = nullptr;
  errno = 0;
  long long v = s.empty() ? 0 : std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
    throw UsageError("nn " + command_ + ": --" + name + " expects a whole number in " +
                     std::to_string(lo) + ".." + std::to_string(hi) + ", got '" + s + "'");
  }
  return v;
}

double Args::real(const std::string& name, double fallback, double lo, double hi) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const std::string& s = it->second;
  char* end = nullptr;
  double v = s.empty() ? 0 : std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
    char range[64];
    std::snprintf(range, sizeof range, "%g..%g", lo, hi);
    throw UsageError("nn " + command_ + ": --" + name + " expects a number in " + range +
                     ", got '" + s + "'");
  }
  return v;
}

std::vector<int> Args::int_list(const std::string& name, int lo, int hi) const {
  std::vector<int> out;
  auto it = values_.find(name);
  if (it == values_.end()) return out;
  const std::string& s = it->second;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    char* end = nullptr;
    long v = item.empty() ? -1 : std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < lo || v > hi) {
      throw UsageError("nn " + command_ + ": --" + name + " expects a comma-separated list of " +
                       std::to_string(lo) + ".." + std::to_string(hi) + ", got '" + s + "'");
    }
    out.push_back(static_cast<int>(v));
    start = comma + 1;
  }
  return out;
}

}  // namespace sn::cli
