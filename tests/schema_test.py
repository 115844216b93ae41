#!/usr/bin/env python3
"""Schema and engine agree: families/family.schema.json is what `hf2swift schema` prints, every family
validates against it, and every bad-input case of tests/golden/errors/ that one document can show is
rejected by both the engine and the schema (jsonschema, draft-07).

usage: .venv/bin/python tests/schema_test.py build/hf2swift
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELINE = "# yaml-language-server: $schema=family.schema.json"

# Cases the schema sees: each is a fact about one document as JSON (an unknown key, a wrong type, a
# value outside its set, a missing key the document itself must state, a value that is not one line).
SCHEMA_DETECTABLE = {
    "empty_file": "an empty document is null, not a mapping",
    "not_a_mapping": "the document is a list, not a mapping",
    "cr_line_endings": "read with lone carriage returns, the document is one string, not a mapping",
    "unknown_key": "an unknown key (every mapping is closed)",
    "unknown_key_top_level": "an unknown key at the top level",
    "unknown_key_config_entry": "an unknown key in a config entry (each entry variant is closed)",
    "derive_from_not_a_mapping": "a derived default's rebound inputs are a mapping",
    "merge_key": "'<<' is an unknown key once the document is JSON (a YAML merge is never applied)",
    "several_errors": "a value outside its set, a number for a flag, an unknown key",
    "wrong_type": "`yes` is a string where a boolean belongs",
    "wrong_type_True": "`True` is a string where a boolean belongs",
    "wrong_type_quoted_bool": '`"true"` is a string where a boolean belongs',
    "wrong_type_list_for_string": "a list where a string belongs",
    "out_of_set": "a value outside its enum",
    "out_of_set_nested": "a value outside its enum, two levels down",
    "out_of_set_policy": "a policy outside the set",
    "type_and_policy": "a config entry matches neither variant: `type` and `policy` exclude each other",
    "duplicate_list_entry": "model_types repeats an entry (uniqueItems)",
    "missing_required": "a concrete document omits `description`, which is never inherited",
    "newline_in_string": "a one-line string holds a newline",
    "control_character": "a string holds a control character",
    "nesting_too_deep": "a mapping where a config field name belongs (the depth limit itself is the loader's)",
    "anchor": "once the alias is expanded, `norm` holds `bias`, which it does not have (the anchor itself "
              "is invisible)",
}

# Cases the schema cannot see, and why. The test checks that the schema indeed accepts these documents
# (or that they are not JSON at all), so the list cannot claim less than the schema does.
NOT_SCHEMA_DETECTABLE = {
    "fallback_field_required": "whether the field fallen back to is optional is that field's entry",
    "fallback_field_type": "the type of the field fallen back to is that field's entry",
    # A rebound input is checked against the derivation's inputs and the family's fields.
    "derive_from_unread_input": "which config inputs a derivation reads is the vocabulary's, not the schema's",
    "derive_from_undeclared_field": "whether a field is declared is across the config mapping",
    "shared_alone_without_shared": "whether the shared expert is there is another key's",
    "shared_alone_selection_bias": "the router's selection bias is another key's",
    "fuse_gate_up_unfused": "the MLP's kind is another key's",
    # YAML that does not survive as JSON: the schema sees the document after it is parsed.
    "duplicate_key": "duplicate keys: JSON objects have no duplicates to see",
    "invalid_utf8": "bytes before YAML: the schema sees the parsed document",
    "duplicate_key_config_entry": "duplicate keys: JSON objects have no duplicates to see",
    "duplicate_key_flow_map": "duplicate keys: JSON objects have no duplicates to see",
    "duplicate_key_top_level": "duplicate keys: JSON objects have no duplicates to see",
    "anchor_scalar": "anchors are resolved before a schema sees the document",
    "tag_builtin": "tags are consumed by the YAML parser",
    "tag_custom": "tags are consumed by the YAML parser",
    "two_documents": "a second YAML document is a stream matter; a schema validates one document",
    "number_out_of_range": "1e999 parses as infinity, which JSON cannot hold and the schema sees as a number",
    "wrong_type_on": "a flag takes true, false or a config field name; plain `on` and a quoted \"on\" (a field "
                     "name) are the same JSON string",
    "stray_comma": "YAML syntax",
    "syntax_bad_indentation": "YAML syntax",
    "syntax_error": "YAML syntax",
    "syntax_misindented_key": "YAML syntax",
    "syntax_tab": "YAML syntax",
    "syntax_unclosed_flow_map": "YAML syntax",
    "syntax_unterminated_quote": "YAML syntax",
    # Facts about the file or about other documents.
    "family_id_mismatch": "the family id must equal the file name, which a schema never sees",
    "missing_required_parent_lacks": "inheritance: the parent removed a key the child relies on",
    "unknown_parent": "inheritance: the parent must exist among the families",
    "unknown_grandparent": "inheritance: an ancestor must exist among the families",
    "cycle": "inheritance: a cycle through three documents",
    "cycle_self": "inheritance: a document that extends itself (its own id is the file name)",
    "cycle_two": "inheritance: a cycle through two documents",
    "duplicate_model_type": "across families: two documents claim one model_type",
    "duplicate_model_type_new": "across families: two documents claim one model_type",
    "duplicate_swift_name": "across families: two documents take one Swift name",
    "dispatch_unknown_family": "across families: a wrapper dispatches to a family that does not exist",
    # Rules between keys, checked by the resolver on the merged family; the vocabulary table the schema
    # is produced from states each key on its own.
    "wrapper_also_twice": "between keys: a wrapper's `also` names a model type of `model_types`, and one "
                          "only once across the wrapper entries",
    "binding_type": "a binding must name a config field of the right type, declared anywhere in the chain",
    "binding_unknown_field": "a binding must name a config field declared anywhere in the chain",
    "policy_missing_why": "a rule between two keys of a config entry (`ignored` needs `why`)",
    "read_false_without_default": "a rule between keys of a config entry (`read: false` needs a default)",
    "rope_base_outside_rope_parameters": "a rule between the RoPE bindings and config entries, after inheritance",
    "float32_residual_layer_norm": "a rule between two keys, one inherited (a float32 residual stream from mamba, LayerNorms)",
    "parallel_beside_recurrent_kind": "a rule between a residual key and the inherited mixer kinds",
    "parallel_post_norms": "a rule between two keys, one inherited (a parallel residual from phi, a post-norm placement)",
    "parallel_mlp_norm_sequential": "a rule between two keys, one inherited (an MLP norm for parallel layers, "
                                   "a sequential residual from llama)",
    "rope_parameters_ignored": "a rule between the RoPE bindings and config entries, after inheritance",
    "wrong_default_type": "a default must fit the entry's `type`: a rule between two keys",
    "top_k_method_unknown_default": "a default must fit the entry's `type` (the top-k methods it knows)",
    "ssd_limit_not_a_range": "a default must fit the entry's `type` (a float_range is two finite numbers)",
    "wrong_type_hex": "`0x1000` is a string default of an int entry: a default must fit the entry's `type`",
    "wrong_type_octal": "`010` is a string default of an int entry: a default must fit the entry's `type`",
    "layers_schedule_missing": "a rule between keys after inheritance: several kinds need a schedule",
    "experts_without_count": "a rule between keys after inheritance: an experts layer needs experts.count",
    "latent_attention_without_sizes": "a rule between keys after inheritance: the latent attention mixer needs its sizes",
    "latent_attention_options_without_mixer": "a rule between keys after inheritance: the options apply to the mixer kind",
    "latent_attention_with_softcap": "a rule between the mixer kind and an attention key",
    "short_conv_without_schedule": "a rule between keys after inheritance: several mixer kinds need a schedule",
    "short_conv_options_without_mixer": "a rule between keys after inheritance: the options apply to the mixer kind",
    "short_conv_without_attention": "a rule between the items of one list: the convolution goes beside attention",
    "latent_attention_with_query_scale_switch": "a rule between the mixer kind and an attention key",
    "selective_ssm_options_without_mixer": "a rule between keys after inheritance: the options apply to the mixer kind",
    "selective_ssm_without_sizes": "a rule between keys after inheritance: the mixer kind needs its sizes bound",
    "selective_ssm_norm_without_eps": "a rule between keys after inheritance: the norms need their epsilon bound",
    "selective_ssm_norm_weights_without_norm": "a rule between keys after inheritance: weights need the norms",
    "selective_ssm_without_schedule": "a rule between keys after inheritance: several mixer kinds need a schedule",
    "selective_ssm_beside_attention_without_feed_forward": "a rule between keys after inheritance: a scheduled mixer needs a feed-forward",
    "ssd_without_schedule": "a rule between keys after inheritance: several mixer kinds need a schedule",
    "ssd_beside_attention_without_feed_forward": "a rule between keys after inheritance: a scheduled mixer needs a feed-forward",
    "ssd_beside_short_conv": "a rule between the items of one list: the state-space block goes beside attention",
    "ssd_scheduled_alone": "a rule between keys after inheritance: a schedule needs several mixer kinds",
    "ssd_without_sizes": "a rule between keys after inheritance: the mixer kind needs its sizes bound",
    "single_block_one_slot": "a rule between keys after inheritance: 'none' in one slot needs it in the other",
    "single_block_alone": "a rule between the items of one list: 'none' is listed beside other kinds",
    "single_block_short_conv": "a rule between keys after inheritance: a layer of one block mixes by attention or ssd",
    "single_block_keys": "a rule between keys after inheritance: the kinds of a layer of one block share its key",
    "experts_activation_field_gated": "a rule between keys after inheritance: a configured activation needs "
                                      "ungated experts",
    "experts_ungated_without_activation": "a rule between keys after inheritance: ungated experts name their "
                                          "activation's field",
    "experts_ungated_activation": "a rule between keys after inheritance: ungated experts take no gated combination",
    "experts_ungated_weighted_inputs": "a rule between keys after inheritance: weighted inputs need gated experts",
    "experts_ungated_gate_up_layout": "a rule between keys after inheritance: a gate-and-up layout needs gated experts",
    "experts_latent_weighted_inputs": "a rule between keys after inheritance: latent projections need weighted outputs",
    "experts_latent_bias_alone": "a rule between keys after inheritance: a latent bias needs the latent width",
    "single_block_post": "a rule between keys after inheritance: a layer of one block is pre-norm",
    "single_block_residual": "a rule between keys after inheritance: a layer of one block has no residual options",
    "summed_kinds": "a rule between keys after inheritance: summed mixers are attention and ssd",
    "summed_schedule": "a rule between keys after inheritance: summed mixers take no schedule",
    "summed_placement": "a rule between keys after inheritance: layers that sum their mixers are pre-norm",
    "mup_unsummed": "a rule between keys after inheritance: muP multipliers need summed mixers",
    "mup_mlp_kind": "a rule between keys after inheritance: muP multipliers need a gated MLP",
    "gated_delta_options_without_mixer": "a rule between keys after inheritance: the options apply to the mixer kind",
    "gated_delta_without_sizes": "a rule between keys after inheritance: the mixer kind needs its sizes bound",
    "gated_delta_without_attention": "a rule between the items of one list: the gated delta rule goes beside attention",
    "output_gate_fused_qkv": "a rule between two attention keys: the gate rides on a separate query projection",
    "converted_norm_offset_plain_norm": "a rule between a weights key and the inherited norm kind",
    "feed_forward_empty_beside_attention": "a rule between keys after inheritance: only a recurrent mixer stands alone",
    "without_feed_forward_post_norm": "a rule between keys after inheritance: a layer without a feed-forward is pre-norm",
    "shared_gate_without_width": "a rule between keys after inheritance: the gate needs the shared expert's width",
    "normalize_after_top_k_softmax": "a rule between two router keys, one of them inherited",
    "clip_per_head_norm": "a rule between two attention keys, one of them inherited",
    "layer_norm_options_on_rms": "a rule between norm and attention keys and the inherited norm kind",
    "learned_activation_not_plain": "a rule between mlp.activation and the inherited mlp.kind",
    "logit_multiplier_with_divisor": "a rule between two head keys, one of them inherited",
    "positions_with_rope": "a rule between the embedding's positions and the inherited RoPE base",
    "rope_without_positions": "a key required unless another one is set (the RoPE base or learned positions)",
    "sigmoid_after_top_k": "a rule between two router keys",
    "groups_without_selected": "a rule between two keys of one map (grouped top-k needs both)",
    "chunked_without_size": "a rule between two keys of one map after inheritance (chunked layers need both)",
    "chunked_with_sliding": "a rule between two attention maps, one of them inherited",
    "nope_scale_without_rope_layers": "a rule between two attention keys, one of them inherited",
    "selection_bias_module_without_bias": "a rule between two experts keys after inheritance",
    "normalize_floor_after_top_k_softmax": "a rule between two router keys",
    "fused_experts_without_down": "a rule between two keys of one map (fused experts need both tensors)",
    "fused_experts_without_experts": "a rule between keys after inheritance: splitting needs experts",
    "nested_router_with_bias_module": "a rule between two expert keys, one of them inherited",
    "sparse_mixer_without_jitter": "a rule between two router keys (the sparse mixer needs its band)",
    "sparse_mixer_with_per_token": "a rule between two expert keys, one of them inherited",
    "sparse_mixer_with_normalize": "a rule between two router keys, one of them inherited",
    "jitter_without_sparse_mixer": "a rule between two router keys, one of them inherited",
    "head_bias_tied": "a rule between two head keys, one of them inherited",
    "longrope_options_without_longrope": "a rule between two RoPE keys, one of them inherited",
    "clip_not_optional": "a binding must name an optional field: a rule between the binding and its entry",
    "optional_default_fallback": "an optional field's default beside a fallback: a rule between keys of one entry "
                                 "the entry schema leaves independent",
    "qk_norm_after_rope_whole": "a rule between two attention keys, one of them inherited",
    "cross_layer_without_group": "a rule between two keys of one map (cross-layer sharing needs both)",
    "cross_layer_fused_qkv": "a rule between two attention keys, one of them inherited",
    "selection_bias_key_without_bias": "a rule between a key name and a router key, after inheritance",
    "refused_model_type_served": "a rule between two identity keys (a family cannot refuse what it serves)",
    "refused_model_type_claimed": "across families: a model type one family refuses and another serves",
    "shared_enabled_without_width": "a rule between keys after inheritance: the switch needs the shared expert's width",
    "values_from_keys_without_layer_types": "a rule between two attention keys after inheritance",
    "experts_beside_without_router_norm": "a rule between the router keys and the experts' inherited placement",
    "kv_sharing_without_sandwich": "a rule between the norm placement and bindings the parent makes",
    "stacked_gate_up_without_experts": "a rule between keys after inheritance: splitting experts needs experts",
    "scores_field_after_top_k": "a rule between two router keys",
    "qk_norm_switch_with_kv_sharing": "a rule between two attention keys, one of them inherited",
    "qk_norm_switch_after_rope": "a rule between two attention keys, one of them inherited",
    "normalized_tied_head": "a rule between two head keys",
    "shared_switch_with_gate": "a rule between two shared-expert keys, one of them inherited",
    "selection_bias_parameter_outside_router": "a rule between a key name and a router key, after inheritance",
}

# Cases whose documents are valid: the error comes later (a failed write). Engine and schema accept them.
VALID_DOCUMENTS = {
    "write_fails_new_directory": "the first staged write fails, as on a full disk",
}


class NotJson(Exception):
    """YAML that has no JSON form a schema could judge."""


_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}


def json_of(node):
    """A YAML node as JSON, typed by the engine's rules (src/load.cpp), not by YAML 1.1's: only
    true/false are booleans, numbers are plain decimals, a quoted scalar is a string."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        text = node.value
        if node.style is not None:
            return text
        if text in _NULLS:
            return None
        if text in ("true", "false"):
            return text == "true"
        if _INT.match(text):
            return int(text)
        if _NUMBER.match(text):
            return float(text)
        return text
    if isinstance(node, yaml.SequenceNode):
        return [json_of(item) for item in node.value]
    out = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise NotJson("a mapping key that is not a scalar")
        name = "" if key.style is None and key.value in _NULLS else key.value
        if name in out:
            raise NotJson(f"duplicate key {name!r}")
        out[name] = json_of(value)
    return out


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError as e:
        raise NotJson(f"not UTF-8 text ({e.reason})") from e
    try:
        return json_of(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise NotJson(str(e).splitlines()[0]) from e


def schema_errors(validator, path):
    """The schema's complaints about one file, compiler-style; raises NotJson."""
    document = load(path)
    rel = os.path.relpath(path, ROOT)
    out = []
    for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(str(p) for p in e.absolute_path) or "(document)"
        out.append(f"{rel}: error: {where}: {e.message}")
    return out


failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def check_schema_file(binary):
    with open(os.path.join(ROOT, "families/family.schema.json"), encoding="utf-8") as f:
        committed = f.read()
    printed = subprocess.run([binary, "schema"], check=True, capture_output=True, text=True).stdout
    if committed != printed:
        fail("families/family.schema.json differs from `hf2swift schema`; run `make regen`")
    schema = yaml.safe_load(committed)  # JSON is YAML; keeps the test to one parser dependency
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def check_families(validator):
    directory = os.path.join(ROOT, "families")
    files = sorted(f for f in os.listdir(directory) if f.endswith(".yaml"))
    if len(files) < 10:
        fail(f"only {len(files)} family documents in families/")
    for name in files:
        path = os.path.join(directory, name)
        with open(path, encoding="utf-8") as f:
            first = f.readline().rstrip("\n")
        if first != MODELINE:
            fail(f"families/{name}:1: the first line must be `{MODELINE}`")
        try:
            for error in schema_errors(validator, path):
                fail(error)
        except NotJson as e:
            fail(f"families/{name}: not JSON-shaped: {e}")
    print(f"ok: {len(files)} family documents validate against the schema")


def check_required_per_document(validator):
    """What "required" means per document: identity keys in every concrete document; every required
    key in a concrete document that extends nothing; nothing in an abstract one."""
    base = load(os.path.join(ROOT, "families/dense_decoder.yaml"))
    standalone = dict(base, family="solo", swift_name="Solo", model_types=["solo"], description="Solo")
    del standalone["abstract"]
    cases = [
        ("an abstract document with no identity keys", {"abstract": True}, True),
        ("a child that states only its identity", {"family": "c", "swift_name": "C", "extends": "llama",
                                                   "model_types": ["c"], "description": "C"}, True),
        ("a child without a description", {"family": "c", "swift_name": "C", "extends": "llama",
                                           "model_types": ["c"]}, False),
        ("a child that sets its description to null", {"family": "c", "swift_name": "C", "extends": "llama",
                                                       "model_types": ["c"], "description": None}, False),
        ("a concrete document extending nothing, with every required key", standalone, True),
        ("the same without norm.eps", dict(standalone, norm={"kind": "rms"}), False),
        ("the same with extends: null", dict(standalone, extends=None, norm={"kind": "rms"}), False),
        ("the same extending a parent that may supply norm.eps",
         dict(standalone, extends="llama", norm={"kind": "rms"}), True),
    ]
    for what, document, valid in cases:
        if validator.is_valid(document) != valid:
            fail(f"the schema {'rejects' if valid else 'accepts'} {what}")
    print(f"ok: {len(cases)} documents show which keys each kind of document must state")


def engine_rejects(binary, case_dir, scratch):
    families = os.path.join(scratch, "families")
    shutil.copytree(os.path.join(ROOT, "families"), families)
    shutil.copytree(os.path.join(case_dir, "families"), families, dirs_exist_ok=True)
    run = subprocess.run([binary, "list", "--families", families], capture_output=True, text=True)
    return run.returncode == 1 and ": error: " in run.stderr


def check_error_cases(binary, validator):
    errors_dir = os.path.join(ROOT, "tests/golden/errors")
    lists = [set(SCHEMA_DETECTABLE), set(NOT_SCHEMA_DETECTABLE), set(VALID_DOCUMENTS)]
    classified = set().union(*lists)
    if sum(map(len, lists)) != len(classified):
        fail("a case is classified twice")
    seen = set()
    skipped = []
    for case in sorted(os.listdir(errors_dir)):
        case_dir = os.path.join(errors_dir, case)
        overlay = os.path.join(case_dir, "families")
        if not os.path.isdir(overlay):
            skipped.append(case)  # templates and output directories: not family documents
            continue
        seen.add(case)
        if case not in classified:
            fail(f"tests/golden/errors/{case}: not classified; add it to SCHEMA_DETECTABLE, "
                 f"NOT_SCHEMA_DETECTABLE or VALID_DOCUMENTS in tests/schema_test.py, with the reason")
            continue
        with tempfile.TemporaryDirectory() as scratch:
            if engine_rejects(binary, case_dir, scratch) != (case not in VALID_DOCUMENTS):
                fail(f"tests/golden/errors/{case}: the engine {'rejects' if case in VALID_DOCUMENTS else 'accepts'} "
                     f"its documents")
        verdicts = {}
        for name in sorted(os.listdir(overlay)):
            path = os.path.join(overlay, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                marked = "expect-error@" in f.read()
            try:
                verdicts[name] = (marked, schema_errors(validator, path))
            except NotJson:
                verdicts[name] = (marked, None)
        if case in SCHEMA_DETECTABLE:
            # Every document that carries an expected error is one the schema rejects.
            for name, (marked, errors) in verdicts.items():
                if marked and not errors:
                    fail(f"tests/golden/errors/{case}/families/{name}: the schema accepts it "
                         f"({'not JSON' if errors is None else 'valid'}), though listed as detectable")
        else:
            for name, (marked, errors) in verdicts.items():
                if errors:
                    fail(f"tests/golden/errors/{case}/families/{name}: listed as beyond the schema, "
                         f"but the schema rejects it:\n  " + "\n  ".join(errors))
    for stale in sorted(classified - seen):
        fail(f"tests/golden/errors/{stale}: classified here but no such family case exists")
    print(f"ok: {len(seen & set(SCHEMA_DETECTABLE))} family error cases rejected by engine and schema; "
          f"{len(seen & set(NOT_SCHEMA_DETECTABLE))} beyond one document's JSON, rejected by the engine; "
          f"{len(seen & set(VALID_DOCUMENTS))} with valid documents; {len(skipped)} without family documents "
          f"(templates, output directories)")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    validator = check_schema_file(binary)
    check_families(validator)
    check_required_per_document(validator)
    check_error_cases(binary, validator)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
