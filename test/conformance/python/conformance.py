"""Alibaba's Python SDK for Cbn 2017-09-12 (alibabacloud-cbn20170912 on alibabacloud-tea-openapi)
against the emulator: the whole flow-log lifecycle, tags, every error answer, throttling, and each
answer decoded strictly into the SDK's own models.

Driven by python-conformance.test.ts, which starts the emulators and passes them in
CONFORMANCE_CONFIG. Each test prints one JSON line {"test", "status", "output"}; the script exits 1
when any test fails. Run it through jest (npx jest test/conformance/python-conformance.test.ts).
"""
from __future__ import annotations

import inspect
import json
import os
import sys
import threading
import time
import traceback
import typing
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

from alibabacloud_cbn20170912 import models as cbn
from alibabacloud_cbn20170912.client import Client as CbnClient
from alibabacloud_tea_openapi import exceptions as sdk_errors
from alibabacloud_tea_openapi import utils_models as openapi_models
from darabonba.core import DaraCore
from darabonba.model import DaraModel

CONFIG = json.loads(os.environ.get("CONFORMANCE_CONFIG") or "null")
TESTS: list[tuple[str, typing.Callable[[], None]]] = []


def test(fn):
    TESTS.append((fn.__name__, fn))
    return fn


class Failure(AssertionError):
    pass


def expect(ok: bool, why: str) -> None:
    if not ok:
        raise Failure(why)


# --- What crossed the wire: every request and answer of this thread, recorded under the SDK. ---

_local = threading.local()
_do_action = DaraCore.do_action


def _recording_do_action(request, runtime_option=None):
    response = _do_action(request, runtime_option)
    log = getattr(_local, "log", None)
    if log is not None:
        log.append({"query": dict(request.query or {}), "status": response.status_code, "headers": dict(response.headers)})
    return response


DaraCore.do_action = staticmethod(_recording_do_action)


def wire() -> list[dict]:
    if getattr(_local, "log", None) is None:
        _local.log = []
    return _local.log


class Sdk(CbnClient):
    """The generated client, keeping the raw body of every successful answer it decoded."""

    def __init__(self, emu: dict, signature: str = "v3", secret: str | None = None, access_key_id: str | None = None):
        config = openapi_models.Config(
            access_key_id=access_key_id or emu["accessKeyId"],
            access_key_secret=secret or emu["accessKeySecret"],
            endpoint=emu["host"],
            protocol="HTTP",
            region_id=CONFIG["ids"]["region"],
            read_timeout=10000,
            connect_timeout=10000,
        )
        if signature == "v2":
            config.signature_algorithm = "v2"
        super().__init__(config)
        self.bodies: list = []

    def call_api(self, params, request, runtime):
        result = super().call_api(params, request, runtime)
        self.bodies.append(result.get("body"))
        return result


# --- Strict decoding. The models' from_map takes anything: this checks the wire body against the
# fields and types each model declares (its __init__ annotations, its to_map wire names). ---

_fields_cache: dict[type, dict[str, tuple[str, typing.Any]]] = {}


def _is_model(hint) -> bool:
    return isinstance(hint, type) and issubclass(hint, DaraModel)


def _placeholder(hint):
    origin = typing.get_origin(hint)
    if origin is list:
        return [_placeholder(typing.get_args(hint)[0])]
    if origin is dict:
        return {"k": "v"}
    if _is_model(hint):
        return hint()
    return {str: "x", int: 1, bool: True, float: 1.5}.get(hint, "x")


def model_fields(cls: type) -> dict[str, tuple[str, typing.Any]]:
    """wire name → (attribute, type) for every field the model declares."""
    if cls not in _fields_cache:
        hints = typing.get_type_hints(cls.__init__)
        base = cls().to_map()
        out = {}
        for name in inspect.signature(cls.__init__).parameters:
            if name == "self":
                continue
            m = cls(**{name: _placeholder(hints[name])}).to_map()
            keys = [k for k in m if k not in base or m[k] != base[k]]
            if len(keys) != 1:
                raise RuntimeError(f"cannot tell the wire name of {cls.__name__}.{name}: {keys}")
            out[keys[0]] = (name, hints[name])
        _fields_cache[cls] = out
    return _fields_cache[cls]


# Fields a model declares that an answer may leave out (the service omits what is unset).
OPTIONAL: dict[str, set[str]] = {
    "DescribeFlowlogsResponseBodyFlowLogsFlowLog": {"TransitRouterAttachmentId", "Description", "FlowLogName"},
}


def strict_errors(hint, value, path: str = "$") -> list[str]:
    """Everything in value that the model does not say: unknown, missing, null or mistyped fields."""
    errs: list[str] = []
    if value is None:
        return [f"{path}: null"]
    origin = typing.get_origin(hint)
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, the model says a list"]
        for i, item in enumerate(value):
            errs += strict_errors(typing.get_args(hint)[0], item, f"{path}[{i}]")
        return errs
    if _is_model(hint):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, the model {hint.__name__} says an object"]
        fields = model_fields(hint)
        for key in value:
            if key not in fields:
                errs.append(f"{path}.{key}: unknown to {hint.__name__} (it has {', '.join(sorted(fields))})")
        for key, (_attr, field_hint) in fields.items():
            if key in value:
                errs += strict_errors(field_hint, value[key], f"{path}.{key}")
            elif key not in OPTIONAL.get(hint.__name__, set()):
                errs.append(f"{path}.{key}: missing, {hint.__name__} declares it")
        return errs
    if hint is int:
        ok = type(value) is int
    elif hint is float:
        ok = type(value) in (int, float)
    else:
        ok = type(value) is hint
    return [] if ok else [f"{path}: {type(value).__name__} {json.dumps(value)}, the model says {getattr(hint, '__name__', hint)}"]


def decoded(sdk: Sdk, response, body_cls: type):
    """One successful call: HTTP 200, the raw body strictly as body_cls says, and the SDK's own
    decoding holding exactly the wire body."""
    expect(response.status_code == 200, f"status {response.status_code}")
    raw = sdk.bodies[-1]
    errs = strict_errors(body_cls, raw)
    expect(not errs, f"{body_cls.__name__} does not decode strictly:\n  " + "\n  ".join(errs) + f"\nbody: {json.dumps(raw)}")
    expect(isinstance(response.body, body_cls), f"the SDK decoded a {type(response.body).__name__}")
    mine = response.body.to_map()
    expect(mine == raw, f"the SDK decoded something else than the wire body:\nSDK:  {json.dumps(mine)}\nwire: {json.dumps(raw)}")
    return response.body


def failure(fn) -> Exception:
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the point is to look at whatever the SDK raised
        return e
    raise Failure("the call succeeded; want an error")


def admin(emu: dict, method: str, path: str, body=None):
    req = urllib.request.Request(
        f"http://{emu['host']}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as res:
        return res.read()


def wait_status(sdk: Sdk, flow_log_id: str, want: str | None) -> list[str]:
    """Polls DescribeFlowlogs until the flow log has status want (None: gone); returns the statuses seen."""
    seen: list[str] = []
    deadline = time.time() + 15
    while time.time() < deadline:
        res = sdk.describe_flowlogs(cbn.DescribeFlowlogsRequest(region_id=CONFIG["ids"]["region"], flow_log_id=flow_log_id))
        body = decoded(sdk, res, cbn.DescribeFlowlogsResponseBody)
        items = body.flow_logs.flow_log
        status = items[0].status if items else None
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == want:
            return seen
        time.sleep(0.1)
    raise Failure(f"{flow_log_id} never reached {want}; statuses seen: {seen}")


# --- The tests. ---


@test
def test_strict_decoding_refuses_what_the_model_does_not_say():
    good = {
        "RequestId": "r", "Success": "true", "TotalCount": "1", "PageNumber": "1", "PageSize": "20",
        "FlowLogs": {"FlowLog": [{
            "FlowLogId": "flowlog-1", "CenId": "cen-1", "RegionId": "cn-hangzhou", "Status": "Active",
            "ProjectName": "p", "LogStoreName": "l", "Interval": 60, "LogFormatString": "${srcaddr}", "FlowLogVersion": "3",
            "TransitRouterId": "tr-1", "CreationTime": "2025-01-01T00:00:00Z", "Tags": {"Tag": [{"Key": "k", "Value": ""}]},
        }]},
    }
    errs = strict_errors(cbn.DescribeFlowlogsResponseBody, good)
    expect(not errs, f"a body as the model says was refused: {errs}")

    def altered(change):
        body = json.loads(json.dumps(good))
        change(body)
        return body

    item = lambda b: b["FlowLogs"]["FlowLog"][0]  # noqa: E731
    cases = {
        "an unknown field": lambda b: b.update(Extra=1),
        "an unknown field in a list item": lambda b: item(b).update(Owner="x"),
        "an unknown field in a tag": lambda b: item(b)["Tags"]["Tag"][0].update(Scope="x"),
        "a missing field": lambda b: b.pop("RequestId"),
        "a missing field in a list item": lambda b: item(b).pop("Status"),
        "Interval as a string": lambda b: item(b).update(Interval="60"),
        "Success as a boolean": lambda b: b.update(Success=True),
        "TotalCount as a number": lambda b: b.update(TotalCount=1),
        "a null": lambda b: b.update(PageSize=None),
        "a field in another case": lambda b: b.update(requestId=b.pop("RequestId")),
        "an unwrapped list": lambda b: b.update(FlowLogs=b["FlowLogs"]["FlowLog"]),
    }
    for name, change in cases.items():
        expect(strict_errors(cbn.DescribeFlowlogsResponseBody, altered(change)), f"accepted {name}")


def lifecycle(signature: str, attachment: str):
    ids = CONFIG["ids"]
    sdk = Sdk(CONFIG["main"], signature)
    region = ids["region"]
    created = decoded(sdk, sdk.create_flowlog(cbn.CreateFlowlogRequest(
        region_id=region, cen_id=ids["cenId"], transit_router_id=ids["transitRouterId"],
        transit_router_attachment_id=attachment, flow_log_name=f"py-{signature}", description="made by Python",
        interval=60, client_token=f"py-{signature}-{time.time()}",
        tag=[cbn.CreateFlowlogRequestTag(key="team", value="net")],
    )), cbn.CreateFlowlogResponseBody)
    fid = created.flow_log_id
    expect(bool(fid) and created.success == "true", f"CreateFlowlog answered {created.to_map()}")
    method = wire()[-1]["query"].get("SignatureMethod")
    expect(method == ("HMAC-SHA1" if signature == "v2" else None), f"{signature}: the SDK signed with SignatureMethod={method!r}")
    seen = wait_status(sdk, fid, "Active")
    expect(seen[0] in ("Creating", "Active"), f"statuses after create: {seen}")

    one = sdk.describe_flowlogs(cbn.DescribeFlowlogsRequest(region_id=region, flow_log_id=fid)).body.flow_logs.flow_log[0]
    got = (one.flow_log_name, one.description, one.interval, one.cen_id, one.transit_router_attachment_id)
    expect(got == (f"py-{signature}", "made by Python", 60, ids["cenId"], attachment), f"described as {one.to_map()}")
    expect([(t.key, t.value) for t in one.tags.tag] == [("team", "net")], f"tags {one.tags.to_map()}")

    decoded(sdk, sdk.modify_flow_log_attribute(cbn.ModifyFlowLogAttributeRequest(
        region_id=region, flow_log_id=fid, flow_log_name="renamed", description="changed", interval=600,
    )), cbn.ModifyFlowLogAttributeResponseBody)
    wait_status(sdk, fid, "Active")
    one = sdk.describe_flowlogs(cbn.DescribeFlowlogsRequest(region_id=region, flow_log_id=fid)).body.flow_logs.flow_log[0]
    expect((one.flow_log_name, one.description, one.interval) == ("renamed", "changed", 600), f"after modify: {one.to_map()}")

    decoded(sdk, sdk.deactive_flow_log(cbn.DeactiveFlowLogRequest(region_id=region, flow_log_id=fid)), cbn.DeactiveFlowLogResponseBody)
    wait_status(sdk, fid, "Inactive")
    decoded(sdk, sdk.active_flow_log(cbn.ActiveFlowLogRequest(region_id=region, flow_log_id=fid)), cbn.ActiveFlowLogResponseBody)
    wait_status(sdk, fid, "Active")
    decoded(sdk, sdk.delete_flowlog(cbn.DeleteFlowlogRequest(region_id=region, flow_log_id=fid)), cbn.DeleteFlowlogResponseBody)
    wait_status(sdk, fid, None)
    listed = decoded(sdk, sdk.describe_flowlogs(cbn.DescribeFlowlogsRequest(region_id=region, cen_id=ids["cenId"])),
                     cbn.DescribeFlowlogsResponseBody)
    expect(fid not in [f.flow_log_id for f in listed.flow_logs.flow_log], "the deleted flow log is still listed")


@test
def test_lifecycle_with_v3_signatures():
    lifecycle("v3", CONFIG["ids"]["vpcAttachmentId"])


@test
def test_lifecycle_with_v2_signatures():
    lifecycle("v2", CONFIG["ids"]["vbrAttachmentId"])


@test
def test_tags_including_untag_all_true():
    ids = CONFIG["ids"]
    sdk = Sdk(CONFIG["main"])
    region = ids["region"]
    fid = decoded(sdk, sdk.create_flowlog(cbn.CreateFlowlogRequest(
        region_id=region, cen_id=ids["cenId"], transit_router_id=ids["transitRouterId"],
        transit_router_attachment_id=ids["vpnAttachmentId"],
    )), cbn.CreateFlowlogResponseBody).flow_log_id
    wait_status(sdk, fid, "Active")

    def listed():
        res = sdk.list_tag_resources(cbn.ListTagResourcesRequest(region_id=region, resource_type="Flowlog", resource_id=[fid]))
        body = decoded(sdk, res, cbn.ListTagResourcesResponseBody)
        return sorted((t.resource_id, t.resource_type, t.tag_key, t.tag_value) for t in body.tag_resources.tag_resource)

    decoded(sdk, sdk.tag_resources(cbn.TagResourcesRequest(
        region_id=region, resource_type="Flowlog", resource_id=[fid],
        tag=[cbn.TagResourcesRequestTag(key="a", value="1"), cbn.TagResourcesRequestTag(key="b", value=""),
             cbn.TagResourcesRequestTag(key="c", value="3")],
    )), cbn.TagResourcesResponseBody)
    expect(listed() == [(fid, "Flowlog", "a", "1"), (fid, "Flowlog", "b", ""), (fid, "Flowlog", "c", "3")], f"listed {listed()}")

    decoded(sdk, sdk.untag_resources(cbn.UntagResourcesRequest(
        region_id=region, resource_type="Flowlog", resource_id=[fid], tag_key=["a"],
    )), cbn.UntagResourcesResponseBody)
    expect(listed() == [(fid, "Flowlog", "b", ""), (fid, "Flowlog", "c", "3")], f"after untagging a: {listed()}")

    decoded(sdk, sdk.untag_resources(cbn.UntagResourcesRequest(
        region_id=region, resource_type="Flowlog", resource_id=[fid], all=True,
    )), cbn.UntagResourcesResponseBody)
    sent = wire()[-1]["query"].get("All")
    expect(sent == "True", f"the SDK sent All={sent!r}; this test is about the Python spelling True")
    expect(listed() == [], f"All=True left {listed()}")

    decoded(sdk, sdk.delete_flowlog(cbn.DeleteFlowlogRequest(region_id=region, flow_log_id=fid)), cbn.DeleteFlowlogResponseBody)
    wait_status(sdk, fid, None)


def error_cases():
    ids = CONFIG["ids"]
    region = ids["region"]
    # Its own emulator: an injected fault must not be taken by another test's call.
    main = CONFIG["faults"]

    def fail_next(action, code, status):
        admin(main, "POST", "/__admin/faults", {"failNext": {"action": action, "count": 1, "code": code, "statusCode": status}})

    def injected(action, code, status):
        def call(sdk):
            fail_next(action, code, status)
            sdk.describe_flowlogs(cbn.DescribeFlowlogsRequest(region_id=region))
        return call

    return [
        ("an Interval that is neither 60 nor 600", {}, lambda sdk: sdk.create_flowlog(cbn.CreateFlowlogRequest(
            region_id=region, cen_id=ids["cenId"], transit_router_id=ids["transitRouterId"],
            transit_router_attachment_id=ids["ecrAttachmentId"], interval=30)), "InvalidParameter.Interval", 400, sdk_errors.ClientException),
        ("a Basic edition transit router", {}, lambda sdk: sdk.create_flowlog(cbn.CreateFlowlogRequest(
            region_id=region, cen_id=ids["cenId2"], transit_router_id=ids["basicTransitRouterId"])),
            "OperationUnsupported.action", 400, sdk_errors.ClientException),
        ("a flow log that does not exist", {}, lambda sdk: sdk.modify_flow_log_attribute(cbn.ModifyFlowLogAttributeRequest(
            region_id=region, flow_log_id="flowlog-doesnotexist0000", flow_log_name="x")),
            "InvalidFlowlogId.NotFound", 400, sdk_errors.ClientException),
        ("deleting a flow log that does not exist", {}, lambda sdk: sdk.delete_flowlog(cbn.DeleteFlowlogRequest(
            region_id=region, flow_log_id="flowlog-doesnotexist0000")), "InvalidFlowlogId.NotFound", 400, sdk_errors.ClientException),
        ("an All that is not a boolean", {}, lambda sdk: sdk.untag_resources(cbn.UntagResourcesRequest(
            region_id=region, resource_type="Flowlog", resource_id=["flowlog-doesnotexist0000"], all="yes")),
            "InvalidParameter.All", 400, sdk_errors.ClientException),
        ("another ResourceType", {}, lambda sdk: sdk.list_tag_resources(cbn.ListTagResourcesRequest(
            region_id=region, resource_type="Vpc")), "InvalidResourceType.NotSupported", 400, sdk_errors.ClientException),
        ("a wrong AccessKey secret", {"secret": "not-the-secret"}, lambda sdk: sdk.describe_flowlogs(
            cbn.DescribeFlowlogsRequest(region_id=region)), "SignatureDoesNotMatch", 400, sdk_errors.ClientException),
        ("an unknown AccessKey", {"access_key_id": "no-such-access-key"}, lambda sdk: sdk.describe_flowlogs(
            cbn.DescribeFlowlogsRequest(region_id=region)), "InvalidAccessKeyId.NotFound", 404, sdk_errors.ClientException),
        ("a service fault (503)", {}, injected("DescribeFlowlogs", "ServiceUnavailable", 503), "ServiceUnavailable", 503,
         sdk_errors.ServerException),
        ("an internal error (500)", {}, injected("DescribeFlowlogs", "InternalError", 500), "InternalError", 500,
         sdk_errors.ServerException),
    ]


@test
def test_errors_decode_as_sdk_exceptions():
    problems = []
    for signature in ("v3", "v2"):
        for name, opts, call, code, status, cls in error_cases():
            sdk = Sdk(CONFIG["faults"], signature, **opts)
            err = failure(lambda: call(sdk))
            got = (type(err).__name__, getattr(err, "code", None), getattr(err, "status_code", None))
            if got != (cls.__name__, code, status):
                problems.append(f"{signature} {name}: want {cls.__name__} {code} (HTTP {status}), got {got}: {err}")
                continue
            request_id = getattr(err, "request_id", None)
            data = getattr(err, "data", None) or {}
            if not request_id or request_id != data.get("RequestId") or f"request id: {request_id}" not in str(err.message):
                problems.append(f"{signature} {name}: request id {request_id!r}, body {data}, message {err.message!r}")
            if data.get("Code") != code or not data.get("Message"):
                problems.append(f"{signature} {name}: body {data}")
    expect(not problems, "\n".join(problems))


@test
def test_throttling_is_a_throttling_exception_with_the_wait():
    refill_ms = int(1000 / CONFIG["throttledRate"])
    for signature in ("v3", "v2"):
        sdk = Sdk(CONFIG["throttled"], signature)
        request = cbn.DescribeFlowlogsRequest(region_id=CONFIG["ids"]["region"])
        err = None
        for _ in range(50):
            try:
                sdk.describe_flowlogs(request)
            except Exception as e:  # noqa: BLE001
                err = e
                break
        expect(err is not None, "50 quick calls were never throttled")
        expect(isinstance(err, sdk_errors.ThrottlingException),
               f"{signature}: want ThrottlingException, got {type(err).__name__}: {err}")
        headers = wire()[-1]["headers"]
        header = headers.get("x-acs-retry-after")
        expect(header is not None and header.isdigit(), f"{signature}: x-acs-retry-after {header!r}; headers {headers}")
        expect((err.code, err.status_code) == ("Throttling.User", 400), f"{signature}: {err.code} (HTTP {err.status_code})")
        expect(err.retry_after == int(header), f"{signature}: retry_after {err.retry_after!r}, x-acs-retry-after {header}")
        expect(0 < err.retry_after <= refill_ms + 50, f"{signature}: retry_after {err.retry_after} ms; a token comes back every {refill_ms} ms")
        expect(err.request_id and err.request_id == (err.data or {}).get("RequestId"), f"{signature}: request id {err.request_id!r}")
        time.sleep((err.retry_after + 20) / 1000)
        decoded(sdk, sdk.describe_flowlogs(request), cbn.DescribeFlowlogsResponseBody)
        time.sleep(refill_ms * 2 / 1000)


@test
def test_runs_the_pinned_sdk_versions():
    want = CONFIG.get("requirements") or {}
    expect(bool(want), "CONFORMANCE_CONFIG names no requirements to check")
    wrong = {name: (metadata.version(name), version) for name, version in want.items() if metadata.version(name) != version}
    expect(not wrong, f"installed (got, want): {wrong}")


def run(name: str, fn) -> dict:
    _local.log = []
    try:
        fn()
        return {"test": name, "status": "pass", "output": ""}
    except Exception:  # noqa: BLE001
        return {"test": name, "status": "fail", "output": traceback.format_exc()}


def main() -> int:
    if CONFIG is None:
        print("CONFORMANCE_CONFIG is not set: run this through jest, which starts the emulators", file=sys.stderr)
        return 2
    wanted = sys.argv[1:]
    chosen = [(n, f) for n, f in TESTS if not wanted or n in wanted]
    # The tests wait on status transitions, not on the CPU; each uses its own attachment.
    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        results = list(pool.map(lambda t: run(*t), chosen))
    for r in results:
        print(json.dumps(r), flush=True)
    return 0 if all(r["status"] == "pass" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
