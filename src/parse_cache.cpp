// The parse cache: one file per document text, holding the text itself (a hit must match it byte for
// byte, so a hash collision is a miss) and the tree in a compact binary form.
#include "parse_cache.h"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fingerprint.h"
#include "load.h"

namespace hf2swift {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[] = "hf2swift parse cache 1\n";
/// More entries than this and the cache starts over: documents change, old texts are never read again.
constexpr size_t kMaxEntries = 4096;

std::string entry_path(const std::string& dir, const std::string& text) {
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.node",
                  static_cast<unsigned long long>(Fingerprint().add(kParserBuild).separate().add(text).value()));
    return (fs::path(dir) / name).string();
}

class Writer {
public:
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void u32(std::uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void i64(std::int64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void f64(double v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void str(const std::string& s) {
        u32(static_cast<std::uint32_t>(s.size()));
        out_ += s;
    }
    void node(const Node& n) {
        u8(static_cast<std::uint8_t>(n.kind));
        u8(static_cast<std::uint8_t>(n.boolean) | static_cast<std::uint8_t>(n.quoted) << 1);
        u32(static_cast<std::uint32_t>(n.loc.line));
        u32(static_cast<std::uint32_t>(n.loc.col));
        i64(n.integer);
        f64(n.number);
        str(n.text);
        u32(static_cast<std::uint32_t>(n.items.size()));
        for (const auto& item : n.items) node(item);
        u32(static_cast<std::uint32_t>(n.entries.size()));
        for (const auto& e : n.entries) {
            str(e.key);
            u32(static_cast<std::uint32_t>(e.key_loc.line));
            u32(static_cast<std::uint32_t>(e.key_loc.col));
            node(e.value);
        }
    }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

/// Reads what Writer wrote; any read past the end, or a count the rest cannot hold, fails it.
class Reader {
public:
    Reader(const std::string& data, size_t at, const std::string& path) : data_(data), at_(at), path_(path) {}

    bool ok() const { return ok_; }
    bool done() const { return at_ == data_.size(); }

    std::uint8_t u8() {
        std::uint8_t v = 0;
        take(&v, sizeof v);
        return v;
    }
    std::uint32_t u32() {
        std::uint32_t v = 0;
        take(&v, sizeof v);
        return v;
    }
    std::int64_t i64() {
        std::int64_t v = 0;
        take(&v, sizeof v);
        return v;
    }
    double f64() {
        double v = 0;
        take(&v, sizeof v);
        return v;
    }
    std::string str() {
        std::uint32_t n = u32();
        if (!ok_ || n > data_.size() - at_) return fail();
        std::string s = data_.substr(at_, n);
        at_ += n;
        return s;
    }
    /// `depth` bounds the recursion on a damaged entry as the loader bounds it on YAML.
    void node(Node& n, int depth) {
        if (depth > kMaxYamlDepth + 2) {
            fail();
            return;
        }
        std::uint8_t kind = u8();
        if (kind > static_cast<std::uint8_t>(Node::Kind::Map)) {
            fail();
            return;
        }
        n.kind = static_cast<Node::Kind>(kind);
        std::uint8_t flags = u8();
        n.boolean = flags & 1;
        n.quoted = flags & 2;
        n.loc = Location{path_, static_cast<int>(u32()), static_cast<int>(u32())};
        n.integer = i64();
        n.number = f64();
        n.text = str();
        std::uint32_t items = u32();
        if (!ok_ || items > data_.size() - at_) {
            fail();
            return;
        }
        n.items.resize(items);
        for (auto& item : n.items) {
            if (!ok_) return;
            node(item, depth + 1);
        }
        std::uint32_t entries = u32();
        if (!ok_ || entries > data_.size() - at_) {
            fail();
            return;
        }
        n.entries.resize(entries);
        for (auto& e : n.entries) {
            if (!ok_) return;
            e.key = str();
            e.key_loc = Location{path_, static_cast<int>(u32()), static_cast<int>(u32())};
            node(e.value, depth + 1);
        }
    }

private:
    void take(void* out, size_t n) {
        if (!ok_ || n > data_.size() - at_) {
            fail();
            return;
        }
        std::memcpy(out, data_.data() + at_, n);
        at_ += n;
    }
    std::string fail() {
        ok_ = false;
        at_ = data_.size();
        return "";
    }

    const std::string& data_;
    size_t at_;
    const std::string& path_;
    bool ok_ = true;
};

std::string header(const std::string& text) {
    Writer w;
    w.bytes() = kMagic;
    w.str(kParserBuild);
    w.str(text);
    return w.bytes();
}

}  // namespace

std::string parse_cache_dir() {
    const char* off = std::getenv("HF2SWIFT_CACHE");
    if (off && std::string(off) == "off") return "";
    if (const char* dir = std::getenv("HF2SWIFT_CACHE_DIR"); dir && *dir) return dir;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return (fs::path(xdg) / "hf2swift").string();
    if (const char* home = std::getenv("HOME"); home && *home) {
        return (fs::path(home) / ".cache" / "hf2swift").string();
    }
    return "";
}

std::optional<Node> cached_parse(const std::string& dir, const std::string& path, const std::string& text) {
    if (dir.empty()) return std::nullopt;
    std::ifstream in(entry_path(dir, text), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string data = ss.str();
    const std::string expected = header(text);
    if (data.size() < expected.size() || data.compare(0, expected.size(), expected) != 0) return std::nullopt;
    Node root;
    Reader r(data, expected.size(), path);
    r.node(root, 0);
    if (!r.ok() || !r.done()) return std::nullopt;
    return root;
}

void store_parse(const std::string& dir, const std::string& text, const Node& root) {
    if (dir.empty()) return;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return;
    // The directory is counted once per process: a cold run stores every document.
    static std::atomic<bool> counted{false};
    size_t entries = 0;
    if (!counted.exchange(true)) {
        for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            ++entries;
        }
    }
    if (entries > kMaxEntries) {
        for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            if (it->path().extension() == ".node") fs::remove(it->path(), ec);
        }
    }
    Writer w;
    w.bytes() = header(text);
    w.node(root);
    const std::string target = entry_path(dir, text);
    // Unique per process and thread: two runs (or two identical documents) may store the same entry.
    std::ostringstream temporary;
    temporary << target << ".tmp." << ::getpid() << "." << std::this_thread::get_id();
    {
        std::ofstream out(temporary.str(), std::ios::binary | std::ios::trunc);
        if (!out) return;
        out.write(w.bytes().data(), static_cast<std::streamsize>(w.bytes().size()));
        out.close();
        if (!out) {
            fs::remove(temporary.str(), ec);
            return;
        }
    }
    fs::rename(temporary.str(), target, ec);
    if (ec) fs::remove(temporary.str(), ec);
}

}  // namespace hf2swift
