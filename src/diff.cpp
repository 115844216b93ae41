// Myers' O((N+M)D) line diff, printed as unified hunks like `diff -u`.
#include "diff.h"

#include <vector>

namespace hf2swift {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

enum class Op { Keep, Delete, Insert };

struct Edit {
    Op op;
    size_t a;  // index in before (Keep, Delete)
    size_t b;  // index in after (Keep, Insert)
};

std::vector<Edit> myers(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const long n = static_cast<long>(a.size());
    const long m = static_cast<long>(b.size());
    const long max = n + m;
    std::vector<long> v(2 * max + 2, 0);
    std::vector<std::vector<long>> trace;
    long d_end = 0;
    for (long d = 0; d <= max; ++d) {
        trace.push_back(v);
        bool done = false;
        for (long k = -d; k <= d; k += 2) {
            long x;
            if (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) {
                x = v[k + 1 + max];
            } else {
                x = v[k - 1 + max] + 1;
            }
            long y = x - k;
            while (x < n && y < m && a[x] == b[y]) {
                ++x;
                ++y;
            }
            v[k + max] = x;
            if (x >= n && y >= m) {
                done = true;
                break;
            }
        }
        if (done) {
            d_end = d;
            break;
        }
    }
    // Walk back through the saved frontiers to recover the edit script.
    std::vector<Edit> edits;
    long x = n, y = m;
    for (long d = d_end; d > 0; --d) {
        const std::vector<long>& vd = trace[d];
        long k = x - y;
        long prev_k;
        if (k == -d || (k != d && vd[k - 1 + max] < vd[k + 1 + max])) {
            prev_k = k + 1;
        } else {
            prev_k = k - 1;
        }
        long prev_x = vd[prev_k + max];
        long prev_y = prev_x - prev_k;
        while (x > prev_x && y > prev_y) {
            --x;
            --y;
            edits.push_back(Edit{Op::Keep, static_cast<size_t>(x), static_cast<size_t>(y)});
        }
        if (x == prev_x) {
            --y;
            edits.push_back(Edit{Op::Insert, static_cast<size_t>(x), static_cast<size_t>(y)});
        } else {
            --x;
            edits.push_back(Edit{Op::Delete, static_cast<size_t>(x), static_cast<size_t>(y)});
        }
    }
    while (x > 0 && y > 0) {
        --x;
        --y;
        edits.push_back(Edit{Op::Keep, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
    return {edits.rbegin(), edits.rend()};
}

std::string range(size_t start, size_t count) {
    // diff -u writes an empty range as the line before it.
    if (count == 0) return std::to_string(start) + ",0";
    if (count == 1) return std::to_string(start + 1);
    return std::to_string(start + 1) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after, const std::string& before_name,
                         const std::string& after_name) {
    if (before == after) return "";
    std::vector<std::string> a = lines_of(before);
    std::vector<std::string> b = lines_of(after);
    std::vector<Edit> edits = myers(a, b);
    const size_t context = 3;
    std::string out = "--- " + before_name + "\n+++ " + after_name + "\n";
    size_t i = 0;
    bool any = false;
    while (i < edits.size()) {
        while (i < edits.size() && edits[i].op == Op::Keep) ++i;
        if (i == edits.size()) break;
        any = true;
        // A hunk runs from `context` lines before the first change to `context` lines after the
        // last change that is not separated from the next by more than 2*context kept lines.
        size_t start = i >= context ? i - context : 0;
        size_t end = i;
        while (end < edits.size()) {
            if (edits[end].op != Op::Keep) {
                ++end;
                continue;
            }
            size_t run = end;
            while (run < edits.size() && edits[run].op == Op::Keep) ++run;
            if (run == edits.size() || run - end > 2 * context) {
                end = std::min(end + context, run);
                break;
            }
            end = run;
        }
        size_t a_start = 0, b_start = 0, a_count = 0, b_count = 0;
        bool a_set = false, b_set = false;
        std::string body;
        for (size_t j = start; j < end; ++j) {
            const Edit& e = edits[j];
            if (e.op != Op::Insert) {
                if (!a_set) { a_start = e.a; a_set = true; }
                ++a_count;
            }
            if (e.op != Op::Delete) {
                if (!b_set) { b_start = e.b; b_set = true; }
                ++b_count;
            }
            if (e.op == Op::Keep) body += " " + a[e.a] + "\n";
            if (e.op == Op::Delete) body += "-" + a[e.a] + "\n";
            if (e.op == Op::Insert) body += "+" + b[e.b] + "\n";
        }
        if (!a_set) a_start = edits[start].a;
        if (!b_set) b_start = edits[start].b;
        out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n" + body;
        i = end;
    }
    if (!any) {
        // Only the final newline differs.
        out += "@@ final newline differs @@\n";
    }
    return out;
}

}  // namespace hf2swift
