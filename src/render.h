// Stage 4, render: intermediate model (as JSON) -> text, through strict mustache templates.
#pragma once

#include <kainjow/mustache.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "diagnostics.h"

namespace hf2swift {

/// The template files of a directory: `name.mustache` are output templates, `_name.mustache` partials.
struct TemplateSet {
    std::string dir;
    std::map<std::string, std::string> files;  // file name -> text
    /// A hash of `files` that load_templates computes (0: not computed): prepared templates are reused
    /// while it matches, without comparing every file again.
    std::uint64_t fingerprint = 0;
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

/// Every component of every name a template's tags use (`a.b` gives `a` and `b`): what a view needs
/// to hold for it, and all a render reads.
using TagNames = std::unordered_set<std::string>;

/// The names `file_name` uses; nullptr when it does not prepare (render_template reports why).
std::shared_ptr<const TagNames> template_tag_names(const TemplateSet& set, const std::string& file_name);

/// Renders mustache data built for `template_tag_names` of the same template, when every tag checks
/// against it as render_template checks a view. nullopt when one does not: rendering the view with
/// render_template then says what is wrong. Output layout problems are reported as render_template
/// reports them. `fits`: the caller has found that data of this shape fits (data_fits_template), so
/// the tags are not checked again.
std::optional<std::string> render_data(const TemplateSet& set, const std::string& file_name,
                                       const kainjow::mustache::data& data, const std::string& output_name,
                                       Diagnostics& diags, bool fits = false);

/// A flag section around a tag: the flag, and whether the section renders when it is true
/// (`{{#flag}}`) or false (`{{^flag}}`).
struct ReadGuard {
    const kainjow::mustache::data* flag = nullptr;
    bool set = true;
};

/// The values of some mustache data that tags reach, each with the guards of every tag that reaches
/// it: the flag sections around the tag whose flag is a member of the same item as the value (none:
/// a render reaches it whatever the flags).
using DataReads = std::unordered_map<const kainjow::mustache::data*, std::vector<std::vector<ReadGuard>>>;

/// Whether every tag of the template checks against `data` as render_data checks it; `read`, when
/// given, receives every value of `data` a tag's name reaches in that check (which, unlike a render,
/// enters every section).
bool data_fits_template(const TemplateSet& set, const std::string& file_name, const kainjow::mustache::data& data,
                        DataReads* read = nullptr);

/// Prepares every output template of `set` ahead of its first render (partials expanded, tags
/// checked, a renderer parsed), which may then run on other threads without waiting for it. Any
/// problem is left for the renders to report.
void warm_templates(const TemplateSet& set);

/// Whether a value holds a byte the renderer reserves for the template text it hands kainjow: printed,
/// it would corrupt the output.
bool holds_render_marker(const std::string& value);

/// Checks the layout rules every output obeys (LF, no trailing spaces or tabs, one final newline,
/// no double blank lines, and for Swift at most 100 columns).
void check_output_layout(const std::string& output_name, const std::string& content, const std::string& template_file,
                         Diagnostics& diags);

}  // namespace hf2swift
