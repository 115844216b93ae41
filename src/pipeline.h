// The pipeline façade used by the CLI and the tests: load -> resolve -> lower -> render (-> write).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "family.h"
#include "render.h"
#include "swift_ir.h"
#include "syntax.h"

namespace hf2swift {

inline constexpr const char* kVersion = "0.1.0";
/// The mlx-swift release whose API (reference/mlx-swift-api.md) the templates use.
inline constexpr const char* kMlxSwiftVersion = "0.31.6";
/// The mlx-swift-lm release (MLXLMCommon, MLXLLM) whose protocols the generated models adopt.
inline constexpr const char* kMlxSwiftLmVersion = "3.31.4";

struct Paths {
    std::string families = "families";
    std::string templates = "templates";
    std::string out = "generated";
};

/// Families loaded and resolved; abstract ones included.
struct FamilySet {
    std::vector<FamilyDocument> documents;
    std::vector<ResolvedFamily> families;

    const ResolvedFamily* find(const std::string& id) const;
    /// The concrete family claiming a model_type, or nullptr.
    const ResolvedFamily* claiming(const std::string& model_type) const;
    std::vector<std::string> ids() const;
    std::vector<std::string> model_types() const;  // sorted
};

/// Loads and resolves every family. Throws DiagnosticError when any document is wrong.
FamilySet load_family_set(const std::string& families_dir, bool keep_history = true);

struct Generation {
    std::vector<ir::ModelFile> models;  // concrete families, by id
    ir::Registry registry;
    std::vector<OutputFile> outputs;    // paths joined onto Paths::out (and families/README.md)
};

/// Lowers and renders every concrete family, the registry, generated/README.md and families/README.md.
/// Throws DiagnosticError when lowering or rendering fails. `templates`: the template set of
/// paths.templates, already loaded; when null, generate loads it (and reports what is wrong with it).
Generation generate(const Paths& paths, const FamilySet& set, std::shared_ptr<const TemplateSet> templates = nullptr);

/// Lowers one family (for `ir` and `--model`). Throws DiagnosticError.
ir::ModelFile lower_one(const ResolvedFamily& family);

/// Renders one family's Swift file. Throws DiagnosticError.
OutputFile render_model(const Paths& paths, const TemplateSet& templates, const ir::ModelFile& model);

nlohmann::ordered_json model_view(const ir::ModelFile& model);
nlohmann::ordered_json vocabulary_view();

}  // namespace hf2swift
