// Implementation of the shared test helpers.
#include "test_support.h"

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "load.h"
#include "resolve.h"

namespace fs = std::filesystem;

namespace hf2swift::test {

std::string source_dir() { return HF2SWIFT_SOURCE_DIR; }

TempDir::TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("hf2swift-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string TempDir::str(const std::string& child) const { return child.empty() ? path_.string() : (path_ / child).string(); }

void write_text(const fs::path& path, const std::string& text) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void copy_tree(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

namespace {
void snapshot_into(const fs::path& root, const fs::path& dir, std::map<std::string, std::string>& out) {
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string rel = e.path().lexically_relative(root).string();
        // Links are not followed: a case may hold one that loops.
        auto type = fs::symlink_status(e.path()).type();
        if (type == fs::file_type::symlink) {
            out[rel] = "<symlink>";
        } else if (type == fs::file_type::directory) {
            out[rel] = "<directory>";
            snapshot_into(root, e.path(), out);
        } else {
            out[rel] = read_text(e.path());
        }
    }
}
}  // namespace

std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    if (fs::exists(dir)) snapshot_into(dir, dir, out);
    return out;
}

std::vector<FamilyDocument> load_texts(const std::map<std::string, std::string>& docs, Diagnostics& diags) {
    std::vector<FamilyDocument> out;
    for (const auto& [name, text] : docs) out.push_back(load_family("families/" + name + ".yaml", text, diags));
    return out;
}

std::vector<ResolvedFamily> resolve_texts(const std::map<std::string, std::string>& docs, Diagnostics& diags) {
    std::vector<FamilyDocument> loaded = load_texts(docs, diags);
    if (!diags.empty()) return {};
    return resolve_families(loaded, diags);
}

std::map<std::string, std::string> real_families_with(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> docs;
    for (const auto& file : list_family_files(source_dir() + "/families")) {
        docs[fs::path(file).stem().string()] = read_text(file);
    }
    for (const auto& [k, v] : extra) docs[k] = v;
    return docs;
}

std::string family_text(const std::string& name, const std::string& body) {
    std::string swift = name;
    swift[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(swift[0])));
    return "family: " + name + "\nswift_name: " + swift + "\nextends: dense_decoder\ndescription: A test family\n" +
           "model_types: [" + name + "]\n" + body;
}

std::vector<std::string> error_lines(const Diagnostics& diags) {
    std::vector<std::string> out;
    for (const auto& d : diags.items()) {
        std::string line = d.format();
        out.push_back(line.substr(0, line.find('\n')));
    }
    return out;
}

}  // namespace hf2swift::test
