#include "description/tokens.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace sn::desc {

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  // Byte-wise ASCII lowering: the grammar is ASCII; other bytes pass through unchanged.
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > start) words.emplace_back(s.substr(start, i - start));
  }
  return words;
}

std::vector<std::string_view> split_on(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::optional<long long> parse_count(std::string_view s, long long cap) {
  if (s.empty()) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
    // Saturate just above the cap: the caller reports "exceeds the limit", not garbage.
    if (v > cap) v = cap + 1;
  }
  return v;
}

std::optional<float> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 80) return std::nullopt;
  int dots = 0, digits = 0;
  for (char c : s) {
    if (c == '.') {
      ++dots;
    } else if (is_digit(c)) {
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (dots > 1 || digits == 0) return std::nullopt;
  // The text is now known to be plain digits and one '.', so strtof (C locale) reads it
  // exactly and correctly rounded.
  std::string copy(s);
  return std::strtof(copy.c_str(), nullptr);
}

std::string format_decimal(float v) {
  char buf[96];
  // Try increasing precision until the text reads back to the same float. Fixed notation (the
  // grammar has no exponents), so a tiny rate like 1e-10 needs many places: up to 60 covers
  // every float in [0, 1) down to the smallest normal ones that matter for a rate.
  for (int precision = 1; precision <= 60; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*f", precision, static_cast<double>(v));
    std::string text(buf);
    // Drop trailing zeros ("0.30" -> "0.3"), keep at least one digit after the point.
    while (text.size() > 2 && text.back() == '0' && text[text.size() - 2] != '.') text.pop_back();
    auto back = parse_decimal(text);
    if (back && *back == v) return text;
  }
  std::snprintf(buf, sizeof buf, "%.60f", static_cast<double>(v));
  return buf;
}

int edit_distance(std::string_view a, std::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace sn::desc
