package conformance

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// drain calls DescribeFlowlogs on the throttled emulator until it answers Throttling.User,
// and returns that error.
func drain(t *testing.T, s *sdk) error {
	t.Helper()
	for i := 0; i < 50; i++ {
		_, err := s.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: tea.String(conf(t).IDs.Region)})
		if err != nil {
			return err
		}
	}
	t.Fatal("50 quick calls were never throttled")
	return nil
}

// timeLeft reads `TimeLeft:<ms>` from the rate-limit headers the way darabonba's
// Utils.getThrottlingTimeLeft does (comma-separated Key:Value pairs); -1 when absent.
func timeLeft(h http.Header) int64 {
	best := int64(-1)
	for _, name := range []string{"x-ratelimit-user-api", "x-ratelimit-user"} {
		for _, pair := range strings.Split(h.Get(name), ",") {
			kv := strings.Split(pair, ":")
			if len(kv) == 2 && kv[0] == "TimeLeft" {
				if ms, err := strconv.ParseInt(kv[1], 10, 64); err == nil && ms > best {
					best = ms
				}
			}
		}
	}
	return best
}

func TestThrottling(t *testing.T) {
	// Only this test talks to the throttled emulator: it runs beside the others, which use the main one.
	t.Parallel()
	c := conf(t)
	// One token comes back every 1000/rate ms: that bounds what TimeLeft may say.
	refillMs := int64(1000 / c.ThrottledRate)

	for _, s := range signatures {
		t.Run(string(s)+" signature: Throttling.User is a *tea.SDKError", func(t *testing.T) {
			client := newSDK(t, c.Throttled, s, clientOpts{})
			sdkError(t, client, drain(t, client), "Throttling.User", 400)
			time.Sleep(time.Duration(refillMs) * time.Millisecond)
		})

		t.Run(string(s)+" signature: the SDK reads TimeLeft from the rate-limit headers", func(t *testing.T) {
			client := newSDK(t, c.Throttled, s, clientOpts{rawErrors: true})
			err := drain(t, client)
			var te *openapi.ThrottlingError
			if !errors.As(err, &te) {
				t.Fatalf("want the SDK's *ThrottlingError, got %T: %v", err, err)
			}
			x := client.rec.last(t)
			header := timeLeft(x.Header)
			if header < 0 {
				t.Fatalf("a Throttling.User answer without x-ratelimit-user-api / x-ratelimit-user TimeLeft; headers: %v", x.Header)
			}
			if header > refillMs+50 {
				t.Fatalf("TimeLeft %d ms, but a token comes back every %d ms", header, refillMs)
			}
			// Current runtimes read x-acs-retry-after instead: the emulator names the same wait there.
			if got := x.Header.Get("x-acs-retry-after"); got != strconv.FormatInt(header, 10) {
				t.Fatalf("x-acs-retry-after %q; the rate-limit headers say TimeLeft %d", got, header)
			}
			if tea.StringValue(te.Code) != "Throttling.User" || te.RetryAfter == nil || *te.RetryAfter != header {
				t.Fatalf("ThrottlingError %s, RetryAfter %v; the headers say TimeLeft %d", tea.StringValue(te.Code), te.RetryAfter, header)
			}
			wantRequestID(t, client, tea.StringValue(te.RequestId))
			// After TimeLeft, the next call goes through.
			time.Sleep(time.Duration(header+20) * time.Millisecond)
			res, err := client.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: tea.String(c.IDs.Region)})
			decoded[cbn.DescribeFlowlogsResponseBody](t, client, bodyOf(res), err)
		})

		t.Run(string(s)+" signature: the SDK's own retry waits TimeLeft, then succeeds", func(t *testing.T) {
			drain(t, newSDK(t, c.Throttled, s, clientOpts{}))
			// The bucket is per AccessKey: this client starts throttled too.
			client := newSDK(t, c.Throttled, s, clientOpts{retryThrottling: 3})
			type answer struct {
				res *cbn.DescribeFlowlogsResponse
				err error
			}
			done := make(chan answer, 1)
			go func() {
				res, err := client.DescribeFlowlogs(&cbn.DescribeFlowlogsRequest{RegionId: tea.String(c.IDs.Region)})
				done <- answer{res, err}
			}()
			var got answer
			select {
			case got = <-done:
			case <-time.After(time.Duration(3*refillMs)*time.Millisecond + 5*time.Second):
				// tea before v1.5 slept TimeLeft *seconds* (dara.Sleep); go.mod requires v1.5.4.
				t.Fatalf("the SDK's retry did not come back in time: it waits far longer than TimeLeft; attempts so far: %d", client.rec.count())
			}
			decoded[cbn.DescribeFlowlogsResponseBody](t, client, bodyOf(got.res), got.err)
			tries := client.rec.since(0)
			if len(tries) < 2 || tries[0].Status != 400 {
				t.Fatalf("want a throttled first attempt and a retry, got %d attempts (first HTTP %d)", len(tries), tries[0].Status)
			}
			wait := timeLeft(tries[0].Header)
			gap := tries[1].Sent.Sub(tries[0].Sent)
			// Without the header the SDK would wait its 100 ms minimum.
			if wait <= 0 || gap < time.Duration(wait-25)*time.Millisecond {
				t.Fatalf("the SDK retried after %v; the headers said TimeLeft %d ms", gap, wait)
			}
		})
	}
}
