import { type Static } from "@sinclair/typebox";
import { Message, StringMap } from "../proto.js";

/** `{"match": {tag: value}}`: selects dataplanes by their tags; `*` matches any value. */
export const Selector = Message({ match: StringMap() });
export type Selector = Static<typeof Selector>;
