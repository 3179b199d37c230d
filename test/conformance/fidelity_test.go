package conformance

import (
	"fmt"
	"strings"
	"testing"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// newFlowLog creates a flow log on an attachment with the SDK and waits until it is Active.
func newFlowLog(t *testing.T, s *sdk, attachment string, tags map[string]string) string {
	t.Helper()
	ids := conf(t).IDs
	req := &cbn.CreateFlowlogRequest{RegionId: tea.String(ids.Region), CenId: tea.String(ids.CenID), TransitRouterId: tea.String(ids.TransitRouterID),
		TransitRouterAttachmentId: tea.String(attachment), ProjectName: tea.String(ids.ProjectName), LogStoreName: tea.String(ids.LogStoreName), ClientToken: token("fixture")}
	for k, v := range tags {
		req.Tag = append(req.Tag, &cbn.CreateFlowlogRequestTag{Key: tea.String(k), Value: tea.String(v)})
	}
	res, err := s.CreateFlowlog(req)
	var body *cbn.CreateFlowlogResponseBody
	if res != nil {
		body = res.Body
	}
	id := tea.StringValue(decoded[cbn.CreateFlowlogResponseBody](t, s, body, err).FlowLogId)
	waitStatus(t, s, id, "Active")
	return id
}

func deleteAndWait(t *testing.T, s *sdk, id string) {
	t.Helper()
	if _, err := s.DeleteFlowlog(&cbn.DeleteFlowlogRequest{RegionId: tea.String(conf(t).IDs.Region), FlowLogId: tea.String(id)}); err != nil {
		t.Fatalf("DeleteFlowlog %s: %v", id, err)
	}
	waitStatus(t, s, id, "")
}

// TestModifyFlowLogAttributeIsAsynchronous: the CEN documentation says a flow log is
// Modifying until the change is done, and only queries are allowed meanwhile.
func TestModifyFlowLogAttributeIsAsynchronous(t *testing.T) {
	c := conf(t)
	s := newSDK(t, c.Main, v3, clientOpts{})
	region, cen := tea.String(c.IDs.Region), tea.String(c.IDs.CenID)
	id := newFlowLog(t, s, c.IDs.VpcAttachmentID, nil)
	defer deleteAndWait(t, s, id)

	_, err := s.ModifyFlowLogAttribute(&cbn.ModifyFlowLogAttributeRequest{RegionId: region, CenId: cen, FlowLogId: tea.String(id), FlowLogName: tea.String("async")})
	if err != nil {
		t.Fatalf("ModifyFlowLogAttribute: %v", err)
	}
	if fl := describeOne(t, s, id); tea.StringValue(fl.Status) != "Modifying" {
		t.Fatalf("right after ModifyFlowLogAttribute the flow log is %q, want Modifying", tea.StringValue(fl.Status))
	}
	writes := map[string]func() error{
		"ModifyFlowLogAttribute": func() error {
			_, err := s.ModifyFlowLogAttribute(&cbn.ModifyFlowLogAttributeRequest{RegionId: region, CenId: cen, FlowLogId: tea.String(id), Description: tea.String("too soon")})
			return err
		},
		"DeactiveFlowLog": func() error {
			_, err := s.DeactiveFlowLog(&cbn.DeactiveFlowLogRequest{RegionId: region, CenId: cen, FlowLogId: tea.String(id)})
			return err
		},
		"ActiveFlowLog": func() error {
			_, err := s.ActiveFlowLog(&cbn.ActiveFlowLogRequest{RegionId: region, CenId: cen, FlowLogId: tea.String(id)})
			return err
		},
		"DeleteFlowlog": func() error {
			_, err := s.DeleteFlowlog(&cbn.DeleteFlowlogRequest{RegionId: region, CenId: cen, FlowLogId: tea.String(id)})
			return err
		},
	}
	for _, name := range []string{"ModifyFlowLogAttribute", "DeactiveFlowLog", "ActiveFlowLog", "DeleteFlowlog"} {
		t.Run(name+" while Modifying is refused", func(t *testing.T) {
			sdkError(t, s, writes[name](), "IncorrectStatus.flowlog", 400)
		})
	}
	fl, _ := waitStatus(t, s, id, "Active")
	if tea.StringValue(fl.FlowLogName) != "async" || tea.StringValue(fl.Description) == "too soon" {
		t.Fatalf("after the Modifying window: name %q, description %q", tea.StringValue(fl.FlowLogName), tea.StringValue(fl.Description))
	}
}

// TestPerCallLimits: the SDK models allow at most 20 ResourceId (tag actions) and 20 Tag
// filters (DescribeFlowlogs, ListTagResources); beyond that a parameter error, nothing done.
func TestPerCallLimits(t *testing.T) {
	c := conf(t)
	s := newSDK(t, c.Main, v3, clientOpts{})
	region := tea.String(c.IDs.Region)
	var seeded struct {
		FlowLogIds []string `json:"flowLogIds"`
	}
	admin(t, c.Main, "POST", "/__admin/seed", map[string]any{"count": 21}, &seeded)
	if len(seeded.FlowLogIds) != 21 {
		t.Fatalf("seeded %d flow logs, want 21", len(seeded.FlowLogIds))
	}
	defer func() {
		for _, id := range seeded.FlowLogIds {
			admin(t, c.Main, "DELETE", "/__admin/flowlogs/"+id, nil, nil)
		}
	}()
	ids := func(n int) []*string { return tea.StringSlice(seeded.FlowLogIds[:n]) }
	tagFilters := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("k%d", i)
		}
		return out
	}
	tag := []*cbn.TagResourcesRequestTag{{Key: tea.String("limit"), Value: tea.String("ok")}}

	// Each call returns its error, and decodes its answer strictly when it succeeded.
	calls := []struct {
		name string
		call func(t *testing.T, n int) error
	}{
		{"TagResources with n ResourceId", func(t *testing.T, n int) error {
			r, err := s.TagResources(&cbn.TagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog"), ResourceId: ids(n), Tag: tag})
			return decodeIfOK[cbn.TagResourcesResponseBody](t, s, r.Body, err)
		}},
		{"ListTagResources with n ResourceId", func(t *testing.T, n int) error {
			r, err := s.ListTagResources(&cbn.ListTagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog"), ResourceId: ids(n)})
			return decodeIfOK[cbn.ListTagResourcesResponseBody](t, s, r.Body, err)
		}},
		{"UntagResources with n ResourceId", func(t *testing.T, n int) error {
			r, err := s.UntagResources(&cbn.UntagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog"), ResourceId: ids(n), TagKey: []*string{tea.String("nothing")}})
			return decodeIfOK[cbn.UntagResourcesResponseBody](t, s, r.Body, err)
		}},
		{"DescribeFlowlogs with n Tag filters", func(t *testing.T, n int) error {
			req := &cbn.DescribeFlowlogsRequest{RegionId: region}
			for _, k := range tagFilters(n) {
				req.Tag = append(req.Tag, &cbn.DescribeFlowlogsRequestTag{Key: tea.String(k), Value: tea.String("v")})
			}
			r, err := s.DescribeFlowlogs(req)
			return decodeIfOK[cbn.DescribeFlowlogsResponseBody](t, s, bodyOf(r), err)
		}},
		{"ListTagResources with n Tag filters", func(t *testing.T, n int) error {
			req := &cbn.ListTagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog")}
			for _, k := range tagFilters(n) {
				req.Tag = append(req.Tag, &cbn.ListTagResourcesRequestTag{Key: tea.String(k), Value: tea.String("v")})
			}
			r, err := s.ListTagResources(req)
			return decodeIfOK[cbn.ListTagResourcesResponseBody](t, s, r.Body, err)
		}},
	}
	for _, tc := range calls {
		t.Run(strings.Replace(tc.name, "n ", "21 ", 1)+" is refused", func(t *testing.T) {
			e := sdkErrorAnyCode(t, s, tc.call(t, 21), 400)
			if !strings.HasPrefix(tea.StringValue(e.Code), "InvalidParam") {
				t.Fatalf("want an InvalidParameter-style code, got %s", tea.StringValue(e.Code))
			}
		})
		t.Run(strings.Replace(tc.name, "n ", "20 ", 1)+" is accepted", func(t *testing.T) {
			if err := tc.call(t, 20); err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
	// The refused TagResources of 21 changed nothing: the 21st flow log has no tag.
	last := seeded.FlowLogIds[20]
	res, err := s.ListTagResources(&cbn.ListTagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog"), ResourceId: []*string{tea.String(last)}})
	if body := decoded[cbn.ListTagResourcesResponseBody](t, s, res.Body, err); body.TagResources != nil && len(body.TagResources.TagResource) > 0 {
		t.Fatalf("the refused TagResources tagged %s anyway: %s", last, s.rec.last(t).Body)
	}
}

// decodeIfOK decodes a successful answer strictly and passes an error through.
func decodeIfOK[B any](t *testing.T, s *sdk, body any, err error) error {
	t.Helper()
	if err == nil {
		decoded[B](t, s, body, err)
	}
	return err
}

// sdkErrorAnyCode asserts a *tea.SDKError with this status, whatever its code.
func sdkErrorAnyCode(t *testing.T, s *sdk, err error, status int) *tea.SDKError {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error (HTTP %d), the call succeeded: %s", status, s.rec.last(t).Body)
	}
	e, isSDK := err.(*tea.SDKError)
	if !isSDK {
		t.Fatalf("want *tea.SDKError, got %T: %v", err, err)
	}
	return sdkError(t, s, err, tea.StringValue(e.Code), status)
}

// TestTagActionsAreScopedByRegion: a flow log in cn-hangzhou is not a Flowlog resource of
// cn-shanghai, for tagging or listing.
func TestTagActionsAreScopedByRegion(t *testing.T) {
	c := conf(t)
	s := newSDK(t, c.Main, v3, clientOpts{})
	id := newFlowLog(t, s, c.IDs.VpnAttachmentID, map[string]string{"scope": "hangzhou"})
	defer deleteAndWait(t, s, id)
	other := tea.String(c.IDs.Region2)

	_, _ = s.TagResources(&cbn.TagResourcesRequest{RegionId: other, ResourceType: tea.String("Flowlog"), ResourceId: []*string{tea.String(id)},
		Tag: []*cbn.TagResourcesRequestTag{{Key: tea.String("scope"), Value: tea.String("shanghai")}}})
	a := &api{sdk: s, via: generated}
	sameTags(t, "after TagResources addressed to "+c.IDs.Region2, listTags(t, a, c.IDs.Region, id), map[string]string{"scope": "hangzhou"})

	res, err := s.ListTagResources(&cbn.ListTagResourcesRequest{RegionId: other, ResourceType: tea.String("Flowlog"),
		Tag: []*cbn.ListTagResourcesRequestTag{{Key: tea.String("scope")}}})
	if err == nil {
		body := decoded[cbn.ListTagResourcesResponseBody](t, s, res.Body, err)
		if body.TagResources != nil {
			for _, tr := range body.TagResources.TagResource {
				if tea.StringValue(tr.ResourceId) == id {
					t.Fatalf("ListTagResources in %s lists %s of %s", c.IDs.Region2, id, c.IDs.Region)
				}
			}
		}
	}
}

// TestTagKeysNamedLikeObjectMembers: tags are data; keys such as `constructor` or
// `__proto__` are stored, listed, filtered on and removed like any other.
func TestTagKeysNamedLikeObjectMembers(t *testing.T) {
	c := conf(t)
	s := newSDK(t, c.Main, v3, clientOpts{})
	a := &api{sdk: s, via: generated}
	region := tea.String(c.IDs.Region)
	keys := []string{"constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"}
	want := map[string]string{}
	for _, k := range keys {
		want[k] = "v-" + k
	}
	id := newFlowLog(t, s, c.IDs.EcrAttachmentID, want)
	defer deleteAndWait(t, s, id)

	sameTags(t, "DescribeFlowlogs", tagMap(t, describeOne(t, s, id)), want)
	sameTags(t, "ListTagResources", listTags(t, a, c.IDs.Region, id), want)
	for _, k := range keys {
		t.Run("DescribeFlowlogs filters on "+k, func(t *testing.T) {
			res, err := s.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: region, TransitRouterAttachmentId: tea.String(c.IDs.EcrAttachmentID),
				Tag: []*cbn.DescribeFlowlogsRequestTag{{Key: tea.String(k), Value: tea.String("v-" + k)}}})
			body := decoded[cbn.DescribeFlowlogsResponseBody](t, s, bodyOf(res), err)
			if tea.StringValue(body.TotalCount) != "1" {
				t.Fatalf("filter %s=v-%s found %s flow logs", k, k, tea.StringValue(body.TotalCount))
			}
		})
	}
	res, err := s.UntagResources(&cbn.UntagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog"), ResourceId: []*string{tea.String(id)}, TagKey: tea.StringSlice(keys)})
	decoded[cbn.UntagResourcesResponseBody](t, s, res.Body, err)
	sameTags(t, "after UntagResources of every key", listTags(t, a, c.IDs.Region, id), map[string]string{})
}
