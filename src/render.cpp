// Stage 4, render. kainjow/mustache does the rendering; before it runs, this file expands partials
// itself (kainjow would lose indentation and file names) and checks every tag against the view, because
// kainjow prints missing names, non-strings and outer-section names as silent empties or wrong values.
#include "render.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_set>

#include "fingerprint.h"
#include "load.h"
#include "vocabulary.h"

namespace hf2swift {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

TemplateSet load_templates(const std::string& dir) {
    TemplateSet set;
    set.dir = dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        Diagnostics d;
        d.error(Location{dir, 0, 0}, "", "the templates directory does not exist");
        throw DiagnosticError(d);
    }
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".mustache") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    Diagnostics diags;
    for (const auto& p : paths) {
        std::string text = read_file(p.string());
        // Templates are copied into every generated file: only printable UTF-8 with LF endings.
        if (check_text(p.string(), text, TextRules{false, "templates"}, diags)) set.files[p.filename().string()] = text;
    }
    if (!diags.empty()) throw DiagnosticError(diags);
    Fingerprint f;
    for (const auto& [name, text] : set.files) f.add(name).separate().add(text).separate();
    set.fingerprint = f.value() | 1;  // never 0, which means "not computed"
    return set;
}

namespace {

struct Tag {
    enum class Kind { Variable, Section, Inverted, Close, Comment, Partial, Delimiter };
    Kind kind = Kind::Variable;
    std::string name;
    size_t begin = 0;
    size_t end = 0;  // one past the closing braces
};

std::string_view trim(std::string_view s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string_view::npos) return {};
    size_t b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

/// Finds every tag. Returns false with the failing offset and message on a malformed tag.
bool scan_tags(const std::string& text, std::vector<Tag>& tags, size_t& error_at, std::string& error) {
    // Every template is scanned three times as it is prepared: views, not copies, of its pieces.
    const std::string_view all(text);
    size_t pos = 0;
    while ((pos = all.find("{{", pos)) != std::string_view::npos) {
        Tag tag;
        tag.begin = pos;
        std::string_view body;
        char sigil = '\0';
        const bool triple = pos + 2 < all.size() && all[pos + 2] == '{';
        if (triple) {
            size_t close = all.find("}}}", pos + 3);
            if (close == std::string_view::npos) {
                error_at = pos;
                error = "unclosed tag '{{{'";
                return false;
            }
            // A triple mustache is an unescaped variable, as '&' makes one.
            body = all.substr(pos + 3, close - pos - 3);
            sigil = '&';
            tag.end = close + 3;
        } else {
            size_t close = all.find("}}", pos + 2);
            if (close == std::string_view::npos) {
                error_at = pos;
                error = "unclosed tag '{{'";
                return false;
            }
            body = trim(all.substr(pos + 2, close - pos - 2));
            sigil = body.empty() ? '\0' : body[0];
            tag.end = close + 2;
        }
        bool has_sigil = sigil != '\0' && std::string_view("#^/!>=&").find(sigil) != std::string_view::npos;
        switch (has_sigil ? sigil : '\0') {
            case '#': tag.kind = Tag::Kind::Section; break;
            case '^': tag.kind = Tag::Kind::Inverted; break;
            case '/': tag.kind = Tag::Kind::Close; break;
            case '!': tag.kind = Tag::Kind::Comment; break;
            case '>': tag.kind = Tag::Kind::Partial; break;
            case '=': tag.kind = Tag::Kind::Delimiter; break;
            default: tag.kind = Tag::Kind::Variable; break;
        }
        tag.name = std::string(trim(has_sigil && !triple ? body.substr(1) : body));
        if (tag.kind == Tag::Kind::Delimiter) {
            error_at = pos;
            error = "set-delimiter tags are not supported; templates use {{ }} only";
            return false;
        }
        if (tag.kind != Tag::Kind::Comment && tag.name.empty()) {
            error_at = pos;
            error = "empty tag";
            return false;
        }
        if (all.substr(tag.begin, tag.end - tag.begin).find('\n') != std::string_view::npos) {
            error_at = pos;
            error = "'{{' is not closed on its line (a tag, a comment too, stays on one line)";
            return false;
        }
        if (tag.kind != Tag::Kind::Comment && tag.name.find_first_of(" \t\r\n{}") != std::string::npos) {
            error_at = pos;
            error = "malformed tag name '" + tag.name + "'";
            return false;
        }
        tags.push_back(std::move(tag));
        pos = tags.back().end;
    }
    return true;
}

struct Line {
    std::string text;
    LineOrigin origin;
};

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            if (start < text.size()) lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

std::string partial_file(const std::string& name) { return "_" + name + ".mustache"; }

class Expander {
public:
    Expander(const TemplateSet& set, Diagnostics& diags) : set_(set), diags_(diags) {}

    std::vector<Line> expand(const std::string& file, std::vector<std::string>& stack) {
        std::vector<Line> out;
        const std::string path = (fs::path(set_.dir) / file).string();
        const std::string& text = set_.files.at(file);
        std::vector<std::string> lines = split_lines(text);
        for (size_t i = 0; i < lines.size(); ++i) {
            const std::string& line = lines[i];
            LineOrigin origin{path, static_cast<int>(i + 1), 0};
            std::vector<Tag> tags;
            size_t err_at = 0;
            std::string err;
            // Only partials are wanted here, and a partial's tag holds a '>': most lines hold none.
            // A tag that spans lines (a long comment) is checked on the expanded text later.
            if (line.find('>') != std::string::npos && !scan_tags(line, tags, err_at, err)) tags.clear();
            std::vector<Tag> partials;
            for (const auto& t : tags) {
                if (t.kind == Tag::Kind::Partial) partials.push_back(t);
            }
            if (partials.empty()) {
                out.push_back(Line{line, origin});
                ++lines_;
                continue;
            }
            bool standalone = partials.size() == 1 && tags.size() == 1 &&
                              trim(line.substr(0, partials[0].begin)).empty() &&
                              trim(line.substr(partials[0].end)).empty();
            if (standalone) {
                std::string indent = line.substr(0, partials[0].begin);
                std::vector<Line> inner;
                if (!include(partials[0], origin, stack, inner)) continue;
                for (auto& l : inner) {
                    if (!l.text.empty()) {
                        l.text = indent + l.text;
                        l.origin.indent += static_cast<int>(indent.size());
                    }
                    out.push_back(std::move(l));
                }
                continue;
            }
            // Inline partials must be one line, so the line map stays exact.
            std::string rebuilt;
            size_t cursor = 0;
            for (const auto& t : partials) {
                rebuilt += line.substr(cursor, t.begin - cursor);
                std::vector<Line> inner;
                if (include(t, origin, stack, inner)) {
                    if (inner.size() != 1) {
                        diags_.error(Location{path, origin.line, static_cast<int>(t.begin + 1)}, "",
                                     "partial '" + t.name + "' is used inside a line, so it must be exactly one line");
                    } else {
                        rebuilt += inner[0].text;
                    }
                }
                cursor = t.end;
            }
            rebuilt += line.substr(cursor);
            out.push_back(Line{rebuilt, origin});
        }
        return out;
    }

private:
    bool include(const Tag& t, const LineOrigin& origin, std::vector<std::string>& stack, std::vector<Line>& out) {
        Location loc{origin.file, origin.line, static_cast<int>(t.begin + 1)};
        std::string file = partial_file(t.name);
        if (!set_.files.count(file)) {
            std::vector<std::string> names;
            for (const auto& [f, _] : set_.files) {
                if (f.size() > 10 && f[0] == '_') names.push_back(f.substr(1, f.size() - 10));
            }
            std::string message = "unknown partial '" + t.name + "': no file " + file;
            if (auto s = vocab::suggest(t.name, names)) message += " (did you mean '" + *s + "'?)";
            diags_.error(loc, "", message);
            return false;
        }
        if (std::find(stack.begin(), stack.end(), file) != stack.end()) {
            std::string chain;
            for (const auto& s : stack) chain += s + " -> ";
            diags_.error(loc, "", "partial '" + t.name + "' includes itself: " + chain + file);
            return false;
        }
        // Partials that include others several times over grow exponentially without a cycle;
        // the budget stops that long before memory runs out. Real templates expand to hundreds.
        if (lines_ > kMaxExpandedLines) {
            if (!over_budget_) {
                diags_.error(loc, "", "partial '" + t.name + "': the expanded template passes " +
                                          std::to_string(kMaxExpandedLines) +
                                          " lines; partials include each other too many times over");
            }
            over_budget_ = true;
            return false;
        }
        stack.push_back(file);
        out = expand(file, stack);
        stack.pop_back();
        return true;
    }

    static constexpr size_t kMaxExpandedLines = 100000;
    const TemplateSet& set_;
    Diagnostics& diags_;
    size_t lines_ = 0;
    bool over_budget_ = false;
};

struct TNode {
    Tag tag;
    std::vector<TNode> children;
    std::vector<std::string> parts;  // the tag's name split at '.', as every lookup needs it
};

/// Splits a tag name at '.' as getline would (no empty last part).
std::vector<std::string> name_parts(const std::string& name) {
    std::vector<std::string> parts;
    for (size_t start = 0; start < name.size();) {
        size_t dot = std::min(name.find('.', start), name.size());
        parts.push_back(name.substr(start, dot - start));
        start = dot + 1;
    }
    return parts;
}

class Checker {
public:
    Checker(const ExpandedTemplate& t, Diagnostics& diags) : t_(t), diags_(diags) {}

    bool build(const std::vector<Tag>& tags, std::vector<TNode>& roots) {
        std::vector<TNode*> open;
        std::vector<TNode>* level = &roots;
        std::vector<std::vector<TNode>*> levels;
        for (const auto& tag : tags) {
            if (tag.kind == Tag::Kind::Comment) continue;
            if (tag.kind == Tag::Kind::Close) {
                if (open.empty()) {
                    error(tag.begin, "'{{/" + tag.name + "}}' closes a section that is not open");
                    return false;
                }
                // Each file closes what it opens: a partial's sections never reach into the file
                // that includes it.
                const std::string file = t_.locate(tag.begin).file;
                if (t_.locate(open.back()->tag.begin).file != file) {
                    bool opened_here = std::any_of(open.begin(), open.end(), [&](const TNode* n) {
                        return t_.locate(n->tag.begin).file == file;
                    });
                    if (opened_here) {
                        error(open.back()->tag.begin, "section '" + open.back()->tag.name + "' is never closed");
                    } else {
                        error(tag.begin, "'{{/" + tag.name + "}}' closes a section that is not open");
                    }
                    return false;
                }
                if (open.back()->tag.name != tag.name) {
                    error(tag.begin, "'{{/" + tag.name + "}}' closes '" + open.back()->tag.name + "', opened at " +
                                         t_.locate(open.back()->tag.begin).str());
                    return false;
                }
                open.pop_back();
                level = levels.back();
                levels.pop_back();
                continue;
            }
            level->push_back(TNode{tag, {}, name_parts(tag.name)});
            if (tag.kind == Tag::Kind::Section || tag.kind == Tag::Kind::Inverted) {
                open.push_back(&level->back());
                levels.push_back(level);
                level = &level->back().children;
            }
        }
        if (!open.empty()) {
            error(open.back()->tag.begin, "section '" + open.back()->tag.name + "' is never closed");
            return false;
        }
        return true;
    }

    void walk(const std::vector<TNode>& nodes, std::vector<const ordered_json*>& frames) {
        for (const auto& n : nodes) {
            switch (n.tag.kind) {
                case Tag::Kind::Variable: {
                    const ordered_json* v = lookup(n, frames);
                    if (v && !v->is_string()) {
                        error(n.tag.begin, "'" + n.tag.name + "' is " + describe(*v) +
                                               ", and a variable tag prints strings only");
                    }
                    break;
                }
                case Tag::Kind::Section: {
                    const ordered_json* v = lookup(n, frames);
                    if (!v) break;
                    if (v->is_boolean()) {
                        walk(n.children, frames);  // a flag section keeps the current frame
                    } else if (v->is_array()) {
                        for (const auto& item : *v) {
                            if (!item.is_object() && !item.is_string()) {
                                error(n.tag.begin, "list '" + n.tag.name + "' holds " + describe(item) +
                                                       "; lists hold mappings or strings");
                                break;
                            }
                            frames.push_back(&item);
                            walk(n.children, frames);
                            frames.pop_back();
                        }
                    } else if (v->is_object()) {
                        frames.push_back(v);
                        walk(n.children, frames);
                        frames.pop_back();
                    } else {
                        error(n.tag.begin, "'" + n.tag.name + "' is " + describe(*v) +
                                               "; sections take booleans, lists and mappings");
                    }
                    break;
                }
                case Tag::Kind::Inverted: {
                    const ordered_json* v = lookup(n, frames);
                    if (!v) break;
                    if (!v->is_boolean() && !v->is_array()) {
                        error(n.tag.begin, "'" + n.tag.name + "' is " + describe(*v) +
                                               "; inverted sections take booleans and lists");
                        break;
                    }
                    walk(n.children, frames);
                    break;
                }
                case Tag::Kind::Partial:
                    error(n.tag.begin, "partial '" + n.tag.name + "' was not expanded");
                    break;
                default: break;
            }
        }
    }

private:
    static std::string describe(const ordered_json& v) {
        if (v.is_boolean()) return "a boolean";
        if (v.is_array()) return "a list";
        if (v.is_object()) return "a mapping";
        if (v.is_number()) return "a number";
        if (v.is_null()) return "null";
        return "a string";
    }

    void error(size_t offset, const std::string& message) { diags_.error(t_.locate(offset), "", message); }

    const ordered_json* lookup(const TNode& node, const std::vector<const ordered_json*>& frames) {
        const Tag& tag = node.tag;
        const std::vector<std::string>& parts = node.parts;
        const ordered_json* top = frames.back();
        if (tag.name == ".") {
            if (!top->is_string()) error(tag.begin, "'{{.}}' is only valid in a list of strings");
            return top->is_string() ? top : nullptr;
        }
        if (!top->is_object()) {
            error(tag.begin, "'" + tag.name + "' is looked up in a list of strings; use {{.}} for the item");
            return nullptr;
        }
        auto it = top->find(parts[0]);
        if (it == top->end()) {
            for (size_t i = frames.size() - 1; i-- > 0;) {
                if (frames[i]->is_object() && frames[i]->contains(parts[0])) {
                    error(tag.begin, "'" + parts[0] + "' is not a name of the current section item; kainjow would "
                                                      "silently take it from an outer section. Lowering must give "
                                                      "the item this name");
                    return nullptr;
                }
            }
            std::vector<std::string> names;
            for (const auto& [k, _] : top->items()) names.push_back(k);
            std::string message = "unknown name '" + parts[0] + "'";
            if (auto s = vocab::suggest(parts[0], names)) message += " (did you mean '" + *s + "'?)";
            error(tag.begin, message);
            return nullptr;
        }
        const ordered_json* v = &*it;
        for (size_t i = 1; i < parts.size(); ++i) {
            auto member = v->is_object() ? v->find(parts[i]) : v->end();
            if (member == v->end()) {
                std::string path = parts[0];
                for (size_t p = 1; p <= i; ++p) path += "." + parts[p];
                error(tag.begin, "unknown name '" + path + "'");
                return nullptr;
            }
            v = &*member;
        }
        return v;
    }

    const ExpandedTemplate& t_;
    Diagnostics& diags_;
};

/// The dotted names of a template's tags, split at '.'.
using NameSplits = std::unordered_map<std::string, std::vector<std::string>>;

void collect_splits(const std::vector<TNode>& nodes, NameSplits& splits) {
    for (const auto& n : nodes) {
        if (n.parts.size() > 1) splits.emplace(n.tag.name, n.parts);
        collect_splits(n.children, splits);
    }
}

/// The names a render looks up, as kainjow's own context finds them (innermost section first; a
/// dotted name walks into mappings), with each name split once per template (`known`, made as it
/// is prepared): kainjow's context splits every dotted name through a string stream, a fifth of
/// rendering.
class RenderContext : public kainjow::mustache::basic_context<std::string> {
public:
    using data = kainjow::mustache::data;

    RenderContext(const data* root, const NameSplits& known) : known_(known) { items_.push_back(root); }

    void push(const data* item) override { items_.push_back(item); }
    void pop() override { items_.pop_back(); }

    /// Every name a render reaches is a name of the current item (the checks make sure of it), so
    /// it is looked up there only, past the flags and empty lists kainjow's sections push: a name
    /// the item lacks is then missing, as false, an empty list or an empty string would be, not
    /// taken from an outer item, and data may leave those out (MemberFilter::sparse).
    const data* get(const std::string& name) const override {
        if (name == ".") return items_.back();
        auto item = items_.rbegin();
        while (item + 1 != items_.rend() && ((*item)->is_bool() || (*item)->is_list())) ++item;
        // Most names are one part: looked up as they are, with no split to find.
        if (name.find('.') == std::string::npos) return (*item)->get(name);
        const data* found = *item;
        for (const auto& part : parts_of(name)) {
            found = found->get(part);
            if (!found) return nullptr;
        }
        return found;
    }

    const data* get_partial(const std::string& name) const override {
        for (auto item = items_.rbegin(); item != items_.rend(); ++item) {
            if (const data* found = (*item)->get(name)) return found;
        }
        return nullptr;
    }

private:
    const std::vector<std::string>& parts_of(const std::string& name) const {
        auto known = known_.find(name);
        if (known != known_.end()) return known->second;
        auto found = splits_.find(name);
        if (found == splits_.end()) found = splits_.emplace(name, name_parts(name)).first;
        return found->second;
    }

    std::vector<const data*> items_;  // the innermost last
    const NameSplits& known_;
    mutable NameSplits splits_;  // names the template's tags do not hold, should kainjow ask for one
};

/// kainjow's parser compares each byte of its text with the tag opener and five kinds of whitespace,
/// makes every space and line end of a template its own component, and drops a rendered line that
/// is blank and held a section tag, which would eat intentional blank lines. In the text it parses,
/// each run of template text between two tags stands as a token: the run's index in base 64
/// (digits kRunDigit + 0..63: no brace, no whitespace) between two kRun bytes, replaced by the run
/// after rendering. kainjow then parses a fraction of the bytes, and sees a single line without
/// whitespace, which it never drops.
constexpr char kRun = '\x01';
constexpr char kRunDigit = '0';

/// The text prepare_for_kainjow hands kainjow, and the runs its tokens stand for.
struct KainjowText {
    std::string text;
    std::vector<std::string> runs;
};

/// Ends the run of template text gathered so far with a token for it.
void end_run(KainjowText& out, std::string& run) {
    if (run.empty()) return;
    char digits[16];
    size_t count = 0;
    for (size_t index = out.runs.size(); count == 0 || index > 0; index /= 64) {
        digits[count++] = static_cast<char>(kRunDigit + index % 64);
    }
    out.text += kRun;
    while (count > 0) out.text += digits[--count];
    out.text += kRun;
    out.runs.push_back(std::move(run));
    run.clear();
}

/// Appends a rendered text to `out` with each token replaced by its run.
void restore_runs(std::string_view rendered, const std::vector<std::string>& runs, std::string& out) {
    size_t pos = 0;
    while (pos < rendered.size()) {
        size_t open = rendered.find(kRun, pos);
        if (open == std::string_view::npos) open = rendered.size();
        out.append(rendered.data() + pos, open - pos);
        if (open == rendered.size()) break;
        size_t close = rendered.find(kRun, open + 1);
        size_t index = 0;
        // Values holding kRun do not reach a render (holds_render_marker), so every token is whole.
        if (close == std::string_view::npos) throw InternalError("a rendered text holds a broken template token");
        for (size_t i = open + 1; i < close; ++i) index = index * 64 + static_cast<size_t>(rendered[i] - kRunDigit);
        if (index >= runs.size()) throw InternalError("a rendered text holds a broken template token");
        out += runs[index];
        pos = close + 1;
    }
}

/// Collects kainjow's output pieces in one string (its own renders go through a string stream), with
/// the template's text restored.
struct Collector {
    std::string& out;
    const std::vector<std::string>& runs;
    size_t runs_size;  // the bytes of all runs: room for a render that prints each once
    Collector& operator<<(const std::string& piece) {
        out.reserve(out.size() + piece.size() + runs_size);
        restore_runs(piece, runs, out);
        return *this;
    }
};

bool is_standalone_tag(const Tag& t) {
    return t.kind == Tag::Kind::Section || t.kind == Tag::Kind::Inverted || t.kind == Tag::Kind::Close ||
           t.kind == Tag::Kind::Comment;
}

/// A tag as kainjow parses it; a variable prints unescaped, which is what the identity escape every
/// render installs gives, without the copy of each value that escape makes.
void append_tag(std::string& out, std::string_view tag_text, const Tag& tag) {
    bool escaped_variable = tag.kind == Tag::Kind::Variable && tag_text.size() > 2 && tag_text[2] != '{' &&
                            tag_text[2] != '&';
    if (!escaped_variable) {
        out += tag_text;
        return;
    }
    out += "{{&";
    out += tag_text.substr(2);
}

/// Removes standalone section and comment lines (keeping their tags), as the mustache spec says
/// and kainjow does not do reliably, and stands each run of the rest's text as a token (kRun).
/// `tags` are the expanded text's tags, in order; none spans a line.
KainjowText prepare_for_kainjow(const ExpandedTemplate& expanded, const std::vector<Tag>& tags) {
    KainjowText out;
    const std::string_view text(expanded.text);
    out.text.reserve(text.size());
    std::string run;
    size_t next = 0;  // the first tag of a line not read yet
    for (size_t l = 0; l < expanded.line_starts.size(); ++l) {
        // Every line of an expanded template ends with a line feed.
        const size_t start = expanded.line_starts[l];
        const size_t stop = (l + 1 < expanded.line_starts.size() ? expanded.line_starts[l + 1] : text.size()) - 1;
        const size_t first = next;
        while (next < tags.size() && tags[next].begin < stop) ++next;
        const auto begin = tags.begin() + static_cast<std::ptrdiff_t>(first);
        const auto end = tags.begin() + static_cast<std::ptrdiff_t>(next);
        bool standalone = begin != end && std::all_of(begin, end, is_standalone_tag);
        size_t cursor = start;
        for (auto t = begin; standalone && t != end; ++t) {
            standalone = trim(text.substr(cursor, t->begin - cursor)).empty();
            cursor = t->end;
        }
        standalone = standalone && trim(text.substr(cursor, stop - cursor)).empty();
        cursor = start;
        for (auto t = begin; t != end; ++t) {
            if (!standalone) run += text.substr(cursor, t->begin - cursor);
            end_run(out, run);
            append_tag(out.text, text.substr(t->begin, t->end - t->begin), *t);
            cursor = t->end;
        }
        if (standalone) continue;
        run += text.substr(cursor, stop - cursor);
        run += '\n';
    }
    end_run(out, run);
    return out;
}

}  // namespace

bool holds_render_marker(const std::string& value) {
    return value.find(kRun) != std::string::npos;
}

namespace {

void check_no_sentinel(const ordered_json& v) {
    if (v.is_string() && holds_render_marker(v.get_ref<const std::string&>())) {
        throw InternalError("the intermediate model holds a control character: " + v.dump());
    }
    if (v.is_structured()) {
        for (const auto& item : v) check_no_sentinel(item);
    }
}

/// A leaf as kainjow data, or an empty mapping or list for a structured value.
kainjow::mustache::data data_shell(const ordered_json& v) {
    using kainjow::mustache::data;
    if (v.is_object()) return data{data::type::object};
    if (v.is_array()) return data{data::type::list};
    if (v.is_boolean()) return data{v.get<bool>()};
    if (v.is_string()) return data{v.get<std::string>()};
    throw InternalError("the intermediate model holds a value mustache cannot print: " + v.dump());
}

/// kainjow's set() and push_back() copy their argument, so building the tree bottom-up copied each
/// subtree once per level above it (a third of a run). A member is moved into the slot its
/// operator[] makes, and a list item is pushed as a shell, then filled where it stands (kainjow
/// only hands out const access to list items, but they are not const objects).
/// Converts `v`, leaving out members no tag of the template names: kainjow finds a value by the
/// components of a tag's name only, so what no tag names is never read.
void fill_data(kainjow::mustache::data& out, const ordered_json& v, const TagNames& names) {
    using kainjow::mustache::data;
    if (v.is_object()) {
        for (const auto& [k, item] : v.get_ref<const ordered_json::object_t&>()) {
            if (!names.count(k)) continue;
            data& slot = out[k];
            slot = data_shell(item);
            if (item.is_structured()) fill_data(slot, item, names);
        }
    } else if (v.is_array()) {
        const auto& items = v.get_ref<const ordered_json::array_t&>();
        // kainjow's data may throw when moved, so a growing list copies every item made so far.
        const_cast<kainjow::mustache::list&>(out.list_value()).reserve(items.size());
        for (const auto& item : items) {
            out.push_back(data_shell(item));
            if (item.is_structured()) fill_data(const_cast<data&>(out.list_value().back()), item, names);
        }
    }
}

kainjow::mustache::data to_data(const ordered_json& v, const TagNames& names) {
    kainjow::mustache::data d = data_shell(v);
    fill_data(d, v, names);
    return d;
}

/// Every component of every name the tags use (`a.b` gives `a` and `b`).
TagNames tag_names(const std::vector<Tag>& tags) {
    TagNames names;
    for (const auto& tag : tags) {
        if (tag.kind == Tag::Kind::Comment || tag.kind == Tag::Kind::Delimiter) continue;
        size_t start = 0;
        while (start <= tag.name.size()) {
            size_t dot = tag.name.find('.', start);
            if (dot == std::string::npos) dot = tag.name.size();
            if (dot > start) names.insert(tag.name.substr(start, dot - start));
            start = dot + 1;
        }
    }
    return names;
}

}  // namespace

Location ExpandedTemplate::locate(size_t offset) const {
    // The checker locates every section tag it nests, so a line is found by search, not by a scan.
    size_t line = 0;
    size_t line_start = 0;
    if (!line_starts.empty()) {
        size_t clamped = std::min(offset, text.size());
        auto it = std::upper_bound(line_starts.begin(), line_starts.end(), clamped);
        line = static_cast<size_t>(it - line_starts.begin()) - 1;
        line_start = line_starts[line];
        // An offset just past a final newline begins the line after the last.
        if (clamped == text.size() && !text.empty() && text.back() == '\n') {
            line = line_starts.size();
            line_start = text.size();
        }
    } else {
        for (size_t i = 0; i < offset && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                line_start = i + 1;
            }
        }
    }
    if (line >= lines.size()) {
        if (lines.empty()) return Location{};
        line = lines.size() - 1;
    }
    const LineOrigin& o = lines[line];
    int col = static_cast<int>(offset - line_start) + 1 - o.indent;
    return Location{o.file, o.line, std::max(col, 1)};
}

ExpandedTemplate expand_template(const TemplateSet& set, const std::string& file_name, Diagnostics& diags) {
    ExpandedTemplate t;
    if (!set.files.count(file_name)) {
        diags.error(Location{(fs::path(set.dir) / file_name).string(), 0, 0}, "", "template file is missing");
        return t;
    }
    std::vector<std::string> stack{file_name};
    std::vector<Line> lines = Expander(set, diags).expand(file_name, stack);
    for (const auto& l : lines) {
        t.line_starts.push_back(t.text.size());
        t.text += l.text + "\n";
        t.lines.push_back(l.origin);
    }
    return t;
}

namespace {

/// A template as every family renders it: partials expanded, tags scanned and nested, the text
/// prepared for and parsed by kainjow. It depends on the template files only.
struct PreparedTemplate {
    std::map<std::string, std::string> files;  // the template set it was made from
    std::uint64_t fingerprint = 0;             // and its fingerprint (TemplateSet::fingerprint)
    ExpandedTemplate expanded;
    std::vector<TNode> roots;
    // kainjow's parse of prepare_for_kainjow's text, never rendered itself: kainjow's renderer keeps
    // an error state, so each render takes one of its own, a copy of this one (copying the parsed
    // components costs a fraction of parsing the text again).
    std::unique_ptr<const kainjow::mustache::mustache> parsed;
    std::vector<std::string> runs;  // the template text kainjow's tokens stand for (KainjowText)
    size_t runs_size = 0;           // their bytes
    // Renderers not in use; there are never more than the threads rendering at once.
    std::vector<std::unique_ptr<kainjow::mustache::mustache>> idle;
    std::shared_ptr<const TagNames> names;  // what the tags name (tag_names)
    NameSplits splits;                      // the dotted names of the tags, split
};

std::unique_ptr<kainjow::mustache::mustache> parse_for_kainjow(const std::string& text) {
    auto parsed = std::make_unique<kainjow::mustache::mustache>(text);
    parsed->set_custom_escape([](const std::string& s) { return s; });
    return parsed;
}

}  // namespace

namespace {

/// One template's place in the cache. Templates prepare under their own slot's lock, so a render
/// that needs one template does not wait while another thread prepares a different one.
struct PreparedSlot {
    std::mutex lock;
    std::shared_ptr<PreparedTemplate> prepared;  // null until prepared, and after a failure
};

std::mutex cache_lock;  // guards prepared_cache and every template's idle renderers
std::map<std::string, std::shared_ptr<PreparedSlot>> prepared_cache;  // by directory and file name

std::string cache_key(const TemplateSet& set, const std::string& file_name) { return set.dir + '\n' + file_name; }

std::shared_ptr<PreparedSlot> slot_of(const TemplateSet& set, const std::string& file_name) {
    std::lock_guard<std::mutex> guard(cache_lock);
    const std::string key = cache_key(set, file_name);
    auto found = prepared_cache.find(key);
    if (found != prepared_cache.end()) return found->second;
    if (prepared_cache.size() > 64) prepared_cache.clear();  // runs that keep changing templates (fuzzing)
    return prepared_cache.emplace(key, std::make_shared<PreparedSlot>()).first->second;
}

std::shared_ptr<PreparedTemplate> prepare_afresh(const TemplateSet& set, const std::string& file_name,
                                                 Diagnostics& diags) {
    size_t before = diags.size();
    auto p = std::make_shared<PreparedTemplate>();
    p->files = set.files;
    p->fingerprint = set.fingerprint;
    p->expanded = expand_template(set, file_name, diags);
    if (diags.size() != before) return nullptr;
    std::vector<Tag> tags;
    size_t err_at = 0;
    std::string err;
    if (!scan_tags(p->expanded.text, tags, err_at, err)) {
        diags.error(p->expanded.locate(err_at), "", err);
        return nullptr;
    }
    if (!Checker(p->expanded, diags).build(tags, p->roots)) return nullptr;
    p->names = std::make_shared<TagNames>(tag_names(tags));
    collect_splits(p->roots, p->splits);
    KainjowText text = prepare_for_kainjow(p->expanded, tags);
    p->parsed = parse_for_kainjow(text.text);
    p->runs = std::move(text.runs);
    for (const auto& run : p->runs) p->runs_size += run.size();
    return p;
}

/// The template prepared for rendering. Expanding, scanning and parsing were half of a run, repeated
/// for every family: each template is prepared once per process, and again when a template file
/// changes. A template that failed is not kept; the cache is bounded for runs that keep changing
/// templates (fuzzing). nullptr, with diagnostics, when the template does not prepare.
std::shared_ptr<PreparedTemplate> prepare(const TemplateSet& set, const std::string& file_name, Diagnostics& diags) {
    std::shared_ptr<PreparedSlot> slot = slot_of(set, file_name);
    std::lock_guard<std::mutex> guard(slot->lock);
    if (const auto& held = slot->prepared) {
        bool same = set.fingerprint != 0 ? held->fingerprint == set.fingerprint && held->files.size() == set.files.size()
                                         : held->files == set.files;
        if (same) return held;
    }
    slot->prepared = prepare_afresh(set, file_name, diags);
    return slot->prepared;
}

/// Forgets a template kainjow refused, so a later run prepares it again.
void forget(const TemplateSet& set, const std::string& file_name, const std::shared_ptr<PreparedTemplate>& prepared) {
    std::shared_ptr<PreparedSlot> slot = slot_of(set, file_name);
    std::lock_guard<std::mutex> guard(slot->lock);
    if (slot->prepared == prepared) slot->prepared = nullptr;
}

/// Renders `data` (already checked against the template) with one of the template's idle renderers.
std::string render_prepared(const TemplateSet& set, const std::string& file_name,
                            const std::shared_ptr<PreparedTemplate>& prepared, const kainjow::mustache::data& data,
                            const std::string& output_name, Diagnostics& diags) {
    // Families render on several threads: the idle renderers are taken and returned under the lock;
    // rendering is not.
    std::unique_ptr<kainjow::mustache::mustache> tmpl;
    {
        std::lock_guard<std::mutex> guard(cache_lock);
        if (!prepared->idle.empty()) {
            tmpl = std::move(prepared->idle.back());
            prepared->idle.pop_back();
        }
    }
    const ExpandedTemplate& t = prepared->expanded;
    if (!prepared->parsed->is_valid()) {
        // The scanner accepts only what kainjow accepts; map its byte offset anyway.
        std::string message = prepared->parsed->error_message();
        size_t at = message.rfind(" at ");
        size_t offset = at == std::string::npos ? 0 : std::strtoul(message.c_str() + at + 4, nullptr, 10);
        diags.error(t.locate(offset), "", "template syntax: " + message);
        forget(set, file_name, prepared);
        return "";
    }
    if (!tmpl) tmpl = std::make_unique<kainjow::mustache::mustache>(*prepared->parsed);
    std::string out;
    RenderContext context(&data, prepared->splits);
    Collector collector{out, prepared->runs, prepared->runs_size};
    tmpl->render(context, collector);
    if (!tmpl->is_valid()) {
        diags.error(Location{(fs::path(set.dir) / file_name).string(), 0, 0}, "",
                    "rendering " + output_name + " failed: " + tmpl->error_message());
        forget(set, file_name, prepared);
        return "";
    }
    {
        std::lock_guard<std::mutex> guard(cache_lock);
        prepared->idle.push_back(std::move(tmpl));
    }
    check_output_layout(output_name, out, (fs::path(set.dir) / file_name).string(), diags);
    return out;
}

/// Whether every tag finds what render_template's checks require in `data`; the first that does not
/// ends the walk (render_template then reports every problem of the view). `read`, when given,
/// receives every value a tag's name reaches, with `guards`: the flag sections around the tag that
/// look their flag up in the same item as the tag's first name.
bool data_fits(const std::vector<TNode>& nodes, std::vector<const kainjow::mustache::data*>& frames,
               DataReads* read, std::vector<ReadGuard>& guards) {
    using kainjow::mustache::data;
    auto lookup = [&](const TNode& n) -> const data* {
        const data* top = frames.back();
        if (n.tag.name == ".") return top->is_string() ? top : nullptr;
        const data* v = top;
        for (size_t i = 0; i < n.parts.size(); ++i) {
            v = v->get(n.parts[i]);  // nullptr for a non-object
            if (!v) return nullptr;
            // Past the first name, a dotted name reads another item, which no guard here is about.
            if (read) (*read)[v].push_back(i == 0 ? guards : std::vector<ReadGuard>{});
        }
        return v;
    };
    // A flag section read in the current item guards what it holds; any other section does not.
    auto guarded = [&](const TNode& n, const data* flag, bool set) {
        bool guard = read && n.parts.size() == 1;
        if (guard) guards.push_back(ReadGuard{flag, set});
        bool fits = data_fits(n.children, frames, read, guards);
        if (guard) guards.pop_back();
        return fits;
    };
    auto within = [&](const TNode& n, const data* item) {
        std::vector<ReadGuard> inner;  // the guards around an item's names start at its section
        frames.push_back(item);
        bool fits = data_fits(n.children, frames, read, inner);
        frames.pop_back();
        return fits;
    };
    for (const auto& n : nodes) {
        switch (n.tag.kind) {
            case Tag::Kind::Variable: {
                const data* v = lookup(n);
                if (!v || !v->is_string()) return false;
                break;
            }
            case Tag::Kind::Section: {
                const data* v = lookup(n);
                if (!v) return false;
                if (v->is_bool()) {
                    if (!guarded(n, v, true)) return false;
                } else if (v->is_list()) {
                    for (const auto& item : v->list_value()) {
                        if (!item.is_object() && !item.is_string()) return false;
                        if (!within(n, &item)) return false;
                    }
                } else if (v->is_object()) {
                    if (!within(n, v)) return false;
                } else {
                    return false;
                }
                break;
            }
            case Tag::Kind::Inverted: {
                const data* v = lookup(n);
                if (!v || (!v->is_bool() && !v->is_list())) return false;
                if (v->is_bool() ? !guarded(n, v, false) : !data_fits(n.children, frames, read, guards)) return false;
                break;
            }
            case Tag::Kind::Partial: return false;
            default: break;
        }
    }
    return true;
}

}  // namespace

void warm_templates(const TemplateSet& set) {
    for (const auto& [file, text] : set.files) {
        if (file.empty() || file[0] == '_') continue;
        Diagnostics ignored;
        auto prepared = prepare(set, file, ignored);
        if (!prepared) continue;
        if (!prepared->parsed->is_valid()) continue;
        auto renderer = std::make_unique<kainjow::mustache::mustache>(*prepared->parsed);
        std::lock_guard<std::mutex> guard(cache_lock);
        prepared->idle.push_back(std::move(renderer));
    }
}

std::shared_ptr<const TagNames> template_tag_names(const TemplateSet& set, const std::string& file_name) {
    Diagnostics ignored;
    auto prepared = prepare(set, file_name, ignored);
    return prepared ? prepared->names : nullptr;
}

std::optional<std::string> render_data(const TemplateSet& set, const std::string& file_name,
                                       const kainjow::mustache::data& data, const std::string& output_name,
                                       Diagnostics& diags, bool fits) {
    Diagnostics ignored;
    auto prepared = prepare(set, file_name, ignored);
    if (!prepared) return std::nullopt;
    if (!fits) {
        std::vector<const kainjow::mustache::data*> frames{&data};
        std::vector<ReadGuard> guards;
        if (!data.is_object() || !data_fits(prepared->roots, frames, nullptr, guards)) return std::nullopt;
    }
    return render_prepared(set, file_name, prepared, data, output_name, diags);
}

bool data_fits_template(const TemplateSet& set, const std::string& file_name, const kainjow::mustache::data& data,
                        DataReads* read) {
    Diagnostics ignored;
    auto prepared = prepare(set, file_name, ignored);
    std::vector<const kainjow::mustache::data*> frames{&data};
    std::vector<ReadGuard> guards;
    return prepared && data.is_object() && data_fits(prepared->roots, frames, read, guards);
}

std::string render_template(const TemplateSet& set, const std::string& file_name, const ordered_json& view,
                            const std::string& output_name, Diagnostics& diags) {
    size_t before = diags.size();
    auto prepared = prepare(set, file_name, diags);
    if (!prepared) return "";
    Checker checker(prepared->expanded, diags);
    std::vector<const ordered_json*> frames{&view};
    checker.walk(prepared->roots, frames);
    check_no_sentinel(view);
    if (diags.size() != before) return "";
    return render_prepared(set, file_name, prepared, to_data(view, *prepared->names), output_name, diags);
}

void check_output_layout(const std::string& output_name, const std::string& content, const std::string& template_file,
                         Diagnostics& diags) {
    bool swift = output_name.size() > 6 && output_name.substr(output_name.size() - 6) == ".swift";
    auto report = [&](int line, const std::string& message) -> Diagnostic& {
        Diagnostic& d = diags.error(Location{output_name, line, 1}, "", message);
        d.notes.push_back(Note{Location{template_file, 0, 0}, "rendered from this template"});
        return d;
    };
    if (content.empty() || content.back() != '\n') {
        report(0, "output must end with exactly one newline");
        return;
    }
    if (content.size() >= 2 && content[content.size() - 2] == '\n') report(0, "output ends with a blank line");
    if (content.front() == '\n') report(1, "output starts with a blank line");
    bool previous_blank = false;
    int n = 0;
    // Lines are read in place: outputs run to thousands of lines, and most have nothing to report.
    // A byte the whole output lacks is not searched for again in each line.
    const bool returns = content.find('\r') != std::string::npos, tabs = content.find('\t') != std::string::npos,
               ampersands = swift && content.find('&') != std::string::npos;
    for (size_t start = 0; start < content.size();) {
        size_t end = content.find('\n', start);
        if (end == std::string::npos) end = content.size();
        std::string_view l(content.data() + start, end - start);
        start = end + 1;
        ++n;
        if (returns && l.find('\r') != std::string_view::npos) report(n, "carriage return (outputs use LF only)");
        if (tabs && l.find('\t') != std::string_view::npos) report(n, "tab character (outputs indent with spaces)");
        if (!l.empty() && (l.back() == ' ' || l.back() == '\t')) report(n, "trailing whitespace");
        if (l.empty() && previous_blank) report(n, "two blank lines in a row");
        if (swift && l.size() > 100) {
            report(n, "line is " + std::to_string(l.size()) + " columns; Swift output stays within 100")
                .notes.push_back(Note{Location{}, "the line: " + std::string(l)});
        }
        if (ampersands && l.find('&') != std::string_view::npos &&
            (l.find("&lt;") != std::string_view::npos || l.find("&gt;") != std::string_view::npos ||
             l.find("&amp;") != std::string_view::npos || l.find("&quot;") != std::string_view::npos)) {
            report(n, "HTML entity in Swift output");
        }
        previous_blank = l.empty();
    }
}

}  // namespace hf2swift
