// A 64-bit FNV-1a fingerprint of text, for caches that must tell one input from another cheaply.
#pragma once

#include <cstdint>
#include <string_view>

namespace hf2swift {

/// Accumulates FNV-1a over pieces of text; `separate()` marks a boundary, so ("ab","c") and
/// ("a","bc") differ.
class Fingerprint {
public:
    Fingerprint& add(std::string_view text) {
        for (unsigned char c : text) mix(c);
        return *this;
    }
    Fingerprint& separate() {
        mix(0xff);  // a byte no UTF-8 text holds
        return *this;
    }
    std::uint64_t value() const { return h_; }

private:
    void mix(unsigned char c) { h_ = (h_ ^ c) * 1099511628211ull; }
    std::uint64_t h_ = 1469598103934665603ull;
};

}  // namespace hf2swift
