"""Schema-driven fuzzing of a running Oppvekstgraf server.

Introspects the server's schema, then sends a bounded, deterministic stream of generated requests
(hypothesis-graphql queries and mutations from that schema, valid and with one schema violation each,
anonymous and with an editor token, over POST and GET, plus raw hostile bodies, headers and variables) and
checks every answer:

- the status is below 500 (the database is local: a 503 is a failure here too);
- the body is JSON, and every error has an `extensions.code` from the known set (never INTERNAL,
  SERVICE_UNAVAILABLE or TIMEOUT);
- no error message or extension shows internal detail (SQL, driver or ORM names, panics, source paths)
  that the request itself did not contain.

A failing case is shrunk by Hypothesis and printed with the server's answer. Settings (environment):
OPPVEKSTGRAF_URL (required), OPPVEKSTGRAF_TOKEN (editor token; without it the token modes are skipped),
FUZZ_EXAMPLES (cases per mode, default 150).
"""

from __future__ import annotations

import base64
import collections
import datetime
import http.client
import json
import os
import re
import socket
import sys
import time
import urllib.parse

import graphql
import hypothesis_graphql as hg
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from hypothesis_graphql._strategies import sampler

# Smaller documents than hypothesis-graphql's defaults (depth 8, 60 fields, about 40 fields expected on a
# schema this size): they are generated several times faster, and more of them run instead of stopping at the
# server's cost limit. Module settings of the pinned version (requirements.txt).
sampler.MAX_DEPTH = 5
sampler.MAX_FIELDS = 24
_build_oracle = sampler.build_oracle
sampler.build_oracle = lambda schema, roots, target_size=8.0: _build_oracle(schema, roots, target_size=8.0)

URL = urllib.parse.urlsplit(os.environ["OPPVEKSTGRAF_URL"])
TOKEN = os.environ.get("OPPVEKSTGRAF_TOKEN", "")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
TIMEOUT_SECS = 20.0

# Codes a client may get. INTERNAL, SERVICE_UNAVAILABLE and TIMEOUT are failures: the database is local and
# idle, so any of them means a bug.
KNOWN_CODES = {
    "VALIDATION",
    "NOT_FOUND",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "CONFLICT",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_LIMIT_EXCEEDED",
    "RATE_LIMITED",
    "BAD_REQUEST",
    "METHOD_NOT_ALLOWED",
    "NOT_ACCEPTABLE",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
}

# Internal detail that must never reach a client (matched case-insensitively in error messages and
# extensions). A match that the request itself contains is an echo of the client's input, not a leak.
LEAKS = [
    re.compile(p, re.IGNORECASE)
    for p in [
        r"\bselect\b.{0,200}\bfrom\b",
        r"\binsert\s+into\b",
        r"\bdelete\s+from\b",
        r"\bupdate\s+\"?\w+\"?\s+set\b",
        r"syntax error at",
        r"near \".*\": syntax error",
        r"sqlx",
        r"sea_orm|sea-orm|seaorm|DbErr|RuntimeErr",
        r"sqlite",
        r"postgres|\bpg_|SQLSTATE",
        r"constraint failed|violates .* constraint|foreign key|no such (table|column)",
        r"error returned from database",
        r"database is locked",
        r"panicked",
        r"thread '",
        r"stack backtrace",
        r"called `(Option|Result)::(unwrap|expect)",
        r"/work/|/root/|/tmp/|/home/|\.cargo/registry",
        r"\w\.rs:\d",
        r"\$[A-Za-z_]\w*",  # a macro or template placeholder left in a message
    ]
]


class Failure(AssertionError):
    pass


class Client:
    """One keep-alive connection to the server; reconnects after an error."""

    def __init__(self) -> None:
        self.conn: http.client.HTTPConnection | None = None
        self.stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.cases: collections.Counter = collections.Counter()

    def request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes, float]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=TIMEOUT_SECS)
            started = time.monotonic()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data, time.monotonic() - started
            except socket.timeout:
                self.conn.close()
                self.conn = None
                raise Failure(f"no answer within {TIMEOUT_SECS} s (hang)")
            except (http.client.HTTPException, ConnectionError, OSError) as err:
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise Failure(f"connection failed: {err!r} (is the server still up?)")
        raise AssertionError("unreachable")


CLIENT = Client()


def graphql_path() -> str:
    return (URL.path.rstrip("/") or "") + "/graphql"


def check(
    mode: str,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    *,
    expect_json: bool = True,
) -> dict:
    """Sends one request and checks the answer; raises Failure with the request and answer if it is wrong."""
    status, data, _ = CLIENT.request(method, path, body, headers)
    # A GET carries the query in the URL, percent-encoded: what it sent is the decoded text too, so that an
    # error echoing the client's own input (`id: "$A" is not a valid ID`) is not taken for a leak.
    decoded = urllib.parse.unquote_plus(path)
    sent = (path + "\n" + decoded + "\n" + (body or b"").decode("utf-8", "replace") + "\n" + json.dumps(headers)).lower()
    problems = []
    parsed = None
    codes = []
    if status >= 500:
        problems.append(f"status {status}")
    try:
        parsed = json.loads(data)
    except ValueError:
        if expect_json:
            problems.append("the body is not JSON")
    if isinstance(parsed, dict):
        errors = parsed.get("errors") or []
        if not isinstance(errors, list):
            problems.append("`errors` is not a list")
            errors = []
        for error in errors:
            code = (error.get("extensions") or {}).get("code") if isinstance(error, dict) else None
            codes.append(code)
            if code not in KNOWN_CODES:
                problems.append(f"error code {code!r} is not a known client error")
            text = json.dumps(
                {"message": error.get("message"), "extensions": error.get("extensions")}, ensure_ascii=False
            )
            for pattern in LEAKS:
                match = pattern.search(text)
                if match and match.group(0).lower() not in sent:
                    problems.append(f"internal detail {match.group(0)!r} in {text[:500]}")
        if "data" not in parsed and not errors:
            problems.append("neither `data` nor `errors`")
    elif expect_json and parsed is not None:
        problems.append("the body is not a JSON object")
    CLIENT.cases[mode] += 1
    CLIENT.stats[mode][f"{status} {','.join(sorted(set(c or '-' for c in codes))) or 'ok'}"] += 1
    if problems:
        raise Failure(
            f"[{mode}] {method} {path}\nheaders: {headers}\nbody: {(body or b'')[:4000]!r}\n"
            f"-> {status} {data[:2000]!r}\nproblems:\n  " + "\n  ".join(problems)
        )
    return parsed if isinstance(parsed, dict) else {}


def post(query: str, *, token: str | None = None, variables: object = None, extra: dict | None = None) -> dict:
    headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    if extra:
        headers.update(extra)
    payload: dict = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    return check("setup", "POST", graphql_path(), json.dumps(payload).encode(), headers)


# ---------------------------------------------------------------------------------------------------------
# The schema and real values to aim at


def introspect() -> graphql.GraphQLSchema:
    result = post(graphql.get_introspection_query(descriptions=False))
    return graphql.build_client_schema(result["data"])


def harvest(schema: graphql.GraphQLSchema) -> dict[str, list]:
    """Real ids, uuids, slugs, municipality numbers and versions from the server, so that generated
    arguments hit existing nodes as well as missing ones."""
    found: dict[str, set] = collections.defaultdict(set)
    wanted = ("id", "uuid", "slug", "number", "version")
    for name, field in schema.query_type.fields.items():
        conn = graphql.get_named_type(field.type)
        if not isinstance(conn, graphql.GraphQLObjectType) or "nodes" not in conn.fields:
            continue
        if "first" not in field.args:
            continue
        node = graphql.get_named_type(conn.fields["nodes"].type)
        if not isinstance(node, graphql.GraphQLObjectType):
            continue
        picks = [
            f for f in wanted if f in node.fields and graphql.is_leaf_type(graphql.get_named_type(node.fields[f].type))
        ]
        if not picks:
            continue
        for token in (None, TOKEN or None):
            result = post(f"{{ {name}(first: 30) {{ nodes {{ {' '.join(picks)} }} }} }}", token=token)
            for item in ((result.get("data") or {}).get(name) or {}).get("nodes") or []:
                for key in picks:
                    if item.get(key) is not None:
                        found[key].add(item[key])
    return {key: sorted(values, key=str) for key, values in found.items()}


def value_node(value: object) -> graphql.ValueNode:
    """A GraphQL literal for a JSON value."""
    if value is None:
        return nodes.Null
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, float):
        return nodes.Float(value)
    if isinstance(value, str):
        return nodes.String(value)
    if isinstance(value, list):
        return nodes.List([value_node(v) for v in value])
    return nodes.Object(
        [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=value_node(v)) for k, v in value.items()]
    )


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**31), 2**31 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True), children, max_size=4),
    max_leaves=12,
)


def scalars(real: dict[str, list]) -> dict[str, st.SearchStrategy]:
    """Value strategies per scalar: real values from the server mixed with near misses and junk."""

    def pick(key: str) -> st.SearchStrategy:
        values = real.get(key) or []
        return st.sampled_from(values) if values else st.nothing()

    text = st.text(max_size=40)
    type_names = [
        "Municipality",
        "Region",
        "Plan",
        "Goal",
        "Measure",
        "Unit",
        "Law",
        "LegalReference",
        "Guidance",
        "Publisher",
        "Concept",
        "Theme",
        "TargetGroup",
        "Revision",
        "Nope",
        "",
    ]
    forged_id = st.builds(
        lambda t, rest: base64.urlsafe_b64encode(f"{t}:{rest}".encode()).decode().rstrip("="),
        st.sampled_from(type_names),
        st.uuids().map(str) | pick("uuid") | text,
    )
    ids = st.one_of(pick("id"), pick("id"), forged_id, text)
    uuids = st.one_of(pick("uuid"), st.uuids().map(str), text)
    strings = st.one_of(
        pick("slug"), pick("number"), text, st.sampled_from(["", " ", "1539", "3103", "nb", "nn", "en"])
    )
    ints = st.one_of(pick("version"), st.integers(0, 20), st.integers(-2, 200), st.integers(-(2**31), 2**31 - 1))
    dates = st.one_of(st.dates().map(str), text)
    datetimes = st.one_of(st.datetimes(timezones=st.just(datetime.timezone.utc)).map(lambda d: d.isoformat()), text)
    return {
        "ID": ids.map(nodes.String),
        "UUID": uuids.map(nodes.String),
        "String": strings.map(nodes.String),
        "Int": ints.map(nodes.Int),
        "NaiveDate": dates.map(nodes.String),
        "DateTime": datetimes.map(nodes.String),
        "JSON": JSON_VALUES.map(value_node),
    }


# ---------------------------------------------------------------------------------------------------------
# The modes


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )


def operation_mode(name: str, strategy: st.SearchStrategy, token: str | None, *, allow_get: bool) -> None:
    headers_base = {"accept": "application/graphql-response+json"}
    if token:
        headers_base["authorization"] = f"Bearer {token}"

    @fuzz_settings(EXAMPLES)
    @given(document=strategy, via_get=st.booleans() if allow_get else st.just(False), preview=st.booleans())
    def run(document: str, via_get: bool, preview: bool) -> None:
        headers = dict(headers_base)
        if preview and token:
            headers["x-preview"] = "true"
        if via_get:
            check(name, "GET", graphql_path() + "?" + urllib.parse.urlencode({"query": document}), None, headers)
        else:
            headers["content-type"] = "application/json"
            check(name, "POST", graphql_path(), json.dumps({"query": document}).encode(), headers)

    run()


def corrupted_documents_mode(schema: graphql.GraphQLSchema, custom: dict) -> None:
    """Valid documents cut, spliced and sprinkled with junk: the parser and validator must answer 400."""
    base = hg.queries(schema, custom_scalars=custom) | hg.mutations(schema, custom_scalars=custom)

    @fuzz_settings(EXAMPLES)
    @given(document=base, cut=st.integers(0, 10_000), junk=st.text(max_size=8), token=st.booleans())
    def run(document: str, cut: int, junk: str, token: bool) -> None:
        at = cut % (len(document) + 1)
        broken = document[:at] + junk + document[at + (cut % 3) :]
        headers = {"content-type": "application/json", "accept": "application/json"}
        if token and TOKEN:
            headers["authorization"] = f"Bearer {TOKEN}"
        check("corrupted", "POST", graphql_path(), json.dumps({"query": broken}).encode(), headers)

    run()


# Documents with variables: the variables come from arbitrary JSON, so coercion of every input type is hit.
VARIABLE_DOCUMENTS = [
    "query($id: ID!) { node(id: $id) { id __typename } }",
    "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
    "query($n: String, $s: String) { municipality(number: $n, slug: $s) { name } }",
    "query($f: Int, $a: String, $l: Int, $b: String) "
    "{ measures(first: $f, after: $a, last: $l, before: $b) { totalCount nodes { id } } }",
    "query($filter: MeasureFilter) { measures(first: 5, filter: $filter) { totalCount } }",
    "query($filter: PlanFilter) { plans(first: 5, filter: $filter) { totalCount } }",
    "mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { id version } } }",
    "mutation($i: MeasureCreateInput!) { measureCreate(input: $i) { measure { id } } }",
    "mutation($i: PlanUpdateInput!) { planUpdate(input: $i) { plan { id version } } }",
    "mutation($i: MeasureLinkUnitInput!) { measureLinkUnit(input: $i) { measure { id } revision { id } } }",
]


def variables_mode(real: dict[str, list]) -> None:
    names = st.sampled_from(["id", "ids", "n", "s", "f", "a", "l", "b", "filter", "i", "x"])
    real_values = st.sampled_from([v for values in real.values() for v in values] or [None])
    leaf = JSON_VALUES | real_values | st.sampled_from(["LEAD", "PARTICIPANT", "PUBLISHED", "DRAFT", "NB", "nb"])
    objects = st.dictionaries(
        st.sampled_from(
            [
                "id",
                "version",
                "title",
                "slug",
                "municipality",
                "plan",
                "number",
                "language",
                "search",
                "status",
                "theme",
                "measure",
                "unit",
                "role",
                "position",
                "x",
                "body",
            ]
        ),
        leaf,
        max_size=5,
    )
    variables = st.dictionaries(names, leaf | objects | st.lists(real_values, max_size=3), max_size=4)

    @fuzz_settings(EXAMPLES)
    @given(document=st.sampled_from(VARIABLE_DOCUMENTS), variables=variables | JSON_VALUES, token=st.booleans())
    def run(document: str, variables: object, token: bool) -> None:
        headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
        if token and TOKEN:
            headers["authorization"] = f"Bearer {TOKEN}"
        body = json.dumps({"query": document, "variables": variables}).encode()
        check("variables", "POST", graphql_path(), body, headers)

    run()


def raw_mode() -> None:
    """Hostile HTTP: arbitrary bodies, media types, Accept and Authorization headers, methods and GET
    parameters."""
    bodies = st.one_of(
        st.binary(max_size=300),
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
        st.dictionaries(
            st.sampled_from(["query", "variables", "operationName", "extensions", "id"]),
            JSON_VALUES
            | st.sampled_from(
                ["{ __typename }", "query A { __typename } query B { __typename }", "mutation { __typename }"]
            ),
            max_size=4,
        ).map(lambda v: json.dumps(v).encode()),
    )
    content_types = st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/graphql",
            "text/plain",
            "",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "application/json; charset=latin1",
        ]
    )
    accepts = st.sampled_from(
        ["application/graphql-response+json", "application/json", "*/*", "text/html", "", "application/*;q=0"]
    )
    auths = st.sampled_from(
        ["", "Bearer ", "Bearer ogt_forged", "Basic Zm9vOmJhcg==", "bearer " + TOKEN, "Bearer " + TOKEN + "x"]
    )
    params = st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "extensions"]),
        st.text(max_size=60) | st.sampled_from(["{ __typename }", "{", "null", "[]", "mutation { __typename }"]),
        max_size=3,
    )

    @fuzz_settings(EXAMPLES)
    @given(
        method=st.sampled_from(["POST"] * 4 + ["GET"] * 2 + ["PUT", "DELETE", "PATCH"]),
        body=bodies,
        content_type=content_types,
        accept=accepts,
        auth=auths,
        params=params,
    )
    def run(method: str, body: bytes, content_type: str, accept: str, auth: str, params: dict) -> None:
        headers = {}
        for key, value in (("content-type", content_type), ("accept", accept), ("authorization", auth)):
            if value:
                headers[key] = value
        path = graphql_path()
        if method == "GET":
            path += "?" + urllib.parse.urlencode(params)
            body = None
        # Other methods may get an empty 405, and a GET asking for HTML gets the console.
        expect_json = method == "POST" or (method == "GET" and "text/html" not in accept)
        check("raw", method, path, body, headers, expect_json=expect_json)

    run()


def main() -> int:
    started = time.monotonic()
    schema = introspect()
    real = harvest(schema)
    print("real values: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(real.items())))
    custom = scalars(real)
    editor = TOKEN or None
    modes = [
        (
            "query anonymous",
            lambda: operation_mode("query anonymous", hg.queries(schema, custom_scalars=custom), None, allow_get=True),
        ),
        (
            "query negative",
            lambda: operation_mode(
                "query negative", hg.queries(schema, custom_scalars=custom, mode=hg.Mode.NEGATIVE), None, allow_get=True
            ),
        ),
        (
            "mutation anonymous",
            lambda: operation_mode(
                "mutation anonymous", hg.mutations(schema, custom_scalars=custom), None, allow_get=True
            ),
        ),
        ("variables", lambda: variables_mode(real)),
        ("corrupted", lambda: corrupted_documents_mode(schema, custom)),
        ("raw", raw_mode),
    ]
    if editor:
        modes[1:1] = [
            (
                "query editor",
                lambda: operation_mode(
                    "query editor", hg.queries(schema, custom_scalars=custom), editor, allow_get=True
                ),
            )
        ]
        modes += [
            (
                "mutation editor",
                lambda: operation_mode(
                    "mutation editor", hg.mutations(schema, custom_scalars=custom), editor, allow_get=False
                ),
            ),
            (
                "mutation negative",
                lambda: operation_mode(
                    "mutation negative",
                    hg.mutations(schema, custom_scalars=custom, mode=hg.Mode.NEGATIVE),
                    editor,
                    allow_get=False,
                ),
            ),
        ]
    else:
        print("OPPVEKSTGRAF_TOKEN is not set: the editor modes are skipped")
    failed = []
    for name, run in modes:
        mode_started = time.monotonic()
        try:
            run()
        except Failure as err:
            failed.append(name)
            print(f"\nFAIL {name} (shrunk case):\n{err}\n", file=sys.stderr)
        except Exception as err:  # a Hypothesis error, or several distinct failures
            failed.append(name)
            print(f"\nFAIL {name}:\n{err!r}\n", file=sys.stderr)
        counts = CLIENT.stats.get(name, {})
        summary = ", ".join(f"{k} x{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        print(f"{name}: {CLIENT.cases[name]} requests in {time.monotonic() - mode_started:.1f} s: {summary}")
    total = sum(v for k, v in CLIENT.cases.items() if k != "setup")
    print(f"total: {total} requests in {len(modes)} modes, {time.monotonic() - started:.1f} s")
    print(f"fuzz: {len(modes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
