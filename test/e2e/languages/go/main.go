// Three flow logs: fl (default provider: environment and stack config), shfl (explicit provider sh: another
// region and AccessKey) and imported (taken over with `pulumi import`).
package main

import (
	"github.com/cen-flowlog/pulumi-cen-flowlog/sdk/go/cenflowlog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func orDefault(value, dflt string) string {
	if value == "" {
		return dflt
	}
	return value
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")

		fl, err := cenflowlog.NewFlowlog(ctx, "fl", &cenflowlog.FlowlogArgs{
			RegionId:                  pulumi.String("cn-hangzhou"),
			CenId:                     pulumi.String("cen-emu00000000000001"),
			TransitRouterId:           pulumi.String("tr-emuhz000000000001"),
			TransitRouterAttachmentId: pulumi.String("tr-attach-emuvpc0000001"),
			ProjectName:               pulumi.String(orDefault(cfg.Get("projectName"), "e2e-project")),
			LogStoreName:              pulumi.String("e2e-logstore"),
			FlowLogName:               pulumi.String("edge"),
			Description:               pulumi.String(orDefault(cfg.Get("description"), "e2e flow log")),
			Interval:                  pulumi.Int(600),
			Tags:                      pulumi.StringMap{"team": pulumi.String("net")},
		}, pulumi.Timeouts(&pulumi.CustomTimeouts{Update: "15s"})) // the test holds fl Modifying to see this end
		if err != nil {
			return err
		}

		sh, err := cenflowlog.NewProvider(ctx, "sh", &cenflowlog.ProviderArgs{
			Region:    pulumi.String("cn-shanghai"),
			Endpoint:  pulumi.String(cfg.Require("shEndpoint")),
			AccessKey: pulumi.String(cfg.Require("shAccessKey")),
			SecretKey: cfg.RequireSecret("shSecretKey"),
		})
		if err != nil {
			return err
		}

		shfl, err := cenflowlog.NewFlowlog(ctx, "shfl", &cenflowlog.FlowlogArgs{
			CenId:                     pulumi.String("cen-emu00000000000001"),
			TransitRouterId:           pulumi.String("tr-emush000000000001"),
			TransitRouterAttachmentId: pulumi.String("tr-attach-emushvpc00001"),
			ProjectName:               pulumi.String(orDefault(cfg.Get("shProjectName"), "e2e-sh-project")),
			LogStoreName:              pulumi.String("e2e-logstore"),
			FlowLogName:               pulumi.String("shanghai"),
		}, pulumi.Provider(sh))
		if err != nil {
			return err
		}

		imported, err := cenflowlog.NewFlowlog(ctx, "imported", &cenflowlog.FlowlogArgs{
			RegionId:                  pulumi.String("cn-hangzhou"),
			CenId:                     pulumi.String("cen-emu00000000000001"),
			TransitRouterId:           pulumi.String("tr-emuhz000000000001"),
			TransitRouterAttachmentId: pulumi.String("tr-attach-emuvpn0000001"),
			ProjectName:               pulumi.String("e2e-project"),
			LogStoreName:              pulumi.String("e2e-logstore"),
			FlowLogName:               pulumi.String("made-by-hand"),
		})
		if err != nil {
			return err
		}

		ctx.Export("flId", fl.FlowLogId)
		ctx.Export("flDescription", fl.Description)
		ctx.Export("shflId", shfl.FlowLogId)
		ctx.Export("importedId", imported.FlowLogId)
		return nil
	})
}
