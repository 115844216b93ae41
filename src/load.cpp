// Stage 1, load: reads YAML through yaml-cpp's event parser (which exposes anchors, tags, marks and
// duplicate keys that its node API hides) and checks each value against the vocabulary.
#include "load.h"

#include "parallel.h"
#include "parse_cache.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "vocabulary.h"

namespace hf2swift {

namespace fs = std::filesystem;

const char* kind_name(Node::Kind kind) {
    switch (kind) {
        case Node::Kind::Null: return "null";
        case Node::Kind::Bool: return "boolean";
        case Node::Kind::Int: return "integer";
        case Node::Kind::Float: return "number";
        case Node::Kind::String: return "string";
        case Node::Kind::List: return "list";
        case Node::Kind::Map: return "mapping";
    }
    return "value";
}

const Node* Node::find(std::string_view key) const {
    for (const auto& e : entries) {
        if (e.key == key) return &e.value;
    }
    return nullptr;
}

Node* Node::find(std::string_view key) {
    for (auto& e : entries) {
        if (e.key == key) return &e.value;
    }
    return nullptr;
}

const Entry* Node::find_entry(std::string_view key) const {
    for (const auto& e : entries) {
        if (e.key == key) return &e;
    }
    return nullptr;
}

std::string Node::describe() const {
    switch (kind) {
        case Kind::Null: return "null";
        case Kind::Bool: return boolean ? "true" : "false";
        case Kind::Int:
        case Kind::Float: return text;
        case Kind::String: return "\"" + text + "\"";
        case Kind::List: return "a list";
        case Kind::Map: return "a mapping";
    }
    return "a value";
}

namespace {

// Scalar syntax is matched by hand: the accepted forms are few, and std::regex is slow to build.
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// -?(0|[1-9][0-9]*) from position i; advances i past it.
bool scan_integer_part(const std::string& t, size_t& i) {
    if (i < t.size() && t[i] == '-') ++i;
    if (i >= t.size() || !is_digit(t[i])) return false;
    if (t[i] == '0') {
        ++i;
        return true;
    }
    while (i < t.size() && is_digit(t[i])) ++i;
    return true;
}

bool is_decimal_int(const std::string& t) {
    size_t i = 0;
    return scan_integer_part(t, i) && i == t.size();
}

/// A plain decimal number: an integer part, an optional fraction and an optional exponent.
bool is_decimal_number(const std::string& t) {
    size_t i = 0;
    if (!scan_integer_part(t, i)) return false;
    if (i < t.size() && t[i] == '.') {
        size_t start = ++i;
        while (i < t.size() && is_digit(t[i])) ++i;
        if (i == start) return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        size_t start = i;
        while (i < t.size() && is_digit(t[i])) ++i;
        if (i == start) return false;
    }
    return i == t.size();
}

/// 010, -007: YAML 1.1 octal.
bool has_leading_zero(const std::string& t) {
    size_t i = t.size() > 0 && t[0] == '-' ? 1 : 0;
    if (t.size() < i + 2 || t[i] != '0') return false;
    for (size_t j = i + 1; j < t.size(); ++j) {
        if (!is_digit(t[j])) return false;
    }
    return true;
}

/// 0x10, 0o7, 0b1, .inf, .nan, 1_000, +1, .5: number forms some YAML readers accept and hf2swift does not.
bool is_foreign_number(const std::string& t) {
    if (t.size() > 2 && t[0] == '0' && std::string("xXoObB").find(t[1]) != std::string::npos) return true;
    std::string lower;
    for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == ".inf" || lower == "-.inf" || lower == "+.inf" || lower == ".nan") return true;
    bool digits_and_underscores = !t.empty() && is_digit(t[0]) && t.find('_') != std::string::npos &&
                                  std::all_of(t.begin(), t.end(), [](char c) { return is_digit(c) || c == '_'; });
    if (digits_and_underscores) return true;
    if (t.size() > 1 && (t[0] == '+' || t[0] == '.') && (is_digit(t[1]) || t[1] == '.')) return true;
    return false;
}

Location at(const std::string& path, const YAML::Mark& mark) {
    return Location{path, mark.line + 1, mark.column + 1};
}

/// The byte offset of a mark in the text (yaml-cpp does not count a UTF-8 byte order mark), or npos.
size_t offset_of(const std::string& text, const YAML::Mark& mark) {
    if (mark.pos < 0) return std::string::npos;
    size_t pos = static_cast<size_t>(mark.pos) + (text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0);
    return pos < text.size() ? pos : std::string::npos;
}

/// Builds Nodes from parser events, refusing what would bypass the closed vocabulary.
class TreeBuilder : public YAML::EventHandler {
public:
    TreeBuilder(std::string path, const std::string& text, Diagnostics& diags)
        : path_(std::move(path)), text_(text), diags_(diags) {}

    Node root;
    bool has_root = false;

    void OnDocumentStart(const YAML::Mark& mark) override {
        // yaml-cpp 0.7 does not consume a ',' outside any collection: it starts empty documents there
        // forever. parse_yaml reads two documents at most; this names what the parser is stuck on.
        if (documents_++ > 0 && mark.pos == document_pos_) {
            stalled_ = true;
            size_t at_char = offset_of(text_, mark);
            std::string what = at_char != std::string::npos ? "'" + std::string(1, text_[at_char]) + "'" : "text";
            diags_.error(at(path_, mark), "", "YAML syntax: unexpected " + what + " outside a flow collection");
        }
        document_pos_ = mark.pos;
    }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node n;
        n.kind = Node::Kind::Null;
        n.loc = at(path_, mark);
        check_anchor(anchor, n.loc);
        add(std::move(n));
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        diags_.error(at(path_, mark), "", "aliases are not allowed: write the value out, or use `extends`");
        Node n;
        n.loc = at(path_, mark);
        add(std::move(n));
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node n;
        n.loc = at(path_, mark);
        check_anchor(anchor, n.loc);
        check_tag(tag, n.loc);
        n.text = value;
        check_printable(n);
        if (tag == "?") {
            type_plain_scalar(n);
            if (n.kind == Node::Kind::Float && !std::isfinite(n.number)) {
                diags_.error(n.loc, "", "the number " + n.text + " is out of range");
            }
        } else {
            check_quote_closed(mark, n.loc);
            n.kind = Node::Kind::String;
            n.quoted = true;
        }
        add(std::move(n));
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value style) override {
        Node n;
        n.kind = Node::Kind::List;
        n.loc = at(path_, mark);
        check_anchor(anchor, n.loc);
        check_tag(tag, n.loc);
        open(std::move(n));
        stack_.back().flow = style == YAML::EmitterStyle::Flow;
    }

    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value style) override {
        Node n;
        n.kind = Node::Kind::Map;
        n.loc = at(path_, mark);
        check_anchor(anchor, n.loc);
        check_tag(tag, n.loc);
        open(std::move(n));
        stack_.back().flow = style == YAML::EmitterStyle::Flow;
    }

    void OnMapEnd() override { close(); }

    /// Where the innermost `[` or `{` still open was written, for a syntax error inside it.
    const Location* open_flow() const {
        for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
            if (it->flow) return &it->node.loc;
        }
        return nullptr;
    }

private:
    struct Frame {
        Node node;
        bool expecting_key = true;  // maps alternate key, value
        std::string pending_key;
        Location pending_key_loc;
        bool skip_value = false;  // the key was refused; drop its value
        std::map<std::string, Location> seen;
        bool flow = false;  // written `[...]` or `{...}`
    };

    void check_anchor(YAML::anchor_t anchor, const Location& loc) {
        if (anchor != YAML::NullAnchor) {
            diags_.error(loc, "", "anchors are not allowed: write the value out, or use `extends`");
        }
    }

    /// Family text ends up in Swift comments and literals and in Markdown, which control characters
    /// would break (the renderer would stop at its line sentinel, U+0001).
    void check_printable(const Node& n) {
        for (unsigned char c : n.text) {
            if ((c < 0x20 && c != '\n') || c == 0x7f) {
                char code[8];
                std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
                diags_.error(n.loc, "", std::string("control character ") + code + (c == '\t' ? " (tab)" : "") +
                                            " in a scalar; family documents hold printable text");
                return;
            }
        }
    }

    /// yaml-cpp 0.7 lets a quoted scalar run to the end of the file; hf2swift refuses it.
    void check_quote_closed(const YAML::Mark& mark, const Location& loc) {
        size_t start = offset_of(text_, mark);
        if (start == std::string::npos) return;
        char quote = text_[start];
        if (quote != '"' && quote != '\'') return;
        for (size_t i = start + 1; i < text_.size(); ++i) {
            if (quote == '"' && text_[i] == '\\') {
                ++i;
            } else if (text_[i] == quote) {
                if (quote == '"' || i + 1 >= text_.size() || text_[i + 1] != '\'') return;
                ++i;  // '' is a quote inside a single-quoted scalar
            }
        }
        diags_.error(loc, "", std::string("YAML syntax: this quoted scalar is never closed (no ") + quote +
                                  " before the end of the file)");
    }

    void check_tag(const std::string& tag, const Location& loc) {
        if (tag != "?" && tag != "!" && !tag.empty()) {
            // yaml-cpp expands `!!str` to its full name; show it as written.
            std::string shown = tag.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + tag.substr(18) : tag;
            diags_.error(loc, "", "tags are not allowed (found '" + shown + "')");
        }
    }

    static void type_plain_scalar(Node& n) {
        const std::string& t = n.text;
        if (t == "true" || t == "false") {
            n.kind = Node::Kind::Bool;
            n.boolean = t == "true";
        } else if (is_decimal_int(t)) {
            errno = 0;
            char* end = nullptr;
            long long v = std::strtoll(t.c_str(), &end, 10);
            if (errno == ERANGE) {
                n.kind = Node::Kind::Float;
                n.number = std::strtod(t.c_str(), nullptr);
            } else {
                n.kind = Node::Kind::Int;
                n.integer = v;
                n.number = static_cast<double>(v);
            }
        } else if (is_decimal_number(t)) {
            n.kind = Node::Kind::Float;
            n.number = std::strtod(t.c_str(), nullptr);
        } else {
            n.kind = Node::Kind::String;
        }
    }

    void open(Node n) {
        if (stack_.size() + 1 > static_cast<size_t>(kMaxYamlDepth)) {
            if (!depth_reported_) {
                diags_.error(n.loc, "", "nesting deeper than " + std::to_string(kMaxYamlDepth) +
                                            " levels; no family document needs that");
                depth_reported_ = true;
            }
        }
        stack_.push_back(Frame{std::move(n), true, "", {}, false, {}});
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        add(std::move(f.node));
    }

    void add(Node n) {
        if (stalled_) return;
        if (stack_.empty()) {
            if (has_root) {
                diags_.error(n.loc, "", "a family file holds exactly one YAML document");
                return;
            }
            root = std::move(n);
            has_root = true;
            return;
        }
        Frame& f = stack_.back();
        if (f.node.kind == Node::Kind::List) {
            f.node.items.push_back(std::move(n));
            return;
        }
        if (f.expecting_key) {
            f.expecting_key = false;
            f.skip_value = false;
            if (n.kind == Node::Kind::Map || n.kind == Node::Kind::List) {
                diags_.error(n.loc, "", "mapping keys must be plain names");
                f.skip_value = true;
                return;
            }
            std::string key = n.kind == Node::Kind::Null ? "" : n.text;
            if (!n.quoted && key == "<<") {
                diags_.error(n.loc, "", "merge keys ('<<') are not allowed: use `extends`");
                f.skip_value = true;
                return;
            }
            auto seen = f.seen.find(key);
            if (seen != f.seen.end()) {
                Diagnostic& d = diags_.error(n.loc, "", "duplicate key '" + key + "'");
                d.notes.push_back(Note{seen->second, "first defined here"});
                f.skip_value = true;
                return;
            }
            f.seen.emplace(key, n.loc);
            f.pending_key = key;
            f.pending_key_loc = n.loc;
            return;
        }
        f.expecting_key = true;
        if (f.skip_value) return;
        f.node.entries.push_back(Entry{f.pending_key, f.pending_key_loc, std::move(n)});
    }

    std::string path_;
    const std::string& text_;
    Diagnostics& diags_;
    std::vector<Frame> stack_;
    bool depth_reported_ = false;
    int documents_ = 0;
    int document_pos_ = -1;
    bool stalled_ = false;
};

std::string join_path(const std::string& base, const std::string& key) {
    return base.empty() ? key : base + "." + key;
}

std::vector<std::string> child_names(const std::vector<vocab::KeySpec>& keys) {
    std::vector<std::string> names;
    for (const auto& c : keys) names.push_back(c.name);
    return names;
}

std::string quoted_list(const std::vector<std::string>& values) {
    std::string out;
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += ", ";
        out += values[i];
    }
    return out;
}

bool is_yaml11_bool(const std::string& t) {
    static const std::set<std::string> words = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On",
                                                "Off", "YES", "NO", "ON", "OFF", "True", "False",
                                                "TRUE", "FALSE", "Y", "N"};
    return words.count(t) > 0;
}

bool all_chars(const std::string& t, size_t from, bool (*ok)(char)) {
    for (size_t i = from; i < t.size(); ++i) {
        if (!ok(t[i])) return false;
    }
    return true;
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_word(char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '_'; }
bool is_snake(char c) { return is_lower(c) || is_digit(c) || c == '_'; }
bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

bool is_identifier(const std::string& t) { return !t.empty() && is_lower(t[0]) && all_chars(t, 1, is_snake); }

bool is_config_key(const std::string& t) {
    return !t.empty() && (is_lower(t[0]) || is_upper(t[0]) || t[0] == '_') && all_chars(t, 1, is_word);
}

bool is_type_name(const std::string& t) { return !t.empty() && is_upper(t[0]) && all_chars(t, 1, is_alnum); }

class VocabularyChecker {
public:
    explicit VocabularyChecker(Diagnostics& diags) : diags_(diags) {}

    void check(const Node& node, const vocab::KeySpec& spec, const std::string& path) {
        // An explicit null removes an inherited value; it is valid anywhere.
        if (node.is_null()) return;
        using vocab::Type;
        switch (spec.type) {
            case Type::Map: check_map(node, spec, path); break;
            case Type::EntryMap: check_entry_map(node, spec, path); break;
            case Type::Bool: expect_bool(node, path); break;
            case Type::Int: expect_int(node, path); break;
            case Type::Number: expect_number(node, path); break;
            case Type::String:
                if (expect_string(node, path) && spec.max_length && node.text.size() > spec.max_length) {
                    fail(node, path, "at most " + std::to_string(spec.max_length) + " characters (one line); got " +
                                         std::to_string(node.text.size()));
                }
                // Every string lands on one line of Swift (a comment, a literal): a newline would end it.
                if (node.kind == Node::Kind::String && node.text.find('\n') != std::string::npos) {
                    fail(node, path, "one line of text; got several lines");
                }
                break;
            case Type::Identifier:
                if (expect_string(node, path) && !is_identifier(node.text)) {
                    fail(node, path, "expected a lower_snake_case name; got " + node.describe());
                }
                break;
            case Type::TypeName:
                if (expect_string(node, path) && !is_type_name(node.text)) {
                    fail(node, path, "expected an UpperCamelCase Swift name; got " + node.describe());
                }
                break;
            case Type::Enum: expect_enum(node, spec, path); break;
            case Type::EnumList: check_list(node, path, [&](const Node& item, const std::string& p) {
                                     return expect_enum(item, spec, p);
                                 });
                break;
            case Type::StringList:
                check_list(node, path, [&](const Node& item, const std::string& p) {
                    if (!expect_string(item, p)) return false;
                    if (item.text.empty()) {
                        fail(item, p, "expected a non-empty string");
                        return false;
                    }
                    if (item.text.find('\n') != std::string::npos) {
                        fail(item, p, "one line of text; got several lines");
                        return false;
                    }
                    return true;
                });
                break;
            case Type::Flag:
                if (node.kind == Node::Kind::Bool) break;
                if (node.kind == Node::Kind::String && !node.quoted && is_yaml11_bool(node.text)) {
                    fail(node, path, "expected true, false or a config field name; got " + node.describe() +
                                         " (YAML 1.1 booleans are not accepted; write true or false)");
                } else if (node.kind != Node::Kind::String || !is_config_key(node.text)) {
                    fail(node, path, "expected true, false or a config field name; got " + node.describe());
                }
                break;
            case Type::Field:
                if (expect_string(node, path) && !is_config_key(node.text)) {
                    fail(node, path, "expected a config field name; got " + node.describe());
                }
                break;
            case Type::Default: check_default(node, path); break;
            case Type::ScalarMap:
                if (!node.is_map()) {
                    fail(node, path, "expected a mapping; got " + node.describe());
                    break;
                }
                for (const auto& e : node.entries) {
                    if (e.key.empty()) diags_.error(e.key_loc, path, "empty key");
                    if (!e.value.is_scalar() || e.value.is_null()) {
                        fail(e.value, join_path(path, e.key), "expected a boolean, number or string; got " +
                                                                  e.value.describe());
                    }
                }
                break;
            case Type::Scalars:
                check_list(node, path, [&](const Node& item, const std::string& p) {
                    if (!item.is_scalar() || item.is_null()) {
                        fail(item, p, "expected a boolean, number or string; got " + item.describe());
                        return false;
                    }
                    return true;
                });
                break;
        }
    }

private:
    void fail(const Node& node, const std::string& path, const std::string& message) {
        diags_.error(node.loc, path, message);
    }

    bool expect_bool(const Node& node, const std::string& path) {
        if (node.kind == Node::Kind::Bool) return true;
        if (node.kind == Node::Kind::String && !node.quoted && is_yaml11_bool(node.text)) {
            fail(node, path, "expected a boolean; got " + node.describe() +
                                 " (YAML 1.1 booleans are not accepted; write true or false)");
        } else if (node.kind == Node::Kind::String && node.quoted && (node.text == "true" || node.text == "false")) {
            fail(node, path, "expected a boolean; got the string " + node.describe() + " (remove the quotes)");
        } else {
            fail(node, path, std::string("expected a boolean; got ") + article(node) + node.describe());
        }
        return false;
    }

    static std::string article(const Node& node) {
        switch (node.kind) {
            case Node::Kind::Int: return "the integer ";
            case Node::Kind::Float: return "the number ";
            case Node::Kind::String: return "the string ";
            case Node::Kind::Bool: return "the boolean ";
            default: return "";
        }
    }

    void number_error(const Node& node, const std::string& path, const std::string& expected) {
        fail(node, path, "expected " + expected + "; got " + article(node) + node.describe() + scalar_hint(node));
    }

    bool expect_int(const Node& node, const std::string& path) {
        if (node.kind == Node::Kind::Int) return true;
        number_error(node, path, "an integer");
        return false;
    }

    bool expect_number(const Node& node, const std::string& path) {
        if (node.is_number()) return true;
        number_error(node, path, "a number");
        return false;
    }

    bool expect_string(const Node& node, const std::string& path) {
        if (node.kind == Node::Kind::String) return true;
        if (node.is_scalar()) {
            fail(node, path, "expected a string; got " + article(node) + node.describe() + " (quote it to make it a string)");
        } else {
            fail(node, path, "expected a string; got " + node.describe());
        }
        return false;
    }

    bool expect_enum(const Node& node, const vocab::KeySpec& spec, const std::string& path) {
        if (node.kind != Node::Kind::String) {
            fail(node, path, "expected one of " + quoted_list(spec.values) + "; got " + node.describe());
            return false;
        }
        if (std::find(spec.values.begin(), spec.values.end(), node.text) != spec.values.end()) return true;
        std::string message = "expected one of " + quoted_list(spec.values) + "; got " + node.describe();
        if (auto s = vocab::suggest(node.text, spec.values)) message += " (did you mean '" + *s + "'?)";
        fail(node, path, message);
        return false;
    }

    template <typename F>
    void check_list(const Node& node, const std::string& path, F item_ok) {
        if (!node.is_list()) {
            fail(node, path, "expected a list; got " + node.describe());
            return;
        }
        std::map<std::string, Location> seen;
        for (size_t i = 0; i < node.items.size(); ++i) {
            const Node& item = node.items[i];
            std::string p = path + "[" + std::to_string(i) + "]";
            if (!item_ok(item, p)) continue;
            if (item.is_scalar()) {
                std::string k = std::string(kind_name(item.kind)) + ":" + item.text;
                auto it = seen.find(k);
                if (it != seen.end()) {
                    Diagnostic& d = diags_.error(item.loc, p, "duplicate entry " + item.describe());
                    d.notes.push_back(Note{it->second, "first listed here"});
                } else {
                    seen.emplace(k, item.loc);
                }
            }
        }
    }

    void unknown_key(const Entry& e, const std::vector<std::string>& known, const std::string& path) {
        std::string message = "unknown key '" + e.key + "'";
        if (auto s = vocab::suggest(e.key, known)) message += " (did you mean '" + *s + "'?)";
        diags_.error(e.key_loc, path, message);
    }

    void check_map(const Node& node, const vocab::KeySpec& spec, const std::string& path) {
        if (!node.is_map()) {
            fail(node, path, "expected a mapping; got " + node.describe());
            return;
        }
        for (const auto& e : node.entries) {
            const vocab::KeySpec* child = spec.child(e.key);
            std::string p = join_path(path, e.key);
            if (!child) {
                unknown_key(e, child_names(spec.children), p);
                continue;
            }
            check(e.value, *child, p);
        }
    }

    void check_entry_map(const Node& node, const vocab::KeySpec& spec, const std::string& path) {
        if (!node.is_map()) {
            fail(node, path, "expected a mapping; got " + node.describe());
            return;
        }
        for (const auto& e : node.entries) {
            std::string p = join_path(path, e.key);
            if (!is_config_key(e.key)) {
                diags_.error(e.key_loc, p, "'" + e.key + "' is not a config key name");
                continue;
            }
            const Node& v = e.value;
            if (v.is_null()) continue;
            if (!v.is_map()) {
                if (spec.variant_tags.size() == 2) {
                    fail(v, p, "expected a mapping with '" + spec.variant_tags[0] + "' or '" + spec.variant_tags[1] +
                                   "'; got " + v.describe());
                } else {
                    fail(v, p, "expected a mapping; got " + v.describe());
                }
                continue;
            }
            int chosen = spec.variant_tags.empty() ? 0 : -1;
            for (size_t i = 0; i < spec.variant_tags.size(); ++i) {
                if (const Node* tag = v.find(spec.variant_tags[i]); tag && !tag->is_null()) {
                    if (chosen >= 0) {
                        fail(v, p, "'" + spec.variant_tags[chosen] + "' and '" + spec.variant_tags[i] +
                                       "' exclude each other: a key is either read or given a policy");
                        chosen = -2;
                        break;
                    }
                    chosen = static_cast<int>(i);
                }
            }
            if (chosen == -2) continue;
            if (chosen < 0) {
                fail(v, p, "expected '" + spec.variant_tags[0] + "' (a field the family reads) or '" +
                               spec.variant_tags[1] + "' (a key it does not read)");
                continue;
            }
            // The chosen variant's keys, read where the vocabulary holds them: copying them for each
            // entry was nearly half of checking a document.
            const std::vector<vocab::KeySpec>& keys = spec.entry_variants[chosen];
            for (const auto& f : v.entries) {
                auto found = std::find_if(keys.begin(), keys.end(), [&](const auto& k) { return k.name == f.key; });
                const vocab::KeySpec* child = found == keys.end() ? nullptr : &*found;
                std::string fp = join_path(p, f.key);
                if (!child) {
                    std::vector<std::string> known = child_names(keys);
                    std::string message = "unknown key '" + f.key + "'";
                    if (auto s = vocab::suggest(f.key, known)) {
                        message += " (did you mean '" + *s + "'?)";
                    } else if (!spec.variant_tags.empty()) {
                        message += " in a '" + spec.variant_tags[chosen] + "' entry (allowed: " + quoted_list(known) + ")";
                    } else {
                        message += " (allowed: " + quoted_list(known) + ")";
                    }
                    diags_.error(f.key_loc, fp, message);
                    continue;
                }
                check(f.value, *child, fp);
            }
        }
    }

    void check_default(const Node& node, const std::string& path) {
        if (node.is_scalar()) return;
        if (node.is_list()) {
            for (size_t i = 0; i < node.items.size(); ++i) {
                const Node& item = node.items[i];
                if (!item.is_scalar() || item.is_null()) {
                    fail(item, path + "[" + std::to_string(i) + "]", "a list default holds scalars only");
                }
            }
            return;
        }
        // A mapping default names where the value comes from; a derivation may read some of its
        // config inputs from fields of other names (`from: {INPUT: FIELD}`).
        bool derived_with_inputs = node.entries.size() == 2 && node.entries[0].key == "derive" &&
                                   node.entries[1].key == "from";
        if ((node.entries.size() != 1 && !derived_with_inputs) ||
            (node.entries[0].key != "derive" && node.entries[0].key != "field")) {
            fail(node, path, "a computed default is {derive: NAME}, {derive: NAME, from: {INPUT: FIELD}} or {field: KEY}");
            return;
        }
        if (derived_with_inputs) {
            const Node& from = node.entries[1].value;
            std::string from_path = join_path(path, "from");
            if (!from.is_map() || from.entries.empty()) {
                fail(from, from_path, "a mapping of the derivation's config inputs to the fields read instead");
            } else {
                for (const auto& input : from.entries) expect_string(input.value, join_path(from_path, input.key));
            }
        }
        const Entry& e = node.entries[0];
        std::string p = join_path(path, e.key);
        if (!expect_string(e.value, p)) return;
        if (e.key == "derive" && !vocab::find_derivation(e.value.text)) {
            std::vector<std::string> names;
            for (const auto& d : vocab::derivations()) names.push_back(d.name);
            std::string message = "unknown derivation " + e.value.describe() + "; known: " + quoted_list(names);
            if (auto s = vocab::suggest(e.value.text, names)) message += " (did you mean '" + *s + "'?)";
            fail(e.value, p, message);
        }
    }

    Diagnostics& diags_;
};

}  // namespace

std::string scalar_hint(const Node& node) {
    if (node.kind != Node::Kind::String) return "";
    if (node.quoted && (is_decimal_number(node.text) || node.text == "true" || node.text == "false")) {
        return " (quoted scalars are strings; remove the quotes)";
    }
    if (node.quoted) return "";
    if (is_yaml11_bool(node.text)) return " (YAML 1.1 booleans are not accepted; write true or false)";
    if (has_leading_zero(node.text)) return " (leading zeros are not accepted: YAML 1.1 reads them as octal)";
    if (is_foreign_number(node.text)) return " (only plain decimal numbers are accepted)";
    return "";
}

namespace {

/// yaml-cpp's wording for the mistakes people make, said the way a family author would look for them.
std::string syntax_message(const std::string& msg, const std::string& text, const YAML::Mark& mark) {
    if (msg == YAML::ErrorMsg::END_OF_MAP) {
        return "expected another 'key: value' at this indentation, or less indentation";
    }
    if (msg == YAML::ErrorMsg::END_OF_SEQ) return "expected another '- item' at this indentation, or less indentation";
    if (msg == YAML::ErrorMsg::MAP_VALUE) {
        return "unexpected ':' (is this line indented deeper than the one above, or does a value hold ': ' "
               "without quotes?)";
    }
    if (msg == YAML::ErrorMsg::BLOCK_ENTRY) return "unexpected '- ' list item (check the indentation)";
    if (size_t at_char = offset_of(text, mark); msg == YAML::ErrorMsg::FLOW_END && at_char != std::string::npos) {
        return std::string("unexpected '") + text[at_char] + "' with no '[' or '{' open";
    }
    return msg;
}

/// The first tab in the indentation of lines 1..last (1-based), as a location; line 0 when none.
Location tab_in_indentation(const std::string& path, const std::string& text, int last) {
    int line = 1;
    size_t start = 0;
    while (start < text.size() && line <= last) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        for (size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t'); ++i) {
            if (text[i] == '\t') return Location{path, line, static_cast<int>(i - start) + 1};
        }
        start = end + 1;
        ++line;
    }
    return Location{};
}

}  // namespace

bool check_text(const std::string& path, const std::string& text, TextRules rules, Diagnostics& diags) {
    int line = 1;
    int col = 1;
    auto fail = [&](const std::string& message) {
        diags.error(Location{path, line, col}, "", message);
        return false;
    };
    for (size_t i = 0; i < text.size(); ++col) {
        // Nearly every byte is printable ASCII, which needs no check: eight at a time while a word
        // holds no byte below 0x20 and none from 0x7f up (the word tests of "Bit Twiddling Hacks").
        if (i + 8 <= text.size()) {
            constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
            std::uint64_t w;
            std::memcpy(&w, text.data() + i, sizeof w);
            const std::uint64_t below = (w - ones * 0x20) & ~w;  // high bit set: some byte is under 0x20
            const std::uint64_t above = (w + ones) | w;          // high bit set: some byte is 0x7f or more
            if (((below | above) & highs) == 0) {
                i += 8;
                col += 7;
                continue;
            }
        }
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            ++i;
            continue;
        }
        if (c == '\n') {
            ++line;
            col = 0;
            ++i;
            continue;
        }
        if (c == '\r') {
            bool crlf = i + 1 < text.size() && text[i + 1] == '\n';
            if (!crlf) return fail("a carriage return without a line feed (old Mac line endings); use LF");
            if (!rules.allow_crlf) return fail("a CRLF line ending; templates use LF only");
            ++i;
            continue;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            char code[8];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
            return fail(std::string("control character ") + code + "; " + rules.what + " hold printable text");
        }
        // UTF-8: the length the lead byte announces, continuation bytes, no overlong or surrogate forms.
        size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool valid = length > 0 && i + length <= text.size();
        unsigned code = length == 1 ? c : length == 2 ? (c & 0x1fu) : length == 3 ? (c & 0x0fu) : (c & 0x07u);
        for (size_t k = 1; valid && k < length; ++k) {
            unsigned char next = static_cast<unsigned char>(text[i + k]);
            valid = (next & 0xc0) == 0x80;
            code = (code << 6) | (next & 0x3fu);
        }
        static const unsigned smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (valid && (code < smallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) valid = false;
        if (!valid) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(c));
            return fail(std::string("not valid UTF-8 (byte ") + byte + ")");
        }
        i += length;
    }
    return true;
}

bool parse_yaml(const std::string& path, const std::string& text, Node& out, Diagnostics& diags) {
    size_t before = diags.size();
    std::istringstream in(text);
    TreeBuilder builder(path, text, diags);
    try {
        YAML::Parser parser(in);
        // A family file is one document: a second one is reported, and reading stops there.
        for (int documents = 0; documents < 2 && parser.HandleNextDocument(builder); ++documents) {
        }
    } catch (const YAML::Exception& e) {
        Location loc{path, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1};
        if (dynamic_cast<const YAML::DeepRecursion*>(&e)) {
            diags.error(loc, "", "YAML syntax: nesting too deep for the YAML parser");
            return false;
        }
        // A tab in the indentation confuses yaml-cpp into other errors further on: name the tab.
        if (Location tab = tab_in_indentation(path, text, loc.line); tab.known()) {
            diags.error(tab, "", "YAML syntax: tab in indentation; YAML indents with spaces only");
            return false;
        }
        const Location* opened = builder.open_flow();
        if (opened && (e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW || e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW)) {
            bool map = e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW;
            Diagnostic& d = diags.error(loc, "", std::string("YAML syntax: expected ',' or '") + (map ? "}" : "]") +
                                                     "' in the flow " + (map ? "mapping" : "sequence"));
            d.notes.push_back(Note{*opened, std::string("to match this '") + (map ? "{" : "[") + "'"});
            return false;
        }
        diags.error(loc, "", "YAML syntax: " + syntax_message(e.msg, text, e.mark));
        return false;
    }
    if (!builder.has_root) {
        diags.error(Location{path, 1, 1}, "", "the file is empty; a family document is a mapping");
        return false;
    }
    out = std::move(builder.root);
    return diags.size() == before;
}

void check_against_vocabulary(const Node& root, Diagnostics& diags) {
    VocabularyChecker(diags).check(root, vocab::root(), "");
}

const char* const kParserBuild = __DATE__ " " __TIME__ " " __VERSION__;

FamilyDocument load_family(const std::string& path, const std::string& text, Diagnostics& diags,
                           const std::string& parse_cache) {
    FamilyDocument doc;
    doc.path = path;
    fs::path p(path);
    doc.file_stem = p.stem().string();
    doc.logical = "families/" + p.filename().string();
    if (!check_text(path, text, TextRules{true, "family documents"}, diags)) return doc;
    if (std::optional<Node> cached = cached_parse(parse_cache, path, text)) {
        doc.root = std::move(*cached);
    } else {
        size_t before = diags.size();
        if (!parse_yaml(path, text, doc.root, diags)) return doc;
        if (diags.size() == before) store_parse(parse_cache, text, doc.root);
    }
    if (!doc.root.is_map()) {
        diags.error(doc.root.loc, "", "a family document is a mapping; got " + doc.root.describe());
        doc.root = Node{};
        return doc;
    }
    check_against_vocabulary(doc.root, diags);
    const Node* family = doc.root.find("family");
    if (family && family->kind == Node::Kind::String && family->text != doc.file_stem) {
        diags.error(family->loc, "family",
                    "the family id must equal the file name: expected \"" + doc.file_stem + "\"; got " +
                        family->describe());
    }
    return doc;
}

std::string read_file(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        Diagnostics d;
        d.error(Location{path, 0, 0}, "", "is a directory, not a file");
        throw DiagnosticError(d);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        Diagnostics d;
        d.error(Location{path, 0, 0}, "", "cannot read the file: " + std::string(std::strerror(errno)));
        throw DiagnosticError(d);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> list_family_files(const std::string& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        Diagnostics d;
        d.error(Location{dir, 0, 0}, "", "the families directory does not exist");
        throw DiagnosticError(d);
    }
    Diagnostics problems;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".yaml") continue;
        std::error_code status;
        bool regular = entry.is_regular_file(status);
        // A symlink loop or a dangling link is a file that cannot be read, named as such.
        if (status) problems.error(Location{entry.path().string(), 0, 0}, "", "cannot read the file: " + status.message());
        if (regular) files.push_back(entry.path().string());
    }
    if (ec) problems.error(Location{dir, 0, 0}, "", "cannot list the families directory: " + ec.message());
    if (!problems.empty()) throw DiagnosticError(problems);
    if (files.empty()) {
        Diagnostics d;
        d.error(Location{dir, 0, 0}, "", "the families directory holds no family documents (*.yaml)");
        throw DiagnosticError(d);
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<FamilyDocument> load_families(const std::string& dir, Diagnostics& diags) {
    // Parsing is most of loading and each file parses alone; diagnostics keep the files' order.
    std::vector<std::string> files = list_family_files(dir);
    std::vector<FamilyDocument> docs(files.size());
    std::vector<Diagnostics> found(files.size());
    const std::string cache = parse_cache_dir();
    parallel_for(files.size(),
                 [&](size_t i) { docs[i] = load_family(files[i], read_file(files[i]), found[i], cache); });
    for (const auto& d : found) diags.append(d);
    return docs;
}

}  // namespace hf2swift
