// hf2swift's entry point: parses the command line with Boost.Program_options and calls a verb.
#include <boost/program_options.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "commands.h"
#include "schema.h"

namespace po = boost::program_options;
using namespace hf2swift;

namespace {

#if defined(__SANITIZE_ADDRESS__)
#define HF2SWIFT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HF2SWIFT_SANITIZED 1
#endif
#endif

/// Whether the process ends without freeing what it built: the operating system reclaims it at once,
/// where freeing and destroying took a tenth of a run. A sanitized build frees everything, so its
/// leak check sees every allocation accounted for.
#ifdef HF2SWIFT_SANITIZED
constexpr bool kLeaveToExit = false;
#else
constexpr bool kLeaveToExit = true;
#endif

/// Ends the process with `code` (see kLeaveToExit), its output flushed.
int finish(int code) {
    if (!kLeaveToExit) return code;
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    std::_Exit(code);
}

const char* kUsageText =
    "usage: hf2swift <verb> [options]\n"
    "       hf2swift --model NAME [--output FILE]\n"
    "\n"
    "verbs:\n"
    "  generate [FAMILY...] [--check]   render generated/ (and families/README.md) from families/ and templates/\n"
    "  list                             families, their parents and model types\n"
    "  explain FAMILY [KEY]             resolved values and the documents that set them\n"
    "  ir FAMILY                        the intermediate model as JSON\n"
    "  detect CONFIG.json               which family serves a checkpoint, and what it would refuse\n"
    "  new NAME --like FAMILY           scaffold a family document that extends FAMILY\n"
    "  schema                           the JSON Schema of family documents\n"
    "\n"
    "Run `hf2swift <verb> --help` for a verb's options. Exit codes: 0 success, 1 diagnostics,\n"
    "2 usage, 3 internal error.\n";

po::options_description path_options() {
    po::options_description o("paths");
    o.add_options()
        ("families", po::value<std::string>()->default_value("families"), "directory of family documents")
        ("templates", po::value<std::string>()->default_value("templates"), "directory of templates")
        ("out", po::value<std::string>()->default_value("generated"), "directory of generated Swift");
    return o;
}

Paths paths_from(const po::variables_map& vm) {
    Paths p;
    p.families = vm["families"].as<std::string>();
    p.templates = vm["templates"].as<std::string>();
    p.out = vm["out"].as<std::string>();
    return p;
}

struct Parsed {
    po::variables_map vm;
    bool help = false;
};

/// Parses a verb's arguments; throws po::error on bad usage.
Parsed parse(const std::vector<std::string>& args, const po::options_description& visible,
             const po::positional_options_description& positional) {
    Parsed p;
    po::store(po::command_line_parser(args).options(visible).positional(positional).run(), p.vm);
    po::notify(p.vm);
    p.help = p.vm.count("help") > 0;
    return p;
}

void print_help(const std::string& synopsis, const std::string& about, const po::options_description& o) {
    std::cout << "usage: hf2swift " << synopsis << "\n\n" << about << "\n\n" << o << "\n";
}

int usage_error(const std::string& message) {
    std::cerr << "hf2swift: " << message << "\n" << kUsageText;
    return kUsage;
}

std::string positional_value(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : "";
}

/// The disk, or for the crash test (tests/crash_test.sh) a disk whose writer kills itself before
/// its HF2SWIFT_TEST_KILL_AT-th change.
DiskSink disk_sink() {
    const char* kill_at = std::getenv("HF2SWIFT_TEST_KILL_AT");
    return kill_at ? DiskSink(std::atoi(kill_at)) : DiskSink();
}

int verb(const std::string& name, const std::vector<std::string>& args) {
    DiskSink disk = disk_sink();
    po::options_description o("options");
    o.add_options()("help,h", "show this help");
    o.add(path_options());
    po::positional_options_description pos;

    if (name == "generate") {
        o.add_options()("check", "write nothing; exit 1 with a diff when any file would change")
            ("family", po::value<std::vector<std::string>>(), "families to generate (default: all)");
        pos.add("family", -1);
        Parsed p = parse(args, o, pos);
        if (p.help) {
            print_help("generate [FAMILY...] [--check] [--out DIR]",
                       "Renders every concrete family to <out>/<SwiftName>Generated.swift, plus ModelRegistry.swift,\n"
                       "<out>/README.md and <families>/README.md. Writes only files whose content changed; removes\n"
                       "generated files no family produces any more. All files are computed first: on any error,\n"
                       "nothing is written. Parsed family documents are cached by their text in HF2SWIFT_CACHE_DIR\n"
                       "(default ~/.cache/hf2swift); HF2SWIFT_CACHE=off parses every document afresh.",
                       o);
            return kOk;
        }
        GenerateArgs g;
        g.leave_to_exit = kLeaveToExit;
        g.paths = paths_from(p.vm);
        g.check = p.vm.count("check") > 0;
        if (p.vm.count("family")) g.families = p.vm["family"].as<std::vector<std::string>>();
        return run_generate(g, disk, std::cout, std::cerr);
    }
    if (name == "list") {
        Parsed p = parse(args, o, pos);
        if (p.help) {
            print_help("list", "Lists every family with its parent, model types and Swift prefix.", o);
            return kOk;
        }
        return run_list(paths_from(p.vm), std::cout, std::cerr);
    }
    if (name == "explain" || name == "ir") {
        o.add_options()("family", po::value<std::string>(), "family id");
        pos.add("family", 1);
        if (name == "explain") {
            o.add_options()("key", po::value<std::string>(), "dotted key, e.g. attention.rope");
            pos.add("key", 1);
        }
        Parsed p = parse(args, o, pos);
        if (p.help) {
            if (name == "explain") {
                print_help("explain FAMILY [KEY]",
                           "Prints each resolved value of FAMILY (or those under KEY) with every document that set\n"
                           "it, the winning one first; `(default)` marks the vocabulary's default.",
                           o);
            } else {
                print_help("ir FAMILY", "Prints the intermediate model of FAMILY as JSON: every name the templates see.", o);
            }
            return kOk;
        }
        std::string family = positional_value(p.vm, "family");
        if (family.empty()) return usage_error(name + ": a FAMILY is required");
        if (name == "ir") return run_ir(paths_from(p.vm), family, std::cout, std::cerr);
        return run_explain(paths_from(p.vm), family, positional_value(p.vm, "key"), std::cout, std::cerr);
    }
    if (name == "detect") {
        o.add_options()("config", po::value<std::string>(), "path of a checkpoint's config.json");
        pos.add("config", 1);
        Parsed p = parse(args, o, pos);
        if (p.help) {
            print_help("detect CONFIG.json",
                       "Names the family that serves the checkpoint's model_type and sorts its config keys into\n"
                       "read, ignored, inert and unknown; any setting the generated model would refuse is an\n"
                       "error (exit 1). An unclaimed model_type is an error listing the supported ones.",
                       o);
            return kOk;
        }
        std::string config = positional_value(p.vm, "config");
        if (config.empty()) return usage_error("detect: a CONFIG.json path is required");
        return run_detect(paths_from(p.vm), config, std::cout, std::cerr);
    }
    if (name == "new") {
        o.add_options()("name", po::value<std::string>(), "new family id (lower_snake_case)")
            ("like", po::value<std::string>(), "the family to extend");
        pos.add("name", 1);
        Parsed p = parse(args, o, pos);
        if (p.help) {
            print_help("new NAME --like FAMILY",
                       "Writes <families>/NAME.yaml, a minimal document extending FAMILY, and prints the next steps.",
                       o);
            return kOk;
        }
        std::string family = positional_value(p.vm, "name");
        std::string like = positional_value(p.vm, "like");
        if (family.empty() || like.empty()) return usage_error("new: NAME and --like FAMILY are required");
        return run_new(paths_from(p.vm), family, like, disk, std::cout, std::cerr);
    }
    if (name == "schema") {
        Parsed p = parse(args, o, pos);
        if (p.help) {
            print_help("schema",
                       "Prints the JSON Schema (draft-07) of family documents, read off the vocabulary like\n"
                       "families/README.md; `make regen` writes it to families/family.schema.json.",
                       o);
            return kOk;
        }
        return guarded(std::cerr, [] {
            std::cout << schema::family_schema_text();
            return kOk;
        });
    }
    return usage_error("unknown verb '" + name + "'");
}

int top_level(const std::vector<std::string>& args) {
    po::options_description o("options");
    o.add_options()("help,h", "show this help")("version", "print the version")
        ("model", po::value<std::string>(), "family id or model_type to generate (the original invocation)")
        ("output", po::value<std::string>(), "file to write; standard output when absent");
    o.add(path_options());
    Parsed p = parse(args, o, po::positional_options_description{});
    if (p.vm.count("version")) {
        std::cout << "hf2swift " << kVersion << " (targets mlx-swift " << kMlxSwiftVersion << ")\n";
        return kOk;
    }
    if (p.help || args.empty()) {
        std::cout << kUsageText << "\n" << o << "\n";
        return args.empty() && !p.help ? kUsage : kOk;
    }
    if (!p.vm.count("model")) return usage_error("--model is required (or give a verb)");
    DiskSink disk = disk_sink();
    return run_single_model(paths_from(p.vm), p.vm["model"].as<std::string>(), positional_value(p.vm, "output"), disk,
                            std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    static const std::vector<std::string> verbs = {"generate", "list", "explain", "ir", "detect", "new", "schema"};
    try {
        if (!args.empty() && args[0].rfind("-", 0) != 0) {
            std::vector<std::string> rest(args.begin() + 1, args.end());
            return finish(verb(args[0], rest));
        }
        return finish(top_level(args));
    } catch (const po::error& e) {
        return usage_error(e.what());
    } catch (const std::exception& e) {
        std::cerr << "hf2swift: internal error: " << e.what() << "\n";
        return kInternal;
    }
}
