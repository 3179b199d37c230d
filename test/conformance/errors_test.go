package conformance

import (
	"errors"
	"fmt"
	"testing"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestErrorsDecodeAsSDKErrors: each error the emulator answers reaches an SDK user as the
// *tea.SDKError the SDK documents, with the service's Code, the HTTP status and the RequestId.
func TestErrorsDecodeAsSDKErrors(t *testing.T) {
	c := conf(t)
	ids := c.IDs
	region := tea.String(ids.Region)
	cases := []struct {
		name   string
		opts   clientOpts
		call   func(t *testing.T, s *sdk) error
		code   string
		status int
	}{
		{"an Interval that is neither 60 nor 600", clientOpts{}, func(t *testing.T, s *sdk) error {
			_, err := s.CreateFlowlog(&cbn.CreateFlowlogRequest{RegionId: region, CenId: tea.String(ids.CenID), TransitRouterId: tea.String(ids.TransitRouterID),
				TransitRouterAttachmentId: tea.String(ids.VpcAttachmentID), Interval: tea.Int64(30)})
			return err
		}, "InvalidParameter.Interval", 400},
		{"a Basic edition transit router", clientOpts{}, func(t *testing.T, s *sdk) error {
			_, err := s.CreateFlowlog(&cbn.CreateFlowlogRequest{RegionId: region, CenId: tea.String(ids.CenID2), TransitRouterId: tea.String(ids.BasicTransitRouterID)})
			return err
		}, "OperationUnsupported.action", 400},
		{"a flow log that does not exist", clientOpts{}, func(t *testing.T, s *sdk) error {
			_, err := s.ModifyFlowLogAttribute(&cbn.ModifyFlowLogAttributeRequest{RegionId: region, FlowLogId: tea.String("flowlog-doesnotexist0000"), FlowLogName: tea.String("x")})
			return err
		}, "InvalidFlowlogId.NotFound", 400},
		{"a wrong AccessKey secret", clientOpts{secret: "not-the-secret"}, func(t *testing.T, s *sdk) error {
			_, err := s.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: region})
			return err
		}, "SignatureDoesNotMatch", 400},
		{"an unknown AccessKey", clientOpts{accessKeyID: "no-such-access-key"}, func(t *testing.T, s *sdk) error {
			_, err := s.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: region})
			return err
		}, "InvalidAccessKeyId.NotFound", 404},
		{"a service fault (503)", clientOpts{}, func(t *testing.T, s *sdk) error {
			failNext(t, c.Main, "DescribeFlowlogs", "ServiceUnavailable", 503)
			_, err := s.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: region})
			return err
		}, "ServiceUnavailable", 503},
	}
	for _, s := range signatures {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s signature: %s", s, tc.name), func(t *testing.T) {
				client := newSDK(t, c.Main, s, tc.opts)
				sdkError(t, client, tc.call(t, client), tc.code, tc.status)
			})
		}
	}
}

// TestErrorsWithoutSDKErrorWrapping: with DisableSDKError the SDK hands out its typed
// ClientError (4xx) and ServerError (5xx), each with the answer's RequestId.
func TestErrorsWithoutSDKErrorWrapping(t *testing.T) {
	c := conf(t)
	region := tea.String(c.IDs.Region)
	for _, s := range signatures {
		t.Run(string(s)+" signature", func(t *testing.T) {
			client := newSDK(t, c.Main, s, clientOpts{rawErrors: true})
			_, err := client.DeleteFlowlog(&cbn.DeleteFlowlogRequest{RegionId: region, FlowLogId: tea.String("flowlog-doesnotexist0000")})
			var ce *openapi.ClientError
			if !errors.As(err, &ce) {
				t.Fatalf("want *ClientError, got %T: %v", err, err)
			}
			wantRequestID(t, client, tea.StringValue(ce.RequestId))
			if tea.StringValue(ce.Code) != "InvalidFlowlogId.NotFound" || tea.IntValue(ce.StatusCode) != 400 {
				t.Fatalf("ClientError %s (HTTP %d)", tea.StringValue(ce.Code), tea.IntValue(ce.StatusCode))
			}

			failNext(t, c.Main, "DescribeFlowlogs", "InternalError", 500)
			_, err = client.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: region})
			var se *openapi.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("want *ServerError, got %T: %v", err, err)
			}
			wantRequestID(t, client, tea.StringValue(se.RequestId))
			if tea.StringValue(se.Code) != "InternalError" || tea.IntValue(se.StatusCode) != 500 {
				t.Fatalf("ServerError %s (HTTP %d)", tea.StringValue(se.Code), tea.IntValue(se.StatusCode))
			}
		})
	}
}

func wantRequestID(t *testing.T, s *sdk, got string) {
	t.Helper()
	var wire struct {
		RequestID string `json:"RequestId"`
	}
	mustJSON(t, s.rec.last(t).Body, &wire)
	if got == "" || got != wire.RequestID {
		t.Fatalf("the error's RequestId %q, the answer's %q", got, wire.RequestID)
	}
}

// failNext makes the emulator fail the next call of action (admin endpoint, loopback only).
func failNext(t *testing.T, emu emulator, action, code string, status int) {
	t.Helper()
	admin(t, emu, "POST", "/__admin/faults", map[string]any{"failNext": map[string]any{"action": action, "count": 1, "code": code, "statusCode": status}}, nil)
}
