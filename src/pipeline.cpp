// The pipeline façade: runs the stages in order and stops after the first stage that reports errors,
// having collected every error of that stage.
#include "pipeline.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <utility>

#include "load.h"
#include "model_data.h"
#include "lower.h"
#include "parallel.h"
#include "resolve.h"
#include "vocabulary.h"

namespace hf2swift {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

const ResolvedFamily* FamilySet::find(const std::string& id) const {
    for (const auto& f : families) {
        if (f.id == id) return &f;
    }
    return nullptr;
}

const ResolvedFamily* FamilySet::claiming(const std::string& model_type) const {
    for (const auto& f : families) {
        if (f.abstract) continue;
        for (const auto& t : f.strings("model_types")) {
            if (t == model_type) return &f;
        }
    }
    return nullptr;
}

std::vector<std::string> FamilySet::ids() const {
    std::vector<std::string> out;
    for (const auto& f : families) out.push_back(f.id);
    return out;
}

std::vector<std::string> FamilySet::model_types() const {
    std::vector<std::string> out;
    for (const auto& f : families) {
        if (f.abstract) continue;
        for (const auto& t : f.strings("model_types")) out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
}

FamilySet load_family_set(const std::string& families_dir, bool keep_history) {
    Diagnostics diags;
    FamilySet set;
    set.documents = load_families(families_dir, diags);
    if (!diags.empty()) throw DiagnosticError(diags);
    set.families = resolve_families(set.documents, diags, keep_history);
    if (!diags.empty()) throw DiagnosticError(diags);
    return set;
}

ir::ModelFile lower_one(const ResolvedFamily& family) {
    Diagnostics diags;
    ir::ModelFile m = lower_family(family, diags);
    if (!diags.empty()) throw DiagnosticError(diags);
    return m;
}

ordered_json model_view(const ir::ModelFile& model) {
    ordered_json view = model;
    view["mlx_swift_version"] = kMlxSwiftVersion;
    view["mlx_swift_lm_version"] = kMlxSwiftLmVersion;
    return view;
}

namespace {

std::string inherit_text(const vocab::KeySpec& k) {
    switch (k.inherit) {
        case vocab::Inherit::Identity: return "not inherited";
        case vocab::Inherit::Replace: return "replaced";
        case vocab::Inherit::Merge:
            return k.type == vocab::Type::Map || k.type == vocab::Type::EntryMap ? "merged key by key" : "replaced";
    }
    return "";
}

std::string values_text(const vocab::KeySpec& k) {
    std::string out;
    for (const auto& v : k.values) out += (out.empty() ? "" : ", ") + std::string("`") + v + "`";
    return out;
}

void key_rows(const vocab::KeySpec& spec, const std::string& prefix, ordered_json& rows) {
    for (const auto& k : spec.children) {
        std::string path = prefix.empty() ? k.name : prefix + "." + k.name;
        ordered_json row;
        row["path"] = path;
        std::string type = vocab::type_name(k);
        if (k.type == vocab::Type::Enum) type = "one of " + values_text(k);
        if (k.type == vocab::Type::EnumList) type = "list of " + values_text(k);
        row["type"] = type;
        row["default"] = k.default_yaml ? "`" + *k.default_yaml + "`" : "";
        row["required"] = k.required == vocab::Required::Concrete ? "yes" : "";
        row["inherit"] = inherit_text(k);
        row["doc"] = k.doc;
        rows.push_back(std::move(row));
        if (k.type == vocab::Type::Map) key_rows(k, path, rows);
    }
}

}  // namespace

ordered_json vocabulary_view() {
    ordered_json view;
    ordered_json rows = ordered_json::array();
    key_rows(vocab::root(), "", rows);
    view["keys"] = std::move(rows);
    auto entry_rows = [](const std::vector<vocab::KeySpec>& variant) {
        ordered_json rows = ordered_json::array();
        for (const auto& k : variant) {
            ordered_json row;
            row["key"] = k.name;
            row["type"] = k.type == vocab::Type::Enum ? "one of " + values_text(k) : vocab::type_name(k);
            row["default"] = k.default_yaml ? "`" + *k.default_yaml + "`" : "";
            row["doc"] = k.doc;
            rows.push_back(std::move(row));
        }
        return rows;
    };
    const vocab::KeySpec* config = vocab::root().child("config");
    for (size_t v = 0; v < config->entry_variants.size(); ++v) {
        view[v == 0 ? "field_keys" : "policy_keys"] = entry_rows(config->entry_variants[v]);
    }
    view["wrapper_keys"] = entry_rows(vocab::root().child("wrappers")->entry_variants.at(0));
    ordered_json types = ordered_json::array();
    for (const auto& t : vocab::config_types()) {
        std::string members;
        for (const auto& [name, type] : t.members) members += (members.empty() ? "" : ", ") + name + " (" + type + ")";
        types.push_back({{"name", t.name}, {"swift_type", t.swift_type}, {"doc", t.doc},
                         {"members", members}});
    }
    view["config_types"] = std::move(types);
    ordered_json derivations = ordered_json::array();
    for (const auto& d : vocab::derivations()) {
        std::string inputs;
        for (const auto& [label, source] : d.arguments) inputs += (inputs.empty() ? "" : ", ") + source;
        derivations.push_back({{"name", d.name}, {"type", d.result_type}, {"doc", d.doc},
                               {"swift_function", d.swift_function}, {"inputs", inputs}});
    }
    view["derivations"] = std::move(derivations);
    ordered_json roles = ordered_json::array();
    for (const auto& r : vocab::dim_roles()) {
        roles.push_back({{"role", r.role}, {"swift_name", r.swift_name}, {"doc", r.doc}});
    }
    view["dim_roles"] = std::move(roles);
    ordered_json policies = ordered_json::array();
    for (const auto& p : vocab::policies()) policies.push_back({{"name", p.name}, {"doc", p.doc}});
    view["policies"] = std::move(policies);
    std::string inert;
    for (const auto& k : vocab::inert_config_keys()) inert += (inert.empty() ? "" : ", ") + std::string("`") + k + "`";
    view["inert_keys"] = inert;
    std::string loader;
    for (const auto& k : vocab::loader_config_keys()) loader += (loader.empty() ? "" : ", ") + std::string("`") + k + "`";
    view["loader_keys"] = loader;
    return view;
}

namespace {

/// How a template's data is built from Records: which members (MemberFilter), and whether the data of
/// every Record fits the template, so the tags need no check per family.
struct DataPlan {
    std::shared_ptr<const MemberFilter> filter;
    bool fits = false;
};

/// The plan for `file`, made once per template set from a sample (sample_data): checking the tags
/// against each family's data was a fifth of a run, and building members no tag reads a third of
/// what building the data took. When the sample does not fit, every named member is built and each
/// family's data is checked.
template <typename Record>
DataPlan data_plan(const TemplateSet& templates, const std::string& file, const std::shared_ptr<const TagNames>& names,
                   const std::vector<std::pair<std::string, std::string>>& extra) {
    auto make = [&] {
        MemberOrigins origins;
        ModelData sample = sample_data<Record>(*names, extra, &origins);
        DataReads read;
        DataPlan plan;
        plan.fits = sample.complete && data_fits_template(templates, file, sample.data, &read);
        std::shared_ptr<MemberReads> reads;
        if (plan.fits) reads = std::make_shared<MemberReads>(member_reads(read, origins));
        auto filter = std::make_shared<MemberFilter>(names, reads);
        filter->template learn<Record>();
        plan.filter = filter;
        return plan;
    };
    if (templates.fingerprint == 0) return make();
    static std::mutex lock;
    static std::map<std::tuple<std::string, std::string, std::uint64_t>, DataPlan> known;
    std::lock_guard<std::mutex> guard(lock);
    auto key = std::make_tuple(templates.dir, file, templates.fingerprint);
    auto found = known.find(key);
    if (found != known.end()) return found->second;
    if (known.size() > 64) known.clear();  // runs that keep changing templates (fuzzing)
    return known.emplace(key, make()).first->second;
}

/// An output rendered from mustache data built straight from its intermediate model; when that data
/// does not fit the template, from its JSON view, whose render says what is wrong.
template <typename Record>
std::string render_record(const TemplateSet& templates, const std::string& file, const Record& record,
                          const std::string& path, Diagnostics& diags) {
    const std::vector<std::pair<std::string, std::string>> versions{
        {"mlx_swift_version", kMlxSwiftVersion}, {"mlx_swift_lm_version", kMlxSwiftLmVersion}};
    if (auto names = template_tag_names(templates, file)) {
        DataPlan plan = data_plan<Record>(templates, file, names, versions);
        ModelData built = model_data(record, *plan.filter, versions);
        if (built.complete) {
            if (auto text = render_data(templates, file, built.data, path, diags, plan.fits)) return std::move(*text);
        }
    }
    ordered_json view = record;
    for (const auto& [key, value] : versions) view[key] = value;
    return render_template(templates, file, view, path, diags);
}

std::string render_model_file(const TemplateSet& templates, const ir::ModelFile& model, const std::string& path,
                              Diagnostics& diags) {
    return render_record(templates, "model.swift.mustache", model, path, diags);
}

}  // namespace

OutputFile render_model(const Paths& paths, const TemplateSet& templates, const ir::ModelFile& model) {
    Diagnostics diags;
    std::string path = (fs::path(paths.out) / model.file_name).string();
    std::string text = render_model_file(templates, model, path, diags);
    if (!diags.empty()) throw DiagnosticError(diags);
    return OutputFile{path, text};
}

Generation generate(const Paths& paths, const FamilySet& set, std::shared_ptr<const TemplateSet> loaded) {
    Generation g;
    Diagnostics diags;
    // Errors in the families come before errors in the templates: a broken template set is reported
    // only when every family lowers.
    std::exception_ptr broken_templates;
    if (!loaded) {
        try {
            loaded = std::make_shared<const TemplateSet>(load_templates(paths.templates));
        } catch (const DiagnosticError&) {
            broken_templates = std::current_exception();
        }
    }
    // Families lower independently, and need no template: all of them lower first, so the cores have
    // work while the templates may still be being prepared (run_generate prepares them on a thread of
    // its own). Each job keeps its own diagnostics, merged in family order, so the output is the same
    // however the jobs ran.
    std::vector<const ResolvedFamily*> concrete;
    for (const auto& f : set.families) {
        if (!f.abstract) concrete.push_back(&f);
    }
    g.models.resize(concrete.size());
    std::vector<Diagnostics> lowering(concrete.size());
    parallel_for(concrete.size(), [&](size_t i) { g.models[i] = lower_family(*concrete[i], lowering[i]); });
    for (const auto& d : lowering) diags.append(d);
    if (!diags.empty()) throw DiagnosticError(diags);
    if (broken_templates) std::rethrow_exception(broken_templates);
    g.registry = lower_registry(g.models);
    // Every output renders independently: the families' files, the registry's two and the vocabulary's
    // page share the cores as one list of jobs. The page and the registry take longest, so they go
    // first instead of running alone at the end. Each output keeps its slot and its diagnostics, merged
    // in the order of the outputs, so the result is the same however the jobs ran.
    const TemplateSet& templates = *loaded;
    const std::vector<std::pair<std::string, std::string>> registry_files{
        {"registry.swift.mustache", "ModelRegistry.swift"}, {"generated-readme.md.mustache", "README.md"}};
    const size_t families = concrete.size(), vocabulary = families + registry_files.size();
    g.outputs.resize(vocabulary + 1);
    std::vector<Diagnostics> rendering(g.outputs.size());
    auto slot = [&](size_t job) {  // jobs: the page, the registry's files, the families
        if (job == 0) return vocabulary;
        if (job <= registry_files.size()) return families + job - 1;
        return job - 1 - registry_files.size();
    };
    parallel_for(g.outputs.size(), [&](size_t job) {
        size_t i = slot(job);
        if (i == vocabulary) {
            std::string path = (fs::path(paths.families) / "README.md").string();
            g.outputs[i] = OutputFile{
                path, render_template(templates, "vocabulary.md.mustache", vocabulary_view(), path, rendering[i])};
        } else if (i >= families) {
            const auto& [file, name] = registry_files[i - families];
            std::string path = (fs::path(paths.out) / name).string();
            g.outputs[i] = OutputFile{path, render_record(templates, file, g.registry, path, rendering[i])};
        } else {
            std::string path = (fs::path(paths.out) / g.models[i].file_name).string();
            g.outputs[i] = OutputFile{path, render_model_file(templates, g.models[i], path, rendering[i])};
        }
    });
    for (const auto& d : rendering) diags.append(d);
    // A broken partial shows up once per family that renders it.
    diags.remove_duplicates();
    if (!diags.empty()) throw DiagnosticError(diags);
    return g;
}

}  // namespace hf2swift
