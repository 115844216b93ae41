// libFuzzer harness (b): arbitrary bytes as a template, replacing one template or partial of the real
// set, rendered against the real families: lower -> render -> write (into memory).
//
// The first byte picks the file (its value modulo the number of templates, in name order) and the
// concrete family rendered with it (the value divided by the number of templates, modulo the number of
// concrete families; the abstract ones always take part, and so does every family when the chosen one
// refers to others); the rest is the file's new text. One family a run keeps the harness fast; the
// registry and both READMEs are rendered every time.
#include <cstdint>
#include <optional>
#include <vector>

#include "fuzz_common.h"

using namespace hf2swift;
using namespace hf2swift::fuzz;

namespace {

struct State {
    Workspace w;
    std::vector<std::string> names;
    std::vector<FamilySet> sets;  // one per concrete family, with every abstract family
};

State& state() {
    static State s;
    if (s.names.empty()) {
        for (const auto& [name, _] : s.w.templates) s.names.push_back(name);
        // The families are not fuzzed here: load them once. They must be valid.
        std::optional<FamilySet> all;
        if (!run_guarded([&] { all = load_family_set(s.w.paths.families); })) finding("the real families do not load");
        for (const auto& f : all->families) {
            if (f.abstract) continue;
            FamilySet one = *all;
            one.families.clear();
            for (const auto& g : all->families) {
                if (g.abstract || g.id == f.id) one.families.push_back(g);
            }
            // A family that refers to others (a wrapper dispatching to another family's model) is
            // rendered with all of them: a set without them is not one the engine can be given.
            bool alone = false;
            try {
                generate_into_memory(s.w.paths, one);
                alone = true;
            } catch (...) {
            }
            s.sets.push_back(alone ? std::move(one) : *all);
        }
        if (s.sets.empty()) finding("no concrete family");
    }
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    state();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    State& s = state();
    const std::string& name = s.names[data[0] % s.names.size()];
    const FamilySet& set = s.sets[(data[0] / s.names.size()) % s.sets.size()];
    fs::path file = fs::path(s.w.paths.templates) / name;
    spill(file, reinterpret_cast<const char*>(data + 1), size - 1);

    run_guarded([&] { generate_into_memory(s.w.paths, set); });

    const std::string& original = s.w.templates.at(name);
    spill(file, original.data(), original.size());
    return 0;
}
