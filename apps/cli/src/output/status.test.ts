import { describe, expect, it } from "vitest";
import { dataplaneStatus, nanosOf } from "./status.js";

const now = nanosOf("2019-10-24T16:00:00.5Z")!;

describe("dataplaneStatus", () => {
  it("is Offline with never and zero totals without subscriptions", () => {
    expect(dataplaneStatus({}, now)).toEqual({
      status: "Offline",
      lastConnected: "never",
      lastUpdated: "never",
      totalUpdates: "0",
      totalErrors: "0",
    });
  });

  it("takes the ages from the latest connected subscription, truncated to seconds, Go style", () => {
    const status = dataplaneStatus(
      {
        subscriptions: [
          {
            connectTime: "2019-10-24T14:00:00Z",
            disconnectTime: "2019-10-24T14:30:00Z",
            status: {
              lastUpdateTime: "2019-10-24T14:29:00Z",
              total: { responsesSent: "10", responsesRejected: "2" },
            },
          },
          {
            connectTime: "2019-10-24T15:58:59.9Z",
            status: {
              lastUpdateTime: "2019-10-24T15:59:15.000001Z",
              total: { responsesSent: "5" },
            },
          },
        ],
      },
      now,
    );
    expect(status).toEqual({
      status: "Online",
      lastConnected: "1m0s",
      lastUpdated: "45s",
      totalUpdates: "15",
      totalErrors: "2",
    });
  });

  it("writes hours and sub-second ages the way Go's Duration does", () => {
    const ages = ["2019-10-23T14:00:00.5Z", "2019-10-24T13:56:56.5Z", "2019-10-24T16:00:00.4Z"].map(
      (connectTime) =>
        dataplaneStatus({ subscriptions: [{ connectTime, disconnectTime: connectTime }] }, now),
    );
    expect(ages.map((a) => [a.status, a.lastConnected, a.lastUpdated])).toEqual([
      ["Offline", "26h0m0s", "never"],
      ["Offline", "2h3m4s", "never"],
      ["Offline", "0s", "never"],
    ]);
  });

  it("sums 64-bit counters exactly", () => {
    const big = "9007199254740993";
    const status = dataplaneStatus(
      {
        subscriptions: [
          { status: { total: { responsesSent: big } } },
          { status: { total: { responsesSent: big } } },
        ],
      },
      now,
    );
    expect(status.totalUpdates).toBe("18014398509481986");
  });
});
