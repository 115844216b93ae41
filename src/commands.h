// The CLI verbs as functions of parsed arguments and output streams, so tests can run them in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "pipeline.h"
#include "write.h"

namespace hf2swift {

/// Exit codes of every verb.
enum ExitCode { kOk = 0, kDiagnostics = 1, kUsage = 2, kInternal = 3 };

struct GenerateArgs {
    Paths paths;
    std::vector<std::string> families;  // empty: all
    bool check = false;
    /// The process ends right after: the families and outputs are left to the exit instead of freed
    /// one small object at a time (a tenth of a run).
    bool leave_to_exit = false;
};

int run_generate(const GenerateArgs& args, OutputSink& sink, std::ostream& out, std::ostream& err);

/// The original invocation: one family (by id or model_type) to a file, or to `out` when `output` is empty.
int run_single_model(const Paths& paths, const std::string& model, const std::string& output, OutputSink& sink,
                     std::ostream& out, std::ostream& err);

int run_list(const Paths& paths, std::ostream& out, std::ostream& err);
int run_explain(const Paths& paths, const std::string& family, const std::string& key, std::ostream& out,
                std::ostream& err);
int run_ir(const Paths& paths, const std::string& family, std::ostream& out, std::ostream& err);
int run_detect(const Paths& paths, const std::string& config_path, std::ostream& out, std::ostream& err);
int run_new(const Paths& paths, const std::string& name, const std::string& like, OutputSink& sink,
            std::ostream& out, std::ostream& err);

/// The resolved values of a family with their provenance, as `explain` prints them.
std::string explain_text(const FamilySet& set, const std::string& family, const std::string& key,
                         Diagnostics& diags);

/// Runs `body`, turning DiagnosticError into printed diagnostics (exit 1) and any other exception
/// into an internal error (exit 3).
int guarded(std::ostream& err, const std::function<int()>& body);

}  // namespace hf2swift
