/** `v-flash="value"`: the element flashes once when its value changes after it is shown (a live update). */
import type { Directive } from "vue";

export const vFlash: Directive<HTMLElement, unknown> = {
  updated(el, binding) {
    if (Object.is(binding.value, binding.oldValue)) return;
    // A value arriving where there was none yet ("…" while loading) is not a change.
    if (binding.oldValue === undefined || binding.oldValue === "…") return;
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation when it is already running
    el.classList.add("flash");
    el.addEventListener("animationend", () => el.classList.remove("flash"), { once: true });
  },
};
