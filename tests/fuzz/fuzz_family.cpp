// libFuzzer harness (a): arbitrary bytes as a family document, next to the real families, through
// load -> resolve -> lower -> render -> write (into memory).
//
// The input's file name follows its `family:` line when that names a lower_snake_case id (so a seed
// that is a real family replaces it and reaches render); otherwise it is families/fuzzed.yaml.
#include <cstdint>
#include <cstring>

#include "fuzz_common.h"

using namespace hf2swift;
using namespace hf2swift::fuzz;

namespace {

Workspace& workspace() {
    static Workspace w;
    return w;
}

std::string file_name_for(const std::string& text) {
    size_t at = text.rfind("family:", 0) == 0 ? 0 : text.find("\nfamily:");
    if (at == std::string::npos) return "fuzzed.yaml";
    size_t start = text.find("family:", at) + 7;
    while (start < text.size() && text[start] == ' ') ++start;
    size_t end = start;
    while (end < text.size() && ((text[end] >= 'a' && text[end] <= 'z') || (text[end] >= '0' && text[end] <= '9') ||
                                 text[end] == '_')) {
        ++end;
    }
    if (end == start || end - start > 40 || (text[start] >= '0' && text[start] <= '9')) return "fuzzed.yaml";
    return text.substr(start, end - start) + ".yaml";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    workspace();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Workspace& w = workspace();
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string name = file_name_for(text);
    fs::path file = fs::path(w.paths.families) / name;
    spill(file, text.data(), text.size());

    run_guarded([&] {
        FamilySet set = load_family_set(w.paths.families);
        generate_into_memory(w.paths, set);
    });

    // Put the tree back as it was for the next input.
    auto real = w.families.find(name);
    if (real != w.families.end()) {
        spill(file, real->second.data(), real->second.size());
    } else {
        fs::remove(file);
    }
    return 0;
}
