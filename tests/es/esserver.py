#!/usr/bin/env python3
"""esserver - an in-memory stand-in for an Elasticsearch 7 node, for sluice's tests.

Elasticsearch is not packaged for Debian, so the Elasticsearch sink is tested
against this server: Python 3.11 standard library only, one process, all data
in memory, the REST behaviour a bulk-writing client sees written down from
Elasticsearch's documentation and observed responses (no Elasticsearch code).

    python3 tests/es/esserver.py [--host 127.0.0.1] [--port 0] [--port-file F]
        [--user U --password P] [--version 7.17.9] [--no-index]
        [--no-auto-create] [--refresh-interval 1s] [--log F] [--watch-pid PID]
        [--save-bodies DIR]

--port 0 picks a free port; it is printed as "esserver listening on HOST:PORT"
and written to --port-file (a temporary name renamed into place). --watch-pid
makes the server exit when that process is gone (lib.sh passes the test's
shell). SIGTERM and SIGINT stop it cleanly (exit status 0). tests/es/lib.sh
starts, stops and queries servers from bash tests.

COVERED
 * HTTP/1.1 keep-alive (Content-Length on every reply), chunked request
   bodies, Expect: 100-continue, gzip/deflate request bodies, gzip replies when
   the client sends Accept-Encoding: gzip, threads (one per connection), one
   lock over the shared state, X-Opaque-Id echoed, X-Elastic-Product from 7.14.
 * HTTP Basic auth (--user/--password): 401 security_exception with
   WWW-Authenticate: Basic realm="security" charset="UTF-8", "missing
   authentication credentials ..." / "unable to authenticate user [u] ...".
 * GET|HEAD /, GET /_cluster/health, GET /_cat/indices (text or format=json).
 * Indices: PUT (settings, mappings), HEAD, GET, DELETE (comma lists and
   wildcards), GET|PUT _mapping, GET|PUT _settings (refresh_interval,
   index.mapping.coerce, index.mapping.ignore_malformed are honoured), name
   validation with ES's invalid_index_name_exception texts,
   resource_already_exists_exception, index_not_found_exception. Indices are
   created on first write with dynamic mappings (--no-auto-create: the write
   fails with 404 index_not_found_exception; deletes never create an index).
 * Mappings: keyword (ignore_above), text (+ multi-fields such as .keyword),
   match_only_text/search_as_you_type (as text), wildcard/constant_keyword (as
   keyword), long, integer, short, byte, unsigned_long, double, float,
   half_float, scaled_float (scaling_factor required), boolean, date and
   date_nanos (format: java-time patterns - y u M d D H h k K m s S n a E G,
   offsets X x Z, zone ids VV/z, quoted literals, [optional] sections - and
   named formats strict_date_optional_time, date_optional_time, epoch_millis,
   epoch_second, strict_date, date, basic_date, [strict_]date_time[_no_millis],
   [strict_]date_hour_minute_second[_millis|_fraction], ... joined by ||),
   binary (base64), ip, object (properties, enabled, dynamic true/false/
   strict), nested (as object). coerce, ignore_malformed, null_value. Unknown
   types: "No handler for type [x] declared on field [f]"; types ES has but
   this server has not (geo_point, ...): a 400 saying so. Changing a field's
   type: "mapper [f] cannot be changed from type [long] to [float]".
 * Dynamic mapping as ES 7: integer -> long, fraction -> float, boolean,
   string -> date when it parses with dynamic_date_formats (default
   strict_date_optional_time and "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd", as ES's
   code has it; pure numbers never become dates), numeric_detection, else
   text + keyword (ignore_above 256); objects; arrays by their first non-null
   element; null and [] add nothing. Dotted field names expand to objects.
   A document that fails adds no mapping.
 * Values checked as ES does: numeric strings accepted unless coerce is off;
   fractions truncated into integer types (the index keeps the truncated
   value, _source keeps the bytes sent); ranges per type; float/half_float
   rounding of the indexed value; booleans true/false/"true"/"false"/"";
   dates by format; objects into concrete fields and scalars into objects
   rejected. Errors are mapper_parsing_exception "failed to parse field [f] of
   type [t] in document with id 'i'. Preview of field's value: 'v'" with ES's
   caused_by (illegal_argument_exception "For input string: \"abc\"", "Value
   [10.1] has a decimal part", input_coercion_exception for out-of-range JSON
   numbers, ...), strict_dynamic_mapping_exception, metadata fields in a
   document.
 * Documents: PUT/POST /i/_doc/id (?op_type=create), POST /i/_doc (20-char
   url-safe ids), PUT|POST /i/_create/id, POST /i/_update/id (doc,
   doc_as_upsert, upsert, detect_noop), GET|HEAD|DELETE /i/_doc/id, GET
   /i/_source/id, typed paths /i/{type}/id for 6.x. _version per id (deletes
   leave a tombstone, so a re-index after a delete - even a not_found delete -
   continues the count, as ES does within index.gc_deletes), _seq_no per index,
   _primary_term 1, if_seq_no/if_primary_term. _source is kept as the exact
   bytes sent and returned verbatim by GET and _search (10.10 stays 10.10);
   updates re-serialise the merged document compactly, numbers as written.
 * _bulk (/ and /{index}/): index, create, delete, update; the newline rule;
   malformed action lines fail the request (json_parse_exception,
   illegal_argument_exception "Malformed action/metadata line [n] ...",
   unknown parameters), validation (index/id/type missing: 6.x needs _type)
   as action_request_validation_exception; per-item results and errors as ES
   (delete of a missing id: not_found/404 without error; create of an
   existing id: 409 version_conflict_engine_exception; update of a missing
   document: 404 document_missing_exception); items applied in order;
   ?refresh=true|wait_for. Empty lines between items are skipped.
 * Refresh: writes become visible to _search/_count on refresh - explicit
   (POST /_refresh, /i/_refresh), ?refresh on the write, or every
   index.refresh_interval (default --refresh-interval, 1s; "-1" = never).
   GET of a document is realtime.
 * _search / _count (/_search, /i/_search, /a,b*/_search): match_all,
   match_none, term, terms, ids, exists, range, prefix, match (OR/AND of the
   simple tokens), bool (must/filter/should/must_not, minimum_should_match),
   constant_score; size (default 10), from, from+size <= 10000,
   track_total_hits (default 10000), sort (fields asc/desc, min/max of
   arrays, missing last, _id, _doc, _score), _source: false. term on keyword
   is exact, on numbers it compares the indexed (coerced) value, on text it
   compares against the lowercased \\w+ tokens. Aggregations: sum, avg, min,
   max, value_count, cardinality, stats, terms (size, order, min_doc_count,
   sub-aggregations); a sum over a long field adds the truncated values.
   Sorting/aggregating a text field fails as in ES (fielddata disabled).
 * 6.x (--version 6.x.y): typed mappings {"mappings":{"_doc":{...}}},
   _type required in bulk, hits.total a number. 7.x: typeless,
   ?include_type_name on index creation and GET mapping; _type in bulk
   accepted with a deprecation warning (one type per index). 8.x: no _type
   in responses, _type in bulk refused.
 * Unknown endpoints: 400 {"error":"no handler found for uri [..] and method
   [..]"}; a known endpoint with a wrong method: 405 "Incorrect HTTP method
   for uri [..] and method [..], allowed: [..]". A wrong Content-Type: 406.

NOT COVERED (honestly): clustering, shards, replicas (every reply says
total 2 / successful 1), persistence (all in memory), real scoring (match
scores are 1.0, filter context 0.0), analyzers beyond the lowercase \\w+
tokeniser (no stemming, stop words, normalizers, custom analyzers), most
queries (query_string, wildcard, fuzzy, nested, geo, scripts, ...), most
aggregations (histograms, date_histogram, filters, pipelines), scripts and
scripted updates, ingest pipelines, aliases, templates, dynamic_templates
(accepted and shown, not applied), copy_to, _source filtering beyond
_source:false, date math ("now-1d"), version/version_type parameters,
routing (accepted, ignored), scroll/PIT/search_after, _mget, _delete_by_query,
_reindex, snapshots, security beyond one Basic user, TLS, deprecation
Warning headers other than 7.x's "[types removal]" ones (bulk _type, typed
document paths, include_type_name), HTTP pipelining beyond keep-alive,
circuit breakers and http.max_content_length.

FAULT INJECTION (not subject to auth; never counted in the stats)
  POST   /_esserver/faults   a JSON list of rules (or one rule), appended
  GET    /_esserver/faults   the rules with their remaining counts
  DELETE /_esserver/faults   clears the rules
  GET    /_esserver/stats    {"requests","by_path","bulk_requests","bulk_items",
                             "items_by_action","faults_fired","auth_failures",
                             "indices":{name: docs}}
  POST   /_esserver/reset    drops all indices, rules and stats
  GET    /_esserver/dump/{index}  {"docs":{id:{"_version","_seq_no","_source"}},
                             "raw":{id:"source text verbatim"}}, unrefreshed too
Each rule: {"kind": K, "count": N (default 1, -1 = forever), ...}; a request
fires the first matching rule of the request kinds (request_status, reset,
close) and, besides, the first matching delay rule; items fire item_status
rules. Filters: "path" (a substring of the request path, default "_bulk"),
"method"; for item_status "action" (index|create|update|delete), "index",
"every" (only every k-th matching item counts, default 1).
  item_status     the matching bulk items are not applied and answered with
                  "status" 429 (es_rejected_execution_exception, default) or
                  503 (unavailable_shards_exception); errors:true
  request_status  the whole request is answered with "status" (429
                  es_rejected_execution_exception, 500 exception, 503
                  cluster_block_exception: ES-shaped JSON; 502/504 a proxy's
                  text/html page; "body" overrides), nothing applied
  delay           the request is applied, then answered after "ms"
  reset           the request is read, nothing applied, the connection is
                  closed with a TCP RST (SO_LINGER 0), no reply
  close           the same with a normal FIN (the client sees an empty reply)
Stats count every request outside /_esserver (also rejected and faulted
ones); bulk_requests counts every _bulk request received, bulk_items and
items_by_action the items of the bulk requests that were executed.

--no-index (benchmark mode): _bulk answers a correct item per action (index
and create: 201 created, version 1; update: 200 updated; delete: 200
deleted; _seq_no per index) without storing anything, and without a
json.loads per line: when every action line is the same but for its _id (the
usual bulk body), a few bytes.count() calls prove it and one split yields the
ids; otherwise the action lines are gathered by slicing (pairs of action and
source; deletes found with bytes.find) and matched by one regex findall; only
lines in another form (spaces, escapes, numbers as ids) are parsed one by one
with the full parser. The reply is built from one template per action with
bytes % and joins. Faults work as usual.
Measured on this machine (2-core AMD EPYC VM, Python 3.11.7), client and
server on the same machine, several runs (`ES_BENCH=1 tests/es/test_esserver.sh`
repeats them; items of ~100 bytes):
  keep-alive client, 5,000-item batches       760,000 - 1,140,000 items/s
  the same with 10% deletes                   380,000 -   465,000 items/s
  keep-alive client, 500-item batches         540,000 -   585,000 items/s
  one 200,000-item request (25 MB) with curl  590,000 - 750,000 items/s by the
                                              reply's "took", 380,000 - 510,000
                                              wall clock (curl's upload included)
(The first version, a Python loop of bytes.find per line, did ~175,000 -
230,000 by "took".) Indexing mode (everything above checked and stored) does
~17,000 documents/s.
"""

import argparse
import base64
import binascii
import fnmatch
import gzip
import ipaddress
import json
import math
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import zlib
from collections import Counter
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, parse_qsl

# --------------------------------------------------------------------------
# configuration (set in main)


class Config:
    version = "7.17.9"
    major = 7
    minor = 17
    patch = 9
    user = None
    password = None
    no_index = False
    auto_create = True
    refresh_interval = 1.0
    log = None
    save_bodies = None         # --save-bodies DIR (benchmarks)
    saved = 0


CFG = Config()
NODE_NAME = "esserver"
CLUSTER_UUID = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
SHARDS = {"total": 2, "successful": 1, "failed": 0}
SEARCH_SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
MAX_RESULT_WINDOW = 10000


def typed_api():
    """6.x: mappings are typed and bulk needs _type."""
    return CFG.major <= 6


def with_type():
    """8.x dropped _type from responses."""
    return CFG.major < 8


def new_uuid():
    return base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()


def auto_id():
    # ES's auto ids are 20 url-safe base64 characters (15 bytes).
    return base64.urlsafe_b64encode(os.urandom(15)).decode()


def now_ms():
    return int(time.time() * 1000)


# --------------------------------------------------------------------------
# JSON: sources are parsed keeping number text (Decimal for fractions) and
# rejecting duplicate keys and NaN/Infinity as Jackson in ES does.


class JSONError(Exception):
    pass


def _pairs_hook(pairs):
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise JSONError("Duplicate field '%s'" % k)
            seen.add(k)
    return d


def _bad_constant(s):
    raise JSONError("Non-standard token '%s': enable JsonParser.Feature."
                    "ALLOW_NON_NUMERIC_NUMBERS to allow" % s)


_DECODER = json.JSONDecoder(parse_float=Decimal, object_pairs_hook=_pairs_hook,
                            parse_constant=_bad_constant)


def parse_json(text):
    """Parse JSON text; JSONError with a Jackson-like message on failure."""
    try:
        return _DECODER.decode(text)
    except JSONError:
        raise
    except json.JSONDecodeError as e:
        raise JSONError("%s\n at [Source: (byte[]); line: %d, column: %d]"
                        % (e.msg, e.lineno, e.colno))
    except RecursionError:
        raise JSONError("Maximum nesting depth exceeded")


def jenc(o):
    """Compact JSON of a parsed value, numbers written as they were read."""
    if isinstance(o, str):
        return json.dumps(o, ensure_ascii=False)
    if o is True:
        return "true"
    if o is False:
        return "false"
    if o is None:
        return "null"
    if isinstance(o, (int, Decimal)):
        return str(o)
    if isinstance(o, float):
        return json.dumps(o)
    if isinstance(o, dict):
        return "{" + ",".join(jenc(k) + ":" + jenc(v) for k, v in o.items()) + "}"
    if isinstance(o, (list, tuple)):
        return "[" + ",".join(jenc(v) for v in o) + "]"
    raise TypeError("cannot encode %r" % (o,))


def dumps(o):
    return json.dumps(o, ensure_ascii=False, separators=(",", ":"))


def java_str(v):
    """How Java's toString shows a parsed JSON value (for previews)."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, dict):
        return "{" + ", ".join("%s=%s" % (k, java_str(x)) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(java_str(x) for x in v) + "]"
    return str(v)


# --------------------------------------------------------------------------
# errors


class ESError(Exception):
    """An Elasticsearch exception: type, reason, extra metadata, caused_by."""

    def __init__(self, status, etype, reason, caused_by=None, root=None,
                 headers=None, **extra):
        super().__init__(reason)
        self.status = status
        self.etype = etype
        self.reason = reason
        self.caused_by = caused_by
        self.root = root
        self.headers = headers or {}
        self.extra = extra

    def to_dict(self):
        d = {"type": self.etype, "reason": self.reason}
        for k, v in self.extra.items():
            d[k.replace("__", ".")] = v
        cb = self.caused_by
        if cb is not None:
            d["caused_by"] = cb.to_dict() if hasattr(cb, "to_dict") else cb
        return d

    def root_dict(self):
        if self.root is not None:
            r = self.root
            d = r.to_dict() if hasattr(r, "to_dict") else dict(r)
        else:
            d = self.to_dict()
        d.pop("caused_by", None)
        return d

    def body(self):
        err = {"root_cause": [self.root_dict()]}
        err.update(self.to_dict())
        return {"error": err, "status": self.status}


class Cause:
    """A caused_by that is not an ES exception (illegal_argument, ...)."""

    def __init__(self, etype, reason, caused_by=None):
        self.etype = etype
        self.reason = reason
        self.caused_by = caused_by

    def to_dict(self):
        d = {"type": self.etype, "reason": self.reason}
        if self.caused_by is not None:
            d["caused_by"] = self.caused_by.to_dict()
        return d


class FieldError(Exception):
    """A value did not fit its field; becomes the caused_by of a
    mapper_parsing_exception."""

    def __init__(self, etype, reason, caused_by=None):
        super().__init__(reason)
        self.cause = Cause(etype, reason, caused_by)


class PlainError(Exception):
    """Errors ES answers as {"error": "text", "status": n}."""

    def __init__(self, status, text):
        super().__init__(text)
        self.status = status
        self.text = text


def mpe(reason, caused_by=None, status=400):
    return ESError(status, "mapper_parsing_exception", reason, caused_by=caused_by)


def iae(reason, status=400, **extra):
    return ESError(status, "illegal_argument_exception", reason, **extra)


def index_not_found(name, reason=None):
    return ESError(404, "index_not_found_exception", reason or "no such index [%s]" % name,
                   resource__type="index_or_alias", resource__id=name,
                   index_uuid="_na_", index=name)


def validation_error(msgs):
    reason = "Validation Failed: " + "".join("%d: %s;" % (i + 1, m) for i, m in enumerate(msgs))
    return ESError(400, "action_request_validation_exception", reason)


def search_failure(idx, cause_type, reason, caused_by=None):
    """ES wraps query/sort/agg failures in search_phase_execution_exception."""
    inner = {"type": cause_type, "reason": reason}
    if idx is not None:
        inner["index_uuid"] = idx.uuid
        inner["index"] = idx.name
    if caused_by is not None:
        inner["caused_by"] = caused_by
    root = dict(inner)
    root.pop("caused_by", None)
    return ESError(400, "search_phase_execution_exception", "all shards failed",
                   root=root, phase="query", grouped=True,
                   failed_shards=[{"shard": 0, "index": idx.name if idx else None,
                                   "node": NODE_NAME, "reason": inner}])


# --------------------------------------------------------------------------
# dates


class DateParseError(Exception):
    pass


class InvalidFormat(Exception):
    pass


_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MDAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def format_millis(ms):
    """strict_date_optional_time rendering: 2015-01-01T00:00:00.000Z."""
    days, rem = divmod(ms, 86400000)
    y, m, d = _civil_from_days(days)
    h, rem = divmod(rem, 3600000)
    mi, rem = divmod(rem, 60000)
    s, milli = divmod(rem, 1000)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (y, m, d, h, mi, s, milli)


def _offset_seconds(text):
    if text in ("Z", "z"):
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    h = int(digits[0:2])
    mi = int(digits[2:4]) if len(digits) >= 4 else 0
    s = int(digits[4:6]) if len(digits) >= 6 else 0
    if h > 18 or mi > 59 or s > 59:
        raise DateParseError("Zone offset not in valid range: %s" % text)
    return sign * (h * 3600 + mi * 60 + s)


def _nanos(text, y, mo, d, h, mi, s, ns, off, zone=None):
    if not 1 <= mo <= 12:
        raise DateParseError("Text '%s' could not be parsed: Invalid value for MonthOfYear "
                             "(valid values 1 - 12): %d" % (text, mo))
    md = 29 if (mo == 2 and _leap(y)) else _MDAYS[mo - 1]
    if not 1 <= d <= md:
        if d < 1 or d > 31:
            raise DateParseError("Text '%s' could not be parsed: Invalid value for DayOfMonth "
                                 "(valid values 1 - 28/31): %d" % (text, d))
        raise DateParseError("Text '%s' could not be parsed: Invalid date '%s %d'"
                             % (text, _MONTHS[mo - 1].upper(), d))
    if not 0 <= h <= 23:
        raise DateParseError("Text '%s' could not be parsed: Invalid value for HourOfDay "
                             "(valid values 0 - 23): %d" % (text, h))
    if not 0 <= mi <= 59:
        raise DateParseError("Text '%s' could not be parsed: Invalid value for MinuteOfHour "
                             "(valid values 0 - 59): %d" % (text, mi))
    if not 0 <= s <= 59:
        raise DateParseError("Text '%s' could not be parsed: Invalid value for SecondOfMinute "
                             "(valid values 0 - 59): %d" % (text, s))
    local = _days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
    if zone is not None:
        off = _zone_offset(zone, local, text)
    return (local - off) * 1000000000 + ns


def _zone_offset(zone, local_seconds, text):
    try:
        import zoneinfo
        import datetime
        tz = zoneinfo.ZoneInfo(zone)
        base = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=local_seconds)
        return int(base.replace(tzinfo=tz).utcoffset().total_seconds())
    except Exception:
        raise DateParseError("Text '%s' could not be parsed: Unknown time-zone ID: %s" % (text, zone))


_OFFSET_RX = r"(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)"
_SDOT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})"
                   r"(?:[.,](\d{1,9}))?)?)?" + _OFFSET_RX + r"?)?)?)?\Z")
_DOT = re.compile(r"([+-]?\d{1,9})(?:-(\d{1,2})(?:-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})"
                  r"(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?" + _OFFSET_RX + r"?)?)?)?\Z")


def _optional_time_parser(rx):
    def parse(text):
        m = rx.match(text)
        if not m:
            raise DateParseError("Text '%s' could not be parsed at index 0" % text)
        y, mo, d, h, mi, s, frac, off = m.groups()
        ns = int(frac.ljust(9, "0")) if frac else 0
        return _nanos(text, int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0),
                      int(s or 0), ns, _offset_seconds(off) if off else 0)
    return parse


def _epoch_parser(scale_ns, max_frac):
    rx = re.compile(r"(-?)(\d{1,19})(?:\.(\d{1,%d}))?\Z" % max_frac)

    def parse(text):
        m = rx.match(text)
        if not m:
            raise DateParseError("Text '%s' could not be parsed at index 0" % text)
        sign, whole, frac = m.groups()
        v = int(whole) * scale_ns
        if frac:
            v += int(frac.ljust(max_frac, "0")) * (scale_ns // 10 ** max_frac)
        return -v if sign else v
    return parse


_NAMED_PATTERNS = {
    "strict_date": "yyyy-MM-dd", "date": "y-M-d",
    "strict_year_month_day": "yyyy-MM-dd", "year_month_day": "y-M-d",
    "strict_year_month": "yyyy-MM", "year_month": "y-M",
    "strict_year": "yyyy", "year": "y",
    "basic_date": "yyyyMMdd",
    "basic_date_time": "yyyyMMdd'T'HHmmss.SSSX",
    "basic_date_time_no_millis": "yyyyMMdd'T'HHmmssX",
    "strict_date_time": "yyyy-MM-dd'T'HH:mm:ss.SSSX", "date_time": "y-M-d'T'H:m:s.SSSX",
    "strict_date_time_no_millis": "yyyy-MM-dd'T'HH:mm:ssX",
    "date_time_no_millis": "y-M-d'T'H:m:sX",
    "strict_date_hour": "yyyy-MM-dd'T'HH", "date_hour": "y-M-d'T'H",
    "strict_date_hour_minute": "yyyy-MM-dd'T'HH:mm", "date_hour_minute": "y-M-d'T'H:m",
    "strict_date_hour_minute_second": "yyyy-MM-dd'T'HH:mm:ss",
    "date_hour_minute_second": "y-M-d'T'H:m:s",
    "strict_date_hour_minute_second_millis": "yyyy-MM-dd'T'HH:mm:ss.SSS",
    "date_hour_minute_second_millis": "y-M-d'T'H:m:s.SSS",
    "strict_date_hour_minute_second_fraction": "yyyy-MM-dd'T'HH:mm:ss.n",
    "date_hour_minute_second_fraction": "y-M-d'T'H:m:s.n",
    "strict_hour_minute_second": "HH:mm:ss", "hour_minute_second": "H:m:s",
    "strict_hour_minute": "HH:mm", "hour_minute": "H:m",
    "strict_hour": "HH", "hour": "H",
    "strict_time": "HH:mm:ss.SSSX", "time": "H:m:s.SSSX",
    "strict_time_no_millis": "HH:mm:ssX", "time_no_millis": "H:m:sX",
}

_VALID_LETTERS = set("GuyDMLdQqYwWEecFahKkHmsSAnNVvzOXxZp")


def _letter_rx(c, n):
    """The regex group for n repetitions of pattern letter c."""
    if c in "yuY":
        if n == 2:
            return r"(\d{2})"
        if n == 1:
            return r"([+-]?\d{1,9})"
        return r"([+-]?\d{%d,9})" % n
    if c in "ML":
        if n >= 4:
            return "(" + "|".join(_MONTHS) + ")"
        if n == 3:
            return "(" + "|".join(m[:3] for m in _MONTHS) + ")"
        return r"(\d{1,2})" if n == 1 else r"(\d{2})"
    if c in "dHhkKms":
        if n > 2:
            raise InvalidFormat("Too many pattern letters: %s" % c)
        return r"(\d{1,2})" if n == 1 else r"(\d{2})"
    if c == "D":
        return r"(\d{1,3})" if n == 1 else (r"(\d{2,3})" if n == 2 else r"(\d{3})")
    if c == "S":
        if n > 9:
            raise InvalidFormat("Too many pattern letters: S")
        return r"(\d{%d})" % n
    if c == "n":
        return r"(\d{1,9})"
    if c == "a":
        return r"(AM|PM)"
    if c in "Ee":
        if n >= 4:
            return "(" + "|".join(_DAYS) + ")"
        return "(" + "|".join(d[:3] for d in _DAYS) + ")"
    if c == "G":
        return r"(AD|BC|Anno Domini|Before Christ|A|B)"
    if c in "XZ":
        return _OFFSET_RX
    if c == "x":
        return r"([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)"
    if c in "Vz":
        return r"(Z|UTC|GMT|[A-Za-z_]+(?:/[A-Za-z_+-]+)*)"
    raise InvalidFormat("esserver does not support the pattern letter [%s]" % c)


def _compile_pattern(pat):
    rx = []
    fields = []
    depth = 0
    i = 0
    n = len(pat)
    while i < n:
        c = pat[i]
        if c == "'":
            j = i + 1
            lit = []
            while True:
                if j >= n:
                    raise InvalidFormat("Pattern ends with an incomplete string literal: " + pat)
                if pat[j] == "'":
                    if j + 1 < n and pat[j + 1] == "'":
                        lit.append("'")
                        j += 2
                        continue
                    break
                lit.append(pat[j])
                j += 1
            rx.append(re.escape("".join(lit)) if j > i + 1 else "'")
            i = j + 1
            continue
        if c == "[":
            rx.append("(?:")
            depth += 1
            i += 1
            continue
        if c == "]":
            if depth == 0:
                raise InvalidFormat("Pattern invalid as it contains ] without previous [")
            rx.append(")?")
            depth -= 1
            i += 1
            continue
        if ("a" <= c <= "z") or ("A" <= c <= "Z"):
            j = i
            while j < n and pat[j] == c:
                j += 1
            if c not in _VALID_LETTERS:
                raise InvalidFormat("Unknown pattern letter: %s" % c)
            rx.append(_letter_rx(c, j - i))
            fields.append((c, j - i))
            i = j
            continue
        if c in "#{}":
            raise InvalidFormat("Pattern includes reserved character: '%s'" % c)
        rx.append(re.escape(c))
        i += 1
    rx.append(")?" * depth)
    body = "".join(rx)
    full = re.compile(body + r"\Z")
    prefix = re.compile(body)

    def parse(text):
        m = full.match(text)
        if not m:
            p = prefix.match(text)
            if p and p.end() > 0:
                raise DateParseError("Text '%s' could not be parsed, unparsed text found at index %d"
                                     % (text, p.end()))
            raise DateParseError("Text '%s' could not be parsed at index 0" % text)
        y, mo, d, h, mi, s, ns, off = 1970, 1, 1, 0, 0, 0, 0, 0
        zone = None
        doy = None
        h12 = None
        pm = None
        for (c, cnt), v in zip(fields, m.groups()):
            if v is None:
                continue
            if c in "yuY":
                y = int(v)
                if cnt == 2:
                    y += 2000
            elif c in "ML":
                if cnt >= 3:
                    mo = [x[:len(v)] if cnt == 3 else x for x in _MONTHS].index(v) + 1
                else:
                    mo = int(v)
            elif c == "d":
                d = int(v)
            elif c == "D":
                doy = int(v)
            elif c == "H":
                h = int(v)
            elif c == "k":
                h = int(v) % 24
            elif c == "h":
                h12 = int(v)
                if not 1 <= h12 <= 12:
                    raise DateParseError("Text '%s' could not be parsed: Invalid value for "
                                         "ClockHourOfAmPm (valid values 1 - 12): %d" % (text, h12))
            elif c == "K":
                h12 = int(v) % 12
            elif c == "m":
                mi = int(v)
            elif c == "s":
                s = int(v)
            elif c == "S":
                ns = int(v.ljust(9, "0"))
            elif c == "n":
                ns = int(v)
            elif c == "a":
                pm = v == "PM"
            elif c in "XZx":
                off = _offset_seconds(v)
            elif c in "Vz":
                if v in ("Z", "UTC", "GMT"):
                    off = 0
                else:
                    zone = v
        if h12 is not None:
            h = (h12 % 12) + (12 if pm else 0)
        if doy is not None:
            ylen = 366 if _leap(y) else 365
            if not 1 <= doy <= ylen:
                raise DateParseError("Text '%s' could not be parsed: Invalid value for DayOfYear: %d"
                                     % (text, doy))
            y2, mo, d = _civil_from_days(_days_from_civil(y, 1, 1) + doy - 1)
        return _nanos(text, y, mo, d, h, mi, s, ns, off, zone)
    return parse


class DateFormat:
    def __init__(self, spec):
        self.name = spec
        self.alts = []
        if not isinstance(spec, str) or not spec.strip():
            raise InvalidFormat("Invalid format: [%s]: empty format" % spec)
        for alt in spec.split("||"):
            alt = alt.strip()
            if alt in ("strict_date_optional_time", "strict_date_optional_time_nanos"):
                self.alts.append(_optional_time_parser(_SDOT))
            elif alt in ("date_optional_time",):
                self.alts.append(_optional_time_parser(_DOT))
            elif alt == "epoch_millis":
                self.alts.append(_epoch_parser(1000000, 6))
            elif alt == "epoch_second":
                self.alts.append(_epoch_parser(1000000000, 9))
            elif alt in _NAMED_PATTERNS:
                self.alts.append(_compile_pattern(_NAMED_PATTERNS[alt]))
            else:
                try:
                    self.alts.append(_compile_pattern(alt))
                except InvalidFormat as e:
                    raise InvalidFormat("Invalid format: [%s]: %s" % (spec, e))

    def parse(self, text):
        """Nanoseconds since the epoch; DateParseError if no alternative fits."""
        last = None
        for a in self.alts:
            try:
                return a(text)
            except DateParseError as e:
                last = e
        if len(self.alts) == 1:
            raise last
        raise DateParseError("Failed to parse with all enclosed parsers")


_FORMAT_CACHE = {}
DEFAULT_DATE_FORMAT = "strict_date_optional_time||epoch_millis"
DEFAULT_DYNAMIC_DATE_FORMATS = ["strict_date_optional_time", "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd"]


def date_format(spec):
    f = _FORMAT_CACHE.get(spec)
    if f is None:
        f = DateFormat(spec)
        if len(_FORMAT_CACHE) < 1000:
            _FORMAT_CACHE[spec] = f
    return f


def parse_time_value(v, setting):
    """'1s', '500ms', '-1' -> seconds (None for -1)."""
    s = str(v).strip()
    if s == "-1":
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)", s)
    if not m:
        raise iae("failed to parse setting [%s] with value [%s] as a time value: unit is missing "
                  "or unrecognized" % (setting, s))
    mult = {"nanos": 1e-9, "micros": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400}
    return float(m.group(1)) * mult[m.group(2)]


# --------------------------------------------------------------------------
# mappings

INTEGER_TYPES = {
    # name -> (min, max, Jackson kind for JSON numbers, Java class for messages, article phrase)
    "long": (-2 ** 63, 2 ** 63 - 1, "long", "Long", "a long"),
    "integer": (-2 ** 31, 2 ** 31 - 1, "int", "Integer", "an integer"),
    "short": (-2 ** 15, 2 ** 15 - 1, "int", "Integer", "a short"),
    "byte": (-2 ** 7, 2 ** 7 - 1, "int", "Integer", "a byte"),
    "unsigned_long": (0, 2 ** 64 - 1, "long", "Long", "unsigned long"),
}
FLOAT_TYPES = {"double": "Double", "float": "Float", "half_float": "Float", "scaled_float": "Double"}
KEYWORD_TYPES = {"keyword", "wildcard", "constant_keyword"}
TEXT_TYPES = {"text", "match_only_text", "search_as_you_type"}
DATE_TYPES = {"date", "date_nanos"}
SUPPORTED_TYPES = (set(INTEGER_TYPES) | set(FLOAT_TYPES) | KEYWORD_TYPES | TEXT_TYPES | DATE_TYPES
                   | {"boolean", "binary", "ip", "object", "nested"})
KNOWN_UNSUPPORTED = {"geo_point", "geo_shape", "shape", "point", "percolator", "join", "alias",
                     "flattened", "dense_vector", "sparse_vector", "rank_feature", "rank_features",
                     "histogram", "completion", "token_count", "integer_range", "long_range",
                     "float_range", "double_range", "date_range", "ip_range", "version",
                     "aggregate_metric_double", "murmur3", "annotated_text"}
NUMERIC_TYPES = set(INTEGER_TYPES) | set(FLOAT_TYPES)

_COMMON_PARAMS = {"type", "index", "store", "doc_values", "boost", "meta", "copy_to", "fields",
                  "null_value", "ignore_malformed", "coerce", "similarity", "norms",
                  "index_options", "eager_global_ordinals", "script", "on_script_error",
                  "time_series_dimension", "time_series_metric", "fielddata"}
_TYPE_PARAMS = {
    "keyword": {"ignore_above", "normalizer", "split_queries_on_whitespace"},
    "wildcard": {"ignore_above"}, "constant_keyword": {"value"},
    "text": {"analyzer", "search_analyzer", "search_quote_analyzer", "fielddata_frequency_filter",
             "index_phrases", "index_prefixes", "position_increment_gap", "term_vector"},
    "match_only_text": set(), "search_as_you_type": {"analyzer", "search_analyzer",
                                                     "max_shingle_size", "term_vector"},
    "date": {"format", "locale"}, "date_nanos": {"format", "locale"},
    "scaled_float": {"scaling_factor"},
}
_OBJECT_PARAMS = {"type", "properties", "dynamic", "enabled", "include_in_parent",
                  "include_in_root", "subobjects"}
ROOT_PARAMS = {"properties", "dynamic", "date_detection", "numeric_detection",
               "dynamic_date_formats", "dynamic_templates", "_source", "_routing", "_meta",
               "_field_names", "enabled", "runtime", "_all", "_size", "_data_stream_timestamp"}


def is_object(m):
    return m.get("type", "object") in ("object", "nested")


def _bool_param(v):
    if v in (True, "true"):
        return True
    if v in (False, "false"):
        return False
    return None


def check_dynamic(v, path):
    if v in (True, False, "true", "false", "strict", "runtime"):
        return
    raise mpe("Could not convert [%sdynamic] to boolean" % (path + "." if path else ""))


def _expand_dotted(props):
    """Mapping definitions may name fields "a.b": expand into objects."""
    out = {}
    for k, v in props.items():
        if "." in k and k.strip(".") == k and ".." not in k:
            head, rest = k.split(".", 1)
            holder = out.setdefault(head, {"properties": {}})
            if not isinstance(holder, dict) or not is_object(holder):
                raise mpe("Field [%s] is defined both as an object and a field" % head)
            holder.setdefault("properties", {})
            holder["properties"].update(_expand_dotted({rest: v}))
        else:
            if k in out and isinstance(out[k], dict) and isinstance(v, dict) and is_object(v):
                out[k].setdefault("properties", {}).update(v.get("properties", {}))
                for kk, vv in v.items():
                    if kk != "properties":
                        out[k][kk] = vv
            else:
                out[k] = v
    return out


def check_field_mapping(name, fm, path, multi=False):
    """Validate one field definition; return a normalised copy. Raises a
    MapperParsingException-like ESError (inner, unwrapped)."""
    if not isinstance(fm, dict):
        raise mpe("Expected map for property [fields] on field [%s] but got a class java.lang.String"
                  % name)
    t = fm.get("type")
    if t is None and ("properties" in fm or not multi):
        t = "object"
    if not isinstance(t, str):
        raise mpe("No type specified for field [%s]" % name)
    if t in ("object", "nested"):
        if multi:
            raise mpe("Type [%s] cannot be used in multi field" % t)
        out = {}
        for k, v in fm.items():
            if k not in _OBJECT_PARAMS:
                raise mpe("Mapping definition for [%s] has unsupported parameters:  [%s : %s]"
                          % (name, k, java_str(v)))
            if k == "properties":
                if not isinstance(v, dict):
                    raise mpe("Expected map for property [properties] on field [%s] but got a %s"
                              % (name, type(v).__name__))
                out["properties"] = {ck: check_field_mapping(ck, cv, path + "." + ck)
                                     for ck, cv in _expand_dotted(v).items()}
            elif k == "dynamic":
                check_dynamic(v, path)
                out[k] = v
            elif k == "type":
                if v == "nested":
                    out[k] = v
            else:
                out[k] = v
        return out
    if t in KNOWN_UNSUPPORTED:
        raise mpe("esserver does not support type [%s] (declared on field [%s])" % (t, name))
    if t not in SUPPORTED_TYPES:
        raise mpe("No handler for type [%s] declared on field [%s]" % (t, name))
    allowed = _COMMON_PARAMS | _TYPE_PARAMS.get(t, set())
    out = {}
    for k, v in fm.items():
        if k not in allowed:
            raise mpe("unknown parameter [%s] on mapper [%s] of type [%s]" % (k, name, t))
        out[k] = v
    if t == "scaled_float":
        sf = fm.get("scaling_factor")
        if sf is None:
            raise mpe("Field [scaling_factor] is required")
        try:
            if not float(sf) > 0:
                raise ValueError
        except (TypeError, ValueError):
            raise mpe("[scaling_factor] must be a positive number, got [%s]" % sf)
    if t in DATE_TYPES and "format" in fm:
        try:
            date_format(str(fm["format"]))
        except InvalidFormat as e:
            raise mpe(str(e))
    if "ignore_above" in fm:
        try:
            int(fm["ignore_above"])
        except (TypeError, ValueError):
            raise mpe("Failed to parse value [%s] as only [true] or [false] are allowed."
                      % fm["ignore_above"])
    for p in ("coerce", "ignore_malformed", "index", "doc_values", "store"):
        if p in fm and _bool_param(fm[p]) is None:
            raise mpe("Failed to parse value [%s] as only [true] or [false] are allowed."
                      % java_str(fm[p]))
    if "fields" in fm:
        if not isinstance(fm["fields"], dict):
            raise mpe("Expected map for property [fields] on field [%s] but got a %s"
                      % (name, type(fm["fields"]).__name__))
        out["fields"] = {sk: check_field_mapping(sk, sv, path + "." + sk, multi=True)
                         for sk, sv in fm["fields"].items()}
    if "null_value" in fm and fm["null_value"] is not None:
        # check that the null_value itself parses for the type
        try:
            convert_value(None, out, t, path, fm["null_value"])
        except FieldError as e:
            raise mpe("Failed to parse mapping: %s" % e.cause.reason)
    return out


def check_root_mapping(m):
    """Validate a root mapping {properties, dynamic, ...}; normalised copy."""
    if not isinstance(m, dict):
        raise mpe("Root mapping definition must be an object")
    out = {}
    bad = [(k, v) for k, v in m.items() if k not in ROOT_PARAMS]
    if bad:
        raise mpe("Root mapping definition has unsupported parameters:  " +
                  " ".join("[%s : %s]" % (k, java_str(v)) for k, v in bad))
    for k, v in m.items():
        if k == "properties":
            if not isinstance(v, dict):
                raise mpe("Expected map for property [properties] on field [_doc]")
            out[k] = {ck: check_field_mapping(ck, cv, ck) for ck, cv in _expand_dotted(v).items()}
        elif k == "dynamic":
            check_dynamic(v, "")
            out[k] = v
        elif k == "dynamic_date_formats":
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list):
                raise mpe("Dynamic date formats should be a list or a string")
            for f in v:
                try:
                    date_format(f)
                except InvalidFormat as e:
                    raise mpe(str(e))
            out[k] = v
        elif k in ("date_detection", "numeric_detection"):
            if _bool_param(v) is None:
                raise mpe("Failed to parse value [%s] as only [true] or [false] are allowed."
                          % java_str(v))
            out[k] = v
        else:
            out[k] = v
    return out


_NON_UPDATABLE = ("format", "scaling_factor", "index", "doc_values", "store", "null_value",
                  "analyzer", "normalizer", "similarity")


def merge_mappings(cur, new, prefix=""):
    """Merge new (checked) object mapping into cur (a deep copy the caller
    owns). Raises illegal_argument_exception on conflicts."""
    for k, v in new.items():
        if k != "properties":
            cur[k] = v
    cprops = cur.setdefault("properties", {})
    for name, nm in new.get("properties", {}).items():
        path = prefix + name
        cm = cprops.get(name)
        if cm is None:
            cprops[name] = nm
            continue
        if is_object(cm) != is_object(nm):
            if is_object(cm):
                raise iae("can't merge a non object mapping [%s] with an object mapping" % path)
            raise iae("can't merge a non object mapping [%s] with an object mapping" % path)
        if is_object(cm):
            if cm.get("type", "object") != nm.get("type", "object"):
                raise iae("can't merge a non-nested mapping [%s] with a nested mapping" % path)
            merge_mappings(cm, nm, path + ".")
            continue
        ct, nt = cm["type"], nm["type"]
        if ct != nt:
            raise iae("mapper [%s] cannot be changed from type [%s] to [%s]" % (path, ct, nt))
        conflicts = []
        for p in _NON_UPDATABLE:
            if cm.get(p) != nm.get(p) and not (p not in nm):
                conflicts.append("Cannot update parameter [%s] from [%s] to [%s]"
                                 % (p, java_str(cm.get(p)), java_str(nm.get(p))))
        if conflicts:
            raise iae("Mapper for [%s] conflicts with existing mapper:\n\t%s"
                      % (path, "\n\t".join(conflicts)))
        for p, pv in nm.items():
            if p == "fields":
                cf = cm.setdefault("fields", {})
                for sn, sm in pv.items():
                    if sn in cf and cf[sn].get("type") != sm.get("type"):
                        raise iae("mapper [%s.%s] cannot be changed from type [%s] to [%s]"
                                  % (path, sn, cf[sn].get("type"), sm.get("type")))
                    cf[sn] = sm
            else:
                cm[p] = pv


def deep_copy(o):
    if isinstance(o, dict):
        return {k: deep_copy(v) for k, v in o.items()}
    if isinstance(o, list):
        return [deep_copy(v) for v in o]
    return o


def mapping_out(m):
    """A mapping as GET _mapping shows it: objects without "type":"object"
    unless they have no properties."""
    out = {}
    for k, v in m.items():
        if k == "properties":
            out[k] = {n: _field_out(fm) for n, fm in v.items()}
        else:
            out[k] = v
    return out


def _field_out(fm):
    if is_object(fm):
        out = {}
        if fm.get("type") == "nested":
            out["type"] = "nested"
        for k, v in fm.items():
            if k == "type":
                continue
            if k == "properties":
                if v:
                    out["properties"] = {n: _field_out(x) for n, x in v.items()}
            else:
                out[k] = v
        if "properties" not in out and "type" not in out:
            out = dict(type="object", **out)
        return out
    return fm


def lookup_field(root, path):
    """The mapping of a dotted field path (also multi-fields like a.keyword)."""
    parts = path.split(".")
    m = root
    i = 0
    while i < len(parts):
        props = m.get("properties") if is_object(m) else None
        p = parts[i]
        if props is not None and p in props:
            m = props[p]
            i += 1
            continue
        if not is_object(m) and "fields" in m and p in m["fields"] and i == len(parts) - 1:
            return m["fields"][p]
        return None
    return None if is_object(m) else m


# --------------------------------------------------------------------------
# value conversion: JSON value -> list of indexed values, or FieldError

_INT_STR = re.compile(r"[+-]?\d+\Z")
_DEC_STR = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_FLOAT_STR = re.compile(r"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|Infinity)[fFdD]?\s*\Z")
_TOKEN = re.compile(r"\w+")


def tokens(s):
    return _TOKEN.findall(s.lower())


def _num_token_name(v):
    if v is True:
        return "VALUE_TRUE"
    if v is False:
        return "VALUE_FALSE"
    if isinstance(v, int):
        return "VALUE_NUMBER_INT"
    if isinstance(v, Decimal):
        return "VALUE_NUMBER_FLOAT"
    if isinstance(v, dict):
        return "START_OBJECT"
    if isinstance(v, list):
        return "START_ARRAY"
    return "VALUE_STRING"


def _text_of(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def _to_float32(f):
    try:
        return struct.unpack("f", struct.pack("f", f))[0]
    except OverflowError:
        return math.copysign(math.inf, f)


def _to_half(f):
    try:
        return struct.unpack("e", struct.pack("e", f))[0]
    except OverflowError:
        return math.copysign(math.inf, f)


def convert_integer(t, v, coerce):
    lo, hi, jkind, jclass, phrase = INTEGER_TYPES[t]
    if isinstance(v, bool) or not isinstance(v, (int, Decimal, str)):
        raise FieldError("json_parse_exception", "Current token (%s) not numeric, can not use "
                         "numeric value accessors" % _num_token_name(v))
    if isinstance(v, str):
        if not coerce:
            raise FieldError("illegal_argument_exception", "%s value passed as String" % jclass)
        if _INT_STR.match(v):
            n = int(v)
        elif _DEC_STR.match(v):
            d = Decimal(v)
            if abs(d.adjusted()) > 40:
                raise FieldError("illegal_argument_exception",
                                 "Value [%s] is out of range for %s" % (v, phrase))
            n = int(d)
        else:
            raise FieldError("illegal_argument_exception", 'For input string: "%s"' % v)
        if not lo <= n <= hi:
            raise FieldError("illegal_argument_exception",
                             "Value [%s] is out of range for %s" % (v, phrase))
        return n
    if isinstance(v, Decimal):
        if abs(v.adjusted()) > 40:
            n = None
        else:
            n = int(v)
            if not coerce and n != v:
                raise FieldError("illegal_argument_exception", "Value [%s] has a decimal part" % v)
    else:
        n = v
    jlo, jhi = (-2 ** 63, 2 ** 63 - 1) if jkind == "long" else (-2 ** 31, 2 ** 31 - 1)
    if t == "unsigned_long":
        jlo, jhi = lo, hi
    if n is None or not jlo <= n <= jhi:
        raise FieldError("input_coercion_exception",
                         "Numeric value (%s) out of range of %s (%d - %d)" % (v, jkind, jlo, jhi))
    if not lo <= n <= hi:
        raise FieldError("illegal_argument_exception",
                         "Value [%s] is out of range for %s" % (n, phrase))
    return n


def convert_float(t, m, v, coerce):
    if isinstance(v, bool) or not isinstance(v, (int, Decimal, str)):
        raise FieldError("json_parse_exception", "Current token (%s) not numeric, can not use "
                         "numeric value accessors" % _num_token_name(v))
    if isinstance(v, str):
        if not coerce:
            raise FieldError("illegal_argument_exception",
                             "%s value passed as String" % FLOAT_TYPES[t])
        if not _FLOAT_STR.match(v):
            raise FieldError("number_format_exception",
                             'For input string: "%s"' % v if v else "empty String")
        f = float(v.strip().rstrip("fFdD"))
    else:
        f = float(v)
    if t == "float":
        f = _to_float32(f)
    elif t == "half_float":
        f = _to_half(f)
    if math.isinf(f) or math.isnan(f):
        raise FieldError("illegal_argument_exception", "[%s] supports only finite values, but got [%s]"
                         % (t, "NaN" if math.isnan(f) else ("Infinity" if f > 0 else "-Infinity")))
    if t == "scaled_float":
        factor = float(m["scaling_factor"])
        scaled = math.floor(f * factor + 0.5)
        if not -2 ** 63 <= scaled <= 2 ** 63 - 1:
            raise FieldError("illegal_argument_exception",
                             "[scaled_float] only supports finite values, but got [%s]" % f)
        f = scaled / factor
    return f


def convert_value(parser, m, t, path, v):
    """Indexed values for one JSON value v (not a list, not null) of a field
    of type t with mapping m. parser gives the index-wide defaults."""
    if t in KEYWORD_TYPES:
        if isinstance(v, (dict, list)):
            raise FieldError("illegal_state_exception", "Can't get text on a %s" % _num_token_name(v))
        s = _text_of(v)
        ia = m.get("ignore_above")
        if ia is not None and len(s) > int(ia):
            return []
        return [s]
    if t in TEXT_TYPES:
        if isinstance(v, (dict, list)):
            raise FieldError("illegal_state_exception", "Can't get text on a %s" % _num_token_name(v))
        return tokens(_text_of(v))
    coerce = _bool_param(m.get("coerce"))
    if coerce is None:
        coerce = parser.coerce if parser is not None else True
    if t in INTEGER_TYPES:
        return [convert_integer(t, v, coerce)]
    if t in FLOAT_TYPES:
        return [convert_float(t, m, v, coerce)]
    if t == "boolean":
        if v is True or v is False:
            return [v]
        if isinstance(v, str):
            if v == "true":
                return [True]
            if v in ("false", ""):
                return [False]
            raise FieldError("illegal_argument_exception",
                             "Failed to parse value [%s] as only [true] or [false] are allowed." % v)
        raise FieldError("json_parse_exception",
                         "Current token (%s) not of boolean type" % _num_token_name(v))
    if t in DATE_TYPES:
        if isinstance(v, (dict, list)):
            raise FieldError("illegal_state_exception", "Can't get text on a %s" % _num_token_name(v))
        text = _text_of(v)
        fmt = date_format(str(m.get("format", DEFAULT_DATE_FORMAT)))
        try:
            ns = fmt.parse(text)
        except DateParseError as e:
            raise FieldError("illegal_argument_exception",
                             "failed to parse date field [%s] with format [%s]" % (text, fmt.name),
                             Cause("date_time_parse_exception", str(e)))
        if t == "date":
            return [ns // 1000000]
        if ns < 0:
            raise FieldError("illegal_argument_exception",
                             "date[%s] is before the epoch in 1970 and cannot be stored in "
                             "nanosecond resolution" % format_millis(ns // 1000000))
        return [ns]
    if t == "binary":
        if not isinstance(v, str):
            raise FieldError("json_parse_exception", "Current token (%s) not VALUE_STRING or "
                             "VALUE_EMBEDDED_OBJECT, can not access as binary" % _num_token_name(v))
        try:
            base64.b64decode(v, validate=True)
        except (binascii.Error, ValueError) as e:
            raise FieldError("illegal_argument_exception", "Failed to decode VALUE_STRING as "
                             "base64 (MIME-NO-LINEFEEDS): %s" % e)
        return []
    if t == "ip":
        if not isinstance(v, str):
            raise FieldError("illegal_argument_exception", "'%s' is not an IP string literal."
                             % _text_of(v))
        try:
            return [str(ipaddress.ip_address(v))]
        except ValueError:
            raise FieldError("illegal_argument_exception", "'%s' is not an IP string literal." % v)
    raise FieldError("illegal_argument_exception", "esserver cannot index type [%s]" % t)


_MALFORMED_OK = NUMERIC_TYPES | DATE_TYPES | {"ip", "boolean"}
METADATA_FIELDS = {"_id", "_index", "_type", "_source", "_routing", "_version", "_seq_no",
                   "_primary_term", "_field_names", "_ignored", "_nested_path", "_tier",
                   "_data_stream_timestamp", "_doc_count", "_size"}


class DocParser:
    """Checks one document against an index's mapping, collecting indexed
    values and the dynamic mappings it adds (applied by commit())."""

    def __init__(self, idx, doc_id):
        self.idx = idx
        self.doc_id = doc_id
        self.fields = {}
        self.added = []          # (parent object mapping, key, new mapping)
        self.new_objects = set()  # ids of object mappings created by this document
        self.coerce = idx.setting_bool("index.mapping.coerce", True)
        self.ignore_malformed = idx.setting_bool("index.mapping.ignore_malformed", False)
        root = idx.mapping
        self.date_detection = _bool_param(root.get("date_detection", True)) is not False
        self.numeric_detection = _bool_param(root.get("numeric_detection", False)) is True
        self.dyn_formats = root.get("dynamic_date_formats", DEFAULT_DYNAMIC_DATE_FORMATS)

    def parse(self, src):
        if not isinstance(src, dict):
            raise mpe("failed to parse", Cause("not_x_content_exception",
                                               "Compressor detection can only be called on some "
                                               "xcontent bytes or compressed xcontent bytes"))
        for k in src:
            if k in METADATA_FIELDS:
                raise mpe("Field [%s] is a metadata field and cannot be added inside a document. "
                          "Use the index API request parameters." % k)
        root = self.idx.mapping
        self.walk(src, root, "", root.get("dynamic", True))
        return self.fields

    def commit(self):
        for parent, key, m in self.added:
            parent.setdefault("properties", {})[key] = m

    def child(self, omap, key):
        props = omap.get("properties")
        if props is not None and key in props:
            return props[key]
        for parent, k, m in self.added:
            if parent is omap and k == key:
                return m
        return None

    def add(self, omap, key, m):
        if id(omap) in self.new_objects:
            omap.setdefault("properties", {})[key] = m
        else:
            self.added.append((omap, key, m))

    def walk(self, obj, omap, prefix, dyn):
        for key, value in obj.items():
            if key == "" or key.strip() == "":
                raise mpe("field name cannot be an empty string" if key == "" else
                          "field name cannot contain only whitespace: ['%s']" % key)
            if "." in key:
                if key.startswith(".") or key.endswith(".") or ".." in key:
                    raise mpe("object field starting or ending with a [.] makes object resolution "
                              "ambiguous: [%s]" % (prefix + key))
                parts = key.split(".")
                cur, cur_prefix, cur_dyn = omap, prefix, dyn
                skip = False
                for p in parts[:-1]:
                    m = self.child(cur, p)
                    path = cur_prefix + p
                    if m is None:
                        if cur_dyn in ("strict",):
                            raise self.strict_error(p, cur_prefix)
                        if cur_dyn in (False, "false"):
                            skip = True
                            break
                        m = {"properties": {}}
                        self.new_objects.add(id(m))
                        self.add(cur, p, m)
                    elif not is_object(m):
                        raise mpe("Could not dynamically add mapping for field [%s]. Existing "
                                  "mapping for [%s] must be of type object but found [%s]."
                                  % (prefix + key, path, m.get("type")))
                    if m.get("enabled", True) in (False, "false"):
                        skip = True
                        break
                    cur_dyn = m.get("dynamic", cur_dyn)
                    cur, cur_prefix = m, path + "."
                if skip:
                    continue
                self.one(cur, cur_prefix, parts[-1], value, cur_dyn)
            else:
                self.one(omap, prefix, key, value, dyn)

    def strict_error(self, key, prefix):
        within = prefix[:-1] if prefix else "_doc"
        return ESError(400, "strict_dynamic_mapping_exception",
                       "mapping set to strict, dynamic introduction of [%s] within [%s] is not "
                       "allowed" % (key, within))

    def one(self, omap, prefix, key, value, dyn):
        path = prefix + key
        m = self.child(omap, key)
        if m is None:
            first = _first_non_null(value)
            if first is None:
                return
            if dyn == "strict":
                raise self.strict_error(key, prefix)
            if dyn in (False, "false"):
                return
            m = self.dynamic_mapping(first)
            self.add(omap, key, m)
        self.field(m, path, key, value, dyn)

    def dynamic_mapping(self, v):
        if v is True or v is False:
            return {"type": "boolean"}
        if isinstance(v, int):
            return {"type": "long"}
        if isinstance(v, Decimal):
            return {"type": "float"}
        if isinstance(v, dict):
            m = {"properties": {}}
            self.new_objects.add(id(m))
            return m
        s = v
        as_long = bool(_INT_STR.match(s.strip())) if s.strip() else False
        as_double = bool(_FLOAT_STR.match(s)) if s.strip() else False
        if as_long and self.numeric_detection:
            return {"type": "long"}
        if as_double and self.numeric_detection:
            return {"type": "float"}
        if not as_long and not as_double and self.date_detection:
            for f in self.dyn_formats:
                try:
                    date_format(f).parse(s)
                except (DateParseError, InvalidFormat):
                    continue
                if f == "strict_date_optional_time":
                    return {"type": "date"}
                return {"type": "date", "format": f}
        return {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}

    def field(self, m, path, key, value, dyn):
        if is_object(m):
            if m.get("enabled", True) in (False, "false"):
                return
            child_dyn = m.get("dynamic", dyn)
            for v in _flatten(value):
                if v is None:
                    continue
                if not isinstance(v, dict):
                    raise mpe("object mapping for [%s] tried to parse field [%s] as object, but "
                              "found a concrete value" % (path, key))
                self.walk(v, m, path + ".", child_dyn)
            return
        t = m["type"]
        for v in _flatten(value):
            self.value(m, t, path, v)

    def value(self, m, t, path, v):
        if v is None:
            v = m.get("null_value")
            if v is None:
                return
        try:
            vals = convert_value(self, m, t, path, v)
        except FieldError as e:
            im = _bool_param(m.get("ignore_malformed"))
            if im is None:
                im = self.ignore_malformed
            if im and t in _MALFORMED_OK and not isinstance(v, (dict, list)):
                self.fields.setdefault("_ignored", []).append(path)
                return
            raise mpe("failed to parse field [%s] of type [%s] in document with id '%s'. "
                      "Preview of field's value: '%s'" % (path, t, self.doc_id, java_str(v)),
                      e.cause)
        if vals:
            f = self.fields.get(path)
            if f is None:
                self.fields[path] = list(vals)
            else:
                f.extend(vals)
        for sub, sm in m.get("fields", {}).items():
            self.value(sm, sm.get("type", "keyword"), path + "." + sub, v)


def _flatten(value):
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, list):
                out.extend(_flatten(v))
            else:
                out.append(v)
        return out
    return [value]


def _first_non_null(value):
    if isinstance(value, list):
        for v in value:
            f = _first_non_null(v)
            if f is not None:
                return f
        return None
    return value


# --------------------------------------------------------------------------
# indices and documents


class Doc:
    __slots__ = ("id", "version", "seq_no", "raw", "fields", "order")

    def __init__(self, doc_id, version, seq_no, raw, fields):
        self.id = doc_id
        self.version = version
        self.seq_no = seq_no
        self.raw = raw
        self.fields = fields


_INVALID_NAME_CHARS = ' , ", *, \\, <, |, ,, >, /, ?'
_INVALID_NAME_SET = set('\\/*?"<>| ,')


def validate_index_name(name):
    def bad(why):
        return ESError(400, "invalid_index_name_exception",
                       "Invalid index name [%s], %s" % (name, why), index_uuid="_na_", index=name)
    if name == "":
        raise bad("must not be empty")
    if any(c in _INVALID_NAME_SET for c in name):
        raise bad("must not contain the following characters [%s]" % _INVALID_NAME_CHARS)
    if "#" in name:
        raise bad("must not contain '#'")
    if name[0] in "_-+":
        raise bad("must not start with '_', '-', or '+'")
    if name.lower() != name:
        raise bad("must be lowercase")
    n = len(name.encode("utf-8"))
    if n > 255:
        raise bad("index name is too long, (%d > 255)" % n)
    if name in (".", ".."):
        raise bad("must not be '.' or '..'")


def flatten_settings(s, prefix=""):
    out = {}
    for k, v in s.items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(flatten_settings(v, key + "."))
        else:
            if isinstance(v, bool):
                v = "true" if v else "false"
            elif isinstance(v, list):
                v = [str(x) for x in v]
            elif v is not None:
                v = str(v)
            out[key] = v
    return {(k if k.startswith("index.") else "index." + k): v for k, v in out.items()}


def nest_settings(flat):
    out = {}
    for k, v in sorted(flat.items()):
        cur = out
        parts = k.split(".")
        for p in parts[:-1]:
            nxt = cur.get(p)
            if not isinstance(nxt, dict):
                nxt = cur[p] = {}
            cur = nxt
        cur[parts[-1]] = v
    return out


class Index:
    def __init__(self, name, settings=None, mapping=None, type_name=None):
        self.name = name
        self.uuid = new_uuid()
        self.created = now_ms()
        flat = {"index.number_of_shards": "1", "index.number_of_replicas": "1"}
        flat.update(settings or {})
        flat["index.creation_date"] = str(self.created)
        flat["index.uuid"] = self.uuid
        flat["index.provided_name"] = name
        flat["index.version.created"] = str(CFG.major * 1000000 + CFG.minor * 10000
                                            + CFG.patch * 100 + 99)
        self.settings = flat
        self.mapping = mapping if mapping is not None else {}
        self.type_name = type_name
        self.docs = {}
        self.versions = {}
        self.seq = -1
        self.searchable = {}
        self.dirty = False
        self.last_refresh = time.monotonic()
        self.refresh_interval = CFG.refresh_interval
        self.apply_settings()

    def apply_settings(self):
        ri = self.settings.get("index.refresh_interval")
        self.refresh_interval = (parse_time_value(ri, "index.refresh_interval")
                                 if ri is not None else CFG.refresh_interval)

    def setting_bool(self, key, default):
        v = self.settings.get(key)
        if v is None:
            return default
        return v == "true"

    def next_seq(self):
        self.seq += 1
        return self.seq

    def refresh(self):
        if self.dirty or len(self.searchable) != len(self.docs):
            self.searchable = dict(self.docs)
        self.dirty = False
        self.last_refresh = time.monotonic()

    def check_type(self, t):
        """One mapping type per index (6.x: any name; 7.x: _doc or a custom
        name fixed by the first write)."""
        if t is None:
            t = "_doc"
        if self.type_name is None:
            self.type_name = t
            return t
        if t != self.type_name:
            if t == "_doc" and not typed_api():
                return self.type_name
            raise iae("Rejecting mapping update to [%s] as the final mapping would have more than "
                      "1 type: [%s, %s]" % (self.name, self.type_name, t))
        return t


class State:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        self.indices = {}
        self.rules = []
        self.stats = {"requests": 0, "by_path": {}, "bulk_requests": 0, "bulk_items": 0,
                      "items_by_action": {}, "faults_fired": {}, "auth_failures": 0}
        self.fast_seq = {}

    def fired(self, kind, n=1):
        ff = self.stats["faults_fired"]
        ff[kind] = ff.get(kind, 0) + n

    def resolve(self, expr, allow_missing=False):
        """Indices named by an expression: a,b, wildcards, _all."""
        out = []
        seen = set()
        for part in expr.split(","):
            part = part.strip()
            if part in ("_all", "*", ""):
                names = sorted(self.indices)
            elif "*" in part or "?" in part:
                names = sorted(n for n in self.indices if fnmatch.fnmatchcase(n, part))
            else:
                if part not in self.indices:
                    if allow_missing:
                        continue
                    raise index_not_found(part)
                names = [part]
            for n in names:
                if n not in seen:
                    seen.add(n)
                    out.append(self.indices[n])
        return out

    def get_index(self, name):
        idx = self.indices.get(name)
        if idx is None:
            raise index_not_found(name)
        return idx

    def auto_index(self, name, for_delete=False):
        """The index a write goes to, created when missing (auto_create_index)."""
        idx = self.indices.get(name)
        if idx is not None:
            return idx
        validate_index_name(name)
        if for_delete:
            raise index_not_found(name)
        if not CFG.auto_create:
            raise ESError(404, "index_not_found_exception",
                          "no such index [%s] and [action.auto_create_index] is [false]" % name,
                          index_uuid="_na_", index=name)
        idx = Index(name)
        self.indices[name] = idx
        return idx


STATE = State()


# --------------------------------------------------------------------------
# document operations (called with STATE.lock held)


def op_result(idx, doc_id, version, seq, result, typ):
    r = {"_index": idx.name}
    if with_type():
        r["_type"] = typ
    r.update({"_id": doc_id, "_version": version, "result": result, "_shards": dict(SHARDS),
              "_seq_no": seq, "_primary_term": 1})
    return r


def version_conflict(idx, doc_id, reason):
    return ESError(409, "version_conflict_engine_exception", "[%s]: version conflict, %s"
                   % (doc_id, reason), index_uuid=idx.uuid, shard="0", index=idx.name)


def check_if_seq(idx, doc_id, cur, if_seq_no, if_primary_term):
    if if_seq_no is None and if_primary_term is None:
        return
    want_seq = int(if_seq_no) if if_seq_no is not None else -2
    want_term = int(if_primary_term) if if_primary_term is not None else 0
    if cur is None:
        raise version_conflict(idx, doc_id, "required seqNo [%d], primary term [%d] but no "
                               "document was found" % (want_seq, want_term))
    if cur.seq_no != want_seq or want_term != 1:
        raise version_conflict(idx, doc_id, "required seqNo [%d], primary term [%d]. current "
                               "document has seqNo [%d] and primary term [1]"
                               % (want_seq, want_term, cur.seq_no))


def do_index(idx, doc_id, raw, src, create, typ, if_seq_no=None, if_primary_term=None):
    """Index one document; returns (status, result dict). src may be a
    JSONError instance when the source did not parse."""
    if doc_id is None:
        doc_id = auto_id()
    if isinstance(src, JSONError):
        raise mpe("failed to parse", Cause("json_parse_exception", str(src)))
    p = DocParser(idx, doc_id)
    fields = p.parse(src)
    p.commit()
    cur = idx.docs.get(doc_id)
    if create and cur is not None:
        raise version_conflict(idx, doc_id, "document already exists (current version [%d])"
                               % cur.version)
    check_if_seq(idx, doc_id, cur, if_seq_no, if_primary_term)
    version = idx.versions.get(doc_id, 0) + 1
    seq = idx.next_seq()
    idx.docs[doc_id] = Doc(doc_id, version, seq, raw, fields)
    idx.versions[doc_id] = version
    idx.dirty = True
    result = "updated" if cur is not None else "created"
    return (200 if cur is not None else 201), op_result(idx, doc_id, version, seq, result, typ)


def do_delete(idx, doc_id, typ, if_seq_no=None, if_primary_term=None):
    cur = idx.docs.get(doc_id)
    check_if_seq(idx, doc_id, cur, if_seq_no, if_primary_term)
    version = idx.versions.get(doc_id, 0) + 1
    idx.versions[doc_id] = version
    seq = idx.next_seq()
    if cur is None:
        return 404, op_result(idx, doc_id, version, seq, "not_found", typ)
    del idx.docs[doc_id]
    idx.dirty = True
    return 200, op_result(idx, doc_id, version, seq, "deleted", typ)


def deep_merge(base, upd):
    out = dict(base)
    for k, v in upd.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


UPDATE_KEYS = {"doc", "upsert", "doc_as_upsert", "detect_noop", "script", "scripted_upsert",
               "_source", "lang", "params"}


def check_update_body(body, line=None):
    """Update bodies are parsed eagerly (as ES does): errors fail the request."""
    where = "[%d:2] " % line if line else "[1:2] "
    if not isinstance(body, dict):
        raise ESError(400, "x_content_parse_exception", where + "[UpdateRequest] expected an object")
    for k in body:
        if k not in UPDATE_KEYS:
            raise ESError(400, "x_content_parse_exception",
                          where + "[UpdateRequest] unknown field [%s]" % k)
    for k in ("doc", "upsert"):
        if k in body and not isinstance(body[k], dict):
            raise ESError(400, "x_content_parse_exception",
                          where + "[UpdateRequest] %s doesn't support values of type: VALUE_STRING" % k)


def do_update(idx, doc_id, body, typ, if_seq_no=None, if_primary_term=None):
    if "script" in body:
        raise iae("esserver does not run scripts (scripted updates are not supported)")
    cur = idx.docs.get(doc_id)
    doc = body.get("doc")
    if cur is None:
        if body.get("doc_as_upsert") in (True, "true") and doc is not None:
            src = doc
        elif "upsert" in body:
            src = body["upsert"]
        else:
            reason = ("[%s][%s]: document missing" % (typ, doc_id) if with_type()
                      else "[%s]: document missing" % doc_id)
            raise ESError(404, "document_missing_exception", reason,
                          index_uuid=idx.uuid, shard="0", index=idx.name)
        return do_index(idx, doc_id, jenc(src), src, True, typ, if_seq_no, if_primary_term)
    if doc is None:
        raise validation_error(["script or doc is missing"])
    check_if_seq(idx, doc_id, cur, if_seq_no, if_primary_term)
    old = parse_json(cur.raw)
    merged = deep_merge(old, doc)
    if body.get("detect_noop", True) not in (False, "false") and merged == old:
        r = op_result(idx, doc_id, cur.version, cur.seq_no, "noop", typ)
        r["_shards"] = {"total": 0, "successful": 0, "failed": 0}
        return 200, r
    status, r = do_index(idx, doc_id, jenc(merged), merged, False, typ)
    return 200, r


# --------------------------------------------------------------------------
# bulk

BULK_PARAMS_7 = {"_index", "_type", "_id", "routing", "version", "version_type", "if_seq_no",
                 "if_primary_term", "pipeline", "retry_on_conflict", "require_alias", "_source",
                 "dynamic_templates", "op_type"}
BULK_PARAMS_6 = BULK_PARAMS_7 | {"_routing", "_version", "_version_type", "_retry_on_conflict",
                                 "parent", "_parent"}
ACTIONS = ("index", "create", "delete", "update")


def _token_of(v):
    if isinstance(v, dict):
        return "START_OBJECT"
    if isinstance(v, list):
        return "START_ARRAY"
    if isinstance(v, str):
        return "VALUE_STRING"
    if v is None:
        return "VALUE_NULL"
    if isinstance(v, bool):
        return "VALUE_BOOLEAN"
    return "VALUE_NUMBER"


def parse_action_line(line, n):
    """(action, meta dict) of bulk action line number n (1-based)."""
    try:
        a = parse_json(line)
    except JSONError as e:
        raise ESError(400, "json_parse_exception", "%s (bulk action/metadata line [%d])" % (e, n))
    if not isinstance(a, dict):
        raise iae("Malformed action/metadata line [%d], expected START_OBJECT or END_OBJECT but "
                  "found [%s]" % (n, _token_of(a)))
    if not a:
        raise iae("Malformed action/metadata line [%d], expected FIELD_NAME but found [END_OBJECT]"
                  % n)
    action = next(iter(a))
    if action not in ACTIONS:
        raise iae("Malformed action/metadata line [%d], expected field [create], [delete], [index] "
                  "or [update] but found [%s]" % (n, action))
    if len(a) > 1:
        raise iae("Malformed action/metadata line [%d], expected END_OBJECT but found [FIELD_NAME]"
                  % n)
    meta = a[action]
    if not isinstance(meta, dict):
        raise iae("Malformed action/metadata line [%d], expected START_OBJECT but found [%s]"
                  % (n, _token_of(meta)))
    allowed = (BULK_PARAMS_6 if CFG.major <= 6 else
               BULK_PARAMS_7 if CFG.major == 7 else BULK_PARAMS_7 - {"_type"})
    for k, v in meta.items():
        if k not in allowed:
            raise iae("Action/metadata line [%d] contains an unknown parameter [%s]" % (n, k))
        if isinstance(v, (dict, list)) and k != "_source" and k != "dynamic_templates":
            raise iae("Malformed action/metadata line [%d], expected a simple value for field [%s] "
                      "but found [%s]" % (n, k, _token_of(v)))
    return action, meta


def _meta_str(v):
    if v is None:
        return None
    return _text_of(v)


def parse_bulk(text, url_index, url_type):
    """Parse an NDJSON bulk body into a list of operations."""
    lines = text.split("\n")
    last = len(lines) - 1  # the body ends with a newline: lines[last] == ""
    ops = []
    errors = []
    i = 0
    while i < last:
        line = lines[i]
        n = i + 1
        i += 1
        if not line.strip():
            continue
        action, meta = parse_action_line(line, n)
        index = _meta_str(meta.get("_index", url_index))
        typ = _meta_str(meta.get("_type", url_type))
        doc_id = _meta_str(meta.get("_id"))
        if action == "index" and str(meta.get("op_type", "index")) == "create":
            action = "create"
        source = None
        if action != "delete":
            if i >= last:
                break  # ES drops an action without its source line
            source = lines[i]
            i += 1
            if action == "update":
                try:
                    body = parse_json(source)
                except JSONError as e:
                    raise ESError(400, "x_content_parse_exception",
                                  "[%d:1] %s" % (n + 1, str(e).split("\n")[0]),
                                  caused_by=Cause("json_parse_exception", str(e)))
                check_update_body(body, n + 1)
                source = body
        nerr = len(errors)
        if index is None:
            errors.append("index is missing")
        if typed_api() and typ is None:
            errors.append("type is missing")
        if action in ("delete", "update") and doc_id is None:
            errors.append("id is missing")
        if doc_id is not None:
            if doc_id == "":
                errors.append("if _id is specified it must not be empty")
            elif len(doc_id.encode("utf-8")) > 512:
                errors.append("id [%s] is too long, must be no longer than 512 bytes but was: %d"
                              % (doc_id, len(doc_id.encode("utf-8"))))
        if len(errors) == nerr:
            ops.append((action, index, typ, doc_id, source, meta))
    if errors:
        raise validation_error(errors)
    if not ops:
        raise validation_error(["no requests added"])
    return ops


def item_fault(rule, action, index, typ, doc_id):
    status = int(rule.get("status", 429))
    if status == 503:
        err = {"type": "unavailable_shards_exception",
               "reason": "[%s][0] primary shard is not active Timeout: [1m], request: "
                         "[BulkShardRequest [[%s][0]] containing [1] requests]" % (index, index),
               "index_uuid": "_na_", "shard": "0", "index": index}
    else:
        status = 429
        err = {"type": "es_rejected_execution_exception",
               "reason": "rejected execution of org.elasticsearch.action.support.replication."
                         "TransportWriteAction$1/WrappedActionListener on EsThreadPoolExecutor"
                         "[name = %s/write, queue capacity = 10000, task execution: [esserver "
                         "injected fault]]" % NODE_NAME}
    item = {"_index": index}
    if with_type():
        item["_type"] = typ or "_doc"
    item.update({"_id": doc_id, "status": status, "error": err})
    return {action: item}


def match_item_rule(action, index):
    """The item_status rule that fires for this item, if any (lock held)."""
    for r in STATE.rules:
        if r["kind"] != "item_status":
            continue
        if "action" in r and r["action"] != action:
            continue
        if "index" in r and r["index"] != index:
            continue
        r["_seen"] = r.get("_seen", 0) + 1
        if r["_seen"] % max(1, int(r.get("every", 1))) != 0:
            continue
        consume_rule(r)
        STATE.fired("item_status")
        return r
    return None


def consume_rule(r):
    c = r.get("count", 1)
    if c == -1:
        return
    c -= 1
    r["count"] = c
    if c <= 0:
        STATE.rules.remove(r)


def run_bulk(text, url_index, url_type, params):
    t0 = time.monotonic()
    ops = parse_bulk(text, url_index, url_type)
    items = []
    errors = False
    touched = set()
    with STATE.lock:
        st = STATE.stats
        st["bulk_items"] += len(ops)
        iba = st["items_by_action"]
        item_rules = any(r["kind"] == "item_status" for r in STATE.rules)
        for action, index, typ, doc_id, source, meta in ops:
            iba[action] = iba.get(action, 0) + 1
            if item_rules:
                rule = match_item_rule(action, index)
                if rule is not None:
                    items.append(item_fault(rule, action, index, typ, doc_id))
                    errors = True
                    continue
            try:
                idx = STATE.auto_index(index, for_delete=(action == "delete"))
                typ2 = idx.check_type(typ)
                ifs, ifp = meta.get("if_seq_no"), meta.get("if_primary_term")
                if action in ("index", "create"):
                    if doc_id is None:
                        doc_id = auto_id()
                    try:
                        src = parse_json(source)
                    except JSONError as e:
                        src = e
                    status, r = do_index(idx, doc_id, source, src, action == "create", typ2,
                                         ifs, ifp)
                elif action == "delete":
                    status, r = do_delete(idx, doc_id, typ2, ifs, ifp)
                else:
                    status, r = do_update(idx, doc_id, source, typ2, ifs, ifp)
                r["status"] = status
                items.append({action: r})
                touched.add(idx)
            except ESError as e:
                errors = True
                item = {"_index": index}
                if with_type():
                    item["_type"] = typ or "_doc"
                item.update({"_id": doc_id, "status": e.status, "error": e.to_dict()})
                items.append({action: item})
        if params.get("refresh") in ("", "true", "wait_for"):
            for idx in touched:
                idx.refresh()
            if params.get("refresh") != "wait_for":
                for it in items:
                    r = next(iter(it.values()))
                    if "error" not in r and r.get("result") != "noop":
                        r["forced_refresh"] = True
    took = int((time.monotonic() - t0) * 1000)
    return 200, {"took": took, "errors": errors, "items": items}


# The --no-index fast path: bytes in, bytes out, no per-line json.loads.
# Action lines in compact form are matched by one regex; when every action
# has a source line (no deletes) the action lines are lines[0::2] and are
# matched with a single findall over their join, and the reply is built by
# one list comprehension. Anything else goes through a per-line loop, and
# lines the regex does not know through parse_action_line.

_FV = rb'([^"\\\n]*)'
_FAST_PAIR = (rb'(?:"_index":"' + _FV + rb'"|"_id":"' + _FV + rb'"|"_type":"' + _FV
              + rb'"|"(?:routing|pipeline|require_alias|retry_on_conflict)":[^,{}\[\]\n]*)'
              rb'(?:,(?=")|(?=\}))')
_FAST_LINE = re.compile(rb'^\{"(index|create|update|delete)":\{(?:' + _FAST_PAIR
                        + rb')*\}\}\r?$', re.M)
_FAST_NAMES = {b"index": "index", b"create": "create", b"delete": "delete", b"update": "update"}
_FAST_TAIL = {
    b"index": b'"_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},'
              b'"_seq_no":%d,"_primary_term":1,"status":201}}',
    b"create": b'"_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},'
               b'"_seq_no":%d,"_primary_term":1,"status":201}}',
    b"update": b'"_version":2,"result":"updated","_shards":{"total":2,"successful":1,"failed":0},'
               b'"_seq_no":%d,"_primary_term":1,"status":200}}',
    b"delete": b'"_version":2,"result":"deleted","_shards":{"total":2,"successful":1,"failed":0},'
               b'"_seq_no":%d,"_primary_term":1,"status":200}}',
}


def _fast_templates(typed):
    """action -> template taking (index, type, id, seq_no) (or (index, id,
    seq_no) without _type)."""
    out = {}
    for a, tail in _FAST_TAIL.items():
        head = b'{"' + a + b'":{"_index":"%s",'
        if typed:
            head += b'"_type":"%s",'
        out[a] = head + b'"_id":"%s",' + tail
    return out


_FAST_TPL_T = _fast_templates(True)
_FAST_TPL_U = _fast_templates(False)


def _fast_generic(lines, last, body):
    """Per-line parse: list of (action, index, id, type) bytes tuples; absent
    values are b"" or None, an explicitly empty _id is b"\\0empty"."""
    ops = []
    append = ops.append
    matches = list(map(_FAST_LINE.match, lines))  # every line, at C speed
    empties = b'"_id":""' in body
    i = 0
    while i < last:
        m = matches[i]
        i += 1
        if m is not None:
            a, ix, did, ty = m.groups()
            if empties and did == b"" and b'"_id":""' in lines[i - 1]:
                did = b"\0empty"
        else:
            line = lines[i - 1]
            if not line.strip():
                continue
            action, meta = parse_action_line(line.decode("utf-8", "surrogateescape"), i)
            if action == "index" and str(meta.get("op_type", "index")) == "create":
                action = "create"

            def enc(v):
                if v is None:
                    return None
                return json.dumps(_text_of(v), ensure_ascii=False)[1:-1].encode("utf-8")
            a, ix, did, ty = (action.encode(), enc(meta.get("_index")), enc(meta.get("_id")),
                              enc(meta.get("_type")))
            if did == b"":
                did = b"\0empty"
        if a != b"delete":
            if i >= last:
                break  # an action without its source line is dropped, as ES does
            i += 1
        append((a, ix, did, ty))
    return ops


def _delete_line_numbers(body):
    """Numbers of the lines that start with {"delete" (byte search, and
    newlines counted between hits)."""
    out = [0] if body.startswith(b'{"delete"') else []
    ln = 0
    prev = 0
    i = body.find(b'\n{"delete"')
    while i >= 0:
        ln += body.count(b"\n", prev, i + 1)
        prev = i + 1
        out.append(ln)
        i = body.find(b'\n{"delete"', i + 1)
    return out


def _fast_with_deletes(body, lines, last):
    """Action lines of a body with deletes, found without looking at the
    source lines: candidate delete lines come from a C-level startswith;
    between two deletes every action has a source line, so a real delete
    sits at an even offset from the previous action position (a document
    that starts with {"delete" sits at an odd one). The gathered action
    lines then go through one findall; None when anything does not fit
    (the caller then walks line by line)."""
    gathered = []
    extend = gathered.extend
    append = gathered.append
    pos = 0
    for d in _delete_line_numbers(body):
        if d < pos or (d - pos) % 2:
            continue  # a source line that happens to start with {"delete"
        extend(lines[pos:d:2])
        append(lines[d])
        pos = d + 1
    if (last - pos) % 2:
        return None
    gathered.extend(lines[pos:last:2])
    acts = b"\n".join(gathered)
    if b'"_id":""' in acts or b'"_index":""' in acts:
        return None
    found = _FAST_SIMPLE_D.findall(acts)
    if len(found) != len(gathered):
        found = _FAST_LINE.findall(acts)
        if len(found) != len(gathered):
            return None
    return found


_FAST_SIMPLE = re.compile(rb'^\{"(index|create|update)":\{"_index":"' + _FV + rb'","_id":"'
                          + _FV + rb'"\}\}()\r?$', re.M)
_FAST_SIMPLE_D = re.compile(rb'^\{"(index|create|update|delete)":\{"_index":"' + _FV + rb'","_id":"'
                            + _FV + rb'"\}\}()\r?$', re.M)


def _fast_uniform(acts, first, n):
    """When all n action lines are the same but for a non-empty, escape-free
    _id (the usual benchmark body), (action, index, type, ids) from a few
    C-level counts and one split; else None."""
    m = _FAST_LINE.match(first)
    if m is None or m.group(1) == b"delete" or b"\\" in acts or b"\r" in acts:
        return None
    k = first.find(b'"_id":"')
    if k < 0:
        if acts.count(first) != n or len(acts) != n * (len(first) + 1) - 1:
            return None
        ids = [b""] * n
    else:
        p = first[:k + 7]
        sfx = first[first.index(b'"', k + 7):]
        if not (acts.startswith(p) and acts.endswith(sfx)
                and acts.count(b"\n" + p) == n - 1 and acts.count(sfx + b"\n") == n - 1
                and acts.count(b'"') == n * (p.count(b'"') + sfx.count(b'"'))):
            return None
        ids = acts[len(p):len(acts) - len(sfx)].split(sfx + b"\n" + p)
        if len(ids) != n or b"" in ids:
            return None
    return m.group(1), m.group(2), m.group(4), ids


def _fast_uniform_reply(t0, uniform, uidx, utyp):
    a, ix, ty, ids = uniform
    n = len(ids)
    if not ix and uidx is None:
        raise validation_error(["index is missing"] * n)
    if typed_api() and not ty and utyp is None:
        raise validation_error(["type is missing"] * n)
    if not ids[0]:
        if a == b"update":
            raise validation_error(["id is missing"] * n)
        ids = [auto_id().encode() for _ in ids]
    ix = ix or uidx
    ty = ty or utyp or b"_doc"
    with STATE.lock:
        if any(r["kind"] == "item_status" for r in STATE.rules):
            return None
        seqs = STATE.fast_seq
        base = seqs.get(ix, 0)
        seqs[ix] = base + n
        st = STATE.stats
        st["bulk_items"] += n
        iba = st["items_by_action"]
        iba[_FAST_NAMES[a]] = iba.get(_FAST_NAMES[a], 0) + n
    if with_type():
        tpl = _FAST_TPL_T[a].replace(b"%s", b"\0", 2)
        tpl = tpl.replace(b"\0", ix.replace(b"%", b"%%"), 1).replace(
            b"\0", ty.replace(b"%", b"%%"), 1)
    else:
        tpl = _FAST_TPL_U[a].replace(b"%s", ix.replace(b"%", b"%%"), 1)
    out = b",".join([tpl % x for x in zip(ids, range(base, base + n))])
    took = int((time.monotonic() - t0) * 1000)
    return [b'{"took":%d,"errors":false,"items":[' % took, out, b"]}"]


def run_fast_bulk(body, url_index, url_type):
    t0 = time.monotonic()
    lines = body.split(b"\n")
    last = len(lines) - 1
    uidx = url_index.encode() if url_index else None
    utyp = url_type.encode() if url_type else None
    ops = None
    explicit_empty = False
    if last % 2 == 0 and last:
        # every action has a source line unless there are deletes
        acts = b"\n".join(lines[0:last:2])
        uniform = _fast_uniform(acts, lines[0], last // 2)
        if uniform is not None:
            reply_pieces = _fast_uniform_reply(t0, uniform, uidx, utyp)
            if reply_pieces is not None:  # None: item faults are armed
                return reply_pieces
        if b'{"delete"' not in acts and b'"_id":""' not in acts and b'"_index":""' not in acts:
            found = _FAST_SIMPLE.findall(acts)
            if len(found) != last // 2:
                found = _FAST_LINE.findall(acts)
            if len(found) == last // 2:
                ops = found  # (action, index, id, type), b"" for absent
    if ops is None and b'{"delete"' in body:
        ops = _fast_with_deletes(body, lines, last)
    if ops is None:
        g = _fast_generic(lines, last, body)
        explicit_empty = any(o[2] == b"\0empty" for o in g)
        ops = [(a, ix or b"", did or b"", ty or b"") for a, ix, did, ty in g]
    n = len(ops)
    if not n:
        raise validation_error(["no requests added"])
    actions = Counter(map(itemgetter(0), ops))
    ixset = set(map(itemgetter(1), ops))
    tyset = set(map(itemgetter(3), ops))
    ids = list(map(itemgetter(2), ops))
    # validation as in the full path
    errors = []
    if explicit_empty:
        errors.append("if _id is specified it must not be empty")
    if uidx is None and b"" in ixset:
        errors.append("index is missing")
    if typed_api() and utyp is None and b"" in tyset:
        errors.append("type is missing")
    if b"" in ids:
        if (actions.get(b"delete") or actions.get(b"update")) and \
                any(not o[2] and o[0] in (b"delete", b"update") for o in ops):
            errors.append("id is missing")
        ids = [d or auto_id().encode() for d in ids]
    if errors:
        raise validation_error(errors)
    wt = with_type()
    dtyp = utyp or b"_doc"
    has_errors = False
    with STATE.lock:
        seqs = STATE.fast_seq
        item_rules = any(r["kind"] == "item_status" for r in STATE.rules)
        if not item_rules and len(ixset) == 1 and len(tyset) == 1 and len(actions) > 1:
            # one index and type, several actions: a template per action
            ix = next(iter(ixset)) or uidx
            ty = next(iter(tyset)) or dtyp
            base = seqs.get(ix, 0)
            seqs[ix] = base + n
            tpls = {}
            for a in actions:
                if wt:
                    t = _FAST_TPL_T[a].replace(b"%s", b"\0", 2)
                    tpls[a] = t.replace(b"\0", ix.replace(b"%", b"%%"), 1).replace(
                        b"\0", ty.replace(b"%", b"%%"), 1)
                else:
                    tpls[a] = _FAST_TPL_U[a].replace(b"%s", ix.replace(b"%", b"%%"), 1)
            out = [tpls[o[0]] % (did, s) for o, did, s in zip(ops, ids, range(base, base + n))]
        elif not item_rules and len(ixset) == 1 and len(actions) == 1 and len(tyset) == 1:
            # one index, one action, one type: bake them into the template
            a = next(iter(actions))
            ix = next(iter(ixset)) or uidx
            ty = next(iter(tyset)) or dtyp
            base = seqs.get(ix, 0)
            seqs[ix] = base + n
            if wt:
                tpl = _FAST_TPL_T[a].replace(b"%s", b"\0", 2)
                tpl = tpl.replace(b"\0", ix.replace(b"%", b"%%"), 1).replace(
                    b"\0", ty.replace(b"%", b"%%"), 1)
            else:
                tpl = _FAST_TPL_U[a].replace(b"%s", ix.replace(b"%", b"%%"), 1)
            out = [tpl % x for x in zip(ids, range(base, base + n))]
        else:
            out = []
            push = out.append
            for (a, ix, _, ty), did in zip(ops, ids):
                ix = ix or uidx
                ty = ty or dtyp
                if item_rules:
                    name = _FAST_NAMES[a]
                    six = ix.decode("utf-8", "replace")
                    rule = match_item_rule(name, six)
                    if rule is not None:
                        push(dumps(item_fault(rule, name, six, ty.decode("utf-8", "replace"),
                                              did.decode("utf-8", "replace"))).encode())
                        has_errors = True
                        continue
                s = seqs.get(ix, 0)
                seqs[ix] = s + 1
                if wt:
                    push(_FAST_TPL_T[a] % (ix, ty, did, s))
                else:
                    push(_FAST_TPL_U[a] % (ix, did, s))
        st = STATE.stats
        st["bulk_items"] += n
        iba = st["items_by_action"]
        for a, c in actions.items():
            iba[_FAST_NAMES[a]] = iba.get(_FAST_NAMES[a], 0) + c
    took = int((time.monotonic() - t0) * 1000)
    # a list of pieces: the handler writes them without joining 40 MB again
    return [b'{"took":%d,"errors":%s,"items":[' % (took, b"true" if has_errors else b"false"),
            b",".join(out), b"]}"]


# --------------------------------------------------------------------------
# search


def _qvalue(idx, field, m, v, fmt=None):
    """A query value in the field's indexed form; NOMATCH if it cannot
    match; raises search failures for values ES rejects."""
    t = m.get("type")
    if isinstance(v, dict):
        raise search_failure(idx, "parsing_exception",
                             "[term] query does not support [%s]" % next(iter(v), ""))
    if t in KEYWORD_TYPES or t in TEXT_TYPES or t == "ip":
        return _text_of(v)
    try:
        if t in INTEGER_TYPES:
            if isinstance(v, Decimal) or (isinstance(v, str) and not _INT_STR.match(v)):
                d = Decimal(v) if isinstance(v, Decimal) else Decimal(v) if _DEC_STR.match(v) else None
                if d is None:
                    raise FieldError("number_format_exception", 'For input string: "%s"' % v)
                if d != int(d):
                    return NOMATCH
                v = int(d)
            return convert_integer(t, v, True)
        if t in FLOAT_TYPES:
            return convert_float(t, m, v, True)
        if t == "boolean":
            return convert_value(None, m, t, field, v)[0]
        if t in DATE_TYPES:
            mm = dict(m)
            if fmt:
                mm["format"] = fmt
            return convert_value(None, mm, t, field, v)[0]
    except FieldError as e:
        raise search_failure(idx, "query_shard_exception", "failed to create query: %s"
                             % e.cause.reason, caused_by=e.cause.to_dict())
    except InvalidOperation:
        raise search_failure(idx, "query_shard_exception",
                             'failed to create query: For input string: "%s"' % v)
    return v


NOMATCH = object()


def _field_values(doc, field):
    return doc.fields.get(field, ())


def _term_spec(qname, body):
    if not isinstance(body, dict) or len([k for k in body if k not in ("boost", "_name")]) != 1:
        raise ESError(400, "parsing_exception", "[%s] query doesn't support multiple fields, found "
                      "[%s]" % (qname, ", ".join(body) if isinstance(body, dict) else body),
                      line=1, col=1)
    field = [k for k in body if k not in ("boost", "_name")][0]
    return field, body[field]


def compile_query(idx, q):
    """(pred, scoring) for query dict q against index idx."""
    if q is None:
        return (lambda d: True), True
    if not isinstance(q, dict) or len(q) != 1:
        raise ESError(400, "parsing_exception", "[_na] query malformed, no start_object after "
                      "query name" if not q else "[%s] malformed query, expected [END_OBJECT] but "
                      "found [FIELD_NAME]" % next(iter(q)), line=1, col=1)
    name, body = next(iter(q.items()))
    root = idx.mapping
    if name == "match_all":
        return (lambda d: True), True
    if name == "match_none":
        return (lambda d: False), True
    if name in ("term", "prefix"):
        field, spec = _term_spec(name, body)
        v = spec.get("value") if isinstance(spec, dict) else spec
        if isinstance(spec, dict) and "value" not in spec:
            raise ESError(400, "parsing_exception", "[%s] query does not support [%s]"
                          % (name, next(iter(spec), "")), line=1, col=1)
        m = lookup_field(root, field)
        if m is None:
            return (lambda d: False), True
        if name == "prefix":
            pv = _text_of(v)
            return (lambda d: any(isinstance(x, str) and x.startswith(pv)
                                  for x in _field_values(d, field))), True
        qv = _qvalue(idx, field, m, v)
        if qv is NOMATCH:
            return (lambda d: False), True
        return (lambda d: qv in _field_values(d, field)), True
    if name == "terms":
        fields = [k for k in body if k not in ("boost", "_name")]
        if len(fields) != 1 or not isinstance(body[fields[0]], list):
            raise ESError(400, "parsing_exception", "[terms] query does not support multiple "
                          "fields" if len(fields) != 1 else "[terms] query requires an array of "
                          "values", line=1, col=1)
        field = fields[0]
        m = lookup_field(root, field)
        if m is None:
            return (lambda d: False), True
        vals = set(x for x in (_qvalue(idx, field, m, v) for v in body[field]) if x is not NOMATCH)
        return (lambda d: any(x in vals for x in _field_values(d, field))), True
    if name == "ids":
        ids = set(str(x) for x in body.get("values", []))
        return (lambda d: d.id in ids), True
    if name == "exists":
        field = body.get("field")
        m = lookup_field(root, field)
        prefix = field + "."
        if m is None:
            return (lambda d: any(k.startswith(prefix) for k in d.fields)), True
        return (lambda d: bool(d.fields.get(field))), True
    if name == "range":
        field, spec = _term_spec("range", body)
        m = lookup_field(root, field)
        if m is None:
            return (lambda d: False), True
        bounds = []
        for op in ("gt", "gte", "lt", "lte", "from", "to"):
            if op in spec and spec[op] is not None:
                qv = _qvalue(idx, field, m, spec[op], spec.get("format"))
                if qv is NOMATCH:  # fractional bound on an integer field
                    qv = Decimal(str(spec[op]))
                bounds.append((op, qv))

        def in_range(x):
            try:
                for op, b in bounds:
                    if op == "gt" and not x > b:
                        return False
                    if op in ("gte", "from") and not x >= b:
                        return False
                    if op == "lt" and not x < b:
                        return False
                    if op in ("lte", "to") and not x <= b:
                        return False
            except TypeError:
                return False
            return True
        return (lambda d: any(in_range(x) for x in _field_values(d, field))), True
    if name == "match":
        field, spec = _term_spec("match", body)
        text = spec.get("query") if isinstance(spec, dict) else spec
        op = (spec.get("operator", "or") if isinstance(spec, dict) else "or").lower()
        m = lookup_field(root, field)
        if m is None:
            return (lambda d: False), True
        if m.get("type") in TEXT_TYPES:
            toks = tokens(_text_of(text))
            if not toks:
                return (lambda d: False), True
            if op == "and":
                return (lambda d: all(t in _field_values(d, field) for t in toks)), True
            return (lambda d: any(t in _field_values(d, field) for t in toks)), True
        qv = _qvalue(idx, field, m, text)
        if qv is NOMATCH:
            return (lambda d: False), True
        return (lambda d: qv in _field_values(d, field)), True
    if name == "constant_score":
        p, _ = compile_query(idx, body.get("filter"))
        return p, True
    if name == "bool":
        def clauses(k):
            c = body.get(k, [])
            if isinstance(c, dict):
                c = [c]
            return [compile_query(idx, x)[0] for x in c]
        must = clauses("must")
        filt = clauses("filter")
        should = clauses("should")
        must_not = clauses("must_not")
        for k in body:
            if k not in ("must", "filter", "should", "must_not", "minimum_should_match",
                         "boost", "_name", "adjust_pure_negative"):
                raise ESError(400, "parsing_exception", "[bool] query does not support [%s]" % k,
                              line=1, col=1)
        msm = body.get("minimum_should_match")
        if msm is None:
            msm = 0 if (must or filt) else (1 if should else 0)
        else:
            msm = int(str(msm).rstrip("%")) if not str(msm).endswith("%") else \
                int(len(should) * int(str(msm).rstrip("%")) / 100)

        def pred(d):
            for p in must:
                if not p(d):
                    return False
            for p in filt:
                if not p(d):
                    return False
            for p in must_not:
                if p(d):
                    return False
            if msm:
                n = 0
                for p in should:
                    if p(d):
                        n += 1
                        if n >= msm:
                            break
                if n < msm:
                    return False
            return True
        return pred, bool(must or should)
    raise ESError(400, "parsing_exception", "unknown query [%s] (esserver supports match_all, "
                  "match_none, term, terms, ids, exists, range, prefix, match, bool, "
                  "constant_score)" % name, line=1, col=1)


def _fielddata_error(idx, field):
    return search_failure(idx, "illegal_argument_exception",
                          "Text fields are not optimised for operations that require per-document "
                          "field data like aggregations and sorting, so these operations are "
                          "disabled by default. Please use a keyword field instead. Alternatively, "
                          "set fielddata=true on [%s] in order to load field data by uninverting "
                          "the inverted index. Note that this can use significant memory." % field)


def _sort_specs(sort):
    if sort is None:
        return []
    if not isinstance(sort, list):
        sort = [sort]
    out = []
    for s in sort:
        if isinstance(s, str):
            if ":" in s:
                f, o = s.split(":", 1)
                out.append((f, o, None, None))
            else:
                out.append((s, "desc" if s == "_score" else "asc", None, None))
        elif isinstance(s, dict):
            for f, spec in s.items():
                if isinstance(spec, str):
                    out.append((f, spec, None, None))
                else:
                    out.append((f, spec.get("order", "desc" if f == "_score" else "asc"),
                                spec.get("mode"), spec.get("unmapped_type")))
    for f, o, _, _ in out:
        if str(o).lower() not in ("asc", "desc"):
            raise ESError(400, "illegal_argument_exception", "Unknown SortOrder [%s]" % o)
    return out


def _sort_value_out(m, v):
    if v is None:
        return None
    if isinstance(v, bool):
        return 1 if v else 0
    return v


def _int_param(name, v):
    try:
        if isinstance(v, bool) or isinstance(v, (dict, list)):
            raise ValueError
        return int(v)
    except (TypeError, ValueError):
        raise ESError(400, "x_content_parse_exception", "[1:1] [%s] failed to parse field [%s]"
                      % (name, name), caused_by=Cause("number_format_exception",
                                                      'For input string: "%s"' % v))


def do_search(indices, body, params, count_only=False):
    t0 = time.monotonic()
    body = body or {}
    if not isinstance(body, dict):
        raise ESError(400, "parsing_exception", "Unknown key for a VALUE_STRING in [query].")
    known = {"query", "size", "from", "sort", "aggs", "aggregations", "track_total_hits",
             "_source", "timeout", "track_scores", "version", "seq_no_primary_term",
             "stored_fields", "docvalue_fields", "explain", "min_score", "terminate_after",
             "highlight", "fields", "runtime_mappings", "search_after", "collapse", "profile"}
    for k in body:
        if k not in known:
            raise ESError(400, "parsing_exception", "Unknown key for a START_OBJECT in [%s]." % k,
                          line=1, col=1)
    if count_only and set(body) - {"query"}:
        bad = next(iter(set(body) - {"query"}))
        raise ESError(400, "parsing_exception", "request does not support [%s]" % bad,
                      line=1, col=1)
    query = body.get("query")
    if "q" in params:
        raise ESError(400, "parsing_exception", "esserver does not support the q= parameter; "
                      "send a query in the body")
    size = _int_param("size", params.get("size", body.get("size", 10)))
    frm = _int_param("from", params.get("from", body.get("from", 0)))
    if size < 0:
        raise iae("[size] parameter cannot be negative, found [%d]" % size)
    if frm < 0:
        raise iae("[from] parameter cannot be negative, found [%d]" % frm)
    with STATE.lock:
        plans = []
        for idx in indices:
            pred, scoring = compile_query(idx, query)
            plans.append((idx, idx.searchable, pred, scoring))
    hits = []
    scoring = True
    for idx, snapshot, pred, sc in plans:
        scoring = sc
        for d in snapshot.values():
            if pred(d):
                hits.append((idx, d))
    if count_only:
        return 200, {"count": len(hits), "_shards": dict(SEARCH_SHARDS)}
    if not count_only and frm + size > MAX_RESULT_WINDOW:
        raise search_failure(indices[0] if indices else None, "illegal_argument_exception",
                             "Result window is too large, from + size must be less than or equal "
                             "to: [10000] but was [%d]. See the scroll api for a more efficient "
                             "way to request large data sets. This limit can be set by changing "
                             "the [index.max_result_window] index level setting." % (frm + size))
    score = 1.0 if scoring else 0.0
    hits.sort(key=lambda h: (h[0].name, h[1].seq_no))
    sorts = _sort_specs(params.get("sort").split(",") if "sort" in params else body.get("sort"))
    sort_vals = {}
    by_score = not sorts or any(f == "_score" for f, _, _, _ in sorts)
    if sorts:
        keyfuncs = []
        for f, order, mode, unmapped in sorts:
            desc = order.lower() == "desc"
            if f == "_score":
                keyfuncs.append((lambda h: (1, score), desc, f))
                continue
            if f == "_doc":
                keyfuncs.append((lambda h: (1, (h[0].name, h[1].seq_no)), desc, f))
                continue
            if f == "_id":
                keyfuncs.append((lambda h: (1, h[1].id), desc, f))
                continue
            with STATE.lock:
                ms = [lookup_field(i.mapping, f) for i in indices]
            if all(m is None for m in ms) and unmapped is None:
                raise search_failure(indices[0] if indices else None, "query_shard_exception",
                                     "No mapping found for [%s] in order to sort on" % f)
            for i, m in zip(indices, ms):
                if m is not None and m.get("type") in TEXT_TYPES and not m.get("fielddata"):
                    raise _fielddata_error(i, f)
            pick = (max if desc else min) if mode not in ("min", "max") else \
                (max if mode == "max" else min)

            def kf(h, f=f, pick=pick, desc=desc):
                vals = h[1].fields.get(f)
                if not vals:
                    return (0, 0) if desc else (2, 0)
                try:
                    return (1, pick(vals))
                except TypeError:
                    return (1, pick(str(x) for x in vals))
            keyfuncs.append((kf, desc, f))
        for kf, desc, f in reversed(keyfuncs):
            hits.sort(key=kf, reverse=desc)
        for h in hits[frm:frm + size]:
            vals = []
            for kf, desc, f in keyfuncs:
                k = kf(h)
                vals.append(k[1] if k[0] == 1 else None)
            sort_vals[id(h[1])] = vals
    total = len(hits)
    tth = body.get("track_total_hits", 10000)
    page = hits[frm:frm + size]
    # build the reply by hand so that _source goes out verbatim
    parts = []
    for idx, d in page:
        meta = {"_index": idx.name}
        if with_type():
            meta["_type"] = idx.type_name or "_doc"
        meta["_id"] = d.id
        if body.get("version"):
            meta["_version"] = d.version
        if body.get("seq_no_primary_term"):
            meta["_seq_no"] = d.seq_no
            meta["_primary_term"] = 1
        meta["_score"] = score if by_score or body.get("track_scores") else None
        s = dumps(meta)[:-1]
        if body.get("_source", True) not in (False, "false"):
            s += ',"_source":' + d.raw
        if sorts:
            s += ',"sort":' + dumps([_sort_value_out(None, v) for v in sort_vals[id(d)]])
        parts.append(s + "}")
    if tth is True or tth == "true":
        total_obj = {"value": total, "relation": "eq"}
    elif tth is False or tth == "false":
        total_obj = None
    else:
        lim = int(tth)
        total_obj = ({"value": total, "relation": "eq"} if total <= lim
                     else {"value": lim, "relation": "gte"})
    max_score = (score if hits else None) if (not sorts or body.get("track_scores")) else None
    head = {"took": int((time.monotonic() - t0) * 1000), "timed_out": False,
            "_shards": {"total": len(indices), "successful": len(indices), "skipped": 0,
                        "failed": 0}}
    hits_obj = {}
    if total_obj is not None:
        hits_obj["total"] = total_obj if CFG.major >= 7 else total
    hits_obj["max_score"] = max_score
    aggs = body.get("aggs", body.get("aggregations"))
    agg_out = run_aggs(indices, aggs, hits) if aggs else None
    out = dumps(head)[:-1] + ',"hits":' + dumps(hits_obj)[:-1] + ',"hits":[' + ",".join(parts) + "]}"
    if agg_out is not None:
        out += ',"aggregations":' + dumps(agg_out)
    return 200, out + "}"


AGG_KINDS = {"sum", "avg", "min", "max", "value_count", "cardinality", "stats", "terms"}


def _agg_field_type(indices, field, kind):
    with STATE.lock:
        for i in indices:
            m = lookup_field(i.mapping, field)
            if m is not None:
                t = m.get("type")
                if t in TEXT_TYPES and not m.get("fielddata"):
                    raise _fielddata_error(i, field)
                if kind in ("sum", "avg", "min", "max", "stats") and \
                        t not in NUMERIC_TYPES | DATE_TYPES | {"boolean"}:
                    raise search_failure(i, "illegal_argument_exception",
                                         "Field [%s] of type [%s] is not supported for aggregation "
                                         "[%s]" % (field, t, kind))
                return t
    return None


def run_aggs(indices, aggs, hits):
    if not isinstance(aggs, dict):
        raise ESError(400, "parsing_exception", "Expected [START_OBJECT] under [aggs]")
    out = {}
    for name, spec in aggs.items():
        if not isinstance(spec, dict):
            raise ESError(400, "parsing_exception", "Expected [START_OBJECT] under [%s]" % name)
        sub = spec.get("aggs", spec.get("aggregations"))
        kinds = [k for k in spec if k not in ("aggs", "aggregations", "meta")]
        if len(kinds) != 1:
            raise ESError(400, "parsing_exception", "Expected [START_OBJECT] under [%s], but got a "
                          "[END_OBJECT] in [%s]" % (name, name) if not kinds else
                          "Found two aggregation type definitions in [%s]: [%s] and [%s]"
                          % (name, kinds[0], kinds[1]))
        kind = kinds[0]
        body = spec[kind]
        if kind not in AGG_KINDS:
            raise ESError(400, "parsing_exception", "esserver does not support aggregation type "
                          "[%s] (supported: %s)" % (kind, ", ".join(sorted(AGG_KINDS))))
        field = body.get("field")
        if field is None:
            raise iae("Required one of fields [field, script], but none were specified. ")
        t = _agg_field_type(indices, field, kind)
        if kind == "terms":
            out[name] = _terms_agg(indices, body, field, t, hits, sub)
            continue
        vals = []
        for idx, d in hits:
            for v in d.fields.get(field, ()):
                vals.append(float(v) if not isinstance(v, str) else v)
        if kind == "sum":
            out[name] = {"value": math.fsum(vals)}
        elif kind == "avg":
            out[name] = {"value": math.fsum(vals) / len(vals) if vals else None}
        elif kind == "min":
            out[name] = {"value": min(vals) if vals else None}
        elif kind == "max":
            out[name] = {"value": max(vals) if vals else None}
        elif kind == "value_count":
            out[name] = {"value": len(vals)}
        elif kind == "cardinality":
            out[name] = {"value": len(set(vals))}
        elif kind == "stats":
            out[name] = {"count": len(vals), "min": min(vals) if vals else None,
                         "max": max(vals) if vals else None,
                         "avg": math.fsum(vals) / len(vals) if vals else None,
                         "sum": math.fsum(vals)}
        if t in DATE_TYPES and kind in ("min", "max") and out[name]["value"] is not None:
            out[name]["value_as_string"] = format_millis(int(out[name]["value"]))
    return out


def _terms_agg(indices, body, field, t, hits, sub):
    size = int(body.get("size", 10))
    min_count = int(body.get("min_doc_count", 1))
    buckets = {}
    for h in hits:
        seen = set()
        for v in h[1].fields.get(field, ()):
            if v in seen:
                continue
            seen.add(v)
            buckets.setdefault(v, []).append(h)
    order = body.get("order", [{"_count": "desc"}, {"_key": "asc"}])
    if isinstance(order, dict):
        order = [{k: v} for k, v in order.items()]
    items = [(k, hs) for k, hs in buckets.items() if len(hs) >= min_count]
    if not any("_key" in o for o in order):
        order = list(order) + [{"_key": "asc"}]
    for o in reversed(order):
        (ok, od), = o.items()
        if ok == "_count":
            items.sort(key=lambda x: len(x[1]), reverse=(od == "desc"))
        elif ok == "_key":
            items.sort(key=lambda x: x[0], reverse=(od == "desc"))
        else:
            raise iae("esserver: terms order by [%s] is not supported" % ok)
    top = items[:size]
    other = sum(len(hs) for _, hs in items[size:])
    out_b = []
    for k, hs in top:
        b = {}
        if isinstance(k, bool):
            b["key"] = 1 if k else 0
            b["key_as_string"] = "true" if k else "false"
        elif t in DATE_TYPES:
            b["key"] = k
            b["key_as_string"] = format_millis(k if t == "date" else k // 1000000)
        else:
            b["key"] = k
        b["doc_count"] = len(hs)
        if sub:
            b.update(run_aggs(indices, sub, hs))
        out_b.append(b)
    return {"doc_count_error_upper_bound": 0, "sum_other_doc_count": other, "buckets": out_b}


# --------------------------------------------------------------------------
# faults


FAULT_KINDS = {"item_status", "request_status", "delay", "reset", "close"}


def add_rules(rules):
    if isinstance(rules, dict):
        rules = [rules]
    if not isinstance(rules, list):
        raise iae("faults: expected a JSON list of rules")
    checked = []
    for r in rules:
        if not isinstance(r, dict) or r.get("kind") not in FAULT_KINDS:
            raise iae("faults: each rule needs \"kind\": one of %s" % ", ".join(sorted(FAULT_KINDS)))
        r = dict(r)
        c = r.get("count", 1)
        if not isinstance(c, int) or (c < 1 and c != -1):
            raise iae("faults: count must be a positive integer or -1")
        r["count"] = c
        if r["kind"] == "request_status":
            r["status"] = int(r.get("status", 429))
        if r["kind"] == "item_status":
            r["status"] = int(r.get("status", 429))
            if r["status"] not in (429, 503):
                raise iae("faults: item_status status must be 429 or 503")
            if int(r.get("every", 1)) < 1:
                raise iae("faults: every must be >= 1")
        if r["kind"] == "delay":
            r["ms"] = int(r.get("ms", 1000))
        r.setdefault("path", "_bulk")
        checked.append(r)
    with STATE.lock:
        STATE.rules.extend(checked)
        return len(STATE.rules)


def match_request_rules(method, path):
    """(terminal rule or None, delay ms) for a request; consumes counts."""
    terminal = None
    delay = 0
    with STATE.lock:
        for r in list(STATE.rules):
            k = r["kind"]
            if k == "item_status":
                continue
            if r["path"] not in path:
                continue
            if "method" in r and str(r["method"]).upper() != method:
                continue
            if k == "delay":
                if delay == 0:
                    delay = r["ms"]
                    consume_rule(r)
                    STATE.fired("delay")
            elif terminal is None:
                terminal = r
                consume_rule(r)
                STATE.fired(k)
    return terminal, delay


def request_fault_reply(r):
    """(status, body bytes, content type) of a request_status rule."""
    status = r["status"]
    if "body" in r:
        b = r["body"]
        body = b if isinstance(b, str) else dumps(b)
        return status, body.encode(), "application/json; charset=UTF-8" if body[:1] in "{[" \
            else "text/plain; charset=UTF-8"
    if status in (502, 504):
        title = {502: "502 Bad Gateway", 504: "504 Gateway Time-out"}[status]
        html = ("<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1>"
                "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" % (title, title))
        return status, html.encode(), "text/html"
    if status == 429:
        e = ESError(429, "es_rejected_execution_exception",
                    "rejected execution of coordinating operation [coordinating_and_primary_bytes"
                    "=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1048576, "
                    "max_coordinating_and_primary_bytes=107374182]")
    elif status == 503:
        e = ESError(503, "cluster_block_exception",
                    "blocked by: [SERVICE_UNAVAILABLE/2/no master];")
    elif status >= 500:
        e = ESError(status, "exception", "esserver injected fault: internal server error")
    else:
        e = ESError(status, "illegal_argument_exception", "esserver injected fault")
    return status, dumps(e.body()).encode(), "application/json; charset=UTF-8"


# --------------------------------------------------------------------------
# REST endpoints


class Req:
    def __init__(self, method, path, segs, params, body, headers):
        self.method = method
        self.path = path
        self.segs = segs
        self.params = params
        self.body = body
        self.headers = headers
        self.warnings = []

    def deprecation(self, text):
        """A Warning header as ES 7 sends for deprecated usage."""
        if CFG.major == 7:
            self.warnings.append('299 Elasticsearch-%s-esserver "%s"' % (CFG.version, text))

    def text(self):
        return self.body.decode("utf-8", "surrogateescape")

    def json(self, required=False):
        if not self.body.strip():
            if required:
                raise ESError(400, "parse_exception", "request body is required")
            return None
        try:
            return parse_json(self.text())
        except JSONError as e:
            raise ESError(400, "json_parse_exception", str(e))

    def flag(self, name):
        return self.params.get(name) in ("", "true")


def h_root(req):
    if req.method == "HEAD":
        return 200, None
    lucene = {6: "7.7.3", 7: "8.11.1", 8: "9.4.2"}.get(CFG.major, "8.11.1")
    wire = {6: "5.6.0", 7: "6.8.0", 8: "7.17.0"}.get(CFG.major, "6.8.0")
    idxc = {6: "5.0.0", 7: "6.0.0-beta1", 8: "7.0.0"}.get(CFG.major, "6.0.0-beta1")
    return 200, {"name": NODE_NAME, "cluster_name": "esserver", "cluster_uuid": CLUSTER_UUID,
                 "version": {"number": CFG.version, "build_flavor": "default",
                             "build_type": "tar", "build_hash": "esserver",
                             "build_date": "2023-01-31T05:34:43.305517834Z",
                             "build_snapshot": False, "lucene_version": lucene,
                             "minimum_wire_compatibility_version": wire,
                             "minimum_index_compatibility_version": idxc},
                 "tagline": "You Know, for Search"}


def h_health(req, expr=None):
    with STATE.lock:
        idxs = STATE.resolve(expr) if expr else list(STATE.indices.values())
        n = len(idxs)
        reps = sum(1 for i in idxs if i.settings.get("index.number_of_replicas", "1") != "0")
    return 200, {"cluster_name": "esserver", "status": "yellow" if reps else "green",
                 "timed_out": False, "number_of_nodes": 1, "number_of_data_nodes": 1,
                 "active_primary_shards": n, "active_shards": n, "relocating_shards": 0,
                 "initializing_shards": 0, "unassigned_shards": reps,
                 "delayed_unassigned_shards": 0, "number_of_pending_tasks": 0,
                 "number_of_in_flight_fetch": 0, "task_max_waiting_in_queue_millis": 0,
                 "active_shards_percent_as_number": 100.0 * n / (n + reps) if n + reps else 100.0}


def h_cat_indices(req, expr=None):
    with STATE.lock:
        idxs = STATE.resolve(expr) if expr else [STATE.indices[k] for k in sorted(STATE.indices)]
        rows = []
        for i in idxs:
            size = sum(len(d.raw) for d in i.searchable.values())
            reps = i.settings.get("index.number_of_replicas", "1")
            rows.append({"health": "yellow" if reps != "0" else "green", "status": "open",
                         "index": i.name, "uuid": i.uuid,
                         "pri": i.settings.get("index.number_of_shards", "1"), "rep": reps,
                         "docs.count": str(len(i.searchable)), "docs.deleted": "0",
                         "store.size": "%db" % size, "pri.store.size": "%db" % size})
    if req.params.get("format") == "json":
        return 200, rows
    cols = ["health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted",
            "store.size", "pri.store.size"]
    table = [cols] if req.flag("v") else []
    table += [[r[c] for c in cols] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(cols))] if table else []
    text = "".join(" ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n" for row in table)
    return 200, ("text/plain; charset=UTF-8", text.encode())


def h_refresh(req, expr=None):
    with STATE.lock:
        idxs = STATE.resolve(expr) if expr else list(STATE.indices.values())
        for i in idxs:
            i.refresh()
    n = len(idxs)
    return 200, {"_shards": {"total": 2 * n, "successful": n, "failed": 0}}


def _mapping_from_body(mappings, typed, name):
    """(type name or None, root mapping) from a create-index/put-mapping body."""
    if not isinstance(mappings, dict):
        raise mpe("Failed to parse mapping [_doc]: Expected map for property [mappings]")
    if typed:
        if not mappings:
            return None, {}
        if len(mappings) != 1:
            raise iae("Rejecting mapping update to [%s] as the final mapping would have more than "
                      "1 type: [%s]" % (name, ", ".join(mappings)))
        t, m = next(iter(mappings.items()))
        if t in ROOT_PARAMS:
            raise mpe("Root mapping definition has unsupported parameters:  [%s : %s]"
                      % (t, java_str(m)) if CFG.major <= 6 else
                      "The mapping definition cannot be nested under a type [_doc] unless "
                      "include_type_name is set to true.")
        return t, m
    return None, mappings


def _wrap_mapping_error(e, typ):
    if e.etype == "mapper_parsing_exception":
        return ESError(400, "mapper_parsing_exception",
                       "Failed to parse mapping [%s]: %s" % (typ or "_doc", e.reason),
                       caused_by=e, root=e)
    return e


def h_create_index(req, name):
    validate_index_name(name)
    if "include_type_name" in req.params:
        req.deprecation("[types removal] Using include_type_name in create index requests is "
                        "deprecated. The parameter will be removed in the next major version.")
    body = req.json() or {}
    if not isinstance(body, dict):
        raise ESError(400, "parse_exception", "Failed to derive xcontent")
    for k in body:
        if k not in ("settings", "mappings", "aliases"):
            raise ESError(400, "parse_exception", "unknown key [%s] for create index" % k)
    typed = typed_api() or req.flag("include_type_name")
    typ = None
    mapping = {}
    if "mappings" in body:
        typ, raw_m = _mapping_from_body(body["mappings"], typed, name)
        try:
            mapping = check_root_mapping(raw_m)
        except ESError as e:
            raise _wrap_mapping_error(e, typ)
    settings = body.get("settings") or {}
    if not isinstance(settings, dict):
        raise ESError(400, "settings_exception", "Failed to load settings")
    flat = flatten_settings(settings)
    with STATE.lock:
        if name in STATE.indices:
            i = STATE.indices[name]
            raise ESError(400, "resource_already_exists_exception",
                          "index [%s/%s] already exists" % (name, i.uuid),
                          index_uuid=i.uuid, index=name)
        idx = Index(name, flat, mapping, typ if typ else ("_doc" if mapping and not typed_api()
                                                           else None))
        STATE.indices[name] = idx
    return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}


def _mappings_out(idx, typed):
    m = mapping_out(idx.mapping)
    if typed:
        return {(idx.type_name or "_doc"): m} if (idx.mapping or idx.type_name) else {}
    return m


def h_get_index(req, expr):
    typed = typed_api() or req.flag("include_type_name")
    with STATE.lock:
        idxs = STATE.resolve(expr)
        if req.method == "HEAD":
            return 200, None
        out = {}
        for i in idxs:
            out[i.name] = {"aliases": {}, "mappings": _mappings_out(i, typed),
                           "settings": nest_settings(i.settings)}
    return 200, out


def h_delete_index(req, expr):
    with STATE.lock:
        idxs = STATE.resolve(expr)
        for i in idxs:
            del STATE.indices[i.name]
            STATE.fast_seq.pop(i.name.encode(), None)
    return 200, {"acknowledged": True}


def h_get_mapping(req, expr=None, typ=None):
    typed = typed_api() or req.flag("include_type_name")
    with STATE.lock:
        idxs = STATE.resolve(expr) if expr else [STATE.indices[k] for k in sorted(STATE.indices)]
        return 200, {i.name: {"mappings": _mappings_out(i, typed)} for i in idxs}


def h_put_mapping(req, expr, typ=None):
    body = req.json(required=True)
    typed = (typed_api() or req.flag("include_type_name")) and typ is None
    if typed:
        t, raw_m = _mapping_from_body(body, True, expr)
        typ = t
    else:
        raw_m = body
    try:
        new = check_root_mapping(raw_m)
    except ESError as e:
        raise _wrap_mapping_error(e, typ)
    with STATE.lock:
        idxs = STATE.resolve(expr)
        merged = []
        for i in idxs:
            if typ is not None and i.type_name is not None and typ != i.type_name:
                raise iae("Rejecting mapping update to [%s] as the final mapping would have more "
                          "than 1 type: [%s, %s]" % (i.name, i.type_name, typ))
            cur = deep_copy(i.mapping)
            merge_mappings(cur, new)
            merged.append((i, cur))
        for i, cur in merged:
            i.mapping = cur
            if i.type_name is None:
                i.type_name = typ or "_doc"
    return 200, {"acknowledged": True}


def h_get_settings(req, expr=None):
    with STATE.lock:
        idxs = STATE.resolve(expr) if expr else [STATE.indices[k] for k in sorted(STATE.indices)]
        return 200, {i.name: {"settings": nest_settings(i.settings)} for i in idxs}


def h_put_settings(req, expr):
    body = req.json(required=True)
    if not isinstance(body, dict):
        raise ESError(400, "parse_exception", "Failed to derive xcontent")
    flat = flatten_settings(body.get("settings", body) if "settings" in body else body)
    with STATE.lock:
        idxs = STATE.resolve(expr)
        for k in flat:
            if k in ("index.number_of_shards", "index.uuid", "index.creation_date",
                     "index.provided_name", "index.version.created"):
                raise iae("Can't update non dynamic settings [[%s]] for open indices [%s]"
                          % (k, ", ".join("[%s/%s]" % (i.name, i.uuid) for i in idxs)))
        if "index.refresh_interval" in flat and flat["index.refresh_interval"] is not None:
            parse_time_value(flat["index.refresh_interval"], "index.refresh_interval")
        for i in idxs:
            for k, v in flat.items():
                if v is None:
                    i.settings.pop(k, None)
                else:
                    i.settings[k] = v
            i.apply_settings()
    return 200, {"acknowledged": True}


def _maybe_refresh(req, idx):
    """?refresh=true|wait_for on a single-document write (lock held)."""
    if req.params.get("refresh") in ("", "true", "wait_for"):
        idx.refresh()


def _write_reply(req, status, r):
    if req.params.get("refresh") in ("", "true"):
        r["forced_refresh"] = True
    return status, r


def _typed_path_warning(req, typ):
    if typ is not None and typ != "_doc":
        req.deprecation("[types removal] Specifying types in document index requests is "
                        "deprecated, use the typeless endpoints instead (/{index}/_doc/{id}, "
                        "/{index}/_doc, or /{index}/_create/{id}).")


def h_index_doc(req, index, typ, doc_id, create=False):
    _typed_path_warning(req, typ)
    raw = req.text()
    if not raw.strip():
        raise ESError(400, "parse_exception", "request body is required")
    try:
        src = parse_json(raw)
    except JSONError as e:
        src = e
    if req.params.get("op_type") == "create":
        create = True
    elif req.params.get("op_type") not in (None, "index", "create"):
        raise iae("opType must be 'create' or 'index', found: [%s]" % req.params["op_type"])
    with STATE.lock:
        idx = STATE.auto_index(index)
        typ = idx.check_type(typ)
        status, r = do_index(idx, doc_id, raw, src, create, typ,
                             req.params.get("if_seq_no"), req.params.get("if_primary_term"))
        _maybe_refresh(req, idx)
    return _write_reply(req, status, r)


def h_delete_doc(req, index, typ, doc_id):
    with STATE.lock:
        idx = STATE.auto_index(index, for_delete=True)
        typ = idx.check_type(typ)
        status, r = do_delete(idx, doc_id, typ, req.params.get("if_seq_no"),
                              req.params.get("if_primary_term"))
        _maybe_refresh(req, idx)
    return _write_reply(req, status, r)


def h_update_doc(req, index, typ, doc_id):
    body = req.json(required=True)
    check_update_body(body)
    with STATE.lock:
        idx = STATE.auto_index(index)
        typ = idx.check_type(typ)
        status, r = do_update(idx, doc_id, body, typ, req.params.get("if_seq_no"),
                              req.params.get("if_primary_term"))
        _maybe_refresh(req, idx)
    return _write_reply(req, status, r)


def h_get_doc(req, index, typ, doc_id, source_only=False):
    with STATE.lock:
        idx = STATE.get_index(index)
        d = idx.docs.get(doc_id)
        tname = typ if typ not in (None,) else (idx.type_name or "_doc")
    if source_only:
        if d is None:
            raise ESError(404, "resource_not_found_exception",
                          "Document not found [%s]/[%s]/[%s]" % (index, tname, doc_id))
        if req.method == "HEAD":
            return 200, None
        return 200, ("application/json; charset=UTF-8", d.raw.encode("utf-8", "surrogateescape"))
    meta = {"_index": index}
    if with_type():
        meta["_type"] = tname
    meta["_id"] = doc_id
    if d is None:
        meta["found"] = False
        return 404, (None if req.method == "HEAD" else meta)
    if req.method == "HEAD":
        return 200, None
    meta.update({"_version": d.version, "_seq_no": d.seq_no, "_primary_term": 1, "found": True})
    s = dumps(meta)[:-1]
    if req.params.get("_source") not in ("false",):
        s += ',"_source":' + d.raw
    return 200, ("application/json; charset=UTF-8",
                 (s + "}").encode("utf-8", "surrogateescape"))


def h_bulk(req, index=None, typ=None):
    body = req.body
    if typ is not None or b'"_type"' in body:
        req.deprecation("[types removal] Specifying types in bulk requests is deprecated.")
    if not body:
        raise ESError(400, "parse_exception", "request body is required")
    if body[-1:] != b"\n":
        raise iae("The bulk request must be terminated by a newline [\\n]")
    if CFG.save_bodies:
        with STATE.lock:
            CFG.saved += 1
            n = CFG.saved
        with open(os.path.join(CFG.save_bodies, "bulk-%08d.ndjson" % n), "wb") as f:
            f.write(body)
    if CFG.no_index:
        return 200, ("application/json; charset=UTF-8", run_fast_bulk(body, index, typ))
    return run_bulk(req.text(), index, typ, req.params)


def h_search(req, expr=None, typ=None, count=False):
    body = req.json()
    with STATE.lock:
        idxs = STATE.resolve(expr or "_all",
                             allow_missing=req.params.get("ignore_unavailable") == "true")
    return do_search(idxs, body, req.params, count_only=count)


# control API ------------------------------------------------------------


def h_ctl(req):
    segs = req.segs[1:]
    m = req.method
    if segs == ["faults"]:
        if m == "POST" or m == "PUT":
            n = add_rules(req.json(required=True))
            return 200, {"acknowledged": True, "rules": n}
        if m == "DELETE":
            with STATE.lock:
                STATE.rules.clear()
            return 200, {"acknowledged": True}
        if m == "GET":
            with STATE.lock:
                return 200, [dict((k, v) for k, v in r.items() if not k.startswith("_"))
                             for r in STATE.rules]
    if segs == ["stats"] and m == "GET":
        with STATE.lock:
            st = deep_copy(STATE.stats)
            st["indices"] = {n: len(i.docs) for n, i in sorted(STATE.indices.items())}
        return 200, st
    if segs == ["reset"] and m == "POST":
        with STATE.lock:
            STATE.reset()
        return 200, {"acknowledged": True}
    if len(segs) == 2 and segs[0] == "dump" and m == "GET":
        with STATE.lock:
            idx = STATE.get_index(segs[1])
            docs = sorted(idx.docs.values(), key=lambda d: d.seq_no)
            parts = []
            raws = {}
            for d in docs:
                parts.append(dumps(d.id) + ':{"_version":%d,"_seq_no":%d,"_source":%s}'
                             % (d.version, d.seq_no, d.raw))
                raws[d.id] = d.raw
        text = '{"docs":{' + ",".join(parts) + '},"raw":' + dumps(raws) + "}"
        return 200, ("application/json; charset=UTF-8", text.encode("utf-8", "surrogateescape"))
    raise PlainError(400, "no handler found for uri [%s] and method [%s]" % (req.path, m))


# router -------------------------------------------------------------------

def route(req):
    """Dispatch; returns (status, payload). Raises PlainError/ESError."""
    s = req.segs
    m = req.method

    def need(allowed, fn, *args, **kw):
        if m not in allowed:
            raise PlainError(405, "Incorrect HTTP method for uri [%s] and method [%s], allowed: [%s]"
                             % (req.path, m, ", ".join(allowed)))
        return fn(req, *args, **kw)

    n = len(s)
    if n == 0:
        return need(("GET", "HEAD"), h_root)
    first = s[0]
    if first.startswith("_") and first != "_all":
        if first == "_bulk" and n == 1:
            return need(("POST", "PUT"), h_bulk)
        if first == "_search" and n == 1:
            return need(("GET", "POST"), h_search)
        if first == "_count" and n == 1:
            return need(("GET", "POST"), h_search, count=True)
        if first == "_refresh" and n == 1:
            return need(("GET", "POST"), h_refresh)
        if first in ("_mapping", "_mappings") and n == 1:
            return need(("GET",), h_get_mapping)
        if first == "_settings" and n == 1:
            return need(("GET",), h_get_settings)
        if first == "_cat" and n >= 2 and s[1] == "indices" and n <= 3:
            return need(("GET",), h_cat_indices, s[2] if n == 3 else None)
        if first == "_cluster" and n >= 2 and s[1] == "health" and n <= 3:
            return need(("GET",), h_health, s[2] if n == 3 else None)
        if n == 1 and m == "PUT":
            return h_create_index(req, first)  # ES: invalid_index_name_exception
        raise PlainError(400, "no handler found for uri [%s] and method [%s]" % (req.path, m))
    index = first
    if n == 1:
        if m == "PUT":
            return h_create_index(req, index)
        if m in ("GET", "HEAD"):
            return h_get_index(req, index)
        if m == "DELETE":
            return h_delete_index(req, index)
        return need(("GET", "PUT", "DELETE", "HEAD"), None)
    second = s[1]
    if second.startswith("_") and second != "_doc":
        if n == 2:
            if second == "_bulk":
                return need(("POST", "PUT"), h_bulk, index)
            if second == "_search":
                return need(("GET", "POST"), h_search, index)
            if second == "_count":
                return need(("GET", "POST"), h_search, index, count=True)
            if second == "_refresh":
                return need(("GET", "POST"), h_refresh, index)
            if second in ("_flush", "_forcemerge"):
                return need(("GET", "POST"), lambda r: (200, {"_shards": {
                    "total": 2, "successful": 1, "failed": 0}}))
            if second in ("_mapping", "_mappings"):
                if m == "GET":
                    return h_get_mapping(req, index)
                return need(("GET", "PUT", "POST"), h_put_mapping, index)
            if second == "_settings":
                if m == "GET":
                    return h_get_settings(req, index)
                return need(("GET", "PUT"), h_put_settings, index)
        if n == 3:
            doc_id = s[2]
            if second == "_create":
                return need(("PUT", "POST"), h_index_doc, index, None, doc_id, create=True)
            if second == "_update":
                return need(("POST",), h_update_doc, index, None, doc_id)
            if second == "_source":
                return need(("GET", "HEAD"), h_get_doc, index, None, doc_id, source_only=True)
            if second in ("_mapping", "_mappings"):
                if m == "GET":
                    return h_get_mapping(req, index, doc_id)
                return need(("GET", "PUT", "POST"), h_put_mapping, index, doc_id)
        raise PlainError(400, "no handler found for uri [%s] and method [%s]" % (req.path, m))
    # /{index}/{type}[/...]  (_doc in 7.x, any type name in 6.x)
    typ = second
    if n == 2:
        return need(("POST",), h_index_doc, index, typ, None)
    third = s[2]
    if n == 3:
        if third == "_bulk":
            return need(("POST", "PUT"), h_bulk, index, typ)
        if third == "_search":
            return need(("GET", "POST"), h_search, index, typ)
        if third == "_count":
            return need(("GET", "POST"), h_search, index, typ, count=True)
        if third in ("_mapping", "_mappings"):
            if m == "GET":
                return h_get_mapping(req, index, typ)
            return need(("GET", "PUT", "POST"), h_put_mapping, index, typ)
        if m in ("PUT", "POST"):
            return h_index_doc(req, index, typ, third)
        if m in ("GET", "HEAD"):
            return h_get_doc(req, index, typ, third)
        if m == "DELETE":
            return h_delete_doc(req, index, typ, third)
        return need(("GET", "PUT", "POST", "DELETE", "HEAD"), None)
    if n == 4:
        if s[3] == "_create":
            return need(("PUT", "POST"), h_index_doc, index, typ, third, create=True)
        if s[3] == "_update":
            return need(("POST",), h_update_doc, index, typ, third)
        if s[3] == "_source":
            return need(("GET", "HEAD"), h_get_doc, index, typ, third, source_only=True)
    raise PlainError(400, "no handler found for uri [%s] and method [%s]" % (req.path, m))


# --------------------------------------------------------------------------
# HTTP

_LOG_LOCK = threading.Lock()


def log(line):
    if CFG.log is None:
        return
    with _LOG_LOCK:
        CFG.log.write(time.strftime("%H:%M:%S ") + line + "\n")
        CFG.log.flush()


class BodyError(Exception):
    pass


_JSON_TYPES = ("application/json", "application/x-ndjson", "application/vnd.elasticsearch+json",
               "application/vnd.elasticsearch+x-ndjson", "application/smile",
               "application/cbor", "application/yaml")


class Headers(dict):
    """Request headers, looked up case-insensitively (repeated ones joined
    with ", ")."""

    def get(self, key, default=None):
        return dict.get(self, key.lower(), default)

    def __getitem__(self, key):
        return dict.__getitem__(self, key.lower())

    def __contains__(self, key):
        return dict.__contains__(self, key.lower())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "esserver"
    sys_version = ""

    def parse_request(self):
        """The request line and headers; a small parser instead of the
        email package (a tenth of the time per request). Sends 100 Continue
        for Expect: 100-continue."""
        self.command = None
        self.request_version = "HTTP/0.9"
        self.close_connection = True
        line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        self.requestline = line
        words = line.split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            if len(words) == 3 and words[2].startswith("HTTP/"):
                self.send_error(505, "Invalid HTTP version (%s)" % words[2])
            else:
                self.send_error(400, "Bad request line (%r)" % line)
            return False
        self.command, self.path, self.request_version = words
        headers = Headers()
        while True:
            h = self.rfile.readline(65537)
            if len(h) > 65536 or len(headers) > 200:
                self.send_error(431, "Request header fields too large")
                return False
            if h in (b"\r\n", b"\n", b""):
                break
            k, sep, v = h.decode("iso-8859-1").partition(":")
            if not sep:
                self.send_error(400, "Bad header line (%r)" % h[:80])
                return False
            k = k.strip().lower()
            v = v.strip()
            headers[k] = headers[k] + ", " + v if k in headers else v
        self.headers = headers
        conn = headers.get("connection", "").lower()
        if self.request_version == "HTTP/1.0":
            self.close_connection = "keep-alive" not in conn
        else:
            self.close_connection = "close" in conn
        if headers.get("expect", "").lower() == "100-continue" and \
                self.request_version != "HTTP/1.0":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, fmt, *args):
        log("%s %s" % (self.address_string(), fmt % args))

    def read_body(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise BodyError("connection closed in a chunk header")
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise BodyError("bad chunk size line %r" % line[:40])
                if size == 0:
                    while True:  # trailers
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    break
                data = self.rfile.read(size)
                if len(data) != size:
                    raise BodyError("connection closed in a chunk")
                chunks.append(data)
                self.rfile.readline(3)
            return b"".join(chunks)
        cl = self.headers.get("Content-Length")
        if cl is None:
            return b""
        try:
            n = int(cl)
        except ValueError:
            raise BodyError("bad Content-Length %r" % cl)
        data = self.rfile.read(n) if n > 0 else b""
        if len(data) != n:
            raise BodyError("connection closed after %d of %d body bytes" % (len(data), n))
        return data

    def send(self, status, body, ctype="application/json; charset=UTF-8", extra=None):
        if body is None:
            body = b""
        pieces = None
        if isinstance(body, list):
            pieces = body
            body_len = sum(len(p) for p in pieces)
            if "gzip" in (self.headers.get("Accept-Encoding", "") or "").lower():
                body = b"".join(pieces)
                pieces = None
        head_only = self.command == "HEAD"
        headers = []
        if CFG.major > 7 or (CFG.major == 7 and CFG.minor >= 14):
            headers.append(("X-elastic-product", "Elasticsearch"))
        opaque = self.headers.get("X-Opaque-Id")
        if opaque:
            headers.append(("X-Opaque-Id", opaque))
        if extra:
            headers.extend(extra.items() if isinstance(extra, dict) else extra)
        ae = self.headers.get("Accept-Encoding", "") or ""
        if pieces is None and body and not head_only and "gzip" in ae.lower():
            body = gzip.compress(body, 1)
            headers.append(("Content-Encoding", "gzip"))
        if pieces is None:
            body_len = len(body)
        if ctype and (body_len or head_only):
            headers.append(("content-type", ctype))
        headers.append(("content-length", str(0 if head_only else body_len)))
        if self.close_connection:
            headers.append(("Connection", "close"))
        reason = self.responses.get(status, ("",))[0]
        out = ["HTTP/1.1 %d %s\r\n" % (status, reason)]
        out.extend("%s: %s\r\n" % h for h in headers)
        out.append("\r\n")
        data = "".join(out).encode("latin-1")
        t0 = time.monotonic()
        if head_only:
            self.wfile.write(data)
        elif pieces is not None:
            self.wfile.write(data)
            for p in pieces:
                self.wfile.write(p)
        elif body_len > 65536:
            self.wfile.write(data)
            self.wfile.write(body)
        else:
            self.wfile.write(data + body)
        self.send_ms = (time.monotonic() - t0) * 1000
        self.out_bytes = len(data) + (0 if head_only else body_len)

    def do_any(self):
        t0 = time.monotonic()
        method = self.command
        raw_path = self.path
        path, _, qs = raw_path.partition("?")
        self.out_bytes = 0
        self.send_ms = 0.0
        status = 0
        try:
            body = self.read_body()
            read_ms = (time.monotonic() - t0) * 1000
        except (BodyError, OSError, ValueError) as e:
            log("%s %s: bad request body: %s" % (method, raw_path, e))
            self.close_connection = True
            try:
                self.send(400, dumps({"error": "bad request body: %s" % e, "status": 400}).encode())
            except OSError:
                pass
            return
        try:
            status = self.dispatch(method, raw_path, path, qs, body)
        except (ConnectionError, BrokenPipeError):
            self.close_connection = True
        total = (time.monotonic() - t0) * 1000
        log("%s %s -> %s in=%d out=%d %.1fms (read %.1f, work %.1f, send %.1f)"
            % (method, raw_path, status or "-", len(body), self.out_bytes, total, read_ms,
               total - read_ms - self.send_ms, self.send_ms))

    def dispatch(self, method, raw_path, path, qs, body):
        params = dict(parse_qsl(qs, keep_blank_values=True))
        segs = [unquote(x) for x in path.split("/")[1:]]
        while segs and segs[-1] == "":
            segs.pop()
        control = bool(segs) and segs[0] == "_esserver"
        enc = (self.headers.get("Content-Encoding") or "").lower().strip()
        if body and enc in ("gzip", "x-gzip", "deflate"):
            try:
                body = gzip.decompress(body) if "gzip" in enc else zlib.decompress(body)
            except (OSError, EOFError, zlib.error) as e:
                return self.reply_error(ESError(400, "parse_exception",
                                                "failed to decompress the request body: %s" % e))
        req = Req(method, path, segs, params, body, self.headers)
        self.req_warnings = req.warnings
        if control:
            return self.reply_result(lambda: h_ctl(req))
        with STATE.lock:
            st = STATE.stats
            st["requests"] += 1
            st["by_path"][path] = st["by_path"].get(path, 0) + 1
            if segs and segs[-1] == "_bulk":
                st["bulk_requests"] += 1
        if CFG.user is not None:
            err = self.check_auth(raw_path)
            if err is not None:
                with STATE.lock:
                    STATE.stats["auth_failures"] += 1
                return self.reply_error(err)
        ctype = self.headers.get("Content-Type")
        if body and ctype is not None:
            base = ctype.split(";")[0].strip().lower()
            if base not in _JSON_TYPES:
                return self.reply_plain(406, "Content-Type header [%s] is not supported" % ctype)
        terminal, delay = match_request_rules(method, path)
        if terminal is not None:
            k = terminal["kind"]
            if k in ("reset", "close"):
                if delay:
                    time.sleep(delay / 1000.0)
                self.abort(k)
                return "%s!" % k
            st_, b, ct = request_fault_reply(terminal)
            if delay:
                time.sleep(delay / 1000.0)
            self.send(st_, b, ct)
            return st_
        return self.reply_result(lambda: route(req), delay)

    def abort(self, kind):
        self.close_connection = True
        if kind == "reset":
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.rfile.close()
                self.connection.close()
            except OSError:
                pass

    def check_auth(self, raw_path):
        hdr = self.headers.get("Authorization")
        www = 'Basic realm="security" charset="UTF-8"'
        user = None
        if hdr and hdr[:6].lower() == "basic ":
            try:
                dec = base64.b64decode(hdr[6:].strip(), validate=True).decode("utf-8")
                user, _, pw = dec.partition(":")
            except (binascii.Error, ValueError, UnicodeDecodeError):
                user = None
        if user is None:
            reason = "missing authentication credentials for REST request [%s]" % raw_path
        elif user == CFG.user and pw == CFG.password:
            return None
        else:
            reason = "unable to authenticate user [%s] for REST request [%s]" % (user, raw_path)
        return ESError(401, "security_exception", reason, headers={"WWW-Authenticate": www},
                       header={"WWW-Authenticate": www})

    def reply_plain(self, status, text):
        self.send(status, dumps({"error": text, "status": status}).encode())
        return status

    def reply_error(self, e):
        self.send(e.status, dumps(e.body()).encode("utf-8", "surrogateescape"),
                  extra=e.headers)
        return e.status

    def reply_result(self, fn, delay=0):
        try:
            status, payload = fn()
        except ESError as e:
            if delay:
                time.sleep(delay / 1000.0)
            return self.reply_error(e)
        except PlainError as e:
            if delay:
                time.sleep(delay / 1000.0)
            return self.reply_plain(e.status, e.text)
        except Exception as e:  # a bug here: say so like ES would
            log("internal error: %s" % traceback.format_exc())
            err = ESError(500, "exception", "esserver internal error: %s: %s"
                          % (type(e).__name__, e))
            return self.reply_error(err)
        if delay:
            time.sleep(delay / 1000.0)
        ctype = "application/json; charset=UTF-8"
        if payload is None:
            data = b""
        elif isinstance(payload, tuple):
            ctype, data = payload
        elif isinstance(payload, str):
            data = payload.encode("utf-8", "surrogateescape")
        elif isinstance(payload, bytes):
            data = payload
        else:
            data = dumps(payload).encode("utf-8", "surrogateescape")
        self.send(status, data, ctype, [("Warning", w) for w in self.req_warnings])
        return status

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        log("connection error from %s: %s" % (client_address, traceback.format_exc().strip()))


def refresher():
    while True:
        time.sleep(0.05)
        now = time.monotonic()
        with STATE.lock:
            for idx in STATE.indices.values():
                ri = idx.refresh_interval
                if ri is not None and idx.dirty and now - idx.last_refresh >= ri:
                    idx.refresh()


def _alive(pid):
    """The process exists and is not a zombie (a SIGKILLed test shell may
    stay unreaped for a while)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def watch_pid(pid):
    while True:
        time.sleep(0.25)
        if not _alive(pid):
            log("watched process %d is gone: exiting" % pid)
            os.kill(os.getpid(), signal.SIGTERM)
            return


def main(argv=None):
    ap = argparse.ArgumentParser(description="An Elasticsearch-7-like server for tests.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--version", default="7.17.9")
    ap.add_argument("--no-index", action="store_true")
    ap.add_argument("--no-auto-create", action="store_true")
    ap.add_argument("--refresh-interval", default="1s",
                    help="default index.refresh_interval (-1: only explicit refreshes)")
    ap.add_argument("--log")
    ap.add_argument("--watch-pid", type=int)
    ap.add_argument("--save-bodies", metavar="DIR",
                    help="write each _bulk body to DIR/bulk-NNNNNNNN.ndjson (benchmarks)")
    a = ap.parse_args(argv)
    m = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", a.version)
    if not m:
        ap.error("--version must look like 7.17.9")
    if (a.user is None) != (a.password is None):
        ap.error("--user and --password go together")
    CFG.version = a.version
    CFG.major, CFG.minor, CFG.patch = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    CFG.user, CFG.password = a.user, a.password
    CFG.no_index = a.no_index
    CFG.save_bodies = a.save_bodies
    CFG.saved = 0
    CFG.auto_create = not a.no_auto_create
    try:
        CFG.refresh_interval = parse_time_value(a.refresh_interval, "--refresh-interval")
    except ESError as e:
        ap.error(e.reason)
    if a.log:
        CFG.log = open(a.log, "a", encoding="utf-8")
    srv = Server((a.host, a.port), Handler)
    port = srv.server_address[1]
    log("esserver %s listening on %s:%d (version %s%s%s)" % (
        os.getpid(), a.host, port, CFG.version, ", no-index" if CFG.no_index else "",
        ", auth" if CFG.user else ""))
    if a.port_file:
        tmp = "%s.tmp.%d" % (a.port_file, os.getpid())
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    print("esserver listening on %s:%d" % (a.host, port), flush=True)

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=refresher, daemon=True).start()
    if a.watch_pid:
        threading.Thread(target=watch_pid, args=(a.watch_pid,), daemon=True).start()
    try:
        srv.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
        log("esserver stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
