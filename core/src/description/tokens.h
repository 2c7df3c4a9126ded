#pragma once
// Small text helpers for the description parser: splitting, lower-casing, strict number parsing.
// Kept apart from the grammar so the parser reads as the grammar and nothing else.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sn::desc {

std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s);
// Splits on any run of spaces/tabs/newlines; never returns empty tokens.
std::vector<std::string> split_words(std::string_view s);
// Splits on every occurrence of `sep` (empty pieces kept, so "a||b" has three pieces).
std::vector<std::string_view> split_on(std::string_view s, char sep);

// Digits only (no sign, no spaces); nullopt when not a number or when above `cap` (so that a
// huge number is reported as too large rather than overflowing).
std::optional<long long> parse_count(std::string_view s, long long cap);
// "0.25", "1", ".5": digits with at most one '.', no exponent and no sign.
std::optional<float> parse_decimal(std::string_view s);
// Shortest decimal text that parse_decimal reads back as exactly `v`.
std::string format_decimal(float v);

// Levenshtein distance, for "did you mean" suggestions.
int edit_distance(std::string_view a, std::string_view b);

}  // namespace sn::desc
