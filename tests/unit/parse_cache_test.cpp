// The parse cache: a hit is the tree the parser builds, and anything but an exact entry is a miss.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "load.h"
#include "parse_cache.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;

namespace fs = std::filesystem;

namespace {

bool same_tree(const Node& a, const Node& b, std::string& where) {
    if (a.kind != b.kind || a.boolean != b.boolean || a.quoted != b.quoted || a.integer != b.integer ||
        !(a.number == b.number || (a.number != a.number && b.number != b.number)) || a.text != b.text ||
        a.loc.str() != b.loc.str() || a.items.size() != b.items.size() || a.entries.size() != b.entries.size()) {
        where = a.loc.str() + " / " + b.loc.str();
        return false;
    }
    for (size_t i = 0; i < a.items.size(); ++i) {
        if (!same_tree(a.items[i], b.items[i], where)) return false;
    }
    for (size_t i = 0; i < a.entries.size(); ++i) {
        if (a.entries[i].key != b.entries[i].key || a.entries[i].key_loc.str() != b.entries[i].key_loc.str()) {
            where = a.entries[i].key_loc.str();
            return false;
        }
        if (!same_tree(a.entries[i].value, b.entries[i].value, where)) return false;
    }
    return true;
}

struct ScratchDir {
    std::string path;
    ScratchDir() : path((fs::temp_directory_path() / ("hf2swift-cache-" + std::to_string(::rand()))).string()) {
        fs::remove_all(path);
    }
    ~ScratchDir() { fs::remove_all(path); }
    size_t entries() const {
        std::error_code ec;
        if (!fs::exists(path, ec)) return 0;
        return static_cast<size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator()));
    }
    std::string only_entry() const { return fs::directory_iterator(path)->path().string(); }
};

}  // namespace

TEST_SUITE("unit") {

TEST_CASE("parse cache: every family document reads back as the tree the parser built") {
    ScratchDir cache;
    for (const auto& file : list_family_files(source_dir() + "/families")) {
        const std::string text = read_file(file);
        Diagnostics parsed_diags, stored_diags, cached_diags;
        FamilyDocument parsed = load_family(file, text, parsed_diags);
        load_family(file, text, stored_diags, cache.path);
        std::optional<Node> hit = cached_parse(cache.path, file, text);
        REQUIRE_MESSAGE(hit, file);
        std::string where;
        CHECK_MESSAGE(same_tree(parsed.root, *hit, where), file << ": differs at " << where);
        FamilyDocument cached = load_family(file, text, cached_diags, cache.path);
        CHECK(cached_diags.format() == parsed_diags.format());
        CHECK(same_tree(parsed.root, cached.root, where));
    }
}

TEST_CASE("parse cache: a damaged, foreign or mismatched entry is a miss") {
    ScratchDir cache;
    const std::string text = "family: x\nattention:\n  qk_norm: per_head\n";
    Diagnostics d;
    load_family("families/x.yaml", text, d, cache.path);
    REQUIRE(cache.entries() == 1);
    const std::string entry = cache.only_entry();
    REQUIRE(cached_parse(cache.path, "families/x.yaml", text));
    // The tree is named by where it is read from, not where it was stored from.
    Diagnostics elsewhere;
    const std::string parsed_there = load_family("elsewhere/x.yaml", text, elsewhere).root.find("attention")->loc.str();
    CHECK(parsed_there.rfind("elsewhere/x.yaml:", 0) == 0);
    CHECK(cached_parse(cache.path, "elsewhere/x.yaml", text)->find("attention")->loc.str() == parsed_there);

    CHECK_FALSE(cached_parse(cache.path, "families/x.yaml", text + "\n"));

    std::string bytes;
    {
        std::ifstream in(entry, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    for (size_t cut : {size_t(0), size_t(10), bytes.size() / 2, bytes.size() - 1}) {
        std::ofstream(entry, std::ios::binary | std::ios::trunc) << bytes.substr(0, cut);
        CHECK_MESSAGE(!cached_parse(cache.path, "families/x.yaml", text), "cut at " << cut);
    }
    std::string flipped = bytes;
    flipped[bytes.size() - 20] ^= 0x7f;
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << flipped + "extra";
    CHECK_FALSE(cached_parse(cache.path, "families/x.yaml", text));
    // A miss parses the text again, with the same result.
    Diagnostics again;
    FamilyDocument doc = load_family("families/x.yaml", text, again, cache.path);
    CHECK(again.empty());
    CHECK(doc.root.find("attention")->find("qk_norm")->text == "per_head");
}

TEST_CASE("parse cache: only clean parses are kept; the vocabulary is checked on every load") {
    ScratchDir cache;
    Diagnostics syntax;
    load_family("families/x.yaml", "family: x\nkey: [1, 2\n", syntax, cache.path);
    CHECK_FALSE(syntax.empty());
    load_family("families/x.yaml", "family: x\nanchored: &a 1\n", syntax, cache.path);
    CHECK(cache.entries() == 0);

    const std::string text = "family: x\nabstract: yes\n";
    Diagnostics first, second;
    load_family("families/x.yaml", text, first, cache.path);
    CHECK(cache.entries() == 1);
    load_family("families/x.yaml", text, second, cache.path);
    CHECK_FALSE(first.empty());
    CHECK(second.format() == first.format());
}

TEST_CASE("parse cache: where it lives, and turning it off") {
    ScratchDir cache;

    setenv("HF2SWIFT_CACHE", "off", 1);
    CHECK(parse_cache_dir().empty());
    unsetenv("HF2SWIFT_CACHE");
    setenv("HF2SWIFT_CACHE_DIR", cache.path.c_str(), 1);
    CHECK(parse_cache_dir() == cache.path);
    unsetenv("HF2SWIFT_CACHE_DIR");
}

}  // TEST_SUITE
