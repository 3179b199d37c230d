// Package conformance drives the CEN emulator with Alibaba's own generated Go SDK
// (cbn-20170912/v2 on darabonba-openapi/v2) and decodes every answer strictly into the
// SDK's own response structs. The jest wrapper (conformance.test.ts) starts the emulators
// and passes them in CONFORMANCE_CONFIG; run it through jest, not alone.
package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// emulatorIDs mirrors EMULATOR_IDS of src/emulator/topology.ts (sent by the wrapper).
type emulatorIDs struct {
	Region               string `json:"region"`
	Region2              string `json:"region2"`
	CenID                string `json:"cenId"`
	CenID2               string `json:"cenId2"`
	TransitRouterID      string `json:"transitRouterId"`
	BasicTransitRouterID string `json:"basicTransitRouterId"`
	BasicVpcAttachmentID string `json:"basicVpcAttachmentId"`
	VpcAttachmentID      string `json:"vpcAttachmentId"`
	VpcAttachmentID2     string `json:"vpcAttachmentId2"`
	VpnAttachmentID      string `json:"vpnAttachmentId"`
	VbrAttachmentID      string `json:"vbrAttachmentId"`
	EcrAttachmentID      string `json:"ecrAttachmentId"`
	PeerAttachmentID     string `json:"peerAttachmentId"`
	ProjectName          string `json:"projectName"`
	LogStoreName         string `json:"logStoreName"`
}

// emulator is one running emulator: `host:port` and the AccessKey it accepts.
type emulator struct {
	Host            string `json:"host"`
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
}

type config struct {
	// Main: no throttling; transitions last TransitionMs each.
	Main emulator `json:"main"`
	// Throttled: a tiny request budget, to provoke Throttling.User.
	Throttled    emulator    `json:"throttled"`
	IDs          emulatorIDs `json:"ids"`
	TransitionMs int         `json:"transitionMs"`
	// ThrottledRate is the Throttled emulator's requests per second.
	ThrottledRate float64 `json:"throttledRate"`
	// Modules: module path → the version this build must link (go.mod or go.newest.mod).
	Modules map[string]string `json:"modules"`
}

var (
	cfgOnce sync.Once
	cfg     config
	cfgErr  error
)

// conf reads CONFORMANCE_CONFIG once; a missing or bad value fails the test (never skips).
func conf(t *testing.T) config {
	t.Helper()
	cfgOnce.Do(func() {
		raw := os.Getenv("CONFORMANCE_CONFIG")
		if raw == "" {
			cfgErr = errors.New("CONFORMANCE_CONFIG is not set: run this through jest (npx jest test/conformance), which starts the emulators")
			return
		}
		cfgErr = json.Unmarshal([]byte(raw), &cfg)
		if cfgErr == nil && (cfg.Main.Host == "" || cfg.Throttled.Host == "" || cfg.IDs.CenID == "") {
			cfgErr = errors.New("CONFORMANCE_CONFIG lacks main.host, throttled.host or ids.cenId")
		}
	})
	if cfgErr != nil {
		t.Fatalf("conformance config: %v", cfgErr)
	}
	return cfg
}

// exchange is one HTTP request and its answer, as they crossed the wire.
type exchange struct {
	Method  string
	URL     string
	ReqBody []byte
	Status  int
	Header  http.Header
	Body    []byte
	Sent    time.Time
}

// recorder is the SDK's HttpClient: it keeps every raw response so the test can decode
// the exact bytes the SDK decoded, and never goes through a proxy.
type recorder struct {
	mu   sync.Mutex
	log  []exchange
	http *http.Client
}

func newRecorder() *recorder {
	return &recorder{http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}}
}

// Call satisfies dara.HttpClient; the SDK's own transport is ignored on purpose (no proxy).
func (r *recorder) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	sent := time.Now()
	res, err := r.http.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.log = append(r.log, exchange{Method: req.Method, URL: req.URL.String(), ReqBody: reqBody, Status: res.StatusCode, Header: res.Header.Clone(), Body: body, Sent: sent})
	r.mu.Unlock()
	return res, nil
}

func (r *recorder) last(t *testing.T) exchange {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.log) == 0 {
		t.Fatal("the SDK sent no request")
	}
	return r.log[len(r.log)-1]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

func (r *recorder) since(n int) []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.log[n:]...)
}

// sig is how the SDK signs: "v3" (ACS3-HMAC-SHA256, its default) or "v2" (HMAC-SHA1 RPC).
type sig string

const (
	v3 sig = "v3"
	v2 sig = "v2"
)

var signatures = []sig{v3, v2}

type sdk struct {
	*cbn.Client
	rec *recorder
}

type clientOpts struct {
	secret          string
	accessKeyID     string
	rawErrors       bool // DisableSDKError: the SDK's ClientError/ThrottlingError instead of *tea.SDKError
	retryThrottling int  // >0: the SDK's own retry on Throttling.User, this many attempts
}

func newSDK(t *testing.T, emu emulator, s sig, o clientOpts) *sdk {
	t.Helper()
	rec := newRecorder()
	c := &openapiutil.Config{
		AccessKeyId:     tea.String(emu.AccessKeyID),
		AccessKeySecret: tea.String(emu.AccessKeySecret),
		Endpoint:        tea.String(emu.Host),
		Protocol:        tea.String("HTTP"),
		RegionId:        tea.String(conf(t).IDs.Region),
		ReadTimeout:     tea.Int(10000),
		ConnectTimeout:  tea.Int(10000),
		HttpClient:      rec,
	}
	if o.secret != "" {
		c.AccessKeySecret = tea.String(o.secret)
	}
	if o.accessKeyID != "" {
		c.AccessKeyId = tea.String(o.accessKeyID)
	}
	if s == v2 {
		// darabonba-openapi's CallApi takes DoRPCRequest (HMAC-SHA1, SignatureVersion 1.0)
		// only when SignatureAlgorithm is "v2"; anything else signs ACS3-HMAC-SHA256.
		c.SignatureAlgorithm = tea.String("v2")
	}
	if o.retryThrottling > 0 {
		c.RetryOptions = &dara.RetryOptions{Retryable: true, RetryCondition: []*dara.RetryCondition{
			{ErrorCode: []string{"Throttling.User"}, MaxAttempts: o.retryThrottling, MaxDelay: 10000},
		}}
	}
	client, err := cbn.NewClient(c)
	if err != nil {
		t.Fatalf("cbn.NewClient: %v", err)
	}
	if o.rawErrors {
		client.Client.DisableSDKError = tea.Bool(true)
	}
	return &sdk{Client: client, rec: rec}
}

// strict decodes raw into a fresh value of T, failing the test unless strictErr accepts it.
func strict[T any](t *testing.T, raw []byte) *T {
	t.Helper()
	var v T
	if err := strictErr(raw, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// strictErr decodes raw into v refusing unknown fields and type mismatches, then checks
// that v re-encodes to the same JSON (no field matched only case-insensitively, nothing
// lost or converted on the way).
func strictErr(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%T does not decode strictly: %v\nbody: %s", v, err, raw)
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON body: %s", raw)
	}
	again, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("re-encoding %T: %v", v, err)
	}
	var a, b any
	if err := generic(raw, &a); err != nil {
		return err
	}
	if err := generic(again, &b); err != nil {
		return err
	}
	if !reflect.DeepEqual(prune(a), prune(b)) {
		return fmt.Errorf("%T loses data in a round trip:\nwire:    %s\ndecoded: %s", v, raw, again)
	}
	return nil
}

func generic(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not JSON: %v: %s", err, raw)
	}
	return nil
}

func mustJSON(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := generic(raw, v); err != nil {
		t.Fatal(err)
	}
}

// prune drops nulls and empty lists/objects, which the SDK's omitempty tags drop too.
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if p := prune(e); p != nil {
				out[k] = p
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		out := []any{}
		for _, e := range x {
			out = append(out, prune(e))
		}
		if len(out) == 0 {
			return nil
		}
		return out
	default:
		return v
	}
}

// decoded checks one successful SDK call: HTTP 200, a strict decode of the raw body into
// the SDK's body struct, and the SDK's own (lenient) decode agreeing with it.
func decoded[T any](t *testing.T, s *sdk, sdkBody any, err error) *T {
	t.Helper()
	if err != nil {
		x := s.rec.last(t)
		t.Fatalf("SDK call failed: %v\n%s %s\nanswer %d: %s", err, x.Method, x.URL, x.Status, x.Body)
	}
	x := s.rec.last(t)
	if x.Status != 200 {
		t.Fatalf("status %d, want 200: %s", x.Status, x.Body)
	}
	if ct := x.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want application/json", ct)
	}
	body := strict[T](t, x.Body)
	mine, _ := json.Marshal(body)
	theirs, _ := json.Marshal(sdkBody)
	var m, th any
	mustJSON(t, mine, &m)
	mustJSON(t, theirs, &th)
	if !reflect.DeepEqual(prune(m), prune(th)) {
		t.Fatalf("the SDK decoded something else than the wire body:\nSDK:  %s\nwire: %s", theirs, mine)
	}
	return body
}

// sdkError asserts err is the *tea.SDKError the SDK gives callers, with this code and status,
// and a RequestId that matches the answer's.
func sdkError(t *testing.T, s *sdk, err error, code string, status int) *tea.SDKError {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s (HTTP %d), the call succeeded: %s", code, status, s.rec.last(t).Body)
	}
	var e *tea.SDKError
	if !errors.As(err, &e) {
		t.Fatalf("want *tea.SDKError, got %T: %v", err, err)
	}
	x := s.rec.last(t)
	if tea.StringValue(e.Code) != code || tea.IntValue(e.StatusCode) != status {
		t.Fatalf("want %s (HTTP %d), got %s (HTTP %d): %s", code, status, tea.StringValue(e.Code), tea.IntValue(e.StatusCode), x.Body)
	}
	var wire struct {
		RequestID string `json:"RequestId"`
		Code      string `json:"Code"`
		Message   string `json:"Message"`
	}
	mustJSON(t, x.Body, &wire)
	if wire.RequestID == "" || wire.Code != code || wire.Message == "" {
		t.Fatalf("an error body needs RequestId, Code and Message: %s", x.Body)
	}
	var data map[string]any
	mustJSON(t, []byte(tea.StringValue(e.Data)), &data)
	if data["RequestId"] != wire.RequestID {
		t.Fatalf("SDKError.Data RequestId %v, want %s", data["RequestId"], wire.RequestID)
	}
	if !strings.Contains(tea.StringValue(e.Message), "request id: "+wire.RequestID) {
		t.Fatalf("SDKError.Message lacks the request id: %s", tea.StringValue(e.Message))
	}
	return e
}

// admin calls the emulator's unsigned loopback admin endpoint.
func admin(t *testing.T, emu emulator, method, path string, body any, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, "http://"+emu.Host+path, rd)
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("admin %s %s: %d %s", method, path, res.StatusCode, raw)
	}
	if out != nil {
		mustJSON(t, raw, out)
	}
}

// describeOne returns the flow log with this id (nil when gone), decoded strictly.
func describeOne(t *testing.T, s *sdk, id string) *cbn.DescribeFlowlogsResponseBodyFlowLogsFlowLog {
	t.Helper()
	res, err := s.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: tea.String(conf(t).IDs.Region), FlowLogId: tea.String(id)})
	body := decoded[cbn.DescribeFlowlogsResponseBody](t, s, bodyOf(res), err)
	if body.FlowLogs == nil || len(body.FlowLogs.FlowLog) == 0 {
		if tea.StringValue(body.TotalCount) != "0" {
			t.Fatalf("an empty page says TotalCount %q", tea.StringValue(body.TotalCount))
		}
		return nil
	}
	if n := len(body.FlowLogs.FlowLog); n != 1 {
		t.Fatalf("DescribeFlowlogs by id returned %d flow logs", n)
	}
	return body.FlowLogs.FlowLog[0]
}

func bodyOf(res *cbn.DescribeFlowlogsResponse) any {
	if res == nil {
		return nil
	}
	return res.Body
}

// waitStatus polls DescribeFlowlogs (as a user of the SDK would) until the flow log has
// `want` ("" = gone); it returns the flow log and every status seen on the way.
func waitStatus(t *testing.T, s *sdk, id, want string) (*cbn.DescribeFlowlogsResponseBodyFlowLogsFlowLog, []string) {
	t.Helper()
	deadline := time.Now().Add(time.Duration(conf(t).TransitionMs)*time.Millisecond + 10*time.Second)
	var seen []string
	for {
		fl := describeOne(t, s, id)
		status := ""
		if fl != nil {
			status = tea.StringValue(fl.Status)
		}
		if len(seen) == 0 || seen[len(seen)-1] != status {
			seen = append(seen, status)
		}
		if status == want {
			return fl, seen
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never became %q; statuses seen: %q", id, want, seen)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// tagMap turns the SDK's tag list into a map, failing on a repeated key.
func tagMap(t *testing.T, fl *cbn.DescribeFlowlogsResponseBodyFlowLogsFlowLog) map[string]string {
	t.Helper()
	out := map[string]string{}
	if fl.Tags == nil {
		return out
	}
	for _, tag := range fl.Tags.Tag {
		k := tea.StringValue(tag.Key)
		if _, dup := out[k]; dup {
			t.Fatalf("tag %q listed twice", k)
		}
		out[k] = tea.StringValue(tag.Value)
	}
	return out
}

func token(prefix string) *string {
	return tea.String(fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()))
}
