/** A flag that turns true only once `flag` has been true for `delayMs` (the skeleton waits 200 ms: no flash of it). */
import { onScopeDispose, ref, watch, type Ref } from "vue";

export const SKELETON_DELAY_MS = 200;

export function useDelayed(flag: () => boolean, delayMs = SKELETON_DELAY_MS): Ref<boolean> {
  const delayed = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    flag,
    (value) => {
      clearTimeout(timer);
      if (!value) delayed.value = false;
      else timer = setTimeout(() => (delayed.value = true), delayMs);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearTimeout(timer));
  return delayed;
}
