#!/usr/bin/env bash
# test_esserver.sh - self-test of tests/es/esserver.py (the Elasticsearch 7
# stand-in) and tests/es/lib.sh, with curl. Exits non-zero on a failure;
# prints "esserver self-test: N checks passed" at the end.
#
#   tests/es/test_esserver.sh            the checks (a few seconds)
#   ES_BENCH=1 tests/es/test_esserver.sh also measures --no-index throughput
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'es_cleanup; rm -rf "$tmp"' EXIT

pass=0
fail=0
check() { # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    printf 'FAIL %s\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3"
  fi
}
has() { # NAME NEEDLE HAYSTACK
  case $3 in
    *"$2"*) pass=$((pass + 1)) ;;
    *) fail=$((fail + 1)); printf 'FAIL %s\n  missing: %s\n  in:      %s\n' "$1" "$2" "$3" ;;
  esac
}
j() { es_json "$1"; }
post() { es_curl POST "$@"; }
code() { es_status "$@"; }
nd() { printf '%s\n' "$@"; } # NDJSON from lines
bulk() { local p=$1; shift; printf '%s\n' "$@" | es_curl POST "$p" @-; }      # PATH LINES...
bulkcode() { local p=$1; shift; printf '%s\n' "$@" | es_status POST "$p" @-; } # PATH LINES...

# ---------------------------------------------------------------- basics
es_start "$tmp/a" || { echo "FAIL: es_start"; exit 1; }
A=$ES_DIR
r=$(es_curl GET /)
check "GET / version" "7.17.9" "$(j 'd["version"]["number"]' <<<"$r")"
check "GET / tagline" "You Know, for Search" "$(j 'd["tagline"]' <<<"$r")"
check "GET / cluster_name" "esserver" "$(j 'd["cluster_name"]' <<<"$r")"
check "port file" "$ES_PORT" "$(cat "$A/port")"
has "stdout line" "esserver listening on 127.0.0.1:$ES_PORT" "$(cat "$A/esserver.out")"

# ---------------------------------------------------------------- indices
m='{"settings":{"number_of_shards":1,"refresh_interval":"-1"},"mappings":{"properties":{"amt":{"type":"long"},"k":{"type":"keyword","ignore_above":5},"t":{"type":"text"},"d":{"type":"date","format":"yyyy-MM-dd"},"f":{"type":"float"},"sf":{"type":"scaled_float","scaling_factor":100},"b":{"type":"boolean"},"o":{"properties":{"x":{"type":"integer"}}}}}}'
r=$(es_curl PUT /orders "$m")
check "create index" '{"acknowledged":true,"shards_acknowledged":true,"index":"orders"}' "$r"
r=$(es_curl PUT /orders "$m")
check "create existing: type" "resource_already_exists_exception" "$(j 'd["error"]["type"]' <<<"$r")"
check "create existing: status" 400 "$(j 'd["status"]' <<<"$r")"
has "create existing: reason" "index [orders/" "$(j 'd["error"]["reason"]' <<<"$r")"
check "create existing: 400" 400 "$(code PUT /orders "$m")"
check "uppercase name" "Invalid index name [Orders], must be lowercase" \
  "$(es_curl PUT /Orders | j 'd["error"]["reason"]')"
check "underscore name" "Invalid index name [_x], must not start with '_', '-', or '+'" \
  "$(es_curl PUT /_x/ | j 'd["error"]["reason"]')"
check "dash name" "Invalid index name [-x], must not start with '_', '-', or '+'" \
  "$(es_curl PUT /-x | j 'd["error"]["reason"]')"
check "star name" 'Invalid index name [a*b], must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?]' \
  "$(es_curl PUT '/a*b' | j 'd["error"]["reason"]')"
check "hash name" "Invalid index name [a#b], must not contain '#'" \
  "$(es_curl PUT '/a%23b' | j 'd["error"]["reason"]')"
check "dot name" "Invalid index name [..], must not be '.' or '..'" \
  "$(es_curl PUT '/%2E%2E' | j 'd["error"]["reason"]')"
check "invalid name type" "invalid_index_name_exception" "$(es_curl PUT /Orders | j 'd["error"]["type"]')"
r=$(es_curl PUT /badmap '{"mappings":{"properties":{"x":{"type":"strin"}}}}')
check "unknown type" "No handler for type [strin] declared on field [x]" "$(j 'd["error"]["root_cause"][0]["reason"]' <<<"$r")"
check "unknown type: outer" "mapper_parsing_exception" "$(j 'd["error"]["type"]' <<<"$r")"
r=$(es_curl PUT /badmap '{"mappings":{"properties":{"x":{"type":"scaled_float"}}}}')
has "scaled_float without factor" "Field [scaling_factor] is required" "$r"
r=$(es_curl PUT /badmap '{"mappings":{"properties":{"x":{"type":"date","format":"yyyy-bb"}}}}')
has "bad date pattern" "Unknown pattern letter: b" "$r"
check "failed creates leave nothing" 404 "$(es_curl HEAD /badmap)"
check "HEAD index" 200 "$(es_curl HEAD /orders)"
check "HEAD missing" 404 "$(es_curl HEAD /nope)"
r=$(es_curl GET /nope)
check "GET missing index" "index_not_found_exception|no such index [nope]|404" \
  "$(j 'd["error"]["type"]+"|"+d["error"]["reason"]+"|"+str(d["status"])' <<<"$r")"
r=$(es_curl GET /orders)
check "GET index mapping" '{"type":"long"}' "$(j 'd["orders"]["mappings"]["properties"]["amt"]' <<<"$r")"
check "GET index settings" "-1|1" \
  "$(j 'd["orders"]["settings"]["index"]["refresh_interval"]+"|"+d["orders"]["settings"]["index"]["number_of_shards"]' <<<"$r")"
check "GET index object mapping" '{"properties":{"x":{"type":"integer"}}}' \
  "$(j 'd["orders"]["mappings"]["properties"]["o"]' <<<"$r")"
check "put mapping: add" '{"acknowledged":true}' "$(es_curl PUT /orders/_mapping '{"properties":{"n":{"type":"keyword"}}}')"
check "mapping has new field" '{"type":"keyword"}' "$(es_curl GET /orders/_mapping | j 'd["orders"]["mappings"]["properties"]["n"]')"
r=$(es_curl PUT /orders/_mapping '{"properties":{"amt":{"type":"float"}}}')
check "put mapping: type change" "illegal_argument_exception|mapper [amt] cannot be changed from type [long] to [float]|400" \
  "$(j 'd["error"]["type"]+"|"+d["error"]["reason"]+"|"+str(d["status"])' <<<"$r")"
r=$(es_curl PUT /typed '{"mappings":{"_doc":{"properties":{"a":{"type":"long"}}}}}')
has "7.x typed mapping needs include_type_name" "Root mapping definition has unsupported parameters" "$r"
r=$(es_curl PUT '/typed?include_type_name=true' '{"mappings":{"_doc":{"properties":{"a":{"type":"long"}}}}}')
check "include_type_name=true" "true" "$(j 'd["acknowledged"]' <<<"$r")"
check "typed GET mapping" '{"type":"long"}' \
  "$(es_curl GET '/typed/_mapping?include_type_name=true' | j 'd["typed"]["mappings"]["_doc"]["properties"]["a"]')"
check "delete index" '{"acknowledged":true}' "$(es_curl DELETE /typed)"
check "deleted index gone" 404 "$(es_curl HEAD /typed)"

# ---------------------------------------------------------------- dynamic mapping and coercion
r=$(bulk /_bulk '{"index":{"_index":"dyn","_id":"1"}}' '{"amt":10,"name":"Ann Lee","when":"2015-01-01T12:10:30Z","slash":"2015/09/02","n":"123","ok":true,"o":{"p":1.5},"e":null,"arr":[null,7]}' \
  '{"index":{"_index":"dyn","_id":"2"}}' '{"amt":10.1}')
check "dynamic bulk: no errors" false "$(j 'd["errors"]' <<<"$r")"
check "dynamic bulk: statuses" "201 201" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"])' <<<"$r")"
mp=$(es_curl GET /dyn/_mapping)
check "dynamic long" '{"type":"long"}' "$(j 'd["dyn"]["mappings"]["properties"]["amt"]' <<<"$mp")"
check "dynamic text+keyword" '{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}}' \
  "$(j 'd["dyn"]["mappings"]["properties"]["name"]' <<<"$mp")"
check "dynamic date" '{"type":"date"}' "$(j 'd["dyn"]["mappings"]["properties"]["when"]' <<<"$mp")"
check "dynamic slash date" '{"type":"date","format":"yyyy/MM/dd HH:mm:ss||yyyy/MM/dd"}' \
  "$(j 'd["dyn"]["mappings"]["properties"]["slash"]' <<<"$mp")"
check "numeric string stays text" "text" "$(j 'd["dyn"]["mappings"]["properties"]["n"]["type"]' <<<"$mp")"
check "dynamic boolean" '{"type":"boolean"}' "$(j 'd["dyn"]["mappings"]["properties"]["ok"]' <<<"$mp")"
check "dynamic float in object" '{"properties":{"p":{"type":"float"}}}' "$(j 'd["dyn"]["mappings"]["properties"]["o"]' <<<"$mp")"
check "null adds no mapping" False "$(j 'str("e" in d["dyn"]["mappings"]["properties"])' <<<"$mp")"
check "array maps by first non-null" '{"type":"long"}' "$(j 'd["dyn"]["mappings"]["properties"]["arr"]' <<<"$mp")"
es_refresh dyn
r=$(post /dyn/_search '{"size":0,"aggs":{"s":{"sum":{"field":"amt"}}}}')
check "sum of long truncates 10.1" 20.0 "$(j 'd["aggregations"]["s"]["value"]' <<<"$r")"
check "_source keeps 10.1" '{"amt":10.1}' "$(es_get dyn 2)"
check "term on coerced long" 2 "$(es_count dyn '{"term":{"amt":10}}')"
check "term 10.5 on long matches nothing" 0 "$(es_count dyn '{"term":{"amt":10.5}}')"
r=$(bulk /_bulk '{"index":{"_index":"dyn","_id":"3"}}' '{"amt":"abc"}')
check "abc into long: errors" true "$(j 'd["errors"]' <<<"$r")"
check "abc into long: status" 400 "$(j 'd["items"][0]["index"]["status"]' <<<"$r")"
check "abc into long: type" mapper_parsing_exception "$(j 'd["items"][0]["index"]["error"]["type"]' <<<"$r")"
check "abc into long: reason" "failed to parse field [amt] of type [long] in document with id '3'. Preview of field's value: 'abc'" \
  "$(j 'd["items"][0]["index"]["error"]["reason"]' <<<"$r")"
check "abc into long: caused_by" 'illegal_argument_exception|For input string: "abc"' \
  "$(j 'd["items"][0]["index"]["error"]["caused_by"]["type"]+"|"+d["items"][0]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"
check "failed doc not stored" 1 "$(es_get dyn 3 >/dev/null; echo $?)"
r=$(bulk /_bulk '{"index":{"_index":"dyn","_id":"4"}}' '{"amt":"42","brand_new":1,"o":{"p":{"q":1}}}')
has "object into float field" "failed to parse field [o.p] of type [float] in document with id '4'. Preview of field's value: '{q=1}'" "$r"
check "failed doc adds no mapping" False "$(es_curl GET /dyn/_mapping | j 'str("brand_new" in d["dyn"]["mappings"]["properties"])')"
r=$(bulk /_bulk '{"index":{"_index":"dyn","_id":"5"}}' '{"o":7}')
has "scalar into object" "object mapping for [o] tried to parse field [o] as object, but found a concrete value" "$r"
r=$(bulk /_bulk '{"index":{"_index":"dyn","_id":"6"}}' '{"amt":"42"}')
check "numeric string into long (coerce)" 201 "$(j 'd["items"][0]["index"]["status"]' <<<"$r")"
r=$(bulk /_bulk '{"index":{"_index":"dyn","_id":"7"}}' '{"amt":9223372036854775808}')
check "long out of range" 'input_coercion_exception|Numeric value (9223372036854775808) out of range of long (-9223372036854775808 - 9223372036854775807)' \
  "$(j 'd["items"][0]["index"]["error"]["caused_by"]["type"]+"|"+d["items"][0]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"

# coerce off (index setting, and per field)
es_curl PUT /strict '{"settings":{"index.mapping.coerce":false},"mappings":{"properties":{"amt":{"type":"long"},"c":{"type":"integer","coerce":true}}}}' >/dev/null
r=$(bulk /_bulk '{"index":{"_index":"strict","_id":"7"}}' '{"amt":10.1}' '{"index":{"_index":"strict","_id":"8"}}' '{"amt":10.0}' \
  '{"index":{"_index":"strict","_id":"9"}}' '{"amt":"10"}' '{"index":{"_index":"strict","_id":"10"}}' '{"c":"10.7"}')
check "coerce false: statuses" "400 201 400 201" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"])' <<<"$r")"
check "coerce false: reason" "failed to parse field [amt] of type [long] in document with id '7'. Preview of field's value: '10.1'" \
  "$(j 'd["items"][0]["index"]["error"]["reason"]' <<<"$r")"
check "coerce false: caused_by" "Value [10.1] has a decimal part" "$(j 'd["items"][0]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"
check "coerce false: string" "Long value passed as String" "$(j 'd["items"][2]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"
es_curl PUT /fcoerce '{"mappings":{"properties":{"amt":{"type":"long","coerce":false}}}}' >/dev/null
r=$(bulk /_bulk '{"index":{"_index":"fcoerce","_id":"1"}}' '{"amt":1.5}')
check "field coerce false" 400 "$(j 'd["items"][0]["index"]["status"]' <<<"$r")"
es_curl PUT /dynstrict '{"settings":{"index.mapping.coerce":false}}' >/dev/null
r=$(bulk /_bulk '{"index":{"_index":"dynstrict","_id":"1"}}' '{"amt":10}' '{"index":{"_index":"dynstrict","_id":"2"}}' '{"amt":10.1}')
check "dynamic long then 10.1 with coerce off" "201 400" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"])' <<<"$r")"
has "dynamic long then 10.1: names field/type/id" "failed to parse field [amt] of type [long] in document with id '2'" "$r"

# the typed values of the explicit mapping
b=$(nd '{"index":{"_index":"orders","_id":"1"}}' '{"amt":5,"k":"abc","t":"Hello, World!","d":"2015-01-01","f":10.1,"sf":1.234,"b":"true","o":{"x":3}}' \
  '{"index":{"_index":"orders","_id":"2"}}' '{"d":"2015/01/01"}' \
  '{"index":{"_index":"orders","_id":"3"}}' '{"b":"yes"}' \
  '{"index":{"_index":"orders","_id":"4"}}' '{"o":{"x":3000000000}}' \
  '{"index":{"_index":"orders","_id":"5"}}' '{"k":"abcdefgh","amt":7,"b":""}' \
  '{"index":{"_index":"orders","_id":"6"}}' '{"unknown":{"deep":[1,2]},"amt":null}')
r=$(post '/_bulk?refresh=true' "$b"$'\n')
check "typed: statuses" "201 400 400 400 201 201" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"])' <<<"$r")"
check "date format error" "failed to parse field [d] of type [date] in document with id '2'. Preview of field's value: '2015/01/01'" \
  "$(j 'd["items"][1]["index"]["error"]["reason"]' <<<"$r")"
check "date format caused_by" "failed to parse date field [2015/01/01] with format [yyyy-MM-dd]" \
  "$(j 'd["items"][1]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"
check "date format root" "date_time_parse_exception" "$(j 'd["items"][1]["index"]["error"]["caused_by"]["caused_by"]["type"]' <<<"$r")"
check "boolean error" "Failed to parse value [yes] as only [true] or [false] are allowed." \
  "$(j 'd["items"][2]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"
check "integer out of range" "Numeric value (3000000000) out of range of int (-2147483648 - 2147483647)" \
  "$(j 'd["items"][3]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"
check "term keyword" 1 "$(es_count orders '{"term":{"k":"abc"}}')"
check "ignore_above not indexed" 0 "$(es_count orders '{"term":{"k":"abcdefgh"}}')"
check "term text token" 1 "$(es_count orders '{"term":{"t":"world"}}')"
check "term text not analysed" 0 "$(es_count orders '{"term":{"t":"World"}}')"
check "term float rounded like ES" 1 "$(es_count orders '{"term":{"f":10.1}}')"
check "term boolean from string" 1 "$(es_count orders '{"term":{"b":true}}')"
check "empty string is false" 1 "$(es_count orders '{"term":{"b":false}}')"
check "term date" 1 "$(es_count orders '{"term":{"d":"2015-01-01"}}')"
check "term object field" 1 "$(es_count orders '{"term":{"o.x":3}}')"
r=$(post /orders/_search '{"size":0,"aggs":{"f":{"sum":{"field":"f"}},"sf":{"sum":{"field":"sf"}}}}')
check "float sum is float32" 10.100000381469727 "$(j 'd["aggregations"]["f"]["value"]' <<<"$r")"
check "scaled_float sum" 1.23 "$(j 'd["aggregations"]["sf"]["value"]' <<<"$r")"
r=$(es_curl PUT /orders/_doc/9 '{"unknown2":1}')
check "PUT _doc with dynamic field" created "$(j 'd["result"]' <<<"$r")"
es_curl PUT /strictmap '{"mappings":{"dynamic":"strict","properties":{"a":{"type":"long"}}}}' >/dev/null
r=$(es_curl PUT /strictmap/_doc/1 '{"a":1,"b":2}')
check "dynamic strict" "strict_dynamic_mapping_exception|mapping set to strict, dynamic introduction of [b] within [_doc] is not allowed|400" \
  "$(j 'd["error"]["type"]+"|"+d["error"]["reason"]+"|"+str(d["status"])' <<<"$r")"
es_curl PUT /dynfalse '{"mappings":{"dynamic":false}}' >/dev/null
es_curl PUT '/dynfalse/_doc/1?refresh=true' '{"a":1}' >/dev/null
check "dynamic false ignores" '{}' "$(es_curl GET /dynfalse/_mapping | j 'd["dynfalse"]["mappings"].get("properties", {})')"
check "dynamic false keeps _source" '{"a":1}' "$(es_get dynfalse 1)"

# date formats
es_curl PUT /dates '{"mappings":{"properties":{"def":{"type":"date"},"es":{"type":"date","format":"epoch_second"},"p":{"type":"date","format":"dd.MM.uuuu HH:mm:ss.SSS||yyyy'"'"'T'"'"'HHmm"}}}}' >/dev/null
r=$(bulk '/_bulk?refresh=true' '{"index":{"_index":"dates","_id":"1"}}' '{"def":"2015-01-01T12:10:30.123+01:00"}' \
  '{"index":{"_index":"dates","_id":"2"}}' '{"def":1420070400001}' \
  '{"index":{"_index":"dates","_id":"3"}}' '{"def":"01-01-2015"}' \
  '{"index":{"_index":"dates","_id":"4"}}' '{"es":1420070400,"p":"31.12.2015 23:59:59.999"}' \
  '{"index":{"_index":"dates","_id":"5"}}' '{"p":"2015T1200"}' \
  '{"index":{"_index":"dates","_id":"6"}}' '{"p":"31.02.2015 00:00:00.000"}' \
  '{"index":{"_index":"dates","_id":"7"}}' '{"def":"2015-13-01"}')
check "dates: statuses" "201 201 400 201 201 400 400" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"])' <<<"$r")"
check "dates: default format in message" "failed to parse date field [01-01-2015] with format [strict_date_optional_time||epoch_millis]" \
  "$(j 'd["items"][2]["index"]["error"]["caused_by"]["reason"]' <<<"$r")"
check "dates: term epoch_second" 1 "$(es_count dates '{"term":{"es":1420070400}}')"
check "dates: term default format" 1 "$(es_count dates '{"term":{"def":"2015-01-01T11:10:30.123Z"}}')"

# ---------------------------------------------------------------- documents and bulk
es_curl PUT /docs '{"settings":{"refresh_interval":"-1"},"mappings":{"properties":{"k":{"type":"keyword"},"n":{"type":"long"}}}}' >/dev/null
r=$(es_curl PUT /docs/_doc/a '{"k":"x","n":1}')
check "PUT doc" "created|1|0" "$(j 'd["result"]+"|"+str(d["_version"])+"|"+str(d["_seq_no"])' <<<"$r")"
check "PUT doc: 201" 201 "$(code PUT /docs/_doc/c '{"k":"c"}')"
check "PUT doc again: updated" "updated|2|2" "$(es_curl PUT /docs/_doc/a '{"k":"y","n":2}' | j 'd["result"]+"|"+str(d["_version"])+"|"+str(d["_seq_no"])')"
check "PUT doc again: 200" 200 "$(code PUT /docs/_doc/a '{"k":"y","n":2}')"
check "op_type=create conflict" 409 "$(code PUT '/docs/_doc/a?op_type=create' '{"k":"z"}')"
check "_create conflict type" version_conflict_engine_exception "$(es_curl PUT /docs/_create/a '{"k":"z"}' | j 'd["error"]["type"]')"
r=$(post /docs/_doc '{"k":"auto","n":3}')
auto=$(j 'd["_id"]' <<<"$r")
check "auto id: 20 url-safe chars" 1 "$("$ES_PYTHON" -c 'import re,sys; print(int(bool(re.fullmatch(r"[A-Za-z0-9_-]{20}", sys.argv[1]))))' "$auto")"
r=$(es_curl GET /docs/_doc/a)
check "GET doc" 'docs|_doc|a|3|true|{"k":"y","n":2}' \
  "$(j '"|".join([d["_index"],d["_type"],d["_id"],str(d["_version"]),str(d["found"]).lower(),json.dumps(d["_source"],separators=(",",":"))])' <<<"$r")"
check "GET doc has seq_no/primary_term" "3|1" "$(j 'str(d["_seq_no"])+"|"+str(d["_primary_term"])' <<<"$r")"
r=$(es_curl GET /docs/_doc/zz)
check "GET missing doc" '{"_index":"docs","_type":"_doc","_id":"zz","found":false}' "$r"
check "GET missing doc: 404" 404 "$(code GET /docs/_doc/zz)"
check "GET doc is realtime (no refresh)" 0 "$(es_count docs)"
r=$(es_curl DELETE /docs/_doc/a)
check "DELETE doc" "deleted|4" "$(j 'd["result"]+"|"+str(d["_version"])' <<<"$r")"
r=$(es_curl DELETE /docs/_doc/a)
check "DELETE again: not_found" "not_found|5|404" "$(j 'd["result"]+"|"+str(d["_version"])' <<<"$r")|$(code DELETE /docs/_doc/a)"
check "re-index after delete continues version" 7 "$(es_curl PUT /docs/_doc/a '{"k":"again"}' | j 'd["_version"]')"
r=$(post /docs/_update/a '{"doc":{"n":5}}')
check "_update merges" 'updated|{"k":"again","n":5}' "$(j 'd["result"]' <<<"$r")|$(es_get docs a)"
check "_update noop" noop "$(post /docs/_update/a '{"doc":{"n":5}}' | j 'd["result"]')"
check "_update missing doc" 404 "$(code POST /docs/_update/nodoc '{"doc":{"n":5}}')"
check "_update doc_as_upsert" created "$(post /docs/_update/up '{"doc":{"n":6},"doc_as_upsert":true}' | j 'd["result"]')"

# bulk: mixed actions, items in order, not_found is no error
b=$(nd '{"index":{"_index":"docs","_id":"b1"}}' '{"k":"b","n":1}' \
  '{"create":{"_index":"docs","_id":"b2"}}' '{"k":"b","n":2}' \
  '{"delete":{"_index":"docs","_id":"b1"}}' \
  '{"delete":{"_index":"docs","_id":"never"}}' \
  '{"update":{"_index":"docs","_id":"b2"}}' '{"doc":{"n":20}}' \
  '{"update":{"_index":"docs","_id":"b3"}}' '{"doc":{"n":30},"doc_as_upsert":true}' \
  '{"index":{"_id":"b4"}}' '{"k":"url index"}')
r=$(post /docs/_bulk "$b"$'\n')
check "bulk mixed: errors false" false "$(j 'd["errors"]' <<<"$r")"
check "bulk mixed: actions" "index create delete delete update update index" "$(j '" ".join(next(iter(i)) for i in d["items"])' <<<"$r")"
check "bulk mixed: statuses" "201 201 200 404 200 201 201" "$(j '" ".join(str(next(iter(i.values()))["status"]) for i in d["items"])' <<<"$r")"
check "bulk mixed: results" "created created deleted not_found updated created created" \
  "$(j '" ".join(next(iter(i.values()))["result"] for i in d["items"])' <<<"$r")"
check "bulk not_found has no error" False "$(j 'str("error" in d["items"][3]["delete"])' <<<"$r")"
check "bulk item shape" '_index _type _id _version result _shards _seq_no _primary_term status|{"total":2,"successful":1,"failed":0}|1' \
  "$(j '" ".join(d["items"][0]["index"])+"|"+json.dumps(d["items"][0]["index"]["_shards"],separators=(",",":"))+"|"+str(d["items"][0]["index"]["_primary_term"])' <<<"$r")"
check "bulk update applied" '{"k":"b","n":20}' "$(es_get docs b2)"
b=$(nd '{"create":{"_index":"docs","_id":"b2"}}' '{"k":"dup"}' \
  '{"index":{"_index":"docs","_id":"b5"}}' '{"n":"not a number"}' \
  '{"index":{"_index":"docs","_id":"b6"}}' '{"n":6}' \
  '{"index":{"_index":"docs","_id":"b7"}}' '{"n":7' \
  '{"delete":{"_index":"nosuchindex","_id":"x"}}' \
  '{"index":{"_index":"Bad","_id":"x"}}' '{}')
r=$(post /_bulk "$b"$'\n')
check "bulk with errors: errors true" true "$(j 'd["errors"]' <<<"$r")"
check "bulk with errors: statuses" "409 400 201 400 404 400" "$(j '" ".join(str(next(iter(i.values()))["status"]) for i in d["items"])' <<<"$r")"
check "bulk with errors: types" "version_conflict_engine_exception mapper_parsing_exception - mapper_parsing_exception index_not_found_exception invalid_index_name_exception" \
  "$(j '" ".join(next(iter(i.values())).get("error",{}).get("type","-") for i in d["items"])' <<<"$r")"
h=$(printf '%s\n' '{"index":{"_index":"docs","_type":"_doc","_id":"t1"}}' '{}' | curl -s -D - -o /dev/null \
  -H 'Content-Type: application/x-ndjson' --data-binary @- "$ES_URL/_bulk")
has "bulk _type: deprecation warning" 'Warning: 299 Elasticsearch-7.17.9-esserver "[types removal] Specifying types in bulk requests is deprecated."' "$h"
check "bulk conflict reason" "[b2]: version conflict, document already exists (current version [2])" \
  "$(j 'd["items"][0]["create"]["error"]["reason"]' <<<"$r")"
check "one item's error does not affect others" '{"n":6}' "$(es_get docs b6)"
check "delete does not create an index" 404 "$(es_curl HEAD /nosuchindex)"

# the request-level bulk errors
r=$(printf '{"index":{"_index":"docs","_id":"nl"}}\n{"n":1}' | es_curl POST /_bulk @-)
check "newline rule" "illegal_argument_exception|The bulk request must be terminated by a newline [\\n]|400" \
  "$(j 'd["error"]["type"]+"|"+d["error"]["reason"]+"|"+str(d["status"])' <<<"$r")"
check "newline rule: nothing applied" 404 "$(code GET /docs/_doc/nl)"
r=$(bulk /_bulk '{"index":{"_index":"docs","_id":"m1"}}' '{"n":1}' '{"index":{"_index":"docs","_id":"m2"}' '{"n":2}')
check "malformed action line" "json_parse_exception|400" "$(j 'd["error"]["type"]+"|"+str(d["status"])' <<<"$r")"
check "malformed: nothing applied" 404 "$(code GET /docs/_doc/m1)"
r=$(bulk /_bulk '{"indx":{"_index":"docs"}}' '{}')
check "unknown action" "Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [indx]" \
  "$(j 'd["error"]["reason"]' <<<"$r")"
r=$(bulk /_bulk '{"index":{"_index":"docs","foo":1}}' '{}')
check "unknown parameter" "Action/metadata line [1] contains an unknown parameter [foo]" "$(j 'd["error"]["reason"]' <<<"$r")"
r=$(bulk /_bulk '{"delete":{"_index":"docs"}}' '{"index":{}}' '{}')
check "validation" "action_request_validation_exception|Validation Failed: 1: id is missing;2: index is missing;" \
  "$(j 'd["error"]["type"]+"|"+d["error"]["reason"]' <<<"$r")"
check "GET _bulk: 405" 405 "$(code GET /_bulk)"
has "GET _bulk: message" "Incorrect HTTP method for uri [/_bulk] and method [GET], allowed: [POST, PUT]" "$(es_curl GET /_bulk)"
has "unknown path" "no handler found for uri [/_nothing] and method [GET]" "$(es_curl GET /_nothing)"
check "wrong content type" 406 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "$ES_URL/docs/_search")"

# ---------------------------------------------------------------- verbatim _source
src='{"amt": 10.10, "big":12345678901234567890.12, "s":"caf\u00e9 ü", "e":1.0e3 }'
r=$(bulk /_bulk '{"index":{"_index":"verb","_id":"v"}}' "$src")
check "verbatim: indexed" 201 "$(j 'd["items"][0]["index"]["status"]' <<<"$r")"
check "verbatim: _source api" "$src" "$(es_get verb v)"
check "verbatim: GET _doc" "\"_source\":$src}" "$(es_curl GET /verb/_doc/v | grep -o '"_source":.*')"
es_refresh verb
check "verbatim: _search" "\"_source\":$src}]}}" "$(post /verb/_search '{"query":{"match_all":{}}}' | grep -o '"_source":.*')"
check "verbatim: dump raw" "$src" "$(es_dump verb | j 'd["raw"]["v"]')"
check "verbatim: 10.10 kept" 1 "$(es_get verb v | grep -c '10.10,')"

# ---------------------------------------------------------------- search, count, refresh
es_curl PUT /s '{"settings":{"refresh_interval":"-1"},"mappings":{"properties":{"k":{"type":"keyword"},"n":{"type":"long"},"t":{"type":"text"}}}}' >/dev/null
b=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
  b+=$(nd "{\"index\":{\"_index\":\"s\",\"_id\":\"d$i\"}}" "{\"k\":\"g$((i % 3))\",\"n\":$i,\"t\":\"Doc number $i\"}")$'\n'
done
post /_bulk "$b" >/dev/null
check "unrefreshed: count 0" 0 "$(es_count s)"
check "unrefreshed: search 0" 0 "$(post /s/_search '{}' | j 'd["hits"]["total"]["value"]')"
check "refresh reply" '{"_shards":{"total":2,"successful":1,"failed":0}}' "$(es_curl POST /s/_refresh)"
check "refreshed: count" 12 "$(es_count s)"
r=$(post /s/_search '{"query":{"match_all":{}}}')
check "match_all: total" '{"value":12,"relation":"eq"}' "$(j 'd["hits"]["total"]' <<<"$r")"
check "match_all: default size 10" 10 "$(j 'len(d["hits"]["hits"])' <<<"$r")"
check "match_all: max_score" 1.0 "$(j 'd["hits"]["max_score"]' <<<"$r")"
check "hit shape" "_index _type _id _score _source" "$(j '" ".join(d["hits"]["hits"][0])' <<<"$r")"
r=$(post /s/_search '{"query":{"term":{"k":"g1"}},"sort":[{"n":"desc"}],"size":2}')
check "term+sort desc+size" "d10 d7|4" "$(j '" ".join(h["_id"] for h in d["hits"]["hits"])+"|"+str(d["hits"]["total"]["value"])' <<<"$r")"
check "sort values" "[10] None" "$(j 'str(d["hits"]["hits"][0]["sort"])+" "+str(d["hits"]["hits"][0]["_score"])' <<<"$r")"
r=$(post /s/_search '{"query":{"term":{"k":{"value":"g0"}}},"sort":["n"],"from":1,"size":2}')
check "term value form + sort asc + from" "d6 d9" "$(j '" ".join(h["_id"] for h in d["hits"]["hits"])' <<<"$r")"
r=$(post /s/_search '{"query":{"bool":{"filter":[{"term":{"k":"g2"}},{"term":{"n":5}}]}}}')
check "bool filter" "d5|0.0" "$(j '" ".join(h["_id"] for h in d["hits"]["hits"])+"|"+str(d["hits"]["hits"][0]["_score"])' <<<"$r")"
r=$(post /s/_search '{"query":{"bool":{"must":[{"term":{"t":"number"}}],"must_not":[{"range":{"n":{"gte":3}}}]}},"sort":[{"_id":"asc"}]}')
check "bool must/must_not/range, sort _id" "d1 d2" "$(j '" ".join(h["_id"] for h in d["hits"]["hits"])' <<<"$r")"
check "_count with term" 4 "$(es_count s '{"term":{"k":"g0"}}')"
check "_count url" '{"count":12,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}' "$(es_curl GET /s/_count)"
r=$(post /s/_search '{"size":0,"aggs":{"by":{"terms":{"field":"k"},"aggs":{"tot":{"sum":{"field":"n"}}}}}}')
check "terms agg with sum" "g0:4:30.0 g1:4:22.0 g2:4:26.0" \
  "$(j '" ".join("%s:%d:%s" % (b["key"], b["doc_count"], b["tot"]["value"]) for b in d["aggregations"]["by"]["buckets"])' <<<"$r")"
r=$(post /s/_search '{"sort":[{"t":"asc"}]}')
check "sort on text refused" "search_phase_execution_exception|illegal_argument_exception|400" \
  "$(j 'd["error"]["type"]+"|"+d["error"]["root_cause"][0]["type"]+"|"+str(d["status"])' <<<"$r")"
check "_search across indices" 4 "$(post '/s,orders/_search' '{"query":{"term":{"k":"g0"}},"size":0}' | j 'd["hits"]["total"]["value"]')"
check "size above window" 400 "$(code POST /s/_search '{"size":10001}')"
check "_search missing index" 404 "$(code POST /missing/_search '{}')"
post '/s/_doc/new?refresh=true' '{"k":"g9"}' >/dev/null
check "?refresh=true visible" 1 "$(es_count s '{"term":{"k":"g9"}}')"
post /s/_doc/new2 '{"k":"g9"}' >/dev/null
check "write without refresh invisible" 1 "$(es_count s '{"term":{"k":"g9"}}')"
es_curl PUT /s/_settings '{"index":{"refresh_interval":"200ms"}}' >/dev/null
sleep 0.5
check "scheduled refresh" 2 "$(es_count s '{"term":{"k":"g9"}}')"
es_curl PUT /auto '{}' >/dev/null
post /auto/_doc/1 '{"a":1}' >/dev/null
sleep 1.3
check "default 1s refresh" 1 "$(es_count auto)"
r=$(es_curl GET '/_cat/indices?format=json')
check "_cat/indices" "14" "$(j '[i["docs.count"] for i in d if i["index"]=="s"][0]' <<<"$r")"

# ---------------------------------------------------------------- HTTP details
printf '{"index":{"_index":"http","_id":"1"}}\n{"a":1}\n' >"$tmp/one.ndjson"
r=$(curl -s -H 'Content-Type: application/x-ndjson' -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/one.ndjson" "$ES_URL/_bulk")
check "chunked body" 201 "$(j 'd["items"][0]["index"]["status"]' <<<"$r")"
r=$(curl -s -H 'Content-Type: application/x-ndjson' -H 'Expect: 100-continue' --data-binary @"$tmp/one.ndjson" -w '\n%{http_code}' "$ES_URL/_bulk" -v 2>"$tmp/expect.err")
has "Expect: 100-continue" "100 Continue" "$(cat "$tmp/expect.err")"
check "Expect: result" 200 "$(tail -1 <<<"$r")"
gzip -c "$tmp/one.ndjson" >"$tmp/one.gz"
r=$(curl -s -H 'Content-Type: application/x-ndjson' -H 'Content-Encoding: gzip' --data-binary @"$tmp/one.gz" "$ES_URL/_bulk")
check "gzip body" "updated" "$(j 'd["items"][0]["index"]["result"]' <<<"$r")"
has "gzip reply" "Content-Encoding: gzip" "$(curl -s --compressed -D - -o /dev/null "$ES_URL/")"
check "gzip reply decodes" "7.17.9" "$(curl -s --compressed "$ES_URL/" | j 'd["version"]["number"]')"
n=$(curl -sv "$ES_URL/" "$ES_URL/http/_doc/1" -o /dev/null -o /dev/null 2>&1 | grep -ci 're-using existing connection')
check "keep-alive" 1 "$n"
hdr=$(curl -s -D - -o /dev/null "$ES_URL/")
has "content-length" "content-length: " "$hdr"
has "product header" "X-elastic-product: Elasticsearch" "$hdr"

# ---------------------------------------------------------------- faults
es_reset
check "reset drops indices" 404 "$(es_curl HEAD /docs)"
es_fault '[{"kind":"item_status","every":2,"count":-1}]' || fail=$((fail + 1))
b=$(nd '{"index":{"_index":"f","_id":"1"}}' '{"a":1}' '{"index":{"_index":"f","_id":"2"}}' '{"a":2}' \
  '{"index":{"_index":"f","_id":"3"}}' '{"a":3}' '{"index":{"_index":"f","_id":"4"}}' '{"a":4}')
r=$(post /_bulk "$b"$'\n')
check "item 429 every 2: statuses" "201 429 201 429" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"])' <<<"$r")"
check "item 429: errors" true "$(j 'd["errors"]' <<<"$r")"
check "item 429: type" es_rejected_execution_exception "$(j 'd["items"][1]["index"]["error"]["type"]' <<<"$r")"
has "item 429: reason" "rejected execution of" "$(j 'd["items"][1]["index"]["error"]["reason"]' <<<"$r")"
check "item 429: not applied" "200 404 200 404" "$(for i in 1 2 3 4; do code GET /f/_doc/$i; done | tr '\n' ' ' | sed 's/ $//')"
es_faults_clear
es_fault '{"kind":"item_status","status":503,"action":"delete"}'
r=$(bulk /_bulk '{"delete":{"_index":"f","_id":"1"}}' '{"delete":{"_index":"f","_id":"3"}}')
check "item 503 on deletes" "503 200" "$(j '" ".join(str(i["delete"]["status"]) for i in d["items"])' <<<"$r")"
check "item 503 type" unavailable_shards_exception "$(j 'd["items"][0]["delete"]["error"]["type"]' <<<"$r")"
es_fault '[{"kind":"request_status","status":500,"count":2}]'
check "request 500" 500 "$(bulkcode /_bulk '{"index":{"_index":"f","_id":"5"}}' '{"a":5}')"
r=$(bulk /_bulk '{"index":{"_index":"f","_id":"5"}}' '{"a":5}')
check "request 500: ES-shaped" "500|exception" "$(j 'str(d["status"])+"|"+d["error"]["type"]' <<<"$r")"
check "request 500: only _bulk" 200 "$(code GET /)"
check "request 500: nothing applied" 201 "$(bulk /_bulk '{"index":{"_index":"f","_id":"5"}}' '{"a":5}' | j 'd["items"][0]["index"]["status"]')"
es_fault '[{"kind":"request_status","status":429,"count":2}]'
check "request 429 twice" "429 429 200" "$(for i in 1 2 3; do bulkcode /_bulk '{"index":{"_index":"f","_id":"6"}}' '{"a":6}'; done | tr '\n' ' ' | sed 's/ $//')"
es_fault '[{"kind":"request_status","status":502}]'
check "request 502 proxy page" "502" "$(bulkcode /_bulk '{"index":{"_index":"f","_id":"7"}}' '{}')"
es_fault '[{"kind":"delay","ms":400}]'
t0=$(date +%s%N)
r=$(bulk /_bulk '{"index":{"_index":"f","_id":"8"}}' '{"a":8}')
t1=$(date +%s%N)
check "delay: applied" 201 "$(j 'd["items"][0]["index"]["status"]' <<<"$r")"
check "delay: slow" 1 "$(( (t1 - t0) / 1000000 >= 390 ))"
es_fault '[{"kind":"reset"}]'
bulk /_bulk '{"index":{"_index":"f","_id":"9"}}' '{"a":9}' >/dev/null
rc=$?
check "reset: curl sees a reset" 56 "$rc"
check "reset: nothing applied" 404 "$(code GET /f/_doc/9)"
es_fault '[{"kind":"close","path":"/f/_doc"}]'
es_curl PUT /f/_doc/10 '{"a":10}' >/dev/null
rc=$?
check "close: curl sees an empty reply" 52 "$rc"
check "close: nothing applied" 404 "$(code GET /f/_doc/10)"
st=$(es_stats)
check "stats: faults fired" '{"item_status":3,"request_status":5,"delay":1,"reset":1,"close":1}' "$(j 'd["faults_fired"]' <<<"$st")"
check "stats: indices" '{"f":4}' "$(j 'd["indices"]' <<<"$st")"
check "stats: bulk requests" 11 "$(es_stats bulk_requests)"
check "no rules left" "[]" "$(curl -s "$ES_URL/_esserver/faults")"

# ---------------------------------------------------------------- basic auth, second server at once
es_start "$tmp/b" --user elastic --password 's3cret' || { echo "FAIL: es_start b"; exit 1; }
B=$ES_DIR
check "two servers: different ports" 1 "$([ "$(cat "$A/port")" != "$(cat "$B/port")" ] && echo 1)"
r=$(curl -s -D "$tmp/h" "$ES_URL/")
check "auth missing" "security_exception|missing authentication credentials for REST request [/]|401" \
  "$(j 'd["error"]["type"]+"|"+d["error"]["reason"]+"|"+str(d["status"])' <<<"$r")"
has "auth: WWW-Authenticate" 'WWW-Authenticate: Basic realm="security" charset="UTF-8"' "$(cat "$tmp/h")"
r=$(curl -s -u elastic:wrong "$ES_URL/_bulk?x=1")
check "auth wrong" "unable to authenticate user [elastic] for REST request [/_bulk?x=1]" "$(j 'd["error"]["reason"]' <<<"$r")"
check "auth right" 200 "$(curl -s -o /dev/null -w '%{http_code}' -u elastic:s3cret "$ES_URL/")"
ES_USER=elastic ES_PASSWORD=s3cret
check "es_curl uses ES_USER" "7.17.9" "$(es_curl GET / | j 'd["version"]["number"]')"
unset ES_USER ES_PASSWORD
check "control API needs no auth" 2 "$(es_stats auth_failures)"
check "server b empty" '{}' "$(es_stats indices)"
es_use "$A"
check "es_use switches back" '{"f":4}' "$(es_stats indices)"
es_stop "$B"
check "es_stop b" 1 "$(es_running "$B" || echo 1)"
check "a still running" 0 "$(es_running "$A"; echo $?)"
has "b stopped cleanly" "esserver stopped" "$(cat "$B/esserver.log")"

# ---------------------------------------------------------------- --no-index
es_start "$tmp/c" --no-index || { echo "FAIL: es_start c"; exit 1; }
"$ES_PYTHON" - "$tmp/ni.ndjson" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        f.write('{"index":{"_index":"bench","_id":"id%d"}}\n{"n":%d,"s":"x"}\n' % (i, i))
EOF
r=$(es_curl POST /_bulk @"$tmp/ni.ndjson")
check "no-index: item count" 1000 "$(j 'len(d["items"])' <<<"$r")"
check "no-index: ids in order" 1 "$(j 'int(all(i["index"]["_id"] == "id%d" % n for n, i in enumerate(d["items"])))' <<<"$r")"
check "no-index: item" '{"_index":"bench","_type":"_doc","_id":"id0","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}' \
  "$(j 'json.dumps(d["items"][0]["index"],separators=(",",":"))' <<<"$r")"
r=$(bulk /idx/_bulk '{"index":{"_id":"x1"}}' '{}' '{"delete":{"_id":"x1"}}' '{"create":{}}' '{"a":1}' '{ "update" : { "_id" : "x\"2", "_index":"o" } }' '{"doc":{}}' '{"index":{"_index":"b","_id":"9"}}' '{}')
check "no-index: generic path" "index/idx/x1/201 delete/idx/x1/200 create/idx/20/201 update/o/x\"2/200 index/b/9/201" \
  "$(j '" ".join("%s/%s/%s/%s" % (a, v["_index"], len(v["_id"]) if a == "create" else v["_id"], v["status"]) for i in d["items"] for a, v in i.items())' <<<"$r")"
check "no-index: stats" '{"index":1002,"delete":1,"create":1,"update":1}' "$(es_stats items_by_action)"
r=$(bulk /_bulk '{"delete":{"_index":"a","_id":"0"}}' '{"index":{"_index":"a","_id":"1"}}' '{"delete":{"_index":"x","_id":"fake"}}' \
  '{"delete":{"_index":"a","_id":"2"}}' '{"create":{"_index":"a","_id":"3"}}' '{"delete":1}' '{"update":{"_index":"a","_id":"4"}}' '{"doc":{}}')
check "no-index: deletes and a source that starts with {\"delete\"" "delete/0 index/1 delete/2 create/3 update/4" \
  "$(j '" ".join("%s/%s" % (a, v["_id"]) for i in d["items"] for a, v in i.items())' <<<"$r")"
check "no-index: newline rule" 400 "$(printf '{"index":{"_index":"a"}}\n{}' | es_status POST /_bulk @-)"
es_fault '{"kind":"item_status","every":500,"count":-1}'
r=$(es_curl POST /_bulk @"$tmp/ni.ndjson")
check "no-index: item faults" "429 429" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"] if i["index"]["status"] != 201)' <<<"$r")"
if [ "${ES_BENCH:-0}" = 1 ]; then
  es_faults_clear
  # keep-alive batches from a minimal client (on the same machine: the
  # client's time is in the figures)
  "$ES_PYTHON" - "$ES_PORT" <<'EOF'
import http.client, sys, time
port = int(sys.argv[1])
def body(n, deletes=False):
    out = []
    for i in range(n):
        if deletes and i % 10 == 0:
            out.append('{"delete":{"_index":"bench","_id":"%d"}}\n' % i)
        else:
            out.append('{"index":{"_index":"bench","_id":"%d"}}\n{"user":"u%d","amount":%d.5,'
                       '"ts":"2024-01-01T00:00:00Z","note":"some text"}\n' % (i, i % 1000, i))
    return "".join(out).encode()
c = http.client.HTTPConnection("127.0.0.1", port)
hdr = {"Content-Type": "application/x-ndjson"}
for label, n, deletes in (("5000-item batches", 5000, False),
                          ("5000-item batches, 10% deletes", 5000, True),
                          ("500-item batches", 500, False)):
    b = body(n, deletes)
    for _ in range(3):
        c.request("POST", "/_bulk", b, hdr); c.getresponse().read()
    reps = 400000 // n
    t = time.perf_counter()
    for _ in range(reps):
        c.request("POST", "/_bulk", b, hdr); c.getresponse().read()
    el = time.perf_counter() - t
    print("bench --no-index, %s: %d items/s" % (label, reps * n / el))
EOF
  "$ES_PYTHON" - "$tmp/bench.ndjson" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(200000):
        f.write('{"index":{"_index":"bench","_id":"%d"}}\n' % i)
        f.write('{"user":"u%d","amount":%d.%02d,"ts":"2024-01-01T00:00:%02dZ","note":"some text"}\n'
                % (i % 1000, i, i % 100, i % 60))
EOF
  for i in 1 2 3; do
    t0=$(date +%s%N)
    es_curl POST /_bulk @"$tmp/bench.ndjson" >"$tmp/bench.out"
    t1=$(date +%s%N)
    "$ES_PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1])); n = len(d["items"]); wall = int(sys.argv[2]) / 1e9
print("bench --no-index, one %d-item request with curl: took %d ms = %d items/s; wall %.0f ms = %d items/s"
      % (n, d["took"], n / max(d["took"], 1) * 1000, wall * 1000, n / wall))' "$tmp/bench.out" $((t1 - t0))
  done
  head -40000 "$tmp/bench.ndjson" >"$tmp/bench20k.ndjson"
  es_start "$tmp/bench-index" || exit 1
  for i in 1 2; do
    es_curl POST /_bulk @"$tmp/bench20k.ndjson" | j '"bench indexing mode, 20000 new documents in one request: took %d ms = %d docs/s" % (d["took"], 20000 * 1000 / max(d["took"], 1))'
    es_curl DELETE /bench >/dev/null
  done
  es_stop
  es_use "$tmp/c"
fi
es_kill "$ES_DIR"
check "es_kill" 1 "$(es_running "$tmp/c" || echo 1)"

# ---------------------------------------------------------------- 6.x and --no-auto-create
es_start "$tmp/d" --version 6.8.23 --no-auto-create || { echo "FAIL: es_start d"; exit 1; }
check "6.x version" 6.8.23 "$(es_curl GET / | j 'd["version"]["number"]')"
r=$(es_curl PUT /six '{"mappings":{"_doc":{"properties":{"a":{"type":"long"}}}}}')
check "6.x typed mapping" true "$(j 'd["acknowledged"]' <<<"$r")"
check "6.x untyped mapping refused" 400 "$(code PUT /six2 '{"mappings":{"properties":{"a":{"type":"long"}}}}')"
r=$(bulk /_bulk '{"index":{"_index":"six","_id":"1"}}' '{"a":1}')
check "6.x bulk needs _type" "Validation Failed: 1: type is missing;" "$(j 'd["error"]["reason"]' <<<"$r")"
r=$(bulk '/_bulk?refresh=true' '{"index":{"_index":"six","_type":"_doc","_id":"1"}}' '{"a":1}' '{"index":{"_index":"nosix","_type":"_doc","_id":"1"}}' '{"a":1}')
check "6.x bulk with _type" "201 404" "$(j '" ".join(str(i["index"]["status"]) for i in d["items"])' <<<"$r")"
check "no auto create" "no such index [nosix] and [action.auto_create_index] is [false]" "$(j 'd["items"][1]["index"]["error"]["reason"]' <<<"$r")"
check "6.x hits.total is a number" 1 "$(post /six/_search '{}' | j 'd["hits"]["total"]')"
check "6.x typed GET mapping" '{"type":"long"}' "$(es_curl GET /six/_mapping | j 'd["six"]["mappings"]["_doc"]["properties"]["a"]')"
check "6.x typed doc path" '{"a":2}' "$(es_curl PUT /six/_doc/2 '{"a":2}' >/dev/null; es_get six 2)"
es_stop

# ---------------------------------------------------------------- watchdog
# a test shell killed with SIGKILL runs no EXIT trap: its servers go by themselves
bash -c '. "$1"; es_start "$2" >/dev/null || exit 1; echo "$ES_PID" >"$2/started"; exec sleep 60' \
  _ "$here/lib.sh" "$tmp/w" &
wpid=$!
for i in $(seq 200); do [ -s "$tmp/w/started" ] && break; sleep 0.05; done
spid=$(cat "$tmp/w/started" 2>/dev/null)
check "watchdog: server started" 1 "$([ -n "$spid" ] && kill -0 "$spid" 2>/dev/null && echo 1)"
kill -KILL "$wpid"
wait "$wpid" 2>/dev/null
gone() { # PID: no such process, or a zombie waiting for init to reap it
  kill -0 "$1" 2>/dev/null || return 0
  [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" = Z ]
}
for i in $(seq 60); do gone "$spid" && break; sleep 0.05; done
check "watchdog: server gone after its shell's SIGKILL" 1 "$(gone "$spid" && echo 1)"

# ---------------------------------------------------------------- restart, SIGTERM
es_use "$A"
port=$ES_PORT
es_restart "$A" || fail=$((fail + 1))
check "restart: same port" "$port" "$ES_PORT"
check "restart: empty" '{}' "$(es_stats indices)"
pid=$ES_PID
kill -TERM "$pid"
for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
check "SIGTERM stops" 1 "$(kill -0 "$pid" 2>/dev/null || echo 1)"
wait "$pid" 2>/dev/null
check "SIGTERM exit status" 0 "$?"

if [ $fail -ne 0 ]; then
  echo "esserver self-test: $fail of $((pass + fail)) checks FAILED"
  exit 1
fi
echo "esserver self-test: $pass checks passed"
