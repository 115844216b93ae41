// Stage 4, render: intermediate model (as JSON) -> text, through strict mustache templates.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace hf2swift {

/// The template files of a directory: `name.mustache` are output templates, `_name.mustache` partials.
struct TemplateSet {
    std::string dir;
    std::map<std::string, std::string> files;  // file name -> text
};

TemplateSet load_templates(const std::string& dir);

/// Where a line of an expanded template came from.
struct LineOrigin {
    std::string file;
    int line = 0;
    int indent = 0;  // columns added by partial indentation
};

/// A template with its partials expanded (indentation kept) and a map back to the files.
struct ExpandedTemplate {
    std::string text;
    std::vector<LineOrigin> lines;
    std::vector<size_t> line_starts;  // the offset in `text` where each line begins
    Location locate(size_t offset) const;
};

/// Expands `{{>name}}` (file `_name.mustache`); errors for unknown and self-including partials.
ExpandedTemplate expand_template(const TemplateSet& set, const std::string& file_name, Diagnostics& diags);

/// One rendered output file.
struct OutputFile {
    std::string path;  // relative to the output root
    std::string content;
};

/// Renders a template against a view. Every name the template uses must exist in the innermost
/// section of the view and be a string where a string is printed; nothing renders as empty by accident.
std::string render_template(const TemplateSet& set, const std::string& file_name, const nlohmann::ordered_json& view,
                            const std::string& output_name, Diagnostics& diags);

/// Checks the layout rules every output obeys (LF, no trailing spaces or tabs, one final newline,
/// no double blank lines, and for Swift at most 100 columns).
void check_output_layout(const std::string& output_name, const std::string& content, const std::string& template_file,
                         Diagnostics& diags);

}  // namespace hf2swift
