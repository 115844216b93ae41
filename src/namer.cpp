// Swift naming and literal spelling, kept in one file so that no other code invents identifiers.
#include "namer.h"

#include <charconv>
#include <cmath>
#include <set>

namespace hf2swift::namer {

bool is_swift_keyword(const std::string& word) {
    static const std::set<std::string> keywords = {
        "Any", "Protocol", "Self", "Type", "as", "associatedtype", "await", "break", "case", "catch", "class",
        "continue", "default", "defer", "deinit", "do", "else", "enum", "extension", "fallthrough", "false",
        "fileprivate", "for", "func", "guard", "if", "import", "in", "init", "inout", "internal", "is", "let",
        "nil", "open", "operator", "precedencegroup", "private", "protocol", "public", "repeat", "rethrows",
        "return", "self", "some", "static", "struct", "subscript", "super", "switch", "throw", "throws", "true",
        "try", "typealias", "var", "where", "while",
    };
    return keywords.count(word) > 0;
}

std::string escape_keyword(const std::string& word) {
    return is_swift_keyword(word) ? "`" + word + "`" : word;
}

std::string camel_case(const std::string& snake) {
    // One pass over the key (every config field and check names one): the parts between underscores
    // joined, the first part's first letter lowered (a key in UPPER or Mixed case keeps its later
    // letters) and each later part's first letter raised.
    std::string out;
    out.reserve(snake.size());
    bool part_starts = false;
    for (char c : snake) {
        if (c == '_') {
            part_starts = !out.empty();
        } else if (out.empty()) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (part_starts) {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            part_starts = false;
        } else {
            out += c;
        }
    }
    if (out.empty()) out = "value";
    if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
    return escape_keyword(out);
}

std::string config_property(const std::string& json_key, const std::string& role_swift_name) {
    if (!role_swift_name.empty()) return role_swift_name;
    return camel_case(json_key);
}

std::string type_name(const std::string& prefix, const std::string& suffix) { return prefix + suffix; }

std::string model_file_name(const std::string& prefix) { return prefix + "Generated.swift"; }

namespace {
std::string group_digits(const std::string& digits) {
    // Swift reads 10_000 like 10000; grouping from five digits on matches the house style.
    if (digits.size() < 5) return digits;
    std::string out;
    size_t lead = digits.size() % 3;
    if (lead == 0) lead = 3;
    out = digits.substr(0, lead);
    for (size_t i = lead; i < digits.size(); i += 3) out += "_" + digits.substr(i, 3);
    return out;
}
}  // namespace

std::string int_literal(long long value) {
    std::string digits = std::to_string(value < 0 ? -static_cast<unsigned long long>(value)
                                                  : static_cast<unsigned long long>(value));
    return (value < 0 ? "-" : "") + group_digits(digits);
}

std::string float_literal(double value) {
    if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
        return int_literal(static_cast<long long>(value));
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    std::string s(buf, res.ptr);
    // to_chars writes exponents as e-05; Swift (and readers) prefer e-5.
    auto e = s.find('e');
    if (e != std::string::npos) {
        std::string mantissa = s.substr(0, e);
        std::string exp = s.substr(e + 1);
        std::string sign;
        if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) {
            if (exp[0] == '-') sign = "-";
            exp = exp.substr(1);
        }
        while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
        s = mantissa + "e" + sign + exp;
    }
    return s;
}

std::string string_literal(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[16];
                    std::snprintf(buf, sizeof buf, "\\u{%x}", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
    return out;
}

std::string enum_case(const std::string& snake) { return "." + camel_case(snake); }

}  // namespace hf2swift::namer
