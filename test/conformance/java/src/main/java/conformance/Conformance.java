package conformance;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Alibaba's Java runtime (com.aliyun:tea-openapi, its generic Client.callApi as the generated
 * clients use it, RPC style) against the emulator: the lifecycle, tags, every error answer as a
 * TeaException, throttling, and each answer checked strictly against the wire types of the SDK's
 * models. Maven Central serves no com.aliyun:cbn20170912 jar, so the model types are written
 * below (Schema), as the generated models in Go, Python and Java declare them.
 *
 * <p>Driven by java-conformance.test.ts with CONFORMANCE_CONFIG; prints one JSON line per test.
 */
public final class Conformance {
  static JsonObject config;
  static JsonObject ids;

  interface Test {
    void run() throws Exception;
  }

  static final class Failure extends AssertionError {
    Failure(String why) {
      super(why);
    }
  }

  static void expect(boolean ok, String why) {
    if (!ok) throw new Failure(why);
  }

  // --- The wire types of the SDK models: "S" a string, "I" an integer, a Map an object, a List a list of one item type. ---

  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static final Map<String, Object> ACK = obj("RequestId", "S", "Success", "S");
  static final Map<String, Object> FLOW_LOG =
      obj(
          "CenId", "S", "CreationTime", "S", "Description", "S", "FlowLogId", "S", "FlowLogName", "S",
          "FlowLogVersion", "S", "Interval", "I", "LogFormatString", "S", "LogStoreName", "S", "ProjectName", "S",
          "RegionId", "S", "Status", "S", "Tags", obj("Tag", List.of(obj("Key", "S", "Value", "S"))),
          "TransitRouterAttachmentId", "S", "TransitRouterId", "S");
  static final Map<String, Map<String, Object>> SCHEMA =
      Map.of(
          "CreateFlowlog", obj("FlowLogId", "S", "RequestId", "S", "Success", "S"),
          "DescribeFlowlogs",
          obj(
              "FlowLogs", obj("FlowLog", List.of(FLOW_LOG)), "PageNumber", "S", "PageSize", "S", "RequestId", "S",
              "Success", "S", "TotalCount", "S"),
          "ModifyFlowLogAttribute", ACK,
          "ActiveFlowLog", ACK,
          "DeactiveFlowLog", ACK,
          "DeleteFlowlog", ACK,
          "TagResources", obj("RequestId", "S"),
          "UntagResources", obj("RequestId", "S"),
          "ListTagResources",
          obj(
              "NextToken", "S", "RequestId", "S",
              "TagResources",
              obj("TagResource", List.of(obj("ResourceId", "S", "ResourceType", "S", "TagKey", "S", "TagValue", "S")))));
  /** What an answer may leave out: the service omits a flow log's unset name, description and attachment. */
  static final List<String> OPTIONAL = List.of("FlowLogName", "Description", "TransitRouterAttachmentId");

  @SuppressWarnings("unchecked")
  static List<String> strictErrors(Object type, Object value, String path) {
    List<String> errs = new ArrayList<>();
    if (value == null) {
      errs.add(path + ": null");
    } else if (type instanceof List) {
      if (!(value instanceof List)) return List.of(path + ": " + value.getClass().getSimpleName() + ", the model says a list");
      List<Object> items = (List<Object>) value;
      for (int i = 0; i < items.size(); i++) errs.addAll(strictErrors(((List<?>) type).get(0), items.get(i), path + "[" + i + "]"));
    } else if (type instanceof Map) {
      if (!(value instanceof Map)) return List.of(path + ": " + value.getClass().getSimpleName() + ", the model says an object");
      Map<String, Object> fields = (Map<String, Object>) type;
      Map<String, Object> got = (Map<String, Object>) value;
      for (String k : got.keySet()) if (!fields.containsKey(k)) errs.add(path + "." + k + ": unknown to the model (it has " + fields.keySet() + ")");
      for (Map.Entry<String, Object> f : fields.entrySet()) {
        if (got.containsKey(f.getKey())) errs.addAll(strictErrors(f.getValue(), got.get(f.getKey()), path + "." + f.getKey()));
        else if (!OPTIONAL.contains(f.getKey())) errs.add(path + "." + f.getKey() + ": missing, the model declares it");
      }
    } else if ("S".equals(type)) {
      if (!(value instanceof String)) errs.add(path + ": " + value + " is not a string");
    } else if ("I".equals(type)) {
      boolean integral = value instanceof Number && ((Number) value).doubleValue() == Math.rint(((Number) value).doubleValue());
      if (!integral) errs.add(path + ": " + value + " is not an integer");
    }
    return errs;
  }

  // --- Calling the API as a generated client does. ---

  static Client client(JsonObject emu, String signature, String accessKeyId, String secret) throws Exception {
    Config c = new Config();
    c.accessKeyId = accessKeyId != null ? accessKeyId : emu.get("accessKeyId").getAsString();
    c.accessKeySecret = secret != null ? secret : emu.get("accessKeySecret").getAsString();
    c.endpoint = emu.get("host").getAsString();
    c.protocol = "HTTP";
    c.regionId = ids.get("region").getAsString();
    c.readTimeout = 10000;
    c.connectTimeout = 10000;
    if ("v2".equals(signature)) c.signatureAlgorithm = "v2";
    return new Client(c);
  }

  static Client client(JsonObject emu, String signature) throws Exception {
    return client(emu, signature, null, null);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> call(Client c, String action, Map<String, ?> query) throws Exception {
    Params p = new Params();
    p.action = action;
    p.version = "2017-09-12";
    p.protocol = "HTTPS";
    p.pathname = "/";
    p.method = "POST";
    p.authType = "AK";
    p.style = "RPC";
    p.reqBodyType = "formData";
    p.bodyType = "json";
    OpenApiRequest req = new OpenApiRequest();
    req.query = com.aliyun.openapiutil.Client.query(query);
    return (Map<String, Object>) c.callApi(p, req, new RuntimeOptions());
  }

  /** A successful call: HTTP 200 and a body exactly as the action's model says. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> ok(Client c, String action, Map<String, ?> query) throws Exception {
    Map<String, Object> res = call(c, action, query);
    expect(((Number) res.get("statusCode")).intValue() == 200, action + ": status " + res.get("statusCode"));
    Map<String, Object> body = (Map<String, Object>) res.get("body");
    List<String> errs = strictErrors(SCHEMA.get(action), body, "$");
    expect(errs.isEmpty(), action + " does not decode strictly:\n  " + String.join("\n  ", errs) + "\nbody: " + new Gson().toJson(body));
    return body;
  }

  static TeaException failure(Test call) throws Exception {
    try {
      call.run();
    } catch (TeaException e) {
      return e;
    }
    throw new Failure("the call succeeded; want a TeaException");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> flowLogs(Client c, String id) throws Exception {
    Map<String, Object> body = ok(c, "DescribeFlowlogs", obj("RegionId", region(), "FlowLogId", id));
    return (List<Map<String, Object>>) ((Map<String, Object>) body.get("FlowLogs")).get("FlowLog");
  }

  static List<String> waitStatus(Client c, String id, String want) throws Exception {
    List<String> seen = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      List<Map<String, Object>> items = flowLogs(c, id);
      String status = items.isEmpty() ? null : (String) items.get(0).get("Status");
      if (seen.isEmpty() || !String.valueOf(seen.get(seen.size() - 1)).equals(String.valueOf(status))) seen.add(status);
      if (want == null ? status == null : want.equals(status)) return seen;
      Thread.sleep(100);
    }
    throw new Failure(id + " never reached " + want + "; statuses seen: " + seen);
  }

  static String region() {
    return ids.get("region").getAsString();
  }

  static String id(String name) {
    return ids.get(name).getAsString();
  }

  static void admin(JsonObject emu, String method, String path, String json) throws Exception {
    HttpURLConnection conn = (HttpURLConnection) new URL("http://" + emu.get("host").getAsString() + path).openConnection();
    conn.setRequestMethod(method);
    conn.setDoOutput(true);
    conn.setRequestProperty("content-type", "application/json");
    conn.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    expect(conn.getResponseCode() < 300, "admin " + path + ": HTTP " + conn.getResponseCode());
    conn.getInputStream().readAllBytes();
  }

  // --- The tests. ---

  static void strictDecodingRefusesWhatTheModelDoesNotSay() {
    String good =
        "{\"RequestId\":\"r\",\"Success\":\"true\",\"TotalCount\":\"1\",\"PageNumber\":\"1\",\"PageSize\":\"20\",\"FlowLogs\":{\"FlowLog\":[{"
            + "\"FlowLogId\":\"flowlog-1\",\"CenId\":\"cen-1\",\"RegionId\":\"cn-hangzhou\",\"Status\":\"Active\",\"ProjectName\":\"p\","
            + "\"LogStoreName\":\"l\",\"Interval\":60,\"LogFormatString\":\"${srcaddr}\",\"FlowLogVersion\":\"3\",\"TransitRouterId\":\"tr-1\","
            + "\"CreationTime\":\"2025-01-01T00:00:00Z\",\"Tags\":{\"Tag\":[{\"Key\":\"k\",\"Value\":\"\"}]}}]}}";
    Map<String, Object> schema = SCHEMA.get("DescribeFlowlogs");
    List<String> errs = strictErrors(schema, new Gson().fromJson(good, Map.class), "$");
    expect(errs.isEmpty(), "a body as the model says was refused: " + errs);
    Map<String, String[]> bad = new LinkedHashMap<>();
    bad.put("an unknown field", new String[] {"\"RequestId\":\"r\"", "\"RequestId\":\"r\",\"Extra\":1"});
    bad.put("an unknown field in a list item", new String[] {"\"FlowLogId\":\"flowlog-1\"", "\"FlowLogId\":\"flowlog-1\",\"Owner\":\"x\""});
    bad.put("a missing field", new String[] {"\"RequestId\":\"r\",", ""});
    bad.put("Interval as a string", new String[] {"\"Interval\":60", "\"Interval\":\"60\""});
    bad.put("Interval with a fraction", new String[] {"\"Interval\":60", "\"Interval\":60.5"});
    bad.put("Success as a boolean", new String[] {"\"Success\":\"true\"", "\"Success\":true"});
    bad.put("TotalCount as a number", new String[] {"\"TotalCount\":\"1\"", "\"TotalCount\":1"});
    bad.put("a field in another case", new String[] {"\"RequestId\"", "\"requestId\""});
    bad.put("a null", new String[] {"\"PageSize\":\"20\"", "\"PageSize\":null"});
    for (Map.Entry<String, String[]> b : bad.entrySet()) {
      String body = good.replace(b.getValue()[0], b.getValue()[1]);
      expect(!body.equals(good), "the case " + b.getKey() + " changed nothing");
      expect(!strictErrors(schema, new Gson().fromJson(body, Map.class), "$").isEmpty(), "accepted " + b.getKey());
    }
  }

  static void lifecycle(String signature, String attachment) throws Exception {
    Client c = client(config.getAsJsonObject("main"), signature);
    Map<String, Object> created =
        ok(
            c, "CreateFlowlog",
            obj(
                "RegionId", region(), "CenId", id("cenId"), "TransitRouterId", id("transitRouterId"),
                "TransitRouterAttachmentId", attachment, "FlowLogName", "java-" + signature, "Description", "made by Java",
                "Interval", 60, "ClientToken", "java-" + signature + "-" + System.nanoTime(),
                "Tag", List.of(obj("Key", "team", "Value", "net"))));
    String fid = (String) created.get("FlowLogId");
    expect(fid != null && "true".equals(created.get("Success")), "CreateFlowlog answered " + created);
    waitStatus(c, fid, "Active");
    Map<String, Object> one = flowLogs(c, fid).get(0);
    expect(
        ("java-" + signature).equals(one.get("FlowLogName")) && "made by Java".equals(one.get("Description"))
            && ((Number) one.get("Interval")).intValue() == 60 && attachment.equals(one.get("TransitRouterAttachmentId")),
        "described as " + one);
    expect(String.valueOf(one.get("Tags")).equals("{Tag=[{Key=team, Value=net}]}"), "tags " + one.get("Tags"));

    ok(c, "ModifyFlowLogAttribute", obj("RegionId", region(), "FlowLogId", fid, "FlowLogName", "renamed", "Description", "changed", "Interval", 600));
    waitStatus(c, fid, "Active");
    one = flowLogs(c, fid).get(0);
    expect("renamed".equals(one.get("FlowLogName")) && ((Number) one.get("Interval")).intValue() == 600, "after modify: " + one);
    ok(c, "DeactiveFlowLog", obj("RegionId", region(), "FlowLogId", fid));
    waitStatus(c, fid, "Inactive");
    ok(c, "ActiveFlowLog", obj("RegionId", region(), "FlowLogId", fid));
    waitStatus(c, fid, "Active");
    ok(c, "DeleteFlowlog", obj("RegionId", region(), "FlowLogId", fid));
    waitStatus(c, fid, null);
  }

  @SuppressWarnings("unchecked")
  static void tags() throws Exception {
    Client c = client(config.getAsJsonObject("main"), "v3");
    String fid =
        (String)
            ok(
                    c, "CreateFlowlog",
                    obj("RegionId", region(), "CenId", id("cenId"), "TransitRouterId", id("transitRouterId"), "TransitRouterAttachmentId", id("vpnAttachmentId")))
                .get("FlowLogId");
    waitStatus(c, fid, "Active");
    java.util.function.Supplier<List<String>> listed =
        () -> {
          try {
            Map<String, Object> body = ok(c, "ListTagResources", obj("RegionId", region(), "ResourceType", "Flowlog", "ResourceId", List.of(fid)));
            List<String> out = new ArrayList<>();
            for (Map<String, Object> t : (List<Map<String, Object>>) ((Map<String, Object>) body.get("TagResources")).get("TagResource"))
              out.add(t.get("ResourceId") + "/" + t.get("ResourceType") + "/" + t.get("TagKey") + "=" + t.get("TagValue"));
            out.sort(null);
            return out;
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        };
    ok(
        c, "TagResources",
        obj("RegionId", region(), "ResourceType", "Flowlog", "ResourceId", List.of(fid), "Tag", List.of(obj("Key", "a", "Value", "1"), obj("Key", "b", "Value", ""))));
    expect(listed.get().equals(List.of(fid + "/Flowlog/a=1", fid + "/Flowlog/b=")), "listed " + listed.get());
    ok(c, "UntagResources", obj("RegionId", region(), "ResourceType", "Flowlog", "ResourceId", List.of(fid), "TagKey", List.of("a")));
    expect(listed.get().equals(List.of(fid + "/Flowlog/b=")), "after untagging a: " + listed.get());
    ok(c, "UntagResources", obj("RegionId", region(), "ResourceType", "Flowlog", "ResourceId", List.of(fid), "All", true));
    expect(listed.get().isEmpty(), "All=true left " + listed.get());
    ok(c, "DeleteFlowlog", obj("RegionId", region(), "FlowLogId", fid));
    waitStatus(c, fid, null);
  }

  static void errors() throws Exception {
    // Its own emulator: an injected fault must not be taken by another test's call.
    JsonObject main = config.getAsJsonObject("faults");
    List<String> problems = new ArrayList<>();
    for (String sig : List.of("v3", "v2")) {
      Object[][] cases = {
        {"an Interval that is neither 60 nor 600", null, null, "CreateFlowlog",
          obj("RegionId", region(), "CenId", id("cenId"), "TransitRouterId", id("transitRouterId"), "TransitRouterAttachmentId", id("ecrAttachmentId"), "Interval", 30),
          "InvalidParameter.Interval", 400},
        {"a Basic edition transit router", null, null, "CreateFlowlog",
          obj("RegionId", region(), "CenId", id("cenId2"), "TransitRouterId", id("basicTransitRouterId")), "OperationUnsupported.action", 400},
        {"a flow log that does not exist", null, null, "DeleteFlowlog",
          obj("RegionId", region(), "FlowLogId", "flowlog-doesnotexist0000"), "InvalidFlowlogId.NotFound", 400},
        {"an All that is not a boolean", null, null, "UntagResources",
          obj("RegionId", region(), "ResourceType", "Flowlog", "ResourceId", List.of("flowlog-doesnotexist0000"), "All", "yes"), "InvalidParameter.All", 400},
        {"a wrong AccessKey secret", null, "not-the-secret", "DescribeFlowlogs", obj("RegionId", region()), "SignatureDoesNotMatch", 400},
        {"an unknown AccessKey", "no-such-access-key", null, "DescribeFlowlogs", obj("RegionId", region()), "InvalidAccessKeyId.NotFound", 404},
        {"a service fault (503)", "fault:ServiceUnavailable", null, "DescribeFlowlogs", obj("RegionId", region()), "ServiceUnavailable", 503},
        {"an internal error (500)", "fault:InternalError", null, "DescribeFlowlogs", obj("RegionId", region()), "InternalError", 500},
      };
      for (Object[] k : cases) {
        String name = (String) k[0];
        String keyId = (String) k[1];
        String code = (String) k[5];
        int status = (Integer) k[6];
        if (keyId != null && keyId.startsWith("fault:")) {
          admin(main, "POST", "/__admin/faults",
              "{\"failNext\":{\"action\":\"DescribeFlowlogs\",\"count\":1,\"code\":\"" + code + "\",\"statusCode\":" + status + "}}");
          keyId = null;
        }
        Client c = client(main, sig, keyId, (String) k[2]);
        @SuppressWarnings("unchecked")
        Map<String, ?> query = (Map<String, ?>) k[4];
        TeaException e = failure(() -> call(c, (String) k[3], query));
        Object requestId = e.getData() == null ? null : e.getData().get("RequestId");
        if (!code.equals(e.getCode()) || e.getStatusCode() == null || e.getStatusCode() != status)
          problems.add(sig + " " + name + ": want " + code + " (HTTP " + status + "), got " + e.getCode() + " (HTTP " + e.getStatusCode() + "): " + e.getMessage());
        else if (!(requestId instanceof String) || !e.getMessage().contains("request id: " + requestId) || e.getData().get("Message") == null)
          problems.add(sig + " " + name + ": data " + e.getData() + ", message " + e.getMessage());
      }
    }
    expect(problems.isEmpty(), String.join("\n", problems));
  }

  @SuppressWarnings("unchecked")
  static void throttling() throws Exception {
    JsonObject throttled = config.getAsJsonObject("throttled");
    int refillMs = (int) (1000 / config.get("throttledRate").getAsDouble());
    for (String sig : List.of("v3", "v2")) {
      Client c = client(throttled, sig);
      TeaException thrown = null;
      for (int i = 0; i < 50 && thrown == null; i++) {
        try {
          call(c, "DescribeFlowlogs", obj("RegionId", region()));
        } catch (TeaException e) {
          thrown = e;
        }
      }
      expect(thrown != null, sig + ": 50 quick calls were never throttled");
      expect("Throttling.User".equals(thrown.getCode()) && thrown.getStatusCode() == 400, sig + ": " + thrown.getCode() + " (HTTP " + thrown.getStatusCode() + ")");
      expect(thrown.getData().get("RequestId") instanceof String, sig + ": no RequestId in " + thrown.getData());

      // This runtime has no ThrottlingException and drops the headers from its errors; with
      // returnErrorResponse it hands the throttled answer over, headers included.
      Thread.sleep(2L * refillMs);
      Client raw = client(throttled, sig);
      raw._returnErrorResponse = true;
      Map<String, Object> answer = null;
      for (int i = 0; i < 50; i++) {
        Map<String, Object> res = call(raw, "DescribeFlowlogs", obj("RegionId", region()));
        if (((Number) res.get("statusCode")).intValue() == 400) {
          answer = res;
          break;
        }
      }
      expect(answer != null, sig + ": 50 quick calls were never throttled (returnErrorResponse)");
      Map<String, String> headers = (Map<String, String>) answer.get("headers");
      String after = headers.get("x-acs-retry-after");
      String user = headers.get("x-ratelimit-user");
      expect(after != null && after.matches("\\d+"), sig + ": x-acs-retry-after " + after + "; headers " + headers);
      int wait = Integer.parseInt(after);
      expect(wait > 0 && wait <= refillMs + 50, sig + ": x-acs-retry-after " + wait + " ms; a token comes back every " + refillMs + " ms");
      expect(user != null && user.contains("TimeLeft:" + wait + ","), sig + ": x-ratelimit-user " + user + ", x-acs-retry-after " + wait);
      Thread.sleep(wait + 20L);
      ok(raw, "DescribeFlowlogs", obj("RegionId", region()));
      Thread.sleep(2L * refillMs);
    }
  }

  static void runsTheRuntimeItWasBuiltWith() {
    String want = config.get("teaOpenapi").getAsString();
    Package p = Client.class.getPackage();
    String where = Client.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    expect(where.endsWith("/tea-openapi-" + want + ".jar"), "com.aliyun.teaopenapi.Client comes from " + where + ", want tea-openapi " + want + " (" + p + ")");
  }

  static String json(Map<String, String> m) {
    return new Gson().toJson(m);
  }

  public static void main(String[] args) throws Exception {
    String raw = System.getenv("CONFORMANCE_CONFIG");
    if (raw == null || raw.isEmpty()) {
      System.err.println("CONFORMANCE_CONFIG is not set: run this through jest, which starts the emulators");
      System.exit(2);
    }
    config = new Gson().fromJson(raw, JsonObject.class);
    ids = config.getAsJsonObject("ids");
    Map<String, Test> tests = new LinkedHashMap<>();
    tests.put("strictDecodingRefusesWhatTheModelDoesNotSay", Conformance::strictDecodingRefusesWhatTheModelDoesNotSay);
    tests.put("lifecycleWithV3Signatures", () -> lifecycle("v3", id("vpcAttachmentId")));
    tests.put("lifecycleWithV2Signatures", () -> lifecycle("v2", id("vbrAttachmentId")));
    tests.put("tagsIncludingUntagAll", Conformance::tags);
    tests.put("errorsDecodeAsTeaExceptions", Conformance::errors);
    tests.put("throttlingIsAThrottlingUserTeaExceptionAndTheHeadersNameTheWait", Conformance::throttling);
    tests.put("runsTheRuntimeItWasBuiltWith", Conformance::runsTheRuntimeItWasBuiltWith);
    // The tests wait on status transitions, not on the CPU; each uses its own attachment.
    ExecutorService pool = Executors.newFixedThreadPool(tests.size());
    Map<String, Future<String>> results = new LinkedHashMap<>();
    for (Map.Entry<String, Test> t : tests.entrySet())
      results.put(
          t.getKey(),
          pool.submit(
              () -> {
                try {
                  t.getValue().run();
                  return "";
                } catch (Throwable e) {
                  StringWriter w = new StringWriter();
                  e.printStackTrace(new PrintWriter(w));
                  return w.toString().isEmpty() ? String.valueOf(e) : w.toString();
                }
              }));
    boolean allPassed = true;
    for (Map.Entry<String, Future<String>> r : results.entrySet()) {
      String out = r.getValue().get();
      allPassed &= out.isEmpty();
      Map<String, String> line = new LinkedHashMap<>();
      line.put("test", r.getKey());
      line.put("status", out.isEmpty() ? "pass" : "fail");
      line.put("output", out);
      System.out.println(json(line));
    }
    pool.shutdown();
    System.exit(allPassed ? 0 : 1);
  }

  private Conformance() {}
}
