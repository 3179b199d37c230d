package conformance

import (
	"testing"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
)

// TestStrictDecodingRefusesWhatTheModelDoesNotSay: the strict decoding that every other test
// relies on refuses bodies that the SDK's lenient decoding would silently accept or mangle.
func TestStrictDecodingRefusesWhatTheModelDoesNotSay(t *testing.T) {
	good := `{"RequestId":"r","Success":"true","TotalCount":"1","PageNumber":"1","PageSize":"20",` +
		`"FlowLogs":{"FlowLog":[{"FlowLogId":"flowlog-1","Interval":60,"Tags":{"Tag":[{"Key":"k","Value":""}]}}]}}`
	if err := strictErr([]byte(good), &cbn.DescribeFlowlogsResponseBody{}); err != nil {
		t.Fatalf("a body as the model says was refused: %v", err)
	}
	for _, tc := range []struct{ name, body string }{
		{"an unknown field", `{"RequestId":"r","Extra":1}`},
		{"an unknown field in a list item", `{"FlowLogs":{"FlowLog":[{"FlowLogId":"f","Owner":"x"}]}}`},
		{"Interval as a string", `{"FlowLogs":{"FlowLog":[{"Interval":"60"}]}}`},
		{"Interval with a fraction", `{"FlowLogs":{"FlowLog":[{"Interval":60.5}]}}`},
		{"Success as a boolean", `{"Success":true}`},
		{"TotalCount as a number", `{"TotalCount":1}`},
		{"a field in another case", `{"requestId":"r"}`},
		{"an unwrapped list", `{"FlowLogs":[{"FlowLogId":"f"}]}`},
		{"trailing data", `{"RequestId":"r"} {}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := strictErr([]byte(tc.body), &cbn.DescribeFlowlogsResponseBody{}); err == nil {
				t.Fatalf("accepted %s", tc.body)
			}
		})
	}
}
