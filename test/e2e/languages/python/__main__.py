"""Three flow logs: `fl` (default provider: environment and stack config), `shfl` (explicit provider `sh`:
another region and AccessKey) and `imported` (taken over with `pulumi import`)."""
import pulumi
import pulumi_cen_flowlog as cen

config = pulumi.Config()

fl = cen.Flowlog(
    "fl",
    region_id="cn-hangzhou",
    cen_id="cen-emu00000000000001",
    transit_router_id="tr-emuhz000000000001",
    transit_router_attachment_id="tr-attach-emuvpc0000001",
    project_name=config.get("projectName") or "e2e-project",
    log_store_name="e2e-logstore",
    flow_log_name="edge",
    description=config.get("description") or "e2e flow log",
    interval=600,
    tags={"team": "net"},
    # The test holds `fl` Modifying to see an update end here.
    opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(update="15s")),
)

sh = cen.Provider(
    "sh",
    region="cn-shanghai",
    endpoint=config.require("shEndpoint"),
    access_key=config.require("shAccessKey"),
    secret_key=config.require_secret("shSecretKey"),
)

shfl = cen.Flowlog(
    "shfl",
    cen_id="cen-emu00000000000001",
    transit_router_id="tr-emush000000000001",
    transit_router_attachment_id="tr-attach-emushvpc00001",
    project_name=config.get("shProjectName") or "e2e-sh-project",
    log_store_name="e2e-logstore",
    flow_log_name="shanghai",
    opts=pulumi.ResourceOptions(provider=sh),
)

imported = cen.Flowlog(
    "imported",
    region_id="cn-hangzhou",
    cen_id="cen-emu00000000000001",
    transit_router_id="tr-emuhz000000000001",
    transit_router_attachment_id="tr-attach-emuvpn0000001",
    project_name="e2e-project",
    log_store_name="e2e-logstore",
    flow_log_name="made-by-hand",
)

pulumi.export("flId", fl.flow_log_id)
pulumi.export("flDescription", fl.description)
pulumi.export("shflId", shfl.flow_log_id)
pulumi.export("importedId", imported.flow_log_id)
