package conformance

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// via is how a request travels: the SDK's generated method (POST, parameters in the query),
// or the SDK's generic CallApi with GET, or with POST and the parameters in a form body.
type via string

const (
	generated via = "generated method"
	get       via = "GET"
	formBody  via = "POST form body"
)

// api sends each action one way, and returns the body decoded strictly.
type api struct {
	*sdk
	via via
}

// send calls `action` with `req` (an SDK request struct) and returns what the SDK decoded.
func (a *api) send(action string, req any, gen func() (any, error)) (any, error) {
	if a.via == generated {
		return gen()
	}
	params := &openapiutil.Params{
		Action: tea.String(action), Version: tea.String("2017-09-12"), Protocol: tea.String("HTTP"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String("AK"),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	// The same flattening (Tag.1.Key, ResourceId.1) the generated methods use.
	flat := openapiutil.Query(req)
	r := &openapiutil.OpenApiRequest{}
	if a.via == get {
		params.Method = tea.String("GET")
		r.Query = flat
	} else {
		r.Body = flat
	}
	res, err := a.CallApi(params, r, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	return res["body"], nil
}

// ok asserts the call succeeded, went over the wire the way a.via says, and decodes strictly.
func ok[B any](t *testing.T, a *api, sdkBody any, err error) *B {
	t.Helper()
	body := decoded[B](t, a.sdk, sdkBody, err)
	x := a.rec.last(t)
	u, _ := url.Parse(x.URL)
	switch a.via {
	case get:
		if x.Method != "GET" || len(x.ReqBody) != 0 {
			t.Fatalf("sent %s with a %d-byte body, want GET without a body", x.Method, len(x.ReqBody))
		}
	case formBody:
		form, _ := url.ParseQuery(string(x.ReqBody))
		if x.Method != "POST" || len(form) == 0 || u.Query().Has("RegionId") || u.Query().Has("ResourceType") {
			t.Fatalf("want POST with the business parameters in the body only: %s %s body %q", x.Method, x.URL, x.ReqBody)
		}
	default:
		if x.Method != "POST" {
			t.Fatalf("the generated method sent %s", x.Method)
		}
	}
	return body
}

func (a *api) createFlowlog(r *cbn.CreateFlowlogRequest) (any, error) {
	return a.send("CreateFlowlog", r, func() (any, error) { res, err := a.CreateFlowlog(r); return res.Body, err })
}

func (a *api) describeFlowlogs(r *cbn.DescribeFlowlogsRequest) (any, error) {
	return a.send("DescribeFlowlogs", r, func() (any, error) { res, err := a.DescribeFlowlogs(r); return res.Body, err })
}

func (a *api) modifyFlowLogAttribute(r *cbn.ModifyFlowLogAttributeRequest) (any, error) {
	return a.send("ModifyFlowLogAttribute", r, func() (any, error) { res, err := a.ModifyFlowLogAttribute(r); return res.Body, err })
}

func (a *api) activeFlowLog(r *cbn.ActiveFlowLogRequest) (any, error) {
	return a.send("ActiveFlowLog", r, func() (any, error) { res, err := a.ActiveFlowLog(r); return res.Body, err })
}

func (a *api) deactiveFlowLog(r *cbn.DeactiveFlowLogRequest) (any, error) {
	return a.send("DeactiveFlowLog", r, func() (any, error) { res, err := a.DeactiveFlowLog(r); return res.Body, err })
}

func (a *api) deleteFlowlog(r *cbn.DeleteFlowlogRequest) (any, error) {
	return a.send("DeleteFlowlog", r, func() (any, error) { res, err := a.DeleteFlowlog(r); return res.Body, err })
}

func (a *api) tagResources(r *cbn.TagResourcesRequest) (any, error) {
	return a.send("TagResources", r, func() (any, error) { res, err := a.TagResources(r); return res.Body, err })
}

func (a *api) untagResources(r *cbn.UntagResourcesRequest) (any, error) {
	return a.send("UntagResources", r, func() (any, error) { res, err := a.UntagResources(r); return res.Body, err })
}

func (a *api) listTagResources(r *cbn.ListTagResourcesRequest) (any, error) {
	return a.send("ListTagResources", r, func() (any, error) { res, err := a.ListTagResources(r); return res.Body, err })
}

// success asserts the `Success: "true"` the write actions answer.
func success(t *testing.T, s *string) {
	t.Helper()
	if tea.StringValue(s) != "true" {
		t.Fatalf(`Success = %q, want "true"`, tea.StringValue(s))
	}
}

// listTags returns the tags ListTagResources reports for one flow log (every page).
func listTags(t *testing.T, a *api, region, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	next := ""
	for page := 0; ; page++ {
		req := &cbn.ListTagResourcesRequest{RegionId: tea.String(region), ResourceType: tea.String("Flowlog"), ResourceId: []*string{tea.String(id)}, PageSize: tea.Int32(2)}
		if next != "" {
			req.NextToken = tea.String(next)
		}
		b, err := a.listTagResources(req)
		body := ok[cbn.ListTagResourcesResponseBody](t, a, b, err)
		if tea.StringValue(body.RequestId) == "" {
			t.Fatal("ListTagResources answered without RequestId")
		}
		if body.TagResources != nil {
			for _, tr := range body.TagResources.TagResource {
				if tea.StringValue(tr.ResourceId) != id || !strings.EqualFold(tea.StringValue(tr.ResourceType), "Flowlog") {
					t.Fatalf("listed %s %s, asked for Flowlog %s", tea.StringValue(tr.ResourceType), tea.StringValue(tr.ResourceId), id)
				}
				k := tea.StringValue(tr.TagKey)
				if _, dup := out[k]; dup {
					t.Fatalf("tag %q listed twice across pages", k)
				}
				out[k] = tea.StringValue(tr.TagValue)
			}
		}
		next = tea.StringValue(body.NextToken)
		if next == "" {
			return out
		}
		if page > 50 {
			t.Fatal("ListTagResources never ends (NextToken keeps coming)")
		}
	}
}

func sameTags(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("%s: tags %s, want %s", what, g, w)
	}
}
