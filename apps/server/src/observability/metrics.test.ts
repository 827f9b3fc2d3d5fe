import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

describe("the server metrics", () => {
  it("count requests per route, method and status, with cumulative latency buckets", async () => {
    const metrics = createMetrics();
    metrics.observeRequest("/meshes", "GET", 200, 0.001);
    metrics.observeRequest("/meshes", "GET", 200, 0.003);
    metrics.observeRequest("/meshes", "GET", 404, 10);
    const { contentType, text } = await metrics.scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const series = '{route="/meshes",method="GET",status="200"}';
    expect(text).toContain(`kuma_cp_http_requests_total${series} 2`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_bucket{le="0.001",route="/meshes",method="GET",status="200"} 1`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_bucket{le="0.0025",route="/meshes",method="GET",status="200"} 1`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_bucket{le="0.005",route="/meshes",method="GET",status="200"} 2`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_bucket{le="+Inf",route="/meshes",method="GET",status="200"} 2`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_sum${series} 0.004`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_count${series} 2`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_bucket{le="5",route="/meshes",method="GET",status="404"} 0`);
    expect(text).toContain(`kuma_cp_http_request_duration_seconds_bucket{le="+Inf",route="/meshes",method="GET",status="404"} 1`);
    expect(text).toContain("# TYPE kuma_cp_http_requests_total counter");
    expect(text).toContain("# TYPE kuma_cp_http_request_duration_seconds histogram");
  });

  it("report the store's connection state from the probe at each scrape", async () => {
    const metrics = createMetrics();
    let up = true;
    metrics.setStoreProbe(async () => up);
    expect((await metrics.scrape()).text).toContain("kuma_cp_store_connected 1");
    up = false;
    expect((await metrics.scrape()).text).toContain("kuma_cp_store_connected 0");
  });

  it("keep servers apart: each has a registry of its own", async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.observeStoreOperation("get", "ok", 0.001);
    expect((await first.scrape()).text).toContain('kuma_cp_store_operation_duration_seconds_count{operation="get",outcome="ok"} 1');
    expect((await second.scrape()).text).not.toContain('operation="get"');
  });
});
