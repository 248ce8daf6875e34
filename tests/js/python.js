// What Python makes of the same inputs (tests/js/fixtures/python.json, kept current by
// tests/test_js_parity.py), and where the modules under test live.
import { readFileSync } from "node:fs";

export const python = JSON.parse(readFileSync(new URL("./fixtures/python.json", import.meta.url), "utf8"));

export const PURE = new URL("../../site_templates/theme/assets/sopkb/pure/", import.meta.url);
