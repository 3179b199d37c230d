// Three flow logs: fl (default provider: environment and stack config), shfl (explicit provider sh: another
// region and AccessKey) and imported (taken over with `pulumi import`).
package e2e;

import com.cenflowlog.cenflowlog.Flowlog;
import com.cenflowlog.cenflowlog.FlowlogArgs;
import com.cenflowlog.cenflowlog.Provider;
import com.cenflowlog.cenflowlog.ProviderArgs;
import com.pulumi.Pulumi;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.CustomTimeouts;
import java.time.Duration;
import java.util.Map;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {
            var config = ctx.config();

            var fl = new Flowlog("fl", FlowlogArgs.builder()
                .regionId("cn-hangzhou")
                .cenId("cen-emu00000000000001")
                .transitRouterId("tr-emuhz000000000001")
                .transitRouterAttachmentId("tr-attach-emuvpc0000001")
                .projectName(config.get("projectName").orElse("e2e-project"))
                .logStoreName("e2e-logstore")
                .flowLogName("edge")
                .description(config.get("description").orElse("e2e flow log"))
                .interval(600)
                .tags(Map.of("team", "net"))
                .build(),
                // The test holds fl Modifying to see an update end here.
                CustomResourceOptions.builder()
                    .customTimeouts(CustomTimeouts.builder().update(Duration.ofSeconds(15)).build())
                    .build());

            var sh = new Provider("sh", ProviderArgs.builder()
                .region("cn-shanghai")
                .endpoint(config.require("shEndpoint"))
                .accessKey(config.require("shAccessKey"))
                .secretKey(config.requireSecret("shSecretKey"))
                .build());

            var shfl = new Flowlog("shfl", FlowlogArgs.builder()
                .cenId("cen-emu00000000000001")
                .transitRouterId("tr-emush000000000001")
                .transitRouterAttachmentId("tr-attach-emushvpc00001")
                .projectName(config.get("shProjectName").orElse("e2e-sh-project"))
                .logStoreName("e2e-logstore")
                .flowLogName("shanghai")
                .build(),
                CustomResourceOptions.builder().provider(sh).build());

            var imported = new Flowlog("imported", FlowlogArgs.builder()
                .regionId("cn-hangzhou")
                .cenId("cen-emu00000000000001")
                .transitRouterId("tr-emuhz000000000001")
                .transitRouterAttachmentId("tr-attach-emuvpn0000001")
                .projectName("e2e-project")
                .logStoreName("e2e-logstore")
                .flowLogName("made-by-hand")
                .build());

            ctx.export("flId", fl.flowLogId());
            ctx.export("flDescription", fl.description());
            ctx.export("shflId", shfl.flowLogId());
            ctx.export("importedId", imported.flowLogId());
        });
    }
}
