// The CLI verbs: each prints its result or its diagnostics and returns an exit code.
#include "commands.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <thread>

#include "load.h"
#include "namer.h"
#include "resolve.h"
#include "schema.h"
#include "vocabulary.h"

namespace hf2swift {

namespace fs = std::filesystem;

int guarded(std::ostream& err, const std::function<int()>& body) {
    try {
        return body();
    } catch (const DiagnosticError& e) {
        err << e.diagnostics().format();
        return kDiagnostics;
    } catch (const InternalError& e) {
        err << "hf2swift: internal error: " << e.what() << "\n";
        return kInternal;
    } catch (const std::exception& e) {
        err << "hf2swift: internal error: " << e.what() << "\n";
        return kInternal;
    }
}

namespace {

[[noreturn]] void fail(const Location& loc, const std::string& key, const std::string& message) {
    Diagnostics d;
    d.error(loc, key, message);
    throw DiagnosticError(d);
}

std::string joined(const std::vector<std::string>& items, const std::string& sep = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

const ResolvedFamily& find_family(const FamilySet& set, const std::string& id) {
    if (const ResolvedFamily* f = set.find(id)) return *f;
    std::string message = "no family '" + id + "' (families: " + joined(set.ids()) + ")";
    if (auto s = vocab::suggest(id, set.ids())) message = "no family '" + id + "' (did you mean '" + *s + "'?)";
    fail(Location{}, "", message);
}

void print_write_result(const WriteResult& r, bool check, std::ostream& out) {
    if (check) {
        out << r.diff;
        return;
    }
    for (const auto& p : r.written) out << "wrote " << p << "\n";
    for (const auto& p : r.removed) out << "removed " << p << "\n";
}

}  // namespace

int run_generate(const GenerateArgs& args, OutputSink& sink, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        // The templates do not depend on the families: they are loaded and prepared on a thread of
        // their own while the families load and resolve (a sixth of a run otherwise spent before any
        // render). generate() takes the loaded set as soon as it is there.
        std::promise<std::shared_ptr<const TemplateSet>> loading;
        std::future<std::shared_ptr<const TemplateSet>> loaded = loading.get_future();
        std::jthread warm([&] {
            std::shared_ptr<const TemplateSet> templates;
            try {
                templates = std::make_shared<const TemplateSet>(load_templates(args.paths.templates));
            } catch (...) {
                // generate() loads the templates again and reports what is wrong with them.
            }
            loading.set_value(templates);
            try {
                if (templates) warm_templates(*templates);
            } catch (...) {
                // A template that does not prepare is reported by the render that needs it.
            }
        });
        // Generation does not say where values came from; only `explain` needs the history.
        FamilySet set = load_family_set(args.paths.families, false);
        for (const auto& id : args.families) {
            const ResolvedFamily& f = find_family(set, id);
            if (f.abstract) fail(Location{f.path, 1, 1}, "", "family '" + id + "' is abstract and generates nothing");
        }
        Generation g = generate(args.paths, set, loaded.get());
        WritePlan plan;
        if (args.families.empty()) {
            plan.files = std::move(g.outputs);  // not read again: a copy would copy every generated file
            plan.prune_dir = args.paths.out;
        } else {
            // A subset writes its families' files only; the registry always comes from all families.
            for (const auto& m : g.models) {
                if (std::find(args.families.begin(), args.families.end(), m.family) == args.families.end()) continue;
                std::string path = (fs::path(args.paths.out) / m.file_name).string();
                for (const auto& o : g.outputs) {
                    if (o.path == path) plan.files.push_back(o);
                }
            }
        }
        Diagnostics diags;
        WriteResult r = write_outputs(sink, plan, args.check, diags);
        if (!diags.empty()) throw DiagnosticError(diags);
        if (r.recovered) err << "hf2swift: finished an interrupted generation in " << args.paths.out << " first\n";
        print_write_result(r, args.check, out);
        if (args.leave_to_exit) {
            new FamilySet(std::move(set));
            new Generation(std::move(g));
        }
        if (args.check && !r.clean()) {
            err << "hf2swift: " << (r.written.size() + r.removed.size())
                << " generated file(s) are out of date; run `make regen` and commit the result\n";
            return kDiagnostics;
        }
        return kOk;
    });
}

int run_single_model(const Paths& paths, const std::string& model, const std::string& output, OutputSink& sink,
                     std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        FamilySet set = load_family_set(paths.families);
        const ResolvedFamily* f = set.find(model);
        if (!f) f = set.claiming(model);
        if (!f || f->abstract) {
            fail(Location{}, "", "no family serves '" + model + "' (supported model types: " + joined(set.model_types()) + ")");
        }
        TemplateSet templates = load_templates(paths.templates);
        OutputFile file = render_model(paths, templates, lower_one(*f));
        if (output.empty()) {
            out << file.content;
            return kOk;
        }
        Diagnostics diags;
        WriteResult r = write_outputs(sink, WritePlan{{OutputFile{output, file.content}}, ""}, false, diags);
        if (!diags.empty()) throw DiagnosticError(diags);
        err << (r.written.empty() ? "unchanged: " : "Generated: ") << output << "\n";
        return kOk;
    });
}

int run_list(const Paths& paths, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        FamilySet set = load_family_set(paths.families);
        std::vector<std::vector<std::string>> rows{{"family", "extends", "model_types", "swift"}};
        for (const auto& f : set.families) {
            std::string parent = f.chain.size() > 1 ? f.chain[1] : "-";
            std::string types = f.abstract ? "(abstract)" : joined(f.strings("model_types"));
            rows.push_back({f.id, parent, types, f.abstract ? "-" : f.text("swift_name")});
        }
        std::vector<size_t> widths(4, 0);
        for (const auto& r : rows) {
            for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], r[i].size());
        }
        for (const auto& r : rows) {
            std::string line;
            for (size_t i = 0; i < r.size(); ++i) {
                line += r[i];
                if (i + 1 < r.size()) line += std::string(widths[i] - r[i].size() + 2, ' ');
            }
            out << line << "\n";
        }
        return kOk;
    });
}

namespace {

struct Leaf {
    std::string path;
    const Node* value;
    const vocab::KeySpec* spec = nullptr;  // none for an entry of a free map
};

void collect_leaves(const vocab::KeySpec& spec, const Node* node, const std::string& prefix, std::vector<Leaf>& out) {
    for (const auto& child : spec.children) {
        std::string path = prefix.empty() ? child.name : prefix + "." + child.name;
        const Node* value = node && node->is_map() ? node->find(child.name) : nullptr;
        if (child.type == vocab::Type::Map) {
            collect_leaves(child, value, path, out);
        } else if (child.type == vocab::Type::EntryMap) {
            if (!value) continue;
            for (const auto& e : value->entries) out.push_back(Leaf{path + "." + e.key, &e.value});
        } else if (value) {
            out.push_back(Leaf{path, value, &child});
        }
    }
}

/// For a key bound to a config field: the field as the family declares it, and for a derived
/// default, the config keys the derivation reads; so a schedule or a router setting shows where its
/// value comes from in a checkpoint's config.
std::string binding_text(const ResolvedFamily& f, const Leaf& leaf) {
    if (!leaf.spec || leaf.value->kind != Node::Kind::String) return "";
    if (leaf.spec->type != vocab::Type::Field && leaf.spec->type != vocab::Type::Flag) return "";
    const Node* config = f.get("config");
    const Node* entry = config && config->is_map() ? config->find(leaf.value->text) : nullptr;
    if (!entry) return "";
    std::string where;
    if (auto h = f.history.find("config." + leaf.value->text); h != f.history.end() && !h->second.empty()) {
        where = h->second.back().loc.str() + ": ";
    }
    std::string out = "    reads " + where + "config." + leaf.value->text + " = " + flow_text(*entry) + "\n";
    const Node* def = entry->find("default");
    const Node* derive = def && def->is_map() ? def->find("derive") : nullptr;
    const vocab::Derivation* d = derive && derive->kind == Node::Kind::String ? vocab::find_derivation(derive->text) : nullptr;
    if (!d) return out;
    std::string inputs;
    for (const auto& [label, source] : d->arguments) {
        std::string key = f.derivation_input(*def, source);
        inputs += (inputs.empty() ? "" : ", ") + (key.empty() ? source : key);
    }
    return out + "    derived by " + d->name + " from " + inputs + "\n";
}

}  // namespace

std::string explain_text(const FamilySet& set, const std::string& family, const std::string& key, Diagnostics& diags) {
    const ResolvedFamily& f = find_family(set, family);
    std::vector<Leaf> leaves;
    collect_leaves(vocab::root(), &f.values, "", leaves);
    std::string out = f.id + "  " + f.chain_paths[0] + (f.abstract ? "  (abstract)" : "") + "\n";
    for (size_t i = 1; i < f.chain.size(); ++i) out += "  extends " + f.chain[i] + "  " + f.chain_paths[i] + "\n";
    bool any = false;
    std::vector<std::string> paths;
    for (const auto& leaf : leaves) {
        paths.push_back(leaf.path);
        if (!key.empty() && leaf.path != key && leaf.path.rfind(key + ".", 0) != 0) continue;
        any = true;
        out += "\n" + leaf.path + " = " + flow_text(*leaf.value) + "\n";
        auto h = f.history.find(leaf.path);
        if (h != f.history.end()) {
            for (auto it = h->second.rbegin(); it != h->second.rend(); ++it) {
                std::string where = it->family.empty() ? "(default)" : it->loc.str();
                out += "    " + where + ": " + it->text + "\n";
            }
        }
        out += binding_text(f, leaf);
    }
    if (!any) {
        std::string message = "family '" + f.id + "' has no key '" + key + "'";
        if (auto s = vocab::suggest(key, paths)) message += " (did you mean '" + *s + "'?)";
        diags.error(Location{}, "", message);
    }
    return out;
}

int run_explain(const Paths& paths, const std::string& family, const std::string& key, std::ostream& out,
                std::ostream& err) {
    return guarded(err, [&] {
        FamilySet set = load_family_set(paths.families);
        Diagnostics diags;
        std::string text = explain_text(set, family, key, diags);
        if (!diags.empty()) throw DiagnosticError(diags);
        out << text;
        return kOk;
    });
}

int run_ir(const Paths& paths, const std::string& family, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        FamilySet set = load_family_set(paths.families);
        const ResolvedFamily& f = find_family(set, family);
        if (f.abstract) fail(Location{f.path, 1, 1}, "", "family '" + family + "' is abstract; it has no Swift model");
        out << model_view(lower_one(f)).dump(2) << "\n";
        return kOk;
    });
}

namespace {

using Json = nlohmann::json;

std::string json_text(const Json& v) {
    std::string s = v.dump();
    return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

/// Whether a checkpoint's value has the shape the field's config type states.
bool json_fits(const Json& v, const vocab::ValueShape& shape) {
    using Scalar = vocab::ValueShape::Scalar;
    auto one = [&](const Json& x) {
        switch (shape.scalar) {
            case Scalar::Int:
                return x.is_number_integer() || (x.is_number_float() && x.get<double>() == std::floor(x.get<double>())) ||
                       (!shape.or_word.empty() && x.is_string() && x == shape.or_word);
            case Scalar::Number:
                return x.is_number() || (shape.spelled_non_finite && x.is_object() && x.size() == 1 && x.contains("__float__"));
            case Scalar::Bool: return x.is_boolean();
            case Scalar::String:
                return x.is_string() && (shape.words.empty() || std::find(shape.words.begin(), shape.words.end(),
                                                                           x.get<std::string>()) != shape.words.end());
            case Scalar::Object: return x.is_object();
        }
        return false;
    };
    bool list = v.is_array() && (shape.length == 0 || v.size() == shape.length) && std::all_of(v.begin(), v.end(), one);
    switch (shape.arity) {
        case vocab::ValueShape::Arity::One: return one(v);
        case vocab::ValueShape::Arity::List: return list;
        case vocab::ValueShape::Arity::OneOrList: return one(v) || list;
    }
    return false;
}

bool matches_scalar(const Json& v, const Node& n) {
    if (n.kind == Node::Kind::Bool) return v.is_boolean() && v.get<bool>() == n.boolean;
    if (n.is_number()) return v.is_number() && v.get<double>() == n.number;
    return v.is_string() && v.get<std::string>() == n.text;
}

std::string rope_kind(const Json& scaling) {
    for (const char* k : {"rope_type", "type"}) {
        if (scaling.contains(k) && scaling[k].is_string()) return scaling[k].get<std::string>();
    }
    return "";
}

/// The keys the wrapper serving `model_type` marks as its own, with why the text model ignores them: read
/// off the lowered wrappers, which already hold one record per model type an entry serves.
std::vector<ir::IgnoredKey> wrapper_ignored_keys(const ResolvedFamily& f, const std::string& model_type) {
    for (const auto& w : lower_one(f).wrappers) {
        if (w.model_type == model_type) return w.ignored_keys;
    }
    return {};
}

/// The family a wrapper hands its text model to when it dispatches on the text model's stated type,
/// or nullptr when the wrapper's own family reads it.
const ResolvedFamily* dispatched_family(const FamilySet& set, const ResolvedFamily& f, const std::string& model_type,
                                        const Json& config) {
    const Json* text = config.contains("text_config") && config["text_config"].is_object() ? &config["text_config"] : nullptr;
    if (!text || !text->contains("model_type") || !(*text)["model_type"].is_string()) return nullptr;
    std::string text_type = (*text)["model_type"].get<std::string>();
    for (const auto& w : lower_one(f).wrappers) {
        if (w.model_type != model_type) continue;
        for (const auto& [type, family] : w.dispatch) {
            if (type == text_type && family != f.id) return set.find(family);
        }
    }
    return nullptr;
}

/// `text` with the bare `Infinity`, `-Infinity` and `NaN` Python's json module writes (configs saved
/// before transformers 5 carry them) spelled as transformers 5 writes them, {"__float__": "Infinity"},
/// so such a config parses as JSON; text inside strings is left alone.
std::string spelling_non_finite_numbers(const std::string& text) {
    static const char* const words[] = {"-Infinity", "Infinity", "NaN"};
    std::string out;
    out.reserve(text.size());
    bool in_string = false;
    bool escaped = false;
    for (size_t i = 0; i < text.size();) {
        char c = text[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else {
            bool spelled = false;
            for (const char* word : words) {
                std::string_view w(word);
                if (text.compare(i, w.size(), w) == 0) {
                    out += "{\"__float__\": \"" + std::string(w) + "\"}";
                    i += w.size();
                    spelled = true;
                    break;
                }
            }
            if (spelled) continue;
        }
        out += c;
        ++i;
    }
    return out;
}

}  // namespace

int run_detect(const Paths& paths, const std::string& config_path, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        std::string text = read_file(config_path);
        Json config;
        try {
            config = Json::parse(spelling_non_finite_numbers(text));
        } catch (const Json::parse_error& e) {
            fail(Location{config_path, 0, 0}, "", std::string("not valid JSON: ") + e.what());
        }
        if (!config.is_object()) fail(Location{config_path, 0, 0}, "", "config.json holds a JSON object");
        if (!config.contains("model_type") || !config["model_type"].is_string()) {
            fail(Location{config_path, 0, 0}, "model_type", "missing: cannot tell which family serves this checkpoint");
        }
        std::string model_type = config["model_type"].get<std::string>();
        FamilySet set = load_family_set(paths.families);
        const ResolvedFamily* f = set.claiming(model_type);
        for (const auto& g : set.families) {
            const Node* refused = g.abstract ? nullptr : g.get("refused_model_types");
            const Node* why = refused && refused->is_map() ? refused->find(model_type) : nullptr;
            if (why) {
                fail(Location{config_path, 0, 0}, "model_type",
                     "\"" + model_type + "\" is refused by family " + g.id + ": " + why->text);
            }
        }
        if (!f) {
            fail(Location{config_path, 0, 0}, "model_type",
                 "\"" + model_type + "\" is not served by any family; supported: " + joined(set.model_types()));
        }
        std::string swift = f->text("swift_name");
        out << config_path << ": model_type \"" << model_type << "\" is served by family " << f->id << " ("
            << f->chain_files[0] << "): " << swift << "Model in " << namer::model_file_name(swift) << "\n";
        // A dispatching wrapper's text model is read by the family its stated type names.
        const ResolvedFamily* wrapper_family = f;
        if (const ResolvedFamily* served = dispatched_family(set, *f, model_type, config)) {
            f = served;
            swift = f->text("swift_name");
            out << "  its text model is served by family " << f->id << " (" << f->chain_files[0] << "): " << swift
                << "Model in " << namer::model_file_name(swift) << "\n";
        }

        // Wrapped checkpoints keep the text model's keys under text_config, as the Swift decoder reads them.
        const Json& keys = config.contains("text_config") && config["text_config"].is_object() ? config["text_config"] : config;
        Diagnostics refusals;
        std::vector<std::string> read, ignored, inert, unknown;
        std::set<std::string> known;
        const Node* table = f->get("config");
        auto refuse = [&](const std::string& key, const std::string& message) {
            refusals.error(Location{config_path, 0, 0}, key, message);
        };
        for (const auto& e : table ? table->entries : std::vector<Entry>{}) {
            known.insert(e.key);
            const Node& spec = e.value;
            bool present = keys.contains(e.key) && !keys[e.key].is_null();
            const Node* type = spec.find("type");
            if (!type) {
                const Node* policy = spec.find("policy");
                const Node* why = spec.find("why");
                std::string reason = why && why->kind == Node::Kind::String ? why->text : "";
                if (!present) continue;
                if (policy->text == "ignored") {
                    ignored.push_back(e.key + " (" + reason + ")");
                } else if (policy->text == "refuse") {
                    refuse(e.key, json_text(keys[e.key]) + " is refused: " + reason);
                } else {
                    const Node* values = spec.find("values");
                    auto accepted = [&](const Json& v) {
                        return std::any_of(values->items.begin(), values->items.end(),
                                           [&](const Node& n) { return matches_scalar(v, n); });
                    };
                    // A list passes when every entry is one of the values, as the generated code checks.
                    const Json& given = keys[e.key];
                    bool ok = given.is_array() ? std::all_of(given.begin(), given.end(), accepted) : accepted(given);
                    if (ok) {
                        read.push_back(e.key);
                    } else {
                        refuse(e.key, json_text(keys[e.key]) + " is refused (accepted: " + flow_text(*values) + "): " + reason);
                    }
                }
                continue;
            }
            const Node* read_flag = spec.find("read");
            if (read_flag && read_flag->kind == Node::Kind::Bool && !read_flag->boolean) {
                const Node* fb = spec.find("fallback");
                if (present && fb && fb->kind == Node::Kind::String) {
                    ignored.push_back(e.key + " (never read at the top level: the family takes " + fb->text + ")");
                } else if (present) {
                    ignored.push_back(e.key + " (never read: the family computes it, and refuses another value)");
                }
                continue;
            }
            if (!present) {
                bool optional = spec.find("optional") && spec.find("optional")->boolean;
                bool has_fallback = spec.find("fallback") != nullptr;
                if (!spec.find("default") && !optional && !has_fallback) refuse(e.key, "missing, and the family requires it");
                continue;
            }
            const Json& v = keys[e.key];
            const vocab::ConfigType* config_type = vocab::find_config_type(type->text);
            if (!config_type || !json_fits(v, config_type->shape)) {
                refuse(e.key, json_text(v) + " is not a valid " + type->text);
                continue;
            }
            read.push_back(e.key);
            if (type->text == "rope_scaling" || type->text == "rope_parameters") {
                std::string kind = rope_kind(v);
                std::vector<std::string> supported = f->strings("attention.rope.scaling_types");
                bool bound = f->text("attention.rope.scaling") == e.key ||
                             (type->text == "rope_parameters");
                if (bound && !kind.empty() && kind != "default" &&
                    std::find(supported.begin(), supported.end(), kind) == supported.end()) {
                    refuse(e.key + ".rope_type", "\"" + kind + "\" is not applied by family " + f->id +
                                                     " (supported: " + (supported.empty() ? "none" : joined(supported)) + ")");
                }
            }
        }
        // The wrapper's own keys (a vision tower's) sit at its top level, beside or around the text model's.
        for (const auto& [key, why] : wrapper_ignored_keys(*wrapper_family, model_type)) {
            if (known.count(key) || !(config.contains(key) || keys.contains(key))) continue;
            known.insert(key);
            ignored.push_back(key + " (" + why + ")");
        }
        const auto& inert_keys = vocab::inert_config_keys();
        const auto& loader_keys = vocab::loader_config_keys();
        std::vector<std::string> loaded;
        for (const auto& [k, v] : keys.items()) {
            if (known.count(k) || k == "model_type" || k == "text_config") continue;
            if (std::find(loader_keys.begin(), loader_keys.end(), k) != loader_keys.end()) {
                loaded.push_back(k);
            } else if (std::find(inert_keys.begin(), inert_keys.end(), k) != inert_keys.end()) {
                inert.push_back(k);
            } else {
                unknown.push_back(k);
            }
        }
        auto section = [&](const std::string& title, const std::vector<std::string>& items, const std::string& note) {
            out << title << " (" << items.size() << ")" << (note.empty() ? "" : ", " + note) << ":"
                << (items.empty() ? " none" : "") << "\n";
            for (const auto& i : items) out << "  " << i << "\n";
        };
        section("read", read, "");
        section("read by the loader", loaded, "how the weights are stored and computed");
        section("ignored", ignored, "they do not change the output");
        section("inert", inert, "metadata and training settings");
        section("not known to the family", unknown, "not read");
        if (!refusals.empty()) {
            out << "refused: " << refusals.size() << " setting(s); the generated model would reject this config\n";
            throw DiagnosticError(refusals);
        }
        out << "refused: none\n";
        return kOk;
    });
}

int run_new(const Paths& paths, const std::string& name, const std::string& like, OutputSink& sink, std::ostream& out,
            std::ostream& err) {
    return guarded(err, [&] {
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
                return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
            }) || !std::islower(static_cast<unsigned char>(name[0]))) {
            fail(Location{}, "", "family name '" + name + "' must be lower_snake_case (it is also the file name)");
        }
        FamilySet set = load_family_set(paths.families);
        find_family(set, like);
        if (set.find(name)) fail(Location{set.find(name)->path, 1, 1}, "", "family '" + name + "' already exists");
        if (const ResolvedFamily* owner = set.claiming(name)) {
            fail(Location{owner->path, 1, 1}, "", "model_type \"" + name + "\" is already claimed by family '" + owner->id + "'");
        }
        std::string swift;
        bool upper = true;
        for (char c : name) {
            if (c == '_') {
                upper = true;
                continue;
            }
            swift += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            upper = false;
        }
        std::string path = (fs::path(paths.families) / (name + ".yaml")).string();
        std::string text =
            schema::modeline() + "\n"
            "family: " + name + "\n"
            "swift_name: " + swift + "\n"
            "extends: " + like + "\n"
            "description: " + swift + ", a variant of " + like + "\n"
            "model_types: [" + name + "]\n"
            "\n"
            "# Everything else is inherited from " + like + ": `hf2swift explain " + name + "` lists each value\n"
            "# with the document that set it. Override a key by writing it here, e.g.\n"
            "#\n"
            "# attention:\n"
            "#   qk_norm: per_head\n"
            "# config:\n"
            "#   rope_theta: {type: float, default: 1000000}\n";
        if (sink.read(path)) fail(Location{path, 0, 0}, "", "file exists; not overwriting it");
        // The scaffold must resolve among the existing families before it is written (a derived
        // swift_name or description could still collide or overflow).
        Diagnostics diags;
        std::vector<FamilyDocument> docs = set.documents;
        docs.push_back(load_family(path, text, diags));
        if (diags.empty()) resolve_families(docs, diags);
        if (!diags.empty()) throw DiagnosticError(diags);
        write_outputs(sink, WritePlan{{OutputFile{path, text}}, ""}, false, diags);
        if (!diags.empty()) throw DiagnosticError(diags);
        // The next commands name the directories given, so they can be pasted as printed.
        const Paths standard;
        std::string families = paths.families == standard.families ? "" : " --families " + paths.families;
        std::string regen = "make regen";
        if (!families.empty() || paths.out != standard.out) {
            regen = "hf2swift generate" + families + (paths.out == standard.out ? "" : " --out " + paths.out);
        }
        std::vector<std::pair<std::string, std::string>> steps = {
            {"hf2swift explain " + name + families, "every value, and where it comes from"},
            {"$EDITOR " + path, "override what differs from " + like},
            {regen, "writes " + (fs::path(paths.out) / namer::model_file_name(swift)).string()},
            {"git diff " + paths.out + "/", "read the Swift it changed"},
        };
        size_t width = 0;
        for (const auto& step : steps) width = std::max(width, step.first.size());
        out << "wrote " << path << "\n"
            << "next:\n";
        for (const auto& [command, why] : steps) {
            out << "  " << command << std::string(width - command.size() + 2, ' ') << "# " << why << "\n";
        }
        return kOk;
    });
}

}  // namespace hf2swift
