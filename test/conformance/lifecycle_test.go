package conformance

import (
	"fmt"
	"strings"
	"testing"
	"time"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestEveryActionDecodesStrictly runs a flow log through all nine actions with each
// signature algorithm and each way of sending (generated method, GET, form body), and
// decodes every answer strictly into the SDK's own response structs.
func TestEveryActionDecodesStrictly(t *testing.T) {
	// Beside TestThrottling (the other emulator); the sequential tests that use the main one have finished.
	t.Parallel()
	c := conf(t)
	attachments := []string{c.IDs.VpcAttachmentID, c.IDs.VpcAttachmentID2, c.IDs.VbrAttachmentID, c.IDs.EcrAttachmentID, c.IDs.PeerAttachmentID, c.IDs.VpnAttachmentID}
	i := 0
	for _, s := range signatures {
		for _, v := range []via{generated, get, formBody} {
			s, v, attachment := s, v, attachments[i%len(attachments)]
			i++
			t.Run(fmt.Sprintf("%s signature, %s", s, v), func(t *testing.T) {
				// Each way of sending has its own attachment, SDK client and recorder: they run side by side,
				// so the suite waits for one set of status transitions instead of six in a row.
				t.Parallel()
				lifecycle(t, &api{sdk: newSDK(t, c.Main, s, clientOpts{}), via: v}, attachment)
			})
		}
	}
}

func lifecycle(t *testing.T, a *api, attachment string) {
	ids := conf(t).IDs
	region := tea.String(ids.Region)
	format := "${srcaddr}${dstaddr}${bytes}${srcport}${dstport}${protocol}"
	create := &cbn.CreateFlowlogRequest{
		RegionId: region, CenId: tea.String(ids.CenID), TransitRouterId: tea.String(ids.TransitRouterID),
		TransitRouterAttachmentId: tea.String(attachment), ProjectName: tea.String(ids.ProjectName),
		LogStoreName: tea.String(ids.LogStoreName), FlowLogName: tea.String("conformance"),
		Description: tea.String("made by Alibaba's Go SDK"), Interval: tea.Int64(60), LogFormatString: tea.String(format),
		ClientToken: token("create"),
		Tag:         []*cbn.CreateFlowlogRequestTag{{Key: tea.String("env"), Value: tea.String("test")}, {Key: tea.String("empty"), Value: tea.String("")}},
	}
	b, err := a.createFlowlog(create)
	created := ok[cbn.CreateFlowlogResponseBody](t, a, b, err)
	success(t, created.Success)
	id := tea.StringValue(created.FlowLogId)
	if !strings.HasPrefix(id, "flowlog-") || tea.StringValue(created.RequestId) == "" {
		t.Fatalf("CreateFlowlog answered FlowLogId %q, RequestId %q", id, tea.StringValue(created.RequestId))
	}

	// The same ClientToken again: the same flow log, not a second one.
	b, err = a.createFlowlog(create)
	if again := ok[cbn.CreateFlowlogResponseBody](t, a, b, err); tea.StringValue(again.FlowLogId) != id {
		t.Fatalf("a retried create with the same ClientToken made %s, first was %s", tea.StringValue(again.FlowLogId), id)
	}

	fl, seen := waitStatus(t, a.sdk, id, "Active")
	if seen[0] != "Creating" {
		t.Fatalf("a new flow log should be Creating first; statuses seen %q", seen)
	}
	want := map[string]string{
		"CenId": ids.CenID, "RegionId": ids.Region, "TransitRouterId": ids.TransitRouterID, "TransitRouterAttachmentId": attachment,
		"ProjectName": ids.ProjectName, "LogStoreName": ids.LogStoreName, "FlowLogName": "conformance",
		"Description": "made by Alibaba's Go SDK", "LogFormatString": format,
	}
	got := map[string]string{
		"CenId": tea.StringValue(fl.CenId), "RegionId": tea.StringValue(fl.RegionId), "TransitRouterId": tea.StringValue(fl.TransitRouterId),
		"TransitRouterAttachmentId": tea.StringValue(fl.TransitRouterAttachmentId), "ProjectName": tea.StringValue(fl.ProjectName),
		"LogStoreName": tea.StringValue(fl.LogStoreName), "FlowLogName": tea.StringValue(fl.FlowLogName),
		"Description": tea.StringValue(fl.Description), "LogFormatString": tea.StringValue(fl.LogFormatString),
	}
	sameTags(t, "the described flow log's fields", got, want)
	if tea.Int64Value(fl.Interval) != 60 || tea.StringValue(fl.FlowLogVersion) == "" {
		t.Fatalf("Interval %d, FlowLogVersion %q", tea.Int64Value(fl.Interval), tea.StringValue(fl.FlowLogVersion))
	}
	if _, err := time.Parse(time.RFC3339, tea.StringValue(fl.CreationTime)); err != nil {
		t.Fatalf("CreationTime %q is not ISO-8601: %v", tea.StringValue(fl.CreationTime), err)
	}
	sameTags(t, "DescribeFlowlogs after create", tagMap(t, fl), map[string]string{"env": "test", "empty": ""})

	b, err = a.modifyFlowLogAttribute(&cbn.ModifyFlowLogAttributeRequest{RegionId: region, CenId: tea.String(ids.CenID), FlowLogId: tea.String(id),
		FlowLogName: tea.String("renamed"), Description: tea.String("changed"), Interval: tea.Int64(600), ClientToken: token("modify")})
	success(t, ok[cbn.ModifyFlowLogAttributeResponseBody](t, a, b, err).Success)
	// Asynchronous on the service: wait for Active before the next write.
	fl, _ = waitStatus(t, a.sdk, id, "Active")
	if tea.StringValue(fl.FlowLogName) != "renamed" || tea.StringValue(fl.Description) != "changed" || tea.Int64Value(fl.Interval) != 600 {
		t.Fatalf("after ModifyFlowLogAttribute: name %q, description %q, interval %d", tea.StringValue(fl.FlowLogName), tea.StringValue(fl.Description), tea.Int64Value(fl.Interval))
	}

	b, err = a.deactiveFlowLog(&cbn.DeactiveFlowLogRequest{RegionId: region, CenId: tea.String(ids.CenID), FlowLogId: tea.String(id)})
	success(t, ok[cbn.DeactiveFlowLogResponseBody](t, a, b, err).Success)
	if _, seen = waitStatus(t, a.sdk, id, "Inactive"); seen[0] != "Modifying" {
		t.Fatalf("DeactiveFlowLog should pass through Modifying; statuses seen %q", seen)
	}
	b, err = a.activeFlowLog(&cbn.ActiveFlowLogRequest{RegionId: region, CenId: tea.String(ids.CenID), FlowLogId: tea.String(id)})
	success(t, ok[cbn.ActiveFlowLogResponseBody](t, a, b, err).Success)
	waitStatus(t, a.sdk, id, "Active")

	b, err = a.tagResources(&cbn.TagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog"), ResourceId: []*string{tea.String(id)},
		Tag: []*cbn.TagResourcesRequestTag{{Key: tea.String("team"), Value: tea.String("net")}, {Key: tea.String("env"), Value: tea.String("prod")}}})
	if tea.StringValue(ok[cbn.TagResourcesResponseBody](t, a, b, err).RequestId) == "" {
		t.Fatal("TagResources answered without RequestId")
	}
	sameTags(t, "ListTagResources after TagResources", listTags(t, a, ids.Region, id), map[string]string{"env": "prod", "empty": "", "team": "net"})

	b, err = a.untagResources(&cbn.UntagResourcesRequest{RegionId: region, ResourceType: tea.String("Flowlog"), ResourceId: []*string{tea.String(id)},
		TagKey: []*string{tea.String("env"), tea.String("empty")}})
	if tea.StringValue(ok[cbn.UntagResourcesResponseBody](t, a, b, err).RequestId) == "" {
		t.Fatal("UntagResources answered without RequestId")
	}
	sameTags(t, "ListTagResources after UntagResources", listTags(t, a, ids.Region, id), map[string]string{"team": "net"})

	// Filters and paging through this way of sending, strings where the model has strings.
	b, err = a.describeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: region, CenId: tea.String(ids.CenID), Status: tea.String("Active"),
		TransitRouterAttachmentId: tea.String(attachment), Tag: []*cbn.DescribeFlowlogsRequestTag{{Key: tea.String("team"), Value: tea.String("net")}},
		PageNumber: tea.Int32(1), PageSize: tea.Int32(5)})
	page := ok[cbn.DescribeFlowlogsResponseBody](t, a, b, err)
	success(t, page.Success)
	if tea.StringValue(page.TotalCount) != "1" || tea.StringValue(page.PageNumber) != "1" || tea.StringValue(page.PageSize) != "5" ||
		page.FlowLogs == nil || len(page.FlowLogs.FlowLog) != 1 || tea.StringValue(page.FlowLogs.FlowLog[0].FlowLogId) != id {
		t.Fatalf("DescribeFlowlogs with filters: %s", a.rec.last(t).Body)
	}
	sameTags(t, "DescribeFlowlogs after UntagResources", tagMap(t, page.FlowLogs.FlowLog[0]), map[string]string{"team": "net"})

	b, err = a.deleteFlowlog(&cbn.DeleteFlowlogRequest{RegionId: region, CenId: tea.String(ids.CenID), FlowLogId: tea.String(id), ClientToken: token("delete")})
	success(t, ok[cbn.DeleteFlowlogResponseBody](t, a, b, err).Success)
	if _, seen = waitStatus(t, a.sdk, id, ""); seen[0] != "Deleting" {
		t.Fatalf("DeleteFlowlog should pass through Deleting; statuses seen %q", seen)
	}
}
