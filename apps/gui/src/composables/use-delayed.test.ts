import { effectScope, nextTick, ref } from "vue";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { SKELETON_DELAY_MS, useDelayed } from "./use-delayed.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it("turns true only after the flag has held for 200 ms: a fast answer never shows the skeleton", async () => {
  expect(SKELETON_DELAY_MS).toBe(200);
  const loading = ref(true);
  const scope = effectScope();
  const shown = scope.run(() => useDelayed(() => loading.value))!;
  await vi.advanceTimersByTimeAsync(199);
  expect(shown.value).toBe(false);
  loading.value = false; // answered after 199 ms
  await nextTick();
  await vi.advanceTimersByTimeAsync(1000);
  expect(shown.value).toBe(false);

  loading.value = true; // a slow one
  await nextTick();
  await vi.advanceTimersByTimeAsync(200);
  expect(shown.value).toBe(true);
  loading.value = false;
  await nextTick();
  expect(shown.value).toBe(false);
  scope.stop();
});
