import { mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

// Unit tests of the GUI's logic (no DOM); the pages are tested in a real browser by Playwright (tests/).
export default mergeConfig(sharedConfig, {});
