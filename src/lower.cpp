// Stage 3, lower: turns a resolved family into the Swift intermediate model. Every identifier comes
// from the namer; every Swift expression here is an identifier path or a literal.
#include "lower.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "namer.h"
#include "resolve.h"
#include "vocabulary.h"

namespace hf2swift {

namespace {

/// The sparse mixer routes each token to this many experts, chosen one at a time.
constexpr int kSparseMixerExperts = 2;

struct FieldDecl {
    std::string json_key;
    const Entry* entry = nullptr;
    std::string type;  // config type; empty for a policy entry
    std::string swift_name;
};

class Lowerer {
public:
    Lowerer(const ResolvedFamily& f, Diagnostics& diags) : f_(f), diags_(diags) {}

    ir::ModelFile run() {
        ir::ModelFile m;
        m.family = f_.id;
        m.swift_name = f_.text("swift_name");
        m.file_name = namer::model_file_name(m.swift_name);
        m.description = f_.text("description");
        m.reference = f_.text("reference");
        for (size_t i = 0; i < f_.chain.size(); ++i) {
            m.sources.push_back(ir::Source{f_.chain_files[i], f_.chain[i], i + 1 == f_.chain.size()});
        }
        auto types = f_.strings("model_types");
        for (size_t i = 0; i < types.size(); ++i) m.model_types.push_back(ir::ModelType{types[i], i + 1 == types.size()});
        m.types = ir::TypeNames{
            namer::type_name(m.swift_name, "Configuration"), namer::type_name(m.swift_name, "Attention"),
            namer::type_name(m.swift_name, "MLP"), namer::type_name(m.swift_name, "Experts"),
            namer::type_name(m.swift_name, "DecoderLayer"),
            namer::type_name(m.swift_name, "ModelInner"), namer::type_name(m.swift_name, "Model"),
        };
        collect_fields();
        lower_config(m.config);
        lower_attention(m.attention, m.config);
        lower_latent_attention(m);
        lower_short_conv(m);
        lower_selective_ssm(m);
        lower_ssd(m);
        lower_mup(m);
        lower_gated_delta(m);
        lower_mixer_schedule(m);
        lower_mlp(m.mlp);
        lower_experts(m.experts);
        lower_layer(m);
        if (const Node* from = f_.get("weights.stack_experts.from"); from && from->kind == Node::Kind::String) {
            std::string block = f_.text("experts.keys.block");
            m.sanitize.stack_experts = true;
            m.sanitize.stack_from = namer::string_literal(block + "." + from->text);
            m.sanitize.stack_into = namer::string_literal(block + "." + f_.text("experts.keys.experts"));
            m.sanitize.stack_names = dictionary_literal(f_.get("weights.stack_experts.names"));
        }
        m.sanitize.split_gate_up = f_.get("weights.split_interleaved_gate_up") &&
                                   f_.get("weights.split_interleaved_gate_up")->boolean;
        m.sanitize.drop_extra_layers = on("weights.drop_extra_layers");
        m.sanitize.split_concatenated_gate_up = f_.get("weights.split_concatenated_gate_up") &&
                                                f_.get("weights.split_concatenated_gate_up")->boolean;
        if (const Node* fused = f_.get("weights.fused_experts.gate_up"); fused && fused->kind == Node::Kind::String) {
            std::string block = f_.text("experts.keys.block");
            m.sanitize.split_fused_experts = true;
            m.sanitize.fused_gate_up = namer::string_literal(block + "." + fused->text);
            m.sanitize.fused_down = namer::string_literal(block + "." + f_.text("weights.fused_experts.down"));
            m.sanitize.fused_into = namer::string_literal(block + "." + f_.text("experts.keys.experts"));
            std::vector<ir::Argument> args = {{"", "weights"}, {"gateUp", m.sanitize.fused_gate_up},
                                              {"down", m.sanitize.fused_down}, {"into", m.sanitize.fused_into, true}};
            m.sanitize.fused_lines = pack_arguments(args, 100 - 12);
        }
        if (const Node* rename = f_.get("weights.rename"); rename && rename->is_map() && !rename->entries.empty()) {
            m.sanitize.rename = true;
            m.sanitize.rename_parts = dictionary_literal(rename);
            m.sanitize.rename_one_line =
                std::string("        weights = renamingKeyParts(weights, ").size() + m.sanitize.rename_parts.size() + 1 <= 100;
            m.sanitize.rename_entries = literal_entries(rename);
        }
        m.sanitize.split_stacked_gate_up =
            on("weights.split_stacked_gate_up");
        m.sanitize.fuse_gate_up = on("weights.fuse_gate_up");
        if (const Node* marker = f_.get("weights.converted_norm_offset.marker"); marker && marker->kind == Node::Kind::String) {
            std::vector<std::string> norms = f_.strings("weights.converted_norm_offset.norms");
            m.sanitize.converted_norms = !norms.empty();
            m.sanitize.converted_marker = namer::string_literal(marker->text);
            for (const auto& n : norms) m.sanitize.converted_suffixes.push_back(namer::string_literal(n) + ",");
        }
        if (m.sanitize.split_stacked_gate_up) {
            // Beside the MLP the experts are a key of the layer holding the switch layers; in its place,
            // the switch layers themselves, under the block.
            std::string experts = f_.text("experts.keys.experts");
            if (!m.experts.beside_mlp) experts = f_.text("experts.keys.block") + "." + experts;
            m.sanitize.split_experts = namer::string_literal(experts);
            m.sanitize.split_into = namer::string_literal(m.experts.beside_mlp ? experts + ".switch_glu" : experts);
        }
        lower_head(m.head);
        // The muP head multiplier is folded into an untied head; a tied one applies it at run time.
        if (m.mup.used) m.head.plain = false;
        m.sanitize.shape_learned_activations = f_.text("mlp.activation") == "xielu";
        int steps = m.sanitize.rename + m.sanitize.stack_experts + m.sanitize.drop_extra_layers + m.sanitize.split_gate_up +
                    m.sanitize.split_concatenated_gate_up + m.sanitize.split_fused_experts + m.sanitize.split_stacked_gate_up +
                    m.sanitize.fuse_gate_up +
                    m.head.normalized + (f_.get("attention.kv_sharing.shared_layers") != nullptr) +
                    !f_.strings("weights.transpose").empty() + m.sanitize.shape_learned_activations +
                    m.latent_attention.used + m.embedding.zeroed_row + m.short_conv.used +
                    m.selective_ssm.used + m.ssd.used + m.gated_delta.used + m.sanitize.converted_norms;
        m.sanitize.steps_chain = steps > 0;
        m.norm.type = norm_type();
        m.norm.bias_argument = norm_bias_argument();
        m.norm.eps = binding_expr("norm.eps", false);
        m.norm.input_key = key_literal("norm.keys.input");
        m.norm.post_attention_key = key_literal("norm.keys.post_attention");
        m.norm.pre_feedforward_key = key_literal("norm.keys.pre_feedforward");
        m.norm.post_feedforward_key = key_literal("norm.keys.post_feedforward");
        m.norm.sandwich = f_.text("norm.placement") == "sandwich";
        m.norm.post = f_.text("norm.placement") == "post";
        m.norm.pre = !m.norm.sandwich && !m.norm.post;
        m.norm.residual_scaled = f_.get("residual.multiplier") != nullptr;
        if (m.norm.residual_scaled) m.norm.residual_multiplier = binding_expr("residual.multiplier", false);
        const Node* clip = f_.get("residual.clip_float16");
        m.norm.clip_residual = clip && clip->boolean;
        std::string embedding_scale = f_.text("embedding.scale");
        m.embedding.scaled = embedding_scale != "none" && !embedding_scale.empty();
        m.embedding.multiplied = f_.get("embedding.multiplier") != nullptr;
        if (m.embedding.multiplied) m.embedding.multiplier = binding_expr("embedding.multiplier", false);
        m.embedding.per_layer = f_.get("embedding.per_layer.width") != nullptr;
        if (m.embedding.per_layer) {
            m.embedding.per_layer_width = binding_expr("embedding.per_layer.width", false);
            m.embedding.per_layer_vocabulary = binding_expr("embedding.per_layer.vocabulary", false);
        }
        m.embedding.tokens_key = key_literal("embedding.keys.tokens");
        m.embedding.zeroed_row = f_.get("embedding.zeroed_row") != nullptr;
        if (m.embedding.zeroed_row) {
            m.embedding.zeroed_row_token = binding_expr("embedding.zeroed_row", true);
            m.embedding.zeroed_row_key = namer::string_literal("model." + f_.text("embedding.keys.tokens"));
        }
        m.embedding.positions = f_.get("embedding.positions.table") != nullptr;
        if (m.embedding.positions) {
            m.embedding.positions_table = binding_expr("embedding.positions.table", false);
            m.embedding.positions_key = key_literal("embedding.keys.positions");
        }
        lower_residual(m.residual);
        lower_layer_tail(m);
        m.per_layer_decoder = m.attention.per_layer || m.layer.feed_forward_scheduled || m.residual.altup ||
                              m.layer.mixed;
        for (const auto& k : m.layer.feed_forward_kinds) m.per_layer_decoder = m.per_layer_decoder || k.per_layer;
        lower_wrappers(m.wrappers);
        if (const Node* refused = f_.get("refused_model_types"); refused && refused->is_map()) {
            for (const auto& e : refused->entries) {
                m.refused_model_types.push_back(ir::RefusedModelType{
                    e.key, namer::string_literal(e.key), namer::string_literal(e.value.text), m.family});
            }
        }
        auto drops = f_.strings("weights.drop");
        for (size_t i = 0; i < drops.size(); ++i) {
            m.sanitize.drop.push_back(
                ir::DropPattern{namer::string_literal(drops[i]), i + 1 == drops.size(), drops.size() > 1});
        }
        m.sanitize.has_drop = !drops.empty();
        auto transposed = f_.strings("weights.transpose");
        for (size_t i = 0; i < transposed.size(); ++i) {
            m.sanitize.transpose.push_back(ir::DropPattern{namer::string_literal(transposed[i]),
                                                           i + 1 == transposed.size(), transposed.size() > 1});
        }
        m.sanitize.has_transpose = !transposed.empty();
        return m;
    }

private:
    Diagnostic& error(const Location& loc, const std::string& path, const std::string& message) {
        Diagnostic& d = diags_.error(loc.known() ? loc : Location{f_.path, 1, 1}, path, message);
        d.notes = f_.chain_notes();
        return d;
    }

    void collect_fields() {
        // Keys bound to a dimension role take the role's Swift name, which templates rely on.
        std::map<std::string, std::string> role_names;
        if (const Node* dims = f_.get("dims"); dims && dims->is_map()) {
            for (const auto& e : dims->entries) {
                if (e.value.kind != Node::Kind::String) continue;
                const vocab::DimRole* role = vocab::find_dim_role(e.key);
                if (!role) continue;
                auto [it, inserted] = role_names.emplace(e.value.text, role->swift_name);
                if (!inserted) {
                    error(e.value.loc, "dims." + e.key, "config field '" + e.value.text + "' is already bound to another dimension");
                }
            }
        }
        std::map<std::string, std::string> swift_to_key;
        const Node* config = f_.get("config");
        if (!config || !config->is_map()) return;
        for (const auto& e : config->entries) {
            FieldDecl d;
            d.json_key = e.key;
            d.entry = &e;
            if (const Node* t = e.value.find("type"); t && t->kind == Node::Kind::String) d.type = t->text;
            auto role = role_names.find(e.key);
            d.swift_name = namer::config_property(e.key, role == role_names.end() ? "" : role->second);
            if (const Node* p = e.value.find("policy"); p && p->text == "ignored") {
                fields_.push_back(d);
                continue;  // never named in Swift
            }
            auto [it, inserted] = swift_to_key.emplace(d.swift_name, e.key);
            if (!inserted) {
                error(e.key_loc, "config." + e.key,
                      "config keys '" + it->second + "' and '" + e.key + "' both become the Swift name '" +
                          d.swift_name + "'");
            }
            fields_.push_back(d);
        }
    }

    const FieldDecl* field(const std::string& json_key) const {
        for (const auto& d : fields_) {
            if (d.json_key == json_key) return &d;
        }
        return nullptr;
    }

    bool is_optional(const FieldDecl& d) const {
        const Node* o = d.entry->value.find("optional");
        return o && o->kind == Node::Kind::Bool && o->boolean;
    }

    std::string swift_type(const FieldDecl& d) const {
        const vocab::ConfigType* t = vocab::find_config_type(d.type);
        return t ? t->swift_type : "Never";
    }

    /// A boolean key the family sets true (absent or false: off).
    bool on(const char* path) const {
        const Node* n = f_.get(path);
        return n && n->kind == Node::Kind::Bool && n->boolean;
    }

    /// `args.x` for a bound config field; `nil` when an optional binding is absent.
    std::string binding_expr(const std::string& path, bool may_be_absent) {
        const Node* n = f_.get(path);
        if (!n || n->kind != Node::Kind::String) {
            if (!may_be_absent) throw InternalError("lowering reached an unbound " + path);
            return "nil";
        }
        const FieldDecl* d = field(n->text);
        if (!d) throw InternalError("lowering reached an unknown field " + n->text);
        if (!may_be_absent && is_optional(*d)) {
            error(n->loc, path, "binds the optional field '" + n->text + "'; give the field a default instead");
        }
        return "args." + d->swift_name;
    }

    std::string flag_expr(const std::string& path) {
        const Node* n = f_.get(path);
        if (!n || n->kind == Node::Kind::Bool) return n && n->boolean ? "true" : "false";
        return binding_expr(path, false);
    }

    std::string literal(const Node& v, const std::string& type) {
        if (type == "int") return namer::int_literal(v.integer);
        if (type == "float") return namer::float_literal(v.number);
        if (type == "bool") return v.boolean ? "true" : "false";
        if (type == "string") return namer::string_literal(v.text);
        if (type == "activation") return "Activation(" + namer::string_literal(v.text) + ")";
        if (type == "expert_scores") return "." + v.text;
        if (type == "top_k_method") return namer::enum_case(v.text);
        if (type == "int_or_auto") return v.kind == Node::Kind::Int ? ".value(" + namer::int_literal(v.integer) + ")" : ".auto";
        if (type == "float_range") {
            return "FloatRange(low: " + namer::float_literal(v.items[0].number) + ", high: " +
                   namer::float_literal(v.items[1].number) + ")";
        }
        std::string out = "[";
        for (size_t i = 0; i < v.items.size(); ++i) {
            if (i) out += ", ";
            const Node& item = v.items[i];
            if (type == "int_list") out += namer::int_literal(item.integer);
            else if (type == "float_list") out += namer::float_literal(item.number);
            else if (type == "layer_types") out += namer::enum_case(item.text);
            else out += namer::string_literal(item.text);
        }
        return out + "]";
    }

    /// `label: value` arguments (a bare value without a label) and the closing parenthesis, filled greedily into lines of `width`.
    static std::vector<std::string> pack_arguments(const std::vector<ir::Argument>& args, size_t width) {
        std::vector<std::string> lines{""};
        for (const auto& a : args) {
            std::string piece = (a.label.empty() ? a.value : a.label + ": " + a.value) + (a.last ? ")" : ",");
            std::string& line = lines.back();
            if (!line.empty() && line.size() + 1 + piece.size() > width) {
                lines.push_back(piece);
            } else {
                line += (line.empty() ? "" : " ") + piece;
            }
        }
        return lines;
    }

    std::vector<const FieldDecl*> decode_order() {
        // Dependencies (copied fields, derivation inputs, fallbacks) are decoded first; otherwise
        // the document's order stands.
        std::vector<const FieldDecl*> order;
        std::set<std::string> done, visiting;
        std::function<void(const FieldDecl&)> visit = [&](const FieldDecl& d) {
            if (done.count(d.json_key) || d.type.empty()) return;
            if (visiting.count(d.json_key)) return;  // cycles are reported by resolve
            visiting.insert(d.json_key);
            for (const auto& dep : dependencies(d)) {
                if (const FieldDecl* other = field(dep)) visit(*other);
            }
            visiting.erase(d.json_key);
            done.insert(d.json_key);
            order.push_back(&d);
        };
        for (const auto& d : fields_) visit(d);
        return order;
    }


    std::vector<std::string> dependencies(const FieldDecl& d) {
        std::vector<std::string> deps;
        if (const Node* dflt = d.entry->value.find("default"); dflt && dflt->is_map() && !dflt->entries.empty()) {
            const Entry& e = dflt->entries[0];
            if (e.key == "field") deps.push_back(e.value.text);
            if (e.key == "derive") {
                if (const vocab::Derivation* der = vocab::find_derivation(e.value.text)) {
                    for (const auto& arg : der->arguments) deps.push_back(f_.derivation_input(*dflt, arg.second));
                }
            }
        }
        if (const Node* fb = d.entry->value.find("fallback"); fb && fb->kind == Node::Kind::String) {
            deps.push_back(fb->text.substr(0, fb->text.find('.')));
        }
        return deps;
    }

    void lower_config(ir::Configuration& c) {
        std::vector<ir::KeyCheck> computed_checks;
        for (const FieldDecl* d : decode_order()) {
            ir::ConfigField out;
            const Node& spec = d->entry->value;
            out.swift_name = d->swift_name;
            out.json_key = d->json_key;
            out.decoded_type = swift_type(*d);
            out.optional = is_optional(*d);
            out.swift_type = out.decoded_type + (out.optional ? "?" : "");
            if (const Node* doc = spec.find("doc"); doc && doc->kind == Node::Kind::String) {
                out.doc = doc->text;
                out.has_doc = true;
            }
            if (const Node* read = spec.find("read"); read && read->kind == Node::Kind::Bool) out.read = read->boolean;
            const Node* fb = spec.find("fallback");
            if (fb && fb->kind == Node::Kind::String && fb->text.find('.') == std::string::npos) {
                // Another field: the same setting under an older name, optional, read before this one.
                if (const FieldDecl* fd = field(fb->text)) {
                    out.has_fallback = true;
                    out.fallback_field = fd->swift_name;
                    out.fallback_path = namer::string_literal(fb->text);
                }
            } else if (fb && fb->kind == Node::Kind::String) {
                std::string base = fb->text.substr(0, fb->text.find('.'));
                std::string member = fb->text.substr(fb->text.find('.') + 1);
                if (const FieldDecl* fd = field(base)) {
                    out.has_fallback = true;
                    out.fallback_field = fd->swift_name;
                    // A required struct field is no optional: its member is reached with '.'. The
                    // objects a member path passes through (one per layer type) are optional.
                    std::string access = is_optional(*fd) ? "?." : ".";
                    for (size_t start = 0, dot = 0; dot != std::string::npos; start = dot + 1, access = "?.") {
                        dot = member.find('.', start);
                        out.fallback_member += access + namer::camel_case(member.substr(start, dot - start));
                    }
                    out.fallback_path = namer::string_literal(fb->text);
                }
            }
            bool copies_optional = false;
            if (const Node* dflt = spec.find("default"); dflt && !dflt->is_null()) {
                out.has_default = true;
                if (dflt->is_map()) {
                    const Entry& e = dflt->entries[0];
                    if (e.key == "field") {
                        out.default_is_field = true;
                        if (const FieldDecl* src = field(e.value.text)) {
                            out.source_field = src->swift_name;
                            // Two keys for one value (a name transformers renamed): absent under both
                            // is the same error as a required key's.
                            copies_optional = is_optional(*src);
                        }
                    } else if (const vocab::Derivation* der = vocab::find_derivation(e.value.text)) {
                        out.default_is_derived = true;
                        out.derive_function = der->swift_function;
                        for (size_t i = 0; i < der->arguments.size(); ++i) {
                            const auto& [label, source] = der->arguments[i];
                            const FieldDecl* input = field(f_.derivation_input(*dflt, source));
                            out.derive_arguments.push_back(ir::Argument{
                                label, input ? input->swift_name : "", i + 1 == der->arguments.size()});
                        }
                        // The call's arguments, packed into lines as swift-format breaks them: at the
                        // initializer's indent (12 columns) and one level deeper after `??`.
                        out.derive_lines = pack_arguments(out.derive_arguments, 100 - 12);
                        out.derive_lines_nested = pack_arguments(out.derive_arguments, 100 - 16);
                    }
                } else {
                    out.default_is_literal = true;
                    out.literal = literal(*dflt, d->type);
                }
            }
            out.absent_default = out.optional && out.default_is_literal;
            out.plain_read = out.read && !out.absent_default;
            out.required = !out.has_default && !out.optional && !out.has_fallback;
            out.single_line = out.read && out.required;
            out.missing_throws = (out.has_fallback && !out.has_default && !out.optional) ||
                                 (copies_optional && !out.optional);
            out.assigned = !out.read && !out.has_fallback;
            out.fallback_only = !out.read && out.has_fallback;
            const ir::ConfigField& field = c.fields.emplace_back(std::move(out));
            if (field.read) {
                c.coding_keys.push_back(ir::CodingKey{field.swift_name, field.json_key, namer::string_literal(field.json_key)});
            }
            if (field.assigned) {
                // Derived, not read: a config stating another value would be silently overruled.
                ir::KeyCheck k;
                k.swift_name = field.swift_name;
                k.json_key = field.json_key;
                k.why = namer::string_literal("the model derives it from the config's other keys");
                k.computed = true;
                computed_checks.push_back(std::move(k));
                c.coding_keys.push_back(ir::CodingKey{field.swift_name, field.json_key, namer::string_literal(field.json_key)});
            }
        }
        for (const auto& d : fields_) {
            if (d.type.empty()) continue;
            for (const auto& f : c.fields) {
                if (f.json_key == d.json_key) c.declarations.push_back(ir::Declaration{f.swift_name, f.swift_type, f.doc, f.has_doc});
            }
        }
        for (const auto& d : fields_) {
            if (!d.type.empty()) continue;
            const Node& spec = d.entry->value;
            std::string policy = spec.find("policy") ? spec.find("policy")->text : "";
            std::string why = spec.find("why") && spec.find("why")->kind == Node::Kind::String ? spec.find("why")->text : "";
            if (policy == "ignored") {
                c.ignored.push_back(ir::IgnoredKey{d.json_key, why});
                continue;
            }
            ir::KeyCheck k;
            k.swift_name = d.swift_name;
            k.json_key = d.json_key;
            k.why = namer::string_literal(why.empty() ? "not supported by this family" : why);
            k.refuse = policy == "refuse";
            k.expect = policy == "expect";
            if (k.expect) {
                const Node* values = spec.find("values");
                std::string out = "[";
                std::string type = "String";
                for (size_t i = 0; values && i < values->items.size(); ++i) {
                    const Node& v = values->items[i];
                    if (i) out += ", ";
                    if (v.kind == Node::Kind::Bool) {
                        out += v.boolean ? "true" : "false";
                        type = "Bool";
                    } else if (v.is_number()) {
                        out += namer::float_literal(v.number);
                        type = "Double";
                    } else {
                        out += namer::string_literal(v.text);
                    }
                }
                k.values = out + "]";
                k.value_type = type;
            }
            c.coding_keys.push_back(ir::CodingKey{k.swift_name, k.json_key, namer::string_literal(k.json_key)});
            c.checks.push_back(std::move(k));
        }
        c.checks.insert(c.checks.end(), std::make_move_iterator(computed_checks.begin()),
                        std::make_move_iterator(computed_checks.end()));
        // Document order for the keys a reader looks up; decode order only matters inside init.
        // Each key's place is looked up once, not twice per comparison, and the keys move only once.
        std::map<std::string, size_t> position;
        for (size_t i = 0; i < fields_.size(); ++i) position[fields_[i].json_key] = i;
        std::vector<std::pair<size_t, size_t>> order;  // (place in the document, index in coding_keys)
        order.reserve(c.coding_keys.size());
        for (size_t i = 0; i < c.coding_keys.size(); ++i) {
            auto found = position.find(c.coding_keys[i].json_key);
            order.emplace_back(found == position.end() ? 0 : found->second, i);
        }
        std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<ir::CodingKey> sorted;
        sorted.reserve(order.size());
        for (const auto& [place, i] : order) sorted.push_back(std::move(c.coding_keys[i]));
        c.coding_keys = std::move(sorted);
        c.has_checks = !c.checks.empty();
        c.has_ignored = !c.ignored.empty();

        if (const Node* scaling = f_.get("attention.rope.scaling"); scaling && scaling->kind == Node::Kind::String) {
            if (const FieldDecl* d = field(scaling->text)) {
                c.validates_rope_scaling = true;
                c.rope_scaling_field = d->swift_name;
                c.rope_scaling_key = "CodingKeys." + d->swift_name + ".stringValue";
                // Read only from a member: errors name the field that holds it.
                const Node* read = d->entry->value.find("read");
                const Node* fb = d->entry->value.find("fallback");
                if (read && read->kind == Node::Kind::Bool && !read->boolean && fb && fb->kind == Node::Kind::String) {
                    c.rope_scaling_key = namer::string_literal(fb->text.substr(0, fb->text.find('.')));
                }
                auto kinds = f_.strings("attention.rope.scaling_types");
                for (size_t i = 0; i < kinds.size(); ++i) {
                    c.rope_scaling_kinds.push_back(ir::RoPEScalingKind{namer::enum_case(kinds[i]), i + 1 == kinds.size()});
                }
                c.rope_scaling_none_supported = kinds.empty();
                c.rotary_dimensions = "headDim";
                if (const Node* fraction = f_.get("attention.rope.fraction");
                    fraction && fraction->kind == Node::Kind::String) {
                    if (const FieldDecl* fr = field(fraction->text)) {
                        c.rotary_dimensions = "rotaryDimensions(headDim: headDim, fraction: " + fr->swift_name + ")";
                    }
                }
                if (const Node* width = f_.get("attention.rope.dimensions"); width && width->kind == Node::Kind::String) {
                    if (const FieldDecl* w = field(width->text)) {
                        c.rotary_dimensions = is_optional(*w) ? w->swift_name + " ?? " + c.rotary_dimensions : w->swift_name;
                        c.rotary_overridden = true;
                    }
                }
                if (const Node* original = f_.get("attention.rope.original_max_positions");
                    original && original->kind == Node::Kind::String) {
                    if (const FieldDecl* o = field(original->text)) {
                        c.rope_scaling_has_original = true;
                        c.rope_scaling_original_field = o->swift_name;
                    }
                }
                c.rope_scaling_mscales = f_.text("attention.rope.longrope.scale") == "mscales";
                c.rope_ntk_alpha = f_.text("attention.rope.dynamic") == "alpha";
                if (!is_optional(*d)) {
                    error(scaling->loc, "attention.rope.scaling", "binds '" + scaling->text + "', which must be optional");
                }
            }
        }
        for (const auto& d : fields_) {
            if (d.type != "rope_parameters") continue;
            c.validates_rope_parameters = true;
            c.rope_parameters_field = d.swift_name;
            // Members of one layer type's object mean the family reads one object per layer type.
            bool per_layer_type = false;
            // A field reading the stated fraction means the family accepts it (and says how it treats it).
            bool reads_fraction = false;
            for (const auto& other : fields_) {
                const Node* fb = other.entry->value.find("fallback");
                if (!fb || fb->kind != Node::Kind::String || fb->text.rfind(d.json_key + ".", 0) != 0) continue;
                std::string member = fb->text.substr(d.json_key.size() + 1);
                per_layer_type |= member.rfind("full_attention.", 0) == 0 || member.rfind("sliding_attention.", 0) == 0;
                reads_fraction |= member == "partial_rotary_factor";
            }
            c.rope_parameters_per_layer_type = per_layer_type ? "true" : "false";
            c.rope_parameters_partial = f_.get("attention.rope.fraction") || reads_fraction ? "true" : "false";
        }
        for (const auto& d : fields_) {
            if (d.type == "int_per_layer") c.per_layer_int_fields.push_back(d.swift_name);
        }
        lower_value_checks(c);
        lower_normalized_head_check(c);
        if (const Node* sparsity = f_.get("mlp.activation_sparsity"); sparsity && sparsity->kind == Node::Kind::String) {
            if (const FieldDecl* d = field(sparsity->text)) c.per_layer_list_fields.push_back(d->swift_name);
        }
        if (const Node* shared = f_.get("attention.kv_sharing.shared_layers"); shared && shared->kind == Node::Kind::String) {
            if (const FieldDecl* d = field(shared->text)) {
                c.validates_kv_sharing = true;
                c.kv_sharing_field = d->swift_name;
            }
        }
        if (const Node* group = f_.get("attention.cross_layer_kv.group"); group && group->kind == Node::Kind::String) {
            const Node* enabled = f_.get("attention.cross_layer_kv.enabled");
            const FieldDecl* g = field(group->text);
            const FieldDecl* e = enabled && enabled->kind == Node::Kind::String ? field(enabled->text) : nullptr;
            if (g) {
                c.validates_cross_layer = true;
                c.cross_layer_group_field = g->swift_name;
                c.cross_layer_enabled = e ? e->swift_name : (enabled && enabled->boolean ? "true" : "false");
            }
        }
        if (const Node* layers = f_.get("attention.rope.layers"); layers && layers->kind == Node::Kind::String) {
            if (const FieldDecl* d = field(layers->text)) {
                c.validates_rope_layers = true;
                c.rope_layers_field = d->swift_name;
                if (is_optional(*d)) {
                    error(layers->loc, "attention.rope.layers",
                          "binds the optional field '" + layers->text + "'; give it a default such as "
                          "{derive: rope_except_every_nth}");
                }
            }
        }
        for (const char* slot : {"feed_forward", "mixer"}) {
            std::string path = std::string("layers.schedule.") + slot;
            const Node* schedule = f_.get(path);
            if (!schedule || schedule->kind != Node::Kind::String) continue;
            if (const FieldDecl* d = field(schedule->text)) {
                std::string kinds = "[";
                for (const auto& k : f_.strings(std::string("layers.") + slot)) kinds += (kinds.size() > 1 ? ", " : "") + namer::string_literal(k);
                ir::ScheduleCheck check{namer::string_literal(d->json_key), d->swift_name, kinds + "]", {}};
                check.lines = pack_arguments({{"", check.swift_name}, {"key", check.key}, {"kinds", check.kinds}}, 100 - 12);
                c.schedule_checks.push_back(check);
                if (is_optional(*d)) {
                    error(schedule->loc, path,
                          "binds the optional field '" + schedule->text + "'; give it a default such as " +
                          (std::string(slot) == "mixer" ? "{derive: attention_or_conv}" : "{derive: sparse_every_step}"));
                }
            }
        }
        for (const auto& d : fields_) {
            if (d.type != "per_layer_overrides") continue;
            c.per_layer_override_fields.push_back(ir::PositiveCheck{
                namer::string_literal(d.json_key), d.swift_name + (is_optional(d) ? "?" : "")});
        }
        if (const Node* kv = f_.get("attention.per_layer.kv_heads"); kv && kv->kind == Node::Kind::String) {
            if (const FieldDecl* d = field(kv->text)) {
                c.validates_layer_kv_heads = true;
                c.layer_kv_heads_field = d->swift_name;
            }
        }
        lower_required_when(c);
        lower_zeroed_row_check(c);
        const Node* types = f_.get("attention.sliding.layer_types");
        const Node* window = f_.get("attention.sliding.window");
        if (types && types->kind == Node::Kind::String && window && window->kind == Node::Kind::String) {
            const FieldDecl* t = field(types->text);
            const FieldDecl* w = field(window->text);
            if (t && w) {
                c.validates_sliding = true;
                c.layer_types_field = t->swift_name;
                c.window_field = w->swift_name;
                if (is_optional(*t)) {
                    error(types->loc, "attention.sliding.layer_types",
                          "binds the optional field '" + types->text + "'; give it a default such as {derive: all_full_attention}");
                }
            }
        }
        lower_chunked(c);
    }

    /// A head normalised when it loads cannot be the embedding: a config that ties it and asks for
    /// the normalisation is refused (a family stating both literally is refused by the resolver).
    void lower_normalized_head_check(ir::Configuration& c) {
        const Node* normalized = f_.get("head.normalized_columns");
        const Node* tie = f_.get("head.tie");
        if (!normalized || (normalized->kind == Node::Kind::Bool && !normalized->boolean)) return;
        if (!tie || (tie->kind == Node::Kind::Bool && !tie->boolean)) return;
        auto bare = [&](const Node* n) {
            if (n->kind == Node::Kind::Bool) return std::string(n->boolean ? "true" : "false");
            const FieldDecl* d = field(n->text);
            return d ? d->swift_name : std::string("false");
        };
        c.validates_normalized_head = true;
        c.normalized_head_condition = bare(normalized) + " && " + bare(tie);
        const Node* named = normalized->kind == Node::Kind::String ? normalized : tie;
        if (const FieldDecl* d = field(named->text)) c.normalized_head_key = namer::string_literal(d->json_key);
    }

    /// A token whose embedding row is zeroed as the checkpoint loads names a row of the vocabulary,
    /// or the config is refused (transformers fails to build such an embedding).
    void lower_zeroed_row_check(ir::Configuration& c) {
        const Node* token = f_.get("embedding.zeroed_row");
        const Node* vocab = f_.get("dims.vocab");
        if (!token || token->kind != Node::Kind::String || !vocab || vocab->kind != Node::Kind::String) return;
        const FieldDecl* t = field(token->text);
        const FieldDecl* v = field(vocab->text);
        if (!t || !v) return;
        c.validates_zeroed_row = true;
        c.zeroed_row_field = t->swift_name;
        c.zeroed_row_json = namer::string_literal(t->json_key);
        c.vocabulary_field = v->swift_name;
    }

    /// Chunked layers: their schedule and chunk size, validated together.
    void lower_chunked(ir::Configuration& c) {
        const Node* types = f_.get("attention.chunked.layer_types");
        const Node* size = f_.get("attention.chunked.size");
        if (!types || types->kind != Node::Kind::String || !size || size->kind != Node::Kind::String) return;
        const FieldDecl* t = field(types->text);
        const FieldDecl* z = field(size->text);
        if (!t || !z) return;
        c.validates_chunked = true;
        c.chunk_layer_types_field = t->swift_name;
        c.chunk_size_field = z->swift_name;
        if (is_optional(*t)) {
            error(types->loc, "attention.chunked.layer_types",
                  "binds the optional field '" + types->text + "'; give it a default such as {derive: chunked_where_rotated}");
        }
    }

    /// Experts beside the MLP switched on by a config field need their sizes, which transformers
    /// leaves null in checkpoints without experts: optional fields, required when the switch holds.
    void lower_required_when(ir::Configuration& c) {
        const Node* beside = f_.get("experts.beside_mlp");
        if (!beside || beside->kind != Node::Kind::String) return;
        const FieldDecl* flag = field(beside->text);
        if (!flag) return;
        for (const char* path : {"experts.count", "experts.per_token", "experts.intermediate"}) {
            const Node* n = f_.get(path);
            if (!n || n->kind != Node::Kind::String) continue;
            const FieldDecl* d = field(n->text);
            if (!d || !is_optional(*d)) continue;
            c.required_when.push_back(ir::RequiredWhen{namer::string_literal(d->json_key), d->swift_name,
                                                       flag->swift_name, namer::string_literal(flag->json_key)});
        }
    }

    /// Sizes within their limits and positive epsilons and bases, checked once every field is
    /// decoded: a zero, negative or vast value would divide by zero or exhaust memory later.
    void lower_value_checks(ir::Configuration& c) {
        const std::pair<const char*, const char*> sizes[] = {
            {"dims.hidden", "SizeLimits.width"}, {"dims.layers", "SizeLimits.layers"},
            {"dims.heads", "SizeLimits.heads"},  {"dims.kv_heads", "SizeLimits.heads"},
            {"dims.head_dim", "SizeLimits.width"}, {"dims.intermediate", "SizeLimits.width"},
            {"dims.vocab", "SizeLimits.vocabulary"}, {"mlp.intermediate", "SizeLimits.width"},
            {"short_conv.kernel", "SizeLimits.width"}, {"selective_ssm.inner", "SizeLimits.width"},
            {"selective_ssm.state", "SizeLimits.width"}, {"selective_ssm.time_step_rank", "SizeLimits.width"},
            {"selective_ssm.kernel", "SizeLimits.width"}, {"ssd.heads", "SizeLimits.heads"},
            {"ssd.head_dim", "SizeLimits.width"}, {"ssd.state", "SizeLimits.width"}, {"ssd.groups", "SizeLimits.heads"},
            {"ssd.kernel", "SizeLimits.width"}, {"gated_delta.key_heads", "SizeLimits.heads"},
            {"gated_delta.value_heads", "SizeLimits.heads"}, {"gated_delta.key_head_dim", "SizeLimits.width"},
            {"gated_delta.value_head_dim", "SizeLimits.width"}, {"gated_delta.kernel", "SizeLimits.width"},
            {"experts.latent", "SizeLimits.width"},
        };
        for (const auto& [role, limit] : sizes) {
            const Node* bound = f_.get(role);
            const FieldDecl* d = bound && bound->kind == Node::Kind::String ? field(bound->text) : nullptr;
            if (!d || d->type != "int") continue;  // a per-layer width is checked by its own type
            std::string value = d->swift_name;
            // An absent latent width is the hidden size, checked with it.
            if (is_optional(*d)) value += " ?? " + binding_expr("dims.hidden", false).substr(std::string("args.").size());
            c.size_checks.push_back(ir::SizeCheck{namer::string_literal(d->json_key), value, limit});
        }
        c.heads_field = "attentionHeads";
        c.kv_heads_field = "kvHeads";
        for (const char* path : {"norm.eps", "attention.rope.base", "attention.rope.local_base"}) {
            const Node* bound = f_.get(path);
            const FieldDecl* d = bound && bound->kind == Node::Kind::String ? field(bound->text) : nullptr;
            if (d && d->type == "float") {
                c.positive_checks.push_back(ir::PositiveCheck{namer::string_literal(d->json_key), d->swift_name});
            }
        }
        const Node* beside = f_.get("experts.beside_mlp");
        bool beside_mlp = beside && (beside->kind == Node::Kind::String || beside->boolean);
        if (uses("layers.feed_forward", "experts") || beside_mlp) {
            // A router with more experts per token than it has, or groups that do not divide its
            // experts, would index out of range when it routes: the config is refused first, where a
            // layer has experts. Sizes optional until a switch turns the experts on are present then.
            std::string condition = "feedForwardKinds.contains(\"experts\")";
            if (beside_mlp) {
                const FieldDecl* flag = beside->kind == Node::Kind::String ? field(beside->text) : nullptr;
                condition = flag ? flag->swift_name : "true";
            }
            auto sized = [&](const char* path) -> std::string {
                const Node* bound = f_.get(path);
                const FieldDecl* d = bound && bound->kind == Node::Kind::String ? field(bound->text) : nullptr;
                if (!d || (d->type != "int" && d->type != "int_per_layer")) return "nil";
                std::string value = d->swift_name + (is_optional(*d) ? "!" : "");
                return "(" + namer::string_literal(d->json_key) + ", " + value + ")";
            };
            // The sparse mixer takes its fixed number of experts, whatever the config says.
            std::string per_token = f_.text("experts.router.order") == "sparse_mixer"
                                        ? "(nil, " + std::to_string(kSparseMixerExperts) + ")"
                                        : sized("experts.per_token");
            // Without routed experts (a dense checkpoint) nothing is routed.
            const Node* count = f_.get("experts.count");
            const FieldDecl* count_field = count && count->kind == Node::Kind::String ? field(count->text) : nullptr;
            if (on("experts.shared.alone_without_experts") && count_field) {
                condition += " && " + count_field->swift_name + " > 0";
            }
            c.routing_checks.push_back(ir::RoutingCheck{condition, sized("experts.count"), per_token,
                                                        sized("experts.router.groups.count"),
                                                        sized("experts.router.groups.selected")});
        }
    }

    void lower_attention(ir::Attention& a, const ir::Configuration& c) {
        a.block_key = key_literal("attention.keys.block");
        a.q_key = key_literal("attention.keys.q");
        a.k_key = key_literal("attention.keys.k");
        a.v_key = key_literal("attention.keys.v");
        a.qkv_key = key_literal("attention.keys.qkv");
        a.o_key = key_literal("attention.keys.o");
        a.fused_qkv_grouped = f_.text("attention.projection") == "fused_qkv_grouped";
        a.fused_qkv = f_.text("attention.projection") == "fused_qkv" || a.fused_qkv_grouped;
        std::string scale = f_.text("attention.scale");
        a.scale_one = scale == "one";
        a.scale_from_field = scale == "inverse_sqrt_field";
        a.scale_field_value = scale == "field";
        a.scale_head_dim = !a.scale_one && !a.scale_from_field && !a.scale_field_value;
        if (a.scale_from_field || a.scale_field_value) a.scale_field = binding_expr("attention.scale_field", false);
        a.scaled_flag = flag_expr("attention.scaled");
        a.scale_switched = a.scaled_flag != "true";
        a.local_rope = f_.get("attention.rope.local_base") != nullptr;
        if (a.local_rope) a.local_base = binding_expr("attention.rope.local_base", false);
        a.nope_layers = c.validates_rope_layers;
        if (a.nope_layers) a.rope_layers = "args." + c.rope_layers_field;
        a.per_layer = a.local_rope || a.nope_layers || c.validates_kv_sharing;
        a.qkv_bias = flag_expr("attention.bias.qkv");
        a.o_bias = flag_expr("attention.bias.o");
        std::string qk_norm = f_.text("attention.qk_norm");
        // A weight per head changes the norm's type, not where it applies: on the split heads.
        bool weights_per_head = qk_norm == "per_head_weights";
        a.qk_norm_per_head = qk_norm == "per_head" || weights_per_head;
        a.qk_norm_whole = qk_norm == "whole";
        a.qk_norm = a.qk_norm_per_head || a.qk_norm_whole;
        std::string eps = "eps: " + binding_expr("norm.eps", false);
        if (weights_per_head) {
            a.qk_norm_type = "PerHeadLayerNorm";
            a.q_norm_arguments = "heads, headDim, " + eps;
            a.k_norm_arguments = "kvHeads, headDim, " + eps;
        } else {
            a.qk_norm_type = norm_type();
            a.q_norm_arguments =
                std::string("dimensions: ") + (a.qk_norm_whole ? "heads * headDim" : "headDim") + ", " + eps + norm_bias_argument();
            a.k_norm_arguments =
                std::string("dimensions: ") + (a.qk_norm_whole ? "kvHeads * headDim" : "headDim") + ", " + eps + norm_bias_argument();
        }
        // A per-head norm after RoPE is emitted where the rotated heads are, not with the others.
        a.qk_norm_per_head_after_rope = a.qk_norm_per_head && f_.text("attention.qk_norm_placement") == "after_rope";
        if (a.qk_norm_per_head_after_rope) a.qk_norm_per_head = false;
        // Norms a config switches are applied where present; the fixed ones keep their own sections.
        std::string qk_norm_enabled = flag_expr("attention.qk_norm_enabled");
        a.qk_norm_switched = a.qk_norm && qk_norm_enabled != "true";
        if (a.qk_norm_switched) {
            a.qk_norm_enabled = qk_norm_enabled;
            a.qk_norm_switched_per_head = a.qk_norm_per_head;
            a.qk_norm_switched_whole = a.qk_norm_whole;
            a.qk_norm_per_head = false;
            a.qk_norm_whole = false;
        }
        a.q_norm_key = key_literal("attention.keys.q_norm");
        a.k_norm_key = key_literal("attention.keys.k_norm");
        a.sinks = on("attention.sinks");
        a.v_norm = on("attention.v_norm");
        a.output_gate = on("attention.output_gate");
        lower_clip(a);
        a.kv_sharing = c.validates_kv_sharing;
        if (a.kv_sharing) a.shared_layers = "args." + c.kv_sharing_field;
        a.softcap = f_.get("attention.softcap") != nullptr;
        if (a.softcap) a.softcap_field = binding_expr("attention.softcap", true);
        // Attention computed outside the fused kernel reads its cache's keys and values as they are.
        a.full_precision_cache = a.sinks || a.kv_sharing || a.softcap;
        a.cross_layer = c.validates_cross_layer;
        if (a.cross_layer) {
            a.cross_layer_enabled = flag_expr("attention.cross_layer_kv.enabled");
            a.cross_layer_group = binding_expr("attention.cross_layer_kv.group", false);
            a.per_layer = true;
        }
        a.rope_absent = f_.get("attention.rope.base") == nullptr;
        a.rope.traditional = flag_expr("attention.rope.interleaved");
        if (!a.rope_absent) a.rope.base = binding_expr("attention.rope.base", false);
        a.rope.scaling = binding_expr("attention.rope.scaling", true);
        a.rope.max_positions = binding_expr("attention.rope.max_positions", true);
        a.rope.original_max_positions = binding_expr("attention.rope.original_max_positions", true);
        bool short_factors = f_.text("attention.rope.longrope.factors") == "short";
        bool mscales = f_.text("attention.rope.longrope.scale") == "mscales";
        a.rope.longrope_variant = short_factors || mscales;
        a.rope.longrope_options = std::string("LongRoPEOptions(factors: ") + (short_factors ? ".short" : ".byLength") +
                                  ", scale: " + (mscales ? ".mscales" : ".attentionFactor") + ")";
        a.rope.ntk_alpha = f_.text("attention.rope.dynamic") == "alpha";
        a.rope.partial = f_.get("attention.rope.fraction") != nullptr;
        if (a.rope.partial) a.rope.fraction = binding_expr("attention.rope.fraction", false);
        if (const Node* dims = f_.get("attention.rope.dimensions"); dims && dims->kind == Node::Kind::String) {
            a.rope.dimensions = binding_expr("attention.rope.dimensions", true);
            const FieldDecl* d = field(dims->text);
            a.rope.overridden = d && is_optional(*d);
            a.rope.stated = !a.rope.overridden;
        }
        a.query_position_scale = f_.get("attention.query_position_scale.beta") != nullptr;
        if (a.query_position_scale) {
            a.query_scale_beta = binding_expr("attention.query_position_scale.beta", false);
            a.query_scale_original = binding_expr("attention.query_position_scale.original_max_positions", false);
        }
        lower_query_scale(a);
        a.qk_norm_after_rope = flag_expr("attention.qk_norm_after_rope") != "false";
        if (a.qk_norm_after_rope) {
            a.qk_norm_after_rope_condition = flag_expr("attention.qk_norm_after_rope");
            if (a.nope_layers) {
                std::string rotates = a.rope_layers + "[layer] != 0";
                a.qk_norm_after_rope_condition =
                    a.qk_norm_after_rope_condition == "true" ? rotates : a.qk_norm_after_rope_condition + " && " + rotates;
            }
        }
        a.sliding = c.validates_sliding;
        if (a.sliding) {
            a.layer_types = "args." + c.layer_types_field;
            a.window = "args." + c.window_field;
        }
        // Chunked layers take the per-layer masks and caches that sliding layers use.
        a.chunked = c.validates_chunked;
        if (a.chunked) {
            a.sliding = true;
            a.layer_types = "args." + c.chunk_layer_types_field;
            a.window = "nil";
            a.chunk_size = "args." + c.chunk_size_field;
        }
        for (auto [path, init] : {std::pair{"attention.per_layer.head_dim", &a.head_dim_init},
                                  std::pair{"attention.per_layer.kv_heads", &a.kv_heads_init}}) {
            const Node* n = f_.get(path);
            if (!n || n->kind != Node::Kind::String) continue;
            *init = binding_expr(path, false) + "[layer]";
            a.per_layer_shape = true;
        }
        if (a.per_layer_shape) {
            a.head_dim = "headDim";
            a.kv_heads = "kvHeads";
        }
        const Node* values = f_.get("attention.values_from_keys");
        a.values_from_keys = values && (values->kind == Node::Kind::String || values->boolean);
        if (a.values_from_keys) {
            a.values_from_keys_flag = flag_expr("attention.values_from_keys");
            a.keys_projection = "projected";
            a.values_projection = "(wv.map { $0(x) } ?? projected)";
        }
        a.per_layer = a.per_layer || a.per_layer_shape || a.values_from_keys;
    }

    /// Latent attention takes the layer's attention slot under its own type; it reads its cache
    /// itself, so the caches stay out of KV quantization.
    void lower_latent_attention(ir::ModelFile& m) {
        ir::LatentAttention& l = m.latent_attention;
        l.used = uses("layers.mixer", "latent_attention");
        if (!l.used) return;
        // The resolver reported any size left unbound.
        for (const char* path : {"latent_attention.kv_rank", "latent_attention.nope_head_dim",
                                 "latent_attention.rope_head_dim", "latent_attention.v_head_dim"}) {
            const Node* n = f_.get(path);
            if (!n || n->kind != Node::Kind::String) return;
        }
        m.types.attention = namer::type_name(m.swift_name, "LatentAttention");
        m.attention.full_precision_cache = true;
        // `(key, value)` for the configuration's size checks; the query rank's check takes an Int?, so a
        // rank bound to a field that cannot be null is wrapped, as the rank itself is.
        auto check = [&](const char* path, bool as_optional = false) -> std::string {
            const Node* bound = f_.get(path);
            const FieldDecl* d = bound && bound->kind == Node::Kind::String ? field(bound->text) : nullptr;
            if (!d) return "nil";
            std::string value = as_optional && !is_optional(*d) ? "Optional(" + d->swift_name + ")" : d->swift_name;
            return "(" + namer::string_literal(d->json_key) + ", " + value + ")";
        };
        const Node* rank = f_.get("latent_attention.q_rank");
        l.low_rank_queries = rank && rank->kind == Node::Kind::String;
        if (l.low_rank_queries) {
            l.query_rank = binding_expr("latent_attention.q_rank", true);
            const FieldDecl* d = field(rank->text);
            if (!(d && is_optional(*d))) l.query_rank = "Optional(" + l.query_rank + ")";
        }
        l.latent_rank = binding_expr("latent_attention.kv_rank", false);
        l.nope_head_dim = binding_expr("latent_attention.nope_head_dim", false);
        l.rope_head_dim = binding_expr("latent_attention.rope_head_dim", false);
        l.value_head_dim = binding_expr("latent_attention.v_head_dim", false);
        l.bias = flag_expr("latent_attention.bias");
        l.query_rank_check = check("latent_attention.q_rank", true);
        l.latent_rank_check = check("latent_attention.kv_rank");
        l.nope_head_dim_check = check("latent_attention.nope_head_dim");
        l.rope_head_dim_check = check("latent_attention.rope_head_dim");
        l.value_head_dim_check = check("latent_attention.v_head_dim");
    }

    /// The short convolution: a mixer kind beside attention, on the layers its schedule names.
    void lower_short_conv(ir::ModelFile& m) {
        ir::ShortConv& c = m.short_conv;
        c.used = uses("layers.mixer", "short_conv");
        if (!c.used) return;
        // The resolver reported a kernel left unbound.
        if (const Node* n = f_.get("short_conv.kernel"); !n || n->kind != Node::Kind::String) return;
        c.type = namer::type_name(m.swift_name, "ShortConv");
        c.block_key = key_literal("short_conv.keys.block");
        c.kernel = binding_expr("short_conv.kernel", false);
        c.bias = flag_expr("short_conv.bias");
    }

    /// The selective state-space block: the one mixer of every layer, sized by its own fields.
    void lower_selective_ssm(ir::ModelFile& m) {
        ir::SelectiveSSM& s = m.selective_ssm;
        s.used = uses("layers.mixer", "selective_ssm");
        if (!s.used) return;
        // The resolver reported a size left unbound.
        for (const char* key : {"selective_ssm.inner", "selective_ssm.state", "selective_ssm.time_step_rank",
                                "selective_ssm.kernel"}) {
            if (const Node* n = f_.get(key); !n || n->kind != Node::Kind::String) return;
        }
        s.type = namer::type_name(m.swift_name, "SelectiveSSM");
        s.block_key = key_literal("selective_ssm.keys.block");
        s.inner = binding_expr("selective_ssm.inner", false);
        s.state = binding_expr("selective_ssm.state", false);
        s.time_step_rank = binding_expr("selective_ssm.time_step_rank", false);
        s.kernel = binding_expr("selective_ssm.kernel", false);
        s.bias = flag_expr("selective_ssm.bias");
        s.conv_bias = flag_expr("selective_ssm.conv_bias");
        s.norm_enabled = flag_expr("selective_ssm.bcdt_norm");
        s.normed = s.norm_enabled != "false";
        if (!s.normed) return;
        std::string eps = binding_expr("selective_ssm.bcdt_norm_eps", false);
        s.norm_eps = s.norm_enabled == "true" ? eps : s.norm_enabled + " ? " + eps + " : nil";
        const Node* weighted = f_.get("selective_ssm.bcdt_norm_weights");
        s.norm_weighted = weighted && weighted->boolean && s.norm_enabled == "true";
    }

    /// The head-wise state-space block: the one mixer of every layer, sized by its own fields.
    void lower_ssd(ir::ModelFile& m) {
        ir::SSD& s = m.ssd;
        s.used = uses("layers.mixer", "ssd");
        if (!s.used) return;
        // The resolver reported a size left unbound.
        for (const char* key : {"ssd.heads", "ssd.head_dim", "ssd.state", "ssd.groups", "ssd.kernel", "ssd.norm_eps"}) {
            if (const Node* n = f_.get(key); !n || n->kind != Node::Kind::String) return;
        }
        s.type = namer::type_name(m.swift_name, "SSD");
        s.block_key = key_literal("ssd.keys.block");
        s.heads = binding_expr("ssd.heads", false);
        s.head_dim = binding_expr("ssd.head_dim", false);
        s.state = binding_expr("ssd.state", false);
        s.groups = binding_expr("ssd.groups", false);
        s.kernel = binding_expr("ssd.kernel", false);
        s.norm_eps = binding_expr("ssd.norm_eps", false);
        s.time_step_limit = binding_expr("ssd.time_step_limit", true);
        s.bias = flag_expr("ssd.bias");
        const Node* out_bias = f_.get("ssd.out_bias");
        s.out_bias = out_bias ? flag_expr("ssd.out_bias") : s.bias;
        s.conv_bias = flag_expr("ssd.conv_bias");
        s.gated_norm = flag_expr("ssd.gated_norm");
        s.norm_switched = s.gated_norm != "true";
        s.norm_before_gate = flag_expr("ssd.norm_before_gate");
        // Only a norm that may normalise first states it; the others keep the initialiser's default.
        if (s.norm_before_gate != "false") s.norm_before_gate_argument = ", normBeforeGate: " + s.norm_before_gate;
        // The configuration's own names for the heads and groups, for its check that they divide.
        for (auto [path, out] : {std::pair{"ssd.heads", &s.heads_check}, std::pair{"ssd.groups", &s.groups_check}}) {
            const FieldDecl* d = field(f_.get(path)->text);
            *out = "(" + namer::string_literal(d->json_key) + ", " + d->swift_name + ")";
        }
    }

    /// The muP multipliers: each a config field, the two lists with their counts checked as the
    /// configuration decodes.
    void lower_mup(ir::ModelFile& m) {
        ir::MuP& u = m.mup;
        const char* keys[] = {"mup.embedding", "mup.head", "mup.attention_in", "mup.key", "mup.attention_out",
                              "mup.ssd_in", "mup.ssd_out", "mup.ssd_segments", "mup.mlp"};
        // The resolver reported a multiplier left unbound.
        for (const char* key : keys) {
            if (const Node* n = f_.get(key); !n || n->kind != Node::Kind::String) return;
        }
        u.used = true;
        std::string* outs[] = {&u.embedding, &u.head, &u.attention_in, &u.key, &u.attention_out,
                               &u.ssd_in, &u.ssd_out, &u.ssd_segments, &u.mlp};
        for (size_t i = 0; i < std::size(keys); ++i) *outs[i] = binding_expr(keys[i], false);
        for (auto [path, out] : {std::pair{"mup.ssd_segments", &u.segments_check}, std::pair{"mup.mlp", &u.mlp_check}}) {
            const FieldDecl* d = field(f_.get(path)->text);
            *out = "(" + namer::string_literal(d->json_key) + ", " + d->swift_name + ")";
        }
    }

    /// The gated delta rule: a mixer kind beside attention, on the layers its schedule names, sized by
    /// its own fields.
    void lower_gated_delta(ir::ModelFile& m) {
        ir::GatedDelta& g = m.gated_delta;
        g.used = uses("layers.mixer", "gated_delta");
        if (!g.used) return;
        // The resolver reported a size left unbound.
        for (const char* key : {"gated_delta.key_heads", "gated_delta.value_heads", "gated_delta.key_head_dim",
                                "gated_delta.value_head_dim", "gated_delta.kernel"}) {
            if (const Node* n = f_.get(key); !n || n->kind != Node::Kind::String) return;
        }
        g.type = namer::type_name(m.swift_name, "GatedDeltaNet");
        g.block_key = key_literal("gated_delta.keys.block");
        g.key_heads = binding_expr("gated_delta.key_heads", false);
        g.value_heads = binding_expr("gated_delta.value_heads", false);
        g.key_head_dim = binding_expr("gated_delta.key_head_dim", false);
        g.value_head_dim = binding_expr("gated_delta.value_head_dim", false);
        g.kernel = binding_expr("gated_delta.kernel", false);
        g.separate = f_.text("gated_delta.projections") == "separate";
        const FieldDecl* keys = field(f_.get("gated_delta.key_heads")->text);
        const FieldDecl* values = field(f_.get("gated_delta.value_heads")->text);
        if (keys && values) {
            g.key_heads_field = keys->swift_name;
            g.value_heads_field = values->swift_name;
            g.value_heads_key = namer::string_literal(values->json_key);
        }
    }

    /// A mixer slot listing several kinds: each layer holds the one its schedule names, under that
    /// kind's key, with a cache of that kind's own (attention's where it has none of its own). A
    /// slot listing one kind with a cache of its own is held the same way, every layer that kind.
    void lower_mixer_schedule(ir::ModelFile& m) {
        std::vector<std::string> kinds = f_.strings("layers.mixer");
        const Node* schedule = f_.get("layers.schedule.mixer");
        bool stateful = kinds.size() == 1 && !scheduled_mixer(m, kinds[0]).cache.empty();
        // The resolver reported a schedule left unbound.
        if (!stateful && (kinds.size() < 2 || !schedule || schedule->kind != Node::Kind::String)) return;
        m.layer.mixed = true;
        m.layer.mixer_call = "mixer";
        m.layer.attends = std::find(kinds.begin(), kinds.end(), "attention") != kinds.end();
        m.layer.mixer_schedule = stateful ? "everyLayer(" + namer::string_literal(kinds[0]) + ", args.hiddenLayers)"
                                          : binding_expr("layers.schedule.mixer", false);
        if (!stateful) {
            m.layer.mixer_schedule_field = m.layer.mixer_schedule.substr(std::string("args.").size());
            m.layer.mixer_schedule_key = namer::string_literal(schedule->text);
        }
        for (const auto& kind : kinds) {
            if (kind == "none") {
                // A layer without a mixer keeps nothing; its cache only holds the layer's place.
                ir::ScheduledMixer k;
                k.name = namer::string_literal(kind);
                k.cache = "ArraysCache(size: 0)";
                m.layer.mixer_caches.push_back(k);
                continue;
            }
            ir::ScheduledMixer k = scheduled_mixer(m, kind);
            k.name = namer::string_literal(kind);
            k.property = namer::camel_case(kind);
            m.layer.mixers.push_back(k);
            if (!k.cache.empty()) m.layer.mixer_caches.push_back(k);
        }
        m.layer.mixers.back().last = true;
        if (!m.layer.mixer_caches.empty()) m.layer.mixer_caches.back().last = true;
        if (m.layer.mixer_caches.size() > 1) {
            for (auto& k : m.layer.mixer_caches) k.separator = ",";
        }
    }

    /// A mixer kind's type, key and cache, from its lowered record.
    static ir::ScheduledMixer scheduled_mixer(const ir::ModelFile& m, const std::string& kind) {
        ir::ScheduledMixer k;
        if (kind == "short_conv") {
            k.type = m.short_conv.type;
            k.key = m.short_conv.block_key;
            k.cache = "ArraysCache(size: 1)";  // the convolution's last inputs
        } else if (kind == "selective_ssm") {
            k.type = m.selective_ssm.type;
            k.key = m.selective_ssm.block_key;
            k.cache = "MambaCache()";  // the convolution's last inputs and the recurrent state
        } else if (kind == "ssd") {
            k.type = m.ssd.type;
            k.key = m.ssd.block_key;
            k.cache = "MambaCache()";  // the convolution's last inputs and each head's state
        } else if (kind == "gated_delta") {
            k.type = m.gated_delta.type;
            k.key = m.gated_delta.block_key;
            k.cache = "ArraysCache(size: 2)";  // the convolution's last inputs and the recurrent state
        } else {
            k.type = m.types.attention;
            k.key = m.attention.block_key;
            k.per_layer = m.attention.per_layer;
        }
        return k;
    }

    /// Query scaling by position: on every layer, or only where a condition holds (a config switch,
    /// the layers without RoPE), each layer deciding once when it is built.
    void lower_query_scale(ir::Attention& a) {
        if (!a.query_position_scale) return;
        const Node* from_one = f_.get("attention.query_position_scale.from_one");
        if (from_one && from_one->boolean) a.query_scale_offset = "offset + 1";
        std::string enabled = flag_expr("attention.query_position_scale.enabled");
        bool nope_only = f_.text("attention.query_position_scale.layers") == "nope" && a.nope_layers;
        a.query_scale_per_layer = enabled != "true" || nope_only;
        if (!a.query_scale_per_layer) return;
        std::string nope = a.rope_layers + "[layer] == 0";
        a.query_scale_condition = !nope_only ? enabled : enabled == "true" ? nope : enabled + " && " + nope;
    }

    /// The clip limit is optional by nature (the resolver checks it): a config without one clips nothing.
    void lower_clip(ir::Attention& a) {
        const Node* n = f_.get("attention.clip_qkv");
        if (!n || n->kind != Node::Kind::String) return;
        a.clip_qkv = true;
        a.clip_limit = binding_expr("attention.clip_qkv", true);
    }

    static std::string scalar_literal(const Node& v) {
        if (v.kind == Node::Kind::Bool) return v.boolean ? "true" : "false";
        if (v.kind == Node::Kind::Int) return namer::int_literal(v.integer);
        if (v.kind == Node::Kind::Float) return namer::float_literal(v.number);
        return namer::string_literal(v.text);
    }

    /// A mapping of scalars as a Swift dictionary literal, in document order.
    static std::string dictionary_literal(const Node* map) {
        if (!map || !map->is_map() || map->entries.empty()) return "[:]";
        std::string out = "[";
        for (size_t i = 0; i < map->entries.size(); ++i) {
            if (i) out += ", ";
            out += namer::string_literal(map->entries[i].key) + ": " + scalar_literal(map->entries[i].value);
        }
        return out + "]";
    }

    /// A mapping of scalars as entries of a Swift dictionary literal, in document order.
    static std::vector<ir::LiteralEntry> literal_entries(const Node* map) {
        std::vector<ir::LiteralEntry> out;
        if (!map || !map->is_map()) return out;
        // swift-format wants a trailing comma in a multi-element literal and none in a single one.
        for (const auto& e : map->entries) {
            out.push_back(ir::LiteralEntry{namer::string_literal(e.key), scalar_literal(e.value), map->entries.size() > 1});
        }
        return out;
    }

    void lower_wrappers(std::vector<ir::Wrapper>& out) {
        const Node* wrappers = f_.get("wrappers");
        if (!wrappers || !wrappers->is_map()) return;
        for (const auto& e : wrappers->entries) {
            ir::Wrapper w;
            w.model_type = e.key;
            w.from_top_level = literal_entries(e.value.find("text_config_from_top_level"));
            w.defaults = literal_entries(e.value.find("text_config_defaults"));
            const Node* optional = e.value.find("text_config_optional");
            w.text_config_optional = optional && optional->kind == Node::Kind::Bool && optional->boolean;
            if (const Node* overrides = e.value.find("text_config_top_level_overrides"); overrides && overrides->is_list()) {
                for (const auto& key : overrides->items) {
                    w.top_level_overrides += (w.top_level_overrides.empty() ? "[" : ", ") + namer::string_literal(key.text);
                }
                if (!w.top_level_overrides.empty()) w.top_level_overrides += "]";
            }
            if (const Node* prefixes = e.value.find("weight_prefixes"); prefixes && prefixes->is_map()) {
                for (const auto& p : prefixes->entries) {
                    w.weight_prefixes.push_back(ir::PrefixRename{namer::string_literal(p.key),
                                                                 namer::string_literal(p.value.text),
                                                                 prefixes->entries.size() > 1});
                }
            }
            if (const Node* drops = e.value.find("weight_drops"); drops && drops->is_list()) {
                for (size_t i = 0; i < drops->items.size(); ++i) {
                    w.weight_drops.push_back(ir::DropPattern{namer::string_literal(drops->items[i].text),
                                                             i + 1 == drops->items.size(), true});
                }
            }
            if (const Node* dispatch = e.value.find("dispatch"); dispatch && dispatch->is_map()) {
                for (const auto& d : dispatch->entries) w.dispatch.emplace_back(d.key, d.value.text);
            }
            if (const Node* ignored = e.value.find("ignored_keys"); ignored && ignored->is_map()) {
                for (const auto& k : ignored->entries) w.ignored_keys.push_back(ir::IgnoredKey{k.key, k.value.text});
            }
            out.push_back(w);
            if (const Node* also = e.value.find("also"); also && also->is_list()) {
                for (const auto& type : also->items) {
                    out.push_back(w);
                    out.back().model_type = type.text;
                }
            }
        }
    }

    void lower_residual(ir::Residual& r) {
        r.altup = f_.get("residual.altup.streams") != nullptr;
        if (r.altup) {
            r.streams = binding_expr("residual.altup.streams", false);
            r.active = binding_expr("residual.altup.active", false);
            r.correct_scale = flag_expr("residual.altup.correct_scale");
        }
        r.laurel = f_.get("residual.laurel.rank") != nullptr;
        if (r.laurel) r.laurel_rank = binding_expr("residual.laurel.rank", false);
        r.layer_scalar = on("residual.layer_scalar");
        std::string parallel = flag_expr("residual.parallel");
        r.parallel = parallel != "false";
        r.parallel_always = parallel == "true";
        r.parallel_switched = r.parallel && !r.parallel_always;
        if (r.parallel_switched) r.parallel_flag = parallel;
        if (r.parallel && on("residual.parallel_mlp_norm")) {
            r.parallel_own_norms = true;
            r.parallel_own_norms_switched = r.parallel_switched;
            r.parallel_always = false;
            r.parallel_switched = false;
        }
        std::string float32 = flag_expr("residual.float32");
        r.float32 = float32 != "false";
        r.float32_always = float32 == "true";
        r.float32_switched = r.float32 && !r.float32_always;
        if (r.float32_switched) r.float32_flag = float32;
    }

    std::string key_literal(const std::string& path) { return namer::string_literal(f_.text(path)); }

    bool uses(const char* slot, const std::string& kind) const {
        auto kinds = f_.strings(slot);
        return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
    }

    /// `args.x` for a bound field, `args.x[layer]` when it holds one value per layer (which sets
    /// `per_layer`, so the kind's init takes the layer index).
    std::string layer_binding_expr(const std::string& path, bool& per_layer) {
        std::string expr = binding_expr(path, false);
        if (const FieldDecl* d = field(f_.text(path)); d && d->type == "int_per_layer") {
            per_layer = true;
            return expr + "[layer]";
        }
        return expr;
    }

    /// The dense kind: its projections, activation, and its width per layer (a list-valued
    /// intermediate size) and sparsity.
    void lower_mlp(ir::MLP& mlp) {
        mlp.fused = f_.text("mlp.kind") == "fused_gated";
        mlp.plain = f_.text("mlp.kind") == "plain";
        mlp.gate_key = key_literal("mlp.keys.gate");
        mlp.up_key = key_literal("mlp.keys.up");
        mlp.down_key = key_literal("mlp.keys.down");
        mlp.bias = flag_expr("mlp.bias");
        std::string activation = f_.text("mlp.activation");
        mlp.activation = activation == "gelu_approx" ? "geluApproximate" : activation == "gelu" ? "gelu" : "silu";
        mlp.clamped = activation == "swiglu_clamped";
        if (activation == "xielu") {
            mlp.learned_activation = true;
            mlp.activation = "act";
        }
        if (const Node* field = f_.get("mlp.activation_field"); field && field->kind == Node::Kind::String) {
            mlp.configured_activation = true;
            mlp.activation = "activation";
            mlp.activation_field = binding_expr("mlp.activation_field", false);
        }
        mlp.intermediate = "args.intermediateSize";
        if (const Node* dim = f_.get("dims.intermediate"); dim && dim->kind == Node::Kind::String) {
            if (const FieldDecl* d = field(dim->text); d && d->type == "int_per_layer") {
                mlp.intermediate = "args." + d->swift_name + "[layer]";
                mlp.per_layer = true;
            }
        }
        if (const Node* width = f_.get("mlp.width"); width && width->kind == Node::Kind::String) {
            mlp.intermediate = binding_expr("mlp.width", false) + "[layer]";
            mlp.per_layer = true;
        }
        mlp.sparse = f_.get("mlp.activation_sparsity") != nullptr;
        if (mlp.sparse) {
            mlp.sparsity = binding_expr("mlp.activation_sparsity", true);
            mlp.per_layer = true;
        }
    }

    /// A router that scores every expert: its scores, selection bias, groups and scale, and the
    /// routing call's arguments, packed as swift-format breaks a call at 8 columns.
    void lower_router(ir::Experts& e) {
        if (!e.scored) return;
        e.sigmoid = f_.text("experts.router.scores") == "sigmoid";
        if (const Node* scores = f_.get("experts.router.scores_field"); scores && scores->kind == Node::Kind::String) {
            e.scores_configured = true;
            e.scores_field = binding_expr("experts.router.scores_field", false);
            e.sigmoid = false;
        }
        std::string bias_enabled = flag_expr("experts.router.selection_bias");
        e.selection_bias = bias_enabled != "false";
        const Node* groups = f_.get("experts.router.groups.count");
        e.grouped = groups && groups->kind == Node::Kind::String;
        if (e.grouped) {
            e.groups = binding_expr("experts.router.groups.count", false);
            e.selected_groups = binding_expr("experts.router.groups.selected", false);
        }
        const Node* scale = f_.get("experts.router.scale");
        e.scaled = scale && scale->kind == Node::Kind::String;
        if (e.scaled) e.scale = binding_expr("experts.router.scale", false);
        const Node* apart = f_.get("experts.keys.selection_bias_module");
        e.selection_bias_apart = e.selection_bias && apart && apart->kind == Node::Kind::String;
        if (e.selection_bias_apart) e.selection_bias_key = key_literal("experts.keys.selection_bias_module");
        // A nested router computes its logits in x's dtype; the bare float32 router in float32.
        e.float32_weights = e.sigmoid || (e.selection_bias && !e.router_nested);
        e.cast_back = e.float32_weights || e.scores_configured;
        e.weights_kind = e.sigmoid ? "sigmoid" : "router";
        const Node* floor = f_.get("experts.router.normalize_floor");
        e.floored = floor && floor->kind == Node::Kind::String;
        if (e.floored) e.normalize_floor = binding_expr("experts.router.normalize_floor", false);
        std::vector<ir::Argument> args = {{"", "router(x)"}, {"k", "expertsPerToken"},
                                          {"scores", e.scores_configured ? "scores" : e.sigmoid ? ".sigmoid" : ".softmax"},
                                          {"normalize", "normalizeTopK"}};
        if (e.floored) args.push_back({"normalizeFloor", "normalizeFloor"});
        if (const Node* epsilon = f_.get("experts.router.normalize_epsilon"); epsilon && !epsilon->is_null()) {
            args.push_back({"normalizeEpsilon", epsilon->text});
        }
        // The selection bias is the router's own, in a module beside it, or the mixture's parameter.
        const Node* bias_key = f_.get("experts.keys.selection_bias");
        e.selection_bias_beside = e.selection_bias && bias_key && bias_key->kind == Node::Kind::String;
        bool held = e.selection_bias && !e.selection_bias_beside && !e.selection_bias_apart;
        // A nested router holds the bias beside its linear layer; a bare one beside its weight.
        e.router_nested_biased = held && e.router_nested;
        e.selection_bias_in_router = held && !e.router_nested;
        if (e.selection_bias_beside) e.selection_bias_key = namer::string_literal(bias_key->text);
        e.selection_bias_parameter_key = key_literal("experts.keys.selection_bias_parameter");
        if (held) {
            e.router_holds_bias = bias_enabled;
            e.selection_bias_custom = bias_enabled != "true" || e.selection_bias_parameter_key != "\"e_score_correction_bias\"";
        }
        if (e.selection_bias) {
            args.push_back({"selectionBias", e.selection_bias_apart    ? "selectionBias.bias"
                                             : e.selection_bias_beside ? "selectionBias"
                                                                       : "router.selectionBias"});
        }
        if (e.grouped) {
            args.push_back({"groups", "groups"});
            args.push_back({"selectedGroups", "selectedGroups"});
            if (f_.text("experts.router.groups.score") == "max") args.push_back({"groupScore", ".best"});
        }
        if (e.scaled) args.push_back({"scale", "routedScale"});
        args.back().last = true;
        e.routing_lines = pack_arguments(args, 100 - 12);
    }

    /// A size of experts beside the MLP may be an optional field: decoding refuses the switch on
    /// without it, so where the switch holds it is there.
    std::string experts_size(ir::Experts& e, const char* path) {
        const Node* n = f_.get(path);
        if (e.beside_mlp && n && n->kind == Node::Kind::String) {
            if (const FieldDecl* d = field(n->text); d && is_optional(*d)) return "args." + d->swift_name + "!";
        }
        return layer_binding_expr(path, e.per_layer);
    }

    /// The experts' own projections: MLXLMCommon's SwitchGLU where it computes them, the runtime's gated
    /// or ungated experts where it cannot; and the latent projections around them.
    void lower_expert_projections(ir::Experts& e) {
        const Node* gated = f_.get("experts.gated");
        e.ungated = gated && gated->kind == Node::Kind::Bool && !gated->boolean;
        if (e.ungated) e.ungated_activation = binding_expr("experts.activation_field", false);
        e.switch_glu = !e.clamped && !e.weighted_inputs && !e.ungated;
        e.custom_activation = e.activation != "silu";
        e.glu_type = e.ungated ? "ExpertMLP" : e.switch_glu ? "SwitchGLU" : "ExpertGLU";
        const Node* latent = f_.get("experts.latent");
        e.latent = latent && latent->kind == Node::Kind::String;
        if (!e.latent) return;
        // An optional width leaves the experts at the hidden size where the config has none.
        std::string width = binding_expr("experts.latent", true);
        const FieldDecl* d = field(latent->text);
        e.latent_width = d && is_optional(*d) ? width : "Optional(" + width + ")";
        e.latent_bias = flag_expr("experts.latent_bias");
        e.input_width = "expertWidth";
    }

    void lower_experts(ir::Experts& e) {
        const Node* beside = f_.get("experts.beside_mlp");
        e.beside_mlp = beside && (beside->kind == Node::Kind::String || beside->boolean);
        e.used = uses("layers.feed_forward", "experts") || e.beside_mlp;
        if (!e.used) return;
        if (e.beside_mlp) e.beside_flag = flag_expr("experts.beside_mlp");
        const Node* per_expert = f_.get("experts.router.per_expert_scale");
        e.per_expert_scale = per_expert && per_expert->boolean ? "true" : "false";
        e.router_key = key_literal("experts.keys.router");
        e.experts_key = key_literal("experts.keys.experts");
        e.shared_key = key_literal("experts.keys.shared");
        e.shared_gate_key = key_literal("experts.keys.shared_gate");
        if (const Node* nested = f_.get("experts.keys.router_layer"); nested && nested->kind == Node::Kind::String) {
            e.router_nested = true;
            e.router_layer_key = namer::string_literal(nested->text);
        }
        e.count = experts_size(e, "experts.count");
        if (f_.text("experts.router.order") != "sparse_mixer") e.per_token = experts_size(e, "experts.per_token");
        const Node* width = f_.get("experts.intermediate");
        e.intermediate = width && width->kind == Node::Kind::String ? experts_size(e, "experts.intermediate")
                                                                    : "args.intermediateSize";
        e.bias = flag_expr("experts.bias");
        e.router_bias = flag_expr("experts.router.bias");
        e.clamped = f_.text("experts.activation") == "swiglu_clamped";
        e.activation = f_.text("experts.activation") == "gelu_approx" ? "geluApproximate" : "silu";
        e.top_k_first = f_.text("experts.router.order") == "top_k_then_softmax";
        e.weighted_inputs = f_.text("experts.router.weighted") == "inputs";
        lower_expert_projections(e);
        e.sparse_mixer = f_.text("experts.router.order") == "sparse_mixer";
        e.scored = !e.top_k_first && !e.sparse_mixer;
        if (e.sparse_mixer) {
            // The sparse mixer routes two experts whatever the config says.
            e.per_token = std::to_string(kSparseMixerExperts);
            e.jitter = binding_expr("experts.router.jitter_eps", false);
        }
        e.normalize = flag_expr("experts.router.normalize");
        if (const Node* single = f_.get("experts.router.normalize_single");
            single && !single->boolean && e.normalize != "false") {
            // A single expert keeps its score: only k > 1 scores are renormalised.
            std::string more = e.per_token + " > 1";
            e.normalize = e.normalize == "true" ? more : e.normalize + " && " + more;
        }
        lower_router(e);
        if (e.router_nested_biased) e.router_nested = false;
        e.router_plain = !e.selection_bias_in_router && !e.selection_bias_apart && !e.router_nested && !e.router_nested_biased;
        e.router_type = e.router_nested_biased ? "NestedBiasedExpertRouter"
                        : e.router_nested      ? "NestedLinear"
                        : e.router_plain       ? "Linear"
                                               : "BiasedExpertRouter";
        const Node* shared = f_.get("experts.shared.intermediate");
        const Node* enabled = f_.get("experts.shared.enabled");
        e.shared = shared && shared->kind == Node::Kind::String && !(enabled && enabled->kind == Node::Kind::Bool &&
                                                                    !enabled->boolean);
        if (e.shared) {
            e.shared_intermediate = layer_binding_expr("experts.shared.intermediate", e.per_layer);
            e.shared_gated = on("experts.shared.gated");
            e.shared_optional = !f_.flag_is_const("experts.shared.enabled");
            if (e.shared_optional) e.shared_enabled = flag_expr("experts.shared.enabled");
            e.routed_optional = on("experts.shared.alone_without_experts");
        }
    }

    /// Which kind each layer gets: one for all, or by the schedule's name for it. The dense kind
    /// takes its width as an argument when a shared expert builds it at another width.
    void lower_layer(ir::ModelFile& m) {
        m.mlp.used = uses("layers.feed_forward", "mlp") || m.experts.shared;
        const Node* own_width = f_.get("mlp.intermediate");
        bool own = own_width && own_width->kind == Node::Kind::String;
        m.mlp.sized = m.experts.shared || own;
        std::string dense_width = own ? binding_expr("mlp.intermediate", false) : m.mlp.intermediate;
        if (m.mlp.sized) m.mlp.intermediate = "hiddenDimensions";
        std::vector<std::string> feed_forwards = f_.strings("layers.feed_forward");
        m.layer.single_block = std::find(feed_forwards.begin(), feed_forwards.end(), "none") != feed_forwards.end();
        m.layer.summed = on("layers.mixers_summed");
        for (const auto& kind : feed_forwards) {
            if (kind == "none") continue;
            ir::ScheduledKind k;
            k.name = namer::string_literal(kind);
            if (kind == "experts") {
                k.type = m.types.experts;
                k.per_layer = m.experts.per_layer;
            } else {
                k.type = m.types.mlp;
                k.per_layer = m.mlp.per_layer;
                k.sized = m.mlp.sized;
                k.width = dense_width;
            }
            m.layer.feed_forward_kinds.push_back(k);
        }
        if (!m.layer.feed_forward_kinds.empty()) m.layer.feed_forward_kinds.back().last = true;
        m.layer.feed_forward_key =
            key_literal(m.experts.used && !m.experts.beside_mlp ? "experts.keys.block" : "mlp.keys.block");
        m.layer.feed_forward_scheduled = m.layer.feed_forward_kinds.size() > 1;
        // The resolver checked that every kind of a one-block layer shares the feed-forward's key.
        if (m.layer.single_block) m.layer.block_key = key_literal("mlp.keys.block");
        if (m.layer.single_block && m.experts.used) m.layer.block_key = key_literal("experts.keys.block");
        m.layer.feed_forward_listed = m.layer.feed_forward_scheduled || m.layer.single_block;
        if (m.layer.feed_forward_listed) {
            m.layer.feed_forward_type = "UnaryLayer";
            m.layer.feed_forward_schedule = binding_expr("layers.schedule.feed_forward", false);
            m.layer.feed_forward_schedule_field = m.layer.feed_forward_schedule.substr(std::string("args.").size());
        } else if (!m.layer.feed_forward_kinds.empty()) {
            m.layer.feed_forward_type = m.layer.feed_forward_kinds[0].type;
        }
    }

    /// What follows a sandwich layer's residual sum: its per-layer input and its scalar.
    void lower_layer_tail(ir::ModelFile& m) {
        m.layer.per_layer_inputs = m.embedding.per_layer && !m.residual.altup;
        m.layer.extended_tail = m.layer.per_layer_inputs || m.residual.layer_scalar;
        m.layer.residual_sum = m.norm.clip_residual ? "clipResidual(h, r)" : "h + r";
        m.layer.result = m.layer.extended_tail ? "out" : m.layer.residual_sum;
        // A float32 stream is cast to each norm's weight dtype, so the blocks compute as the checkpoint's.
        if (m.residual.float32) {
            m.layer.mixer_input = "inputLayerNorm.castingInput(x)";
            m.layer.feed_forward_input = "postAttentionLayerNorm.castingInput(h)";
        }
        // A layer without a feed-forward ends at the mixer's residual sum.
        m.layer.feed_forward = !f_.strings("layers.feed_forward").empty();
        if (!m.layer.feed_forward) m.layer.result = "h";
    }

    std::string norm_type() const {
        std::string kind = f_.text("norm.kind");
        return kind == "rms_one_plus"     ? "OnePlusRMSNorm"
               : kind == "layer"          ? "LayerNorm"
               : kind == "layer_one_plus" ? "OnePlusLayerNorm"
                                          : "RMSNorm";
    }

    /// Only LayerNorms take a bias; resolve refuses `norm.bias` on the other kinds.
    std::string norm_bias_argument() const {
        const Node* affine = f_.get("norm.affine");
        if (affine && affine->kind == Node::Kind::Bool && !affine->boolean) return ", affine: false";
        const Node* bias = f_.get("norm.bias");
        return bias && bias->kind == Node::Kind::Bool && !bias->boolean ? ", bias: false" : "";
    }

    void lower_head(ir::Head& h) {
        const Node* tie = f_.get("head.tie");
        if (!tie || tie->kind == Node::Kind::Bool) {
            bool tied = tie && tie->boolean;
            h.tie = tied ? "true" : "false";
            h.always_tied = tied;
            h.never_tied = !tied;
        } else {
            h.tie = binding_expr("head.tie", false);
            h.tie_from_config = true;
        }
        if (const Node* divisor = f_.get("head.logit_divisor"); divisor && divisor->kind == Node::Kind::String) {
            h.divided = true;
            h.divisor = binding_expr("head.logit_divisor", false);
        }
        if (const Node* cap = f_.get("head.softcap"); cap && cap->kind == Node::Kind::String) {
            h.softcap_field = binding_expr("head.softcap", true);
            // An optional field's absence means no cap; a field with a default always caps.
            const FieldDecl* d = field(cap->text);
            h.softcap = !d || is_optional(*d);
            h.softcap_always = !h.softcap;
        }
        if (const Node* m = f_.get("head.logit_multiplier"); m && m->kind == Node::Kind::String) {
            h.multiplied = true;
            h.multiplier = binding_expr("head.logit_multiplier", false);
        }
        h.plain = !h.divided && !h.multiplied && !h.softcap && !h.softcap_always;
        h.bias = flag_expr("head.bias");
        std::string normalized = flag_expr("head.normalized_columns");
        h.normalized = normalized != "false";
        if (h.normalized) h.normalized_condition = normalized;
    }

    const ResolvedFamily& f_;
    Diagnostics& diags_;
    std::vector<FieldDecl> fields_;
};

}  // namespace

ir::ModelFile lower_family(const ResolvedFamily& family, Diagnostics& diags) {
    if (family.abstract) throw InternalError("abstract family '" + family.id + "' reached lowering");
    return Lowerer(family, diags).run();
}

ir::Registry lower_registry(const std::vector<ir::ModelFile>& models) {
    ir::Registry r;
    std::string supported = "[";
    auto by_family = [&](const std::string& family) -> const ir::ModelFile* {
        for (const auto& m : models) {
            if (m.family == family) return &m;
        }
        return nullptr;
    };
    for (const auto& m : models) {
        std::string types;
        for (const auto& t : m.model_types) {
            ir::RegistryEntry entry;
            entry.model_type = t.name;
            entry.model_type_literal = namer::string_literal(t.name);
            entry.family = m.family;
            entry.configuration = m.types.configuration;
            entry.model = m.types.model;
            for (const auto& w : m.wrappers) {
                if (w.model_type != t.name) continue;
                entry.wrapped = true;
                entry.from_top_level = w.from_top_level;
                entry.defaults = w.defaults;
                entry.has_from_top_level = !w.from_top_level.empty();
                entry.has_defaults = !w.defaults.empty();
                entry.text_config_optional = w.text_config_optional;
                entry.top_level_overrides = w.top_level_overrides;
                entry.has_top_level_overrides = !w.top_level_overrides.empty();
                entry.weight_prefixes = w.weight_prefixes;
                entry.weight_drops = w.weight_drops;
                entry.has_weight_drops = !w.weight_drops.empty();
                entry.has_weight_prefixes = !w.weight_prefixes.empty();
                for (const auto& [text_type, family] : w.dispatch) {
                    if (family == vocab::kRefusedDispatch && text_type == "*") {
                        entry.default_refused = true;
                        continue;
                    }
                    if (family == vocab::kRefusedDispatch) {
                        ir::DispatchCase refused;
                        refused.text_model_type = namer::string_literal(text_type);
                        refused.refused = true;
                        entry.dispatch.push_back(refused);
                        continue;
                    }
                    const ir::ModelFile* target = by_family(family);
                    if (!target) throw InternalError("dispatch to unknown family " + family);
                    if (text_type == "*") {
                        entry.default_configuration = target->types.configuration;
                        entry.default_model = target->types.model;
                    } else {
                        entry.dispatch.push_back(ir::DispatchCase{namer::string_literal(text_type),
                                                                  target->types.configuration, target->types.model});
                    }
                }
                entry.dispatches = !w.dispatch.empty();
                if (entry.dispatches && entry.default_model.empty() && !entry.default_refused) {
                    entry.default_configuration = m.types.configuration;
                    entry.default_model = m.types.model;
                }
            }
            r.entries.push_back(entry);
            types += (types.empty() ? "" : ", ") + std::string("`") + t.name + "`";
        }
        r.families.push_back(ir::RegistryFamily{m.family, m.swift_name, m.file_name, m.description, types});
    }
    for (const auto& m : models) r.refused.insert(r.refused.end(), m.refused_model_types.begin(), m.refused_model_types.end());
    std::sort(r.refused.begin(), r.refused.end(), [](const auto& a, const auto& b) { return a.model_type < b.model_type; });
    r.has_refused = !r.refused.empty();
    std::sort(r.entries.begin(), r.entries.end(),
              [](const auto& a, const auto& b) { return a.model_type < b.model_type; });
    std::sort(r.families.begin(), r.families.end(), [](const auto& a, const auto& b) { return a.family < b.family; });
    for (size_t i = 0; i < r.entries.size(); ++i) {
        r.entries[i].comma = r.entries.size() > 1;
        supported += (i ? ", " : "") + namer::string_literal(r.entries[i].model_type);
    }
    r.supported = supported + "]";
    return r;
}

}  // namespace hf2swift
